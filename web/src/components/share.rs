use crate::browser::{
    base_url, compare_fragment_for, copy_to_clipboard, embed_code, iframe, share_url, View,
};
use crate::compare_run::CompareRun;
use crate::i18n::{Lang, W};
use crate::state::SharedSim;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct ShareProps {
    pub lang: Lang,
    pub sim: SharedSim,
    /// Changes whenever the scenario does, so an open fallback box stays current.
    pub scenario_rev: u64,
    /// Where the page is now (time position and speed), for the link to open there.
    pub view: Callback<(), View>,
    /// The comparison shown, whose link and embed code are copied instead (`sim` is its left
    /// side).
    #[prop_or_default]
    pub compare: Option<Rc<CompareRun>>,
}

/// Every field counts, the run by identity; destructured so that none can be forgotten.
impl PartialEq for ShareProps {
    fn eq(&self, other: &Self) -> bool {
        let ShareProps {
            lang,
            sim,
            scenario_rev,
            view,
            compare,
        } = self;
        *lang == other.lang
            && *compare == other.compare
            && std::rc::Rc::ptr_eq(sim, &other.sim)
            && *scenario_rev == other.scenario_rev
            && *view == other.view
    }
}

#[derive(Clone, PartialEq)]
enum Copied {
    Nothing,
    Done,
    /// The clipboard said no: the text, to copy by hand.
    ByHand(String),
}

/// "Copy link" and "Copy embed code"; where the clipboard is not available, the text appears
/// in a box, selected, to copy by hand.
#[component]
pub fn Share(props: &ShareProps) -> Html {
    let lang = props.lang;
    let copied = use_state(|| Copied::Nothing);
    {
        let copied = copied.clone();
        use_effect_with(props.scenario_rev, move |_| copied.set(Copied::Nothing));
    }
    let copy = |embed: bool| {
        let copied = copied.clone();
        let sim = props.sim.clone();
        let view = props.view.clone();
        let compare = props.compare.clone();
        Callback::from(move |_: MouseEvent| {
            let view = view.emit(());
            let text = match &compare {
                Some(compare) => {
                    let left = sim.borrow();
                    let comparison = compare.comparison(left.as_ref());
                    let id = compare.unchanged_preset(left.as_ref());
                    let fragment = compare_fragment_for(&comparison, id, embed, view);
                    if embed {
                        // Two clusters side by side want a wider frame.
                        iframe(&fragment, 960, 620)
                    } else {
                        format!("{}#{fragment}", base_url())
                    }
                }
                None => {
                    let scenario = sim.borrow().scenario().clone();
                    if embed {
                        embed_code(&scenario, view)
                    } else {
                        share_url(&scenario, view)
                    }
                }
            };
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if copy_to_clipboard(&text).await {
                    copied.set(Copied::Done);
                } else {
                    copied.set(Copied::ByHand(text));
                }
            });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            area.select();
        }
    });
    html! {
        <div class="share" role="group" aria-label={lang.t(W::Share)}>
            <button type="button" class="ctl" data-testid="copy-link" onclick={copy(false)}>
                { lang.t(W::CopyLink) }
            </button>
            <button type="button" class="ctl" data-testid="copy-embed" onclick={copy(true)}>
                { "</> " }{ lang.t(W::CopyEmbed) }
            </button>
            {
                match &*copied {
                    Copied::Nothing => html! {},
                    Copied::Done => html! {
                        <span class="copied" role="status" data-testid="copied">{ lang.t(W::Copied) }</span>
                    },
                    Copied::ByHand(text) => html! {
                        <label class="by-hand">
                            <span>{ lang.t(W::CopyByHand) }</span>
                            <textarea data-testid="copy-text" readonly=true rows="3"
                                value={text.clone()} onfocus={select_all} autofocus=true />
                        </label>
                    },
                }
            }
        </div>
    }
}
