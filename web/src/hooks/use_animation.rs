use crate::state::{Action, AppState};
use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

type Slot = Rc<RefCell<Option<AnimationFrame>>>;

/// While `playing`, dispatch [`Action::Tick`] with the real time since the last frame on every
/// animation frame; nothing runs while paused. Hiding the tab pauses, so an open tab does not
/// burn the battery (browsers also stop animation frames, but the pause makes it visible).
#[hook]
pub fn use_animation(playing: bool, dispatch: UseReducerDispatcher<AppState>) {
    {
        let dispatch = dispatch.clone();
        use_effect_with(playing, move |playing| {
            let slot: Slot = Rc::new(RefCell::new(None));
            if *playing {
                schedule(slot.clone(), Rc::new(Cell::new(None)), dispatch);
            }
            move || {
                // Dropping the frame cancels it.
                slot.borrow_mut().take();
            }
        });
    }
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                EventListener::new(&document, "visibilitychange", move |_| {
                    if crate::browser::tab_hidden() {
                        dispatch.dispatch(Action::Pause);
                    }
                })
            });
        move || drop(listener)
    });
}

fn schedule(slot: Slot, last: Rc<Cell<Option<f64>>>, dispatch: UseReducerDispatcher<AppState>) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |now| {
        // The first frame only starts the clock; a long gap (a stall) counts as one frame.
        let dt = last
            .get()
            .map_or(0.0, |before| (now - before).clamp(0.0, 100.0));
        last.set(Some(now));
        if dt > 0.0 {
            dispatch.dispatch(Action::Tick(dt));
        }
        // Only go on if this loop was not cancelled meanwhile.
        if next_slot.borrow().is_some() {
            schedule(next_slot, last, dispatch);
        }
    });
    *slot.borrow_mut() = Some(frame);
}
