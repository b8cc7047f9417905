use crate::state::{Action, AppState};
use crate::{browser, catalogue};
use gloo_events::EventListener;
use yew::prelude::*;

/// A link pasted into the open tab, or the back and forward buttons, change only the
/// address's fragment: the browser does not reload, so the page opens the new scenario itself,
/// or reloads when it belongs to a family this module does not carry (the loader then picks
/// that family's module).
#[hook]
pub fn use_hash_change(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                let hash = browser::hash();
                match web_sys::window() {
                    Some(window) if catalogue::link_elsewhere(&hash) => {
                        let _ = window.location().reload();
                    }
                    _ => dispatch.dispatch(Action::OpenLink(hash)),
                }
            })
        });
        move || drop(listener)
    });
}
