use crate::browser;
use crate::state::{Action, AppState};
use gloo_events::EventListener;
use yew::prelude::*;

/// A link pasted into the open tab, or the back and forward buttons, change only the
/// address's fragment: the browser does not reload, so the page opens the new scenario itself.
#[hook]
pub fn use_hash_change(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                dispatch.dispatch(Action::OpenLink(browser::hash()));
            })
        });
        move || drop(listener)
    });
}
