use super::{LangSwitch, Masthead, PresetList};
use crate::i18n::{set_document_lang, Lang};
use crate::state::{Action, AppState};
use yew::prelude::*;

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::new(Lang::initial()));
    let lang = state.lang;

    use_effect_with(lang, |lang| set_document_lang(*lang));

    let on_lang = {
        let state = state.clone();
        Callback::from(move |lang: Lang| {
            lang.remember();
            state.dispatch(Action::SetLang(lang));
        })
    };

    html! {
        <div class="page" lang={lang.tag()}>
            <header class="masthead">
                <Masthead {lang} />
                <LangSwitch {lang} on_change={on_lang} />
            </header>
            <main>
                <PresetList {lang} />
            </main>
        </div>
    }
}
