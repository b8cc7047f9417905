use crate::geometry::{virtual_span, VIRTUAL_US_PER_REAL_MS};
use crate::paint::{Painter, PAINT_EVERY_MS};
use crate::state::{Action, AppState};
use clusterplay_sim::Time;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// What the animation loop needs from the latest render.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pace {
    pub playing: bool,
    /// The playhead the page was rendered at.
    pub playhead: Time,
    /// When the run's next event happens, if it has one.
    pub next_due: Option<Time>,
    /// Where playing stops.
    pub until: Time,
    pub speed: f64,
}

/// Shared between the component, its effects and the animation loop.
#[derive(Default)]
struct Loop {
    pace: Pace,
    /// Real milliseconds played since `pace.playhead` (the page state's, so that any action
    /// first plays them: `AppState::unplayed`).
    unplayed: Rc<Cell<f64>>,
    /// When the loop last woke (the page's monotonic clock, ms).
    last: Option<f64>,
    painter: Painter,
}

impl Loop {
    /// The virtual time on screen now.
    fn now(&self) -> Time {
        if !self.pace.playing {
            return self.pace.playhead;
        }
        self.pace
            .playhead
            .saturating_add(virtual_span(self.unplayed.get(), self.pace.speed))
            .min(self.pace.until)
    }
}

type Shared = Rc<RefCell<Loop>>;
type Slot = Rc<RefCell<Option<Timeout>>>;

/// Play the run in real time. Between two events nothing in the run changes, so the page is
/// not re-rendered: after each render the [`Painter`] hands what moves with time alone to the
/// browser's animations (messages along their links, the diagram's window), and the loop
/// wakes only to write the rest every [`PAINT_EVERY_MS`] (timers, the clock, the timeline) and
/// to dispatch [`Action::Tick`], with the real time played since the last one, when the next
/// event is due or playing reaches its end. While nothing happens it does not run every frame. Nothing runs while paused. Hiding the tab
/// pauses, so an open tab does not burn the battery.
///
/// With `reduced_motion` (the system's setting) time moves in visible steps of
/// [`REDUCED_MOTION_STEP_MS`] instead of gliding: every step is a render and nothing moves
/// between steps.
///
/// `root` is the element whose moving parts the painter looks after; it reads them after every
/// render of the calling component.
#[hook]
pub fn use_animation(
    pace: Pace,
    unplayed: Rc<Cell<f64>>,
    reduced_motion: bool,
    root: NodeRef,
    dispatch: UseReducerDispatcher<AppState>,
) {
    let shared: Shared = use_mut_ref(Loop::default);
    {
        let mut l = shared.borrow_mut();
        l.pace = pace;
        l.unplayed = unplayed;
    }
    {
        // After every render: hand what moves to the browser, from where it is now.
        let shared = shared.clone();
        use_effect(move || {
            let mut l = shared.borrow_mut();
            let (t, real) = (l.now(), l.last.unwrap_or(0.0));
            let rate = if l.pace.playing && !reduced_motion {
                VIRTUAL_US_PER_REAL_MS * l.pace.speed
            } else {
                0.0
            };
            if let Some(root) = root.cast::<web_sys::Element>() {
                l.painter.collect(&root, t, rate);
            }
            l.painter.paint(t, real);
        });
    }
    {
        let dispatch = dispatch.clone();
        let shared = shared.clone();
        use_effect_with((pace.playing, reduced_motion), move |(playing, reduced)| {
            let slot: Slot = Rc::new(RefCell::new(None));
            if *playing {
                let step = if *reduced {
                    REDUCED_MOTION_STEP_MS
                } else {
                    0.0
                };
                shared.borrow_mut().last = Some(real_now());
                schedule(slot.clone(), shared, step, WAKE_MIN_MS, dispatch);
            }
            move || {
                // Dropping the timeout cancels it.
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

/// Between two wake-ups at least one frame passes, and at most this long (real ms): the
/// painter's pace.
const WAKE_MIN_MS: f64 = 16.0;

fn real_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// One wake-up: count the real time, then either hand it to the reducer (an event is due, the
/// end is reached, or a reduced-motion step is complete) or paint. Returns how long to sleep.
fn wake(shared: &Shared, now: f64, step: f64, dispatch: &UseReducerDispatcher<AppState>) -> f64 {
    let (tick, sleep) = {
        let mut l = shared.borrow_mut();
        // A long gap (a stall, a sleeping laptop) counts as a short one.
        let dt = l
            .last
            .map_or(0.0, |before| (now - before).clamp(0.0, 250.0));
        l.last = Some(now);
        let owed = l.unplayed.get() + dt;
        l.unplayed.set(owed);
        let t = l.now();
        let due = if step > 0.0 {
            owed >= step
        } else {
            owed > 0.0 && (l.pace.next_due.is_some_and(|due| due <= t) || t >= l.pace.until)
        };
        if due {
            // Until the render brings the run's new state, paint from where this tick goes;
            // look again a frame later, when the render has told when the next event is.
            l.pace.playhead = t;
            l.pace.next_due = None;
            (
                Some(l.unplayed.take()),
                if step > 0.0 { step } else { WAKE_MIN_MS },
            )
        } else if step > 0.0 {
            (None, step - owed)
        } else {
            l.painter.paint(t, now);
            // Real time until the next event (or the end) at this speed.
            let rate = VIRTUAL_US_PER_REAL_MS * l.pace.speed;
            let next = l.pace.next_due.unwrap_or(l.pace.until).min(l.pace.until);
            let until_due = next.saturating_sub(t) as f64 / rate.max(f64::MIN_POSITIVE);
            (None, until_due.clamp(WAKE_MIN_MS, PAINT_EVERY_MS))
        }
    };
    if let Some(owed) = tick {
        dispatch.dispatch(Action::Tick(owed));
    }
    sleep
}

/// Sleep `ms`, then wake; go on until the slot is emptied (which cancels the sleep).
fn schedule(
    slot: Slot,
    shared: Shared,
    step: f64,
    ms: f64,
    dispatch: UseReducerDispatcher<AppState>,
) {
    let next_slot = slot.clone();
    let handle = Timeout::new(ms.ceil().max(1.0) as u32, move || {
        let sleep = wake(&shared, real_now(), step, &dispatch);
        // Only go on if this loop was not cancelled meanwhile.
        if next_slot.borrow().is_some() {
            schedule(next_slot, shared, step, sleep, dispatch);
        }
    });
    *slot.borrow_mut() = Some(handle);
}
