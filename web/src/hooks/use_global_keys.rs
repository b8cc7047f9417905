use crate::state::{Action, AppState};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Space plays or pauses, → steps forward, ← steps back, unless the learner is typing in a
/// field or working a control that uses those keys itself.
#[hook]
pub fn use_global_keys(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                EventListener::new_with_options(
                    &document,
                    "keydown",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        if event.default_prevented()
                            || event.ctrl_key()
                            || event.meta_key()
                            || event.alt_key()
                        {
                            return;
                        }
                        let tag = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .map(|e| e.tag_name().to_ascii_uppercase())
                            .unwrap_or_default();
                        let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
                        let pressable = matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
                        let action = match event.key().as_str() {
                            " " | "Spacebar" if !typing && !pressable => Action::TogglePlay,
                            "ArrowRight" if !typing => Action::Step,
                            "ArrowLeft" if !typing => Action::StepBack,
                            _ => return,
                        };
                        event.prevent_default();
                        dispatch.dispatch(action);
                    },
                )
            });
        move || drop(listener)
    });
}
