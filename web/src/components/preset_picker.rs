use super::lesson::LessonList;
use super::preset_list::{by_family, PresetList};
use crate::catalogue::{
    catalogue, compare_elsewhere, open_preset_elsewhere, preset_elsewhere, reload_at,
};
use crate::compare_run::CompareRun;
use crate::i18n::{Lang, W};
use crate::state::{Action, AppState};
use clusterplay_scenario::{algorithm, preset};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PresetPickerProps {
    pub lang: Lang,
    /// The preset the current scenario started from.
    pub current: Option<String>,
    /// The protocol of the current scenario.
    pub protocol: String,
    /// What differs from the preset (its settings, the learner's actions), in words.
    pub changed: Vec<String>,
    /// A lesson is taken: the preset's caption would tell its answers, so it waits.
    #[prop_or_default]
    pub lesson: bool,
    /// The comparison shown, if any: its title and caption take the preset's place.
    #[prop_or_default]
    pub compare: Option<Rc<CompareRun>>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The picker's values for compare presets start with this.
const COMPARE: &str = "compare:";

/// A compact picker grouped by family, the chosen preset's caption, and how the algorithm
/// works.
#[component]
pub fn PresetPicker(props: &PresetPickerProps) -> Html {
    let lang = props.lang;
    let key = lang.key();
    // A preset of a family this module does not carry reloads the page into that family.
    let open = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |id: String| {
            if let Some(id) = id.strip_prefix(COMPARE) {
                if compare_elsewhere(id) {
                    reload_at(&format!("compare={id}"), false);
                } else {
                    dispatch.dispatch(Action::OpenCompare(id.to_owned()));
                }
            } else if preset_elsewhere(&id) {
                open_preset_elsewhere(&id, false);
            } else {
                dispatch.dispatch(Action::OpenPreset(id));
            }
        })
    };
    let onchange = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value());
            if let Some(id) = value.filter(|v| !v.is_empty()) {
                open.emit(id);
            }
        })
    };
    let current = props.current.as_deref().unwrap_or("");
    let groups = by_family(&catalogue().presets)
        .into_iter()
        .map(|(family, members)| {
            html! {
                <optgroup label={lang.family(family)}>
                    { for members.into_iter().map(|p| html! {
                        <option value={p.id.clone()} selected={p.id == current}>
                            { lang.preset_title(&p.title, p.beyond_text) }
                        </option>
                    }) }
                </optgroup>
            }
        });
    // The compare presets, as one group: picking one shows it side by side.
    let current_compare = props
        .compare
        .as_ref()
        .and_then(|c| c.id.clone())
        .unwrap_or_default();
    let compares = (!catalogue().compares.is_empty()).then(|| {
        html! {
            <optgroup label={lang.t(W::Compare)} data-testid="compare-group">
                { for catalogue().compares.iter().map(|c| html! {
                    <option value={format!("{COMPARE}{}", c.id)} selected={c.id == current_compare}>
                        { c.title.get(key) }
                    </option>
                }) }
            </optgroup>
        }
    });
    let chosen = props.current.as_deref().and_then(|id| preset(id).ok());
    // On a phone a long caption would push the cluster below the fold: it shows its first
    // lines until the learner asks for the rest (the style sheet clamps it only there).
    let whole = use_state_eq(|| false);
    {
        let whole = whole.clone();
        use_effect_with(props.current.clone(), move |_| whole.set(false));
    }
    let toggle = {
        let whole = whole.clone();
        Callback::from(move |_: MouseEvent| whole.set(!*whole))
    };
    let algo = algorithm(&props.protocol);
    html! {
        <section class="scenario-bar">
            <label class="picker">
                <span class="picker-label">{ lang.t(W::Scenario) }</span>
                <select data-testid="preset-picker" {onchange}>
                    if chosen.is_none() && current_compare.is_empty() {
                        <option value="" selected=true>{ "—" }</option>
                    }
                    { for compares }
                    { for groups }
                </select>
            </label>
            if let Some(c) = &props.compare {
                <h2 class="compare-title" data-testid="compare-title">{ c.title.get(key) }</h2>
                <p class={classes!("caption", (!*whole).then_some("clamped"))} data-testid="caption">
                    { c.caption.get(key) }
                </p>
                <button type="button" class="caption-more" data-testid="caption-more"
                    aria-expanded={if *whole { "true" } else { "false" }} onclick={toggle.clone()}>
                    { lang.t(if *whole { W::ShorterCaption } else { W::WholeCaption }) }
                </button>
            }
            if let Some(p) = chosen.filter(|_| !props.lesson) {
                <p class={classes!("caption", (!*whole).then_some("clamped"))} data-testid="caption">
                    if p.beyond_text {
                        <strong class="beyond" data-testid="beyond-text">{ lang.t(W::BeyondText) }</strong>
                        { if lang == Lang::Zh { "：" } else { ": " } }
                    }
                    { p.caption.get(key) }
                    if !props.changed.is_empty() {
                        <em class="modified" data-testid="changed">{
                            if lang == Lang::Zh {
                                format!("（{}：{}）", lang.t(W::Modified), props.changed.join("，"))
                            } else {
                                format!(" ({}: {})", lang.t(W::Modified), props.changed.join(", "))
                            }
                        }</em>
                    }
                </p>
                <button type="button" class="caption-more" data-testid="caption-more"
                    aria-expanded={if *whole { "true" } else { "false" }} onclick={toggle}>
                    { lang.t(if *whole { W::ShorterCaption } else { W::WholeCaption }) }
                </button>
            }
            if let Some(a) = algo.filter(|_| props.compare.is_none()) {
                <details class="how">
                    <summary>{ format!("{}{}{}", lang.t(W::HowItWorks), if lang == Lang::Zh { "：" } else { ": " }, a.name.get(key)) }</summary>
                    <p>{ a.how.get(key) }</p>
                    { availability(a.family, lang, props.current.as_deref().unwrap_or("")) }
                </details>
            }
            // Where a newcomer looks first: the lessons, then every scenario with its story.
            <details class="catalogue-box" data-testid="lessons-box">
                <summary>{ lang.t(W::Lessons).replace("{n}", &catalogue().lessons.len().to_string()) }</summary>
                <LessonList {lang} dispatch={props.dispatch.clone()} />
            </details>
            <details class="catalogue-box" data-testid="catalogue">
                <summary>{ lang.t(W::AllPresets).replace("{n}", &catalogue().presets.len().to_string()) }</summary>
                <PresetList {lang} on_open={open} />
            </details>
        </section>
    }
}

/// Under replication's "how it works": the text's availability table, computed, and what each
/// replication scenario kept of C and A, measured.
#[cfg(feature = "replication")]
fn availability(family: &str, lang: Lang, current: &str) -> Html {
    if family == "replication" {
        html! {
            <>
                <super::availability::CapTable {lang} current={current.to_owned()} />
                <super::availability::AvailabilityTable {lang} />
            </>
        }
    } else {
        Html::default()
    }
}

#[cfg(not(feature = "replication"))]
fn availability(_family: &str, _lang: Lang, _current: &str) -> Html {
    Html::default()
}
