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
///
/// With `reduced_motion` (the system's setting) time moves in visible steps of
/// [`REDUCED_MOTION_STEP_MS`] instead of gliding: messages jump along their links rather than
/// slide, and nothing moves between steps.
#[hook]
pub fn use_animation(
    playing: bool,
    reduced_motion: bool,
    dispatch: UseReducerDispatcher<AppState>,
) {
    {
        let dispatch = dispatch.clone();
        use_effect_with((playing, reduced_motion), move |(playing, reduced)| {
            let slot: Slot = Rc::new(RefCell::new(None));
            if *playing {
                let step = if *reduced {
                    REDUCED_MOTION_STEP_MS
                } else {
                    0.0
                };
                let clock = Clock {
                    last: Rc::new(Cell::new(None)),
                    owed: Rc::new(Cell::new(0.0)),
                    step,
                };
                schedule(slot.clone(), clock, dispatch);
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

/// Real milliseconds between two visible moves when the system asks for reduced motion.
pub const REDUCED_MOTION_STEP_MS: f64 = 400.0;

/// The animation loop's memory between frames.
#[derive(Clone)]
struct Clock {
    last: Rc<Cell<Option<f64>>>,
    /// Real time not yet handed to the reducer (reduced motion).
    owed: Rc<Cell<f64>>,
    /// Hand time over only in steps of this many ms (0: every frame).
    step: f64,
}

fn schedule(slot: Slot, clock: Clock, dispatch: UseReducerDispatcher<AppState>) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |now| {
        // The first frame only starts the clock; a long gap (a stall) counts as one frame.
        let dt = clock
            .last
            .get()
            .map_or(0.0, |before| (now - before).clamp(0.0, 100.0));
        clock.last.set(Some(now));
        let owed = clock.owed.get() + dt;
        if owed > 0.0 && owed >= clock.step {
            clock.owed.set(0.0);
            dispatch.dispatch(Action::Tick(owed));
        } else {
            clock.owed.set(owed);
        }
        // Only go on if this loop was not cancelled meanwhile.
        if next_slot.borrow().is_some() {
            schedule(next_slot, clock, dispatch);
        }
    });
    *slot.borrow_mut() = Some(frame);
}
