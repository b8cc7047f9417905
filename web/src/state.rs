//! App state and the actions that change it, for `use_reducer`. The reducer is pure: side
//! effects (remembering the language, `<html lang>`) happen in the components.

use crate::i18n::Lang;
use std::rc::Rc;
use yew::Reducible;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppState {
    pub lang: Lang,
}

impl AppState {
    pub fn new(lang: Lang) -> Self {
        AppState { lang }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SetLang(Lang),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::SetLang(lang) if lang == self.lang => self,
            Action::SetLang(lang) => {
                let mut next = (*self).clone();
                next.lang = lang;
                Rc::new(next)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_lang_changes_only_the_language() {
        let state = Rc::new(AppState::new(Lang::En));
        let next = state.clone().reduce(Action::SetLang(Lang::Zh));
        assert_eq!(next.lang, Lang::Zh);
        let same = next.clone().reduce(Action::SetLang(Lang::Zh));
        assert!(
            Rc::ptr_eq(&next, &same),
            "an unchanged language keeps the same state"
        );
    }
}
