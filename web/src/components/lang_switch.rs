use crate::i18n::Lang;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub lang: Lang,
    pub on_change: Callback<Lang>,
}

/// One button per language, each labelled in its own language; the current one is pressed.
#[component]
pub fn LangSwitch(props: &LangSwitchProps) -> Html {
    let buttons = Lang::ALL.into_iter().map(|lang| {
        let current = lang == props.lang;
        let onclick = props.on_change.reform(move |_: MouseEvent| lang);
        html! {
            <button
                type="button"
                class={classes!("lang", current.then_some("current"))}
                lang={lang.tag()}
                data-lang={lang.key()}
                data-testid={format!("lang-{}", lang.key())}
                aria-pressed={if current { "true" } else { "false" }}
                {onclick}
            >
                { lang.endonym() }
            </button>
        }
    });

    html! {
        <div class="lang-switch" role="group" aria-label={props.lang.switch_label()}>
            { for buttons }
        </div>
    }
}
