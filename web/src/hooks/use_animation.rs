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
    pub next_event: Option<Time>,
    /// When the page must render again: the next event, or sooner (the diagram's strip).
    pub next_due: Option<Time>,
    /// Until when a message is in flight (its arrival; `Time::MAX` for one held for the
    /// learner). After it, until the next event, nothing moves: the loop skips ahead.
    pub busy_until: Time,
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
    /// How many times faster than the set speed time now runs (1: not skipping).
    boost: f64,
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
                VIRTUAL_US_PER_REAL_MS * l.pace.speed * l.boost.max(1.0)
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
            {
                let mut l = shared.borrow_mut();
                l.boost = 1.0;
                l.painter.quiet(false);
                l.last = Some(real_now());
            }
            if *playing {
                let step = if *reduced {
                    REDUCED_MOTION_STEP_MS
                } else {
                    0.0
                };
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

/// In a quiet stretch (nothing in flight, the next event far off) time runs up to this many
/// times faster than the set speed...
const QUIET_BOOST: f64 = 20.0;
/// ...until this much real time (at the set speed) before the next event, which the learner
/// then sees coming at the pace they chose.
const QUIET_LEAD_MS: f64 = 600.0;

/// Real milliseconds at the set speed that `dt` real milliseconds at virtual time `t` play:
/// `dt`, or up to [`QUIET_BOOST`] times more in a quiet stretch, never past the lead before
/// the next event (or the end); none while a message waits for the learner.
fn played(pace: &Pace, t: Time, dt: f64) -> f64 {
    // A message held for the learner ("you are the network"): the clock waits for them.
    if pace.busy_until == Time::MAX {
        return 0.0;
    }
    let rate = VIRTUAL_US_PER_REAL_MS * pace.speed;
    if t < pace.busy_until || rate <= 0.0 {
        return dt;
    }
    let next = pace.next_event.unwrap_or(pace.until).min(pace.until);
    let skip_to = next.saturating_sub((QUIET_LEAD_MS * rate) as Time);
    if skip_to <= t {
        return dt;
    }
    (dt * QUIET_BOOST).min(dt + (skip_to - t) as f64 / rate)
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
        let add = if step > 0.0 {
            dt
        } else {
            played(&l.pace, l.now(), dt)
        };
        let owed = l.unplayed.get() + add;
        l.unplayed.set(owed);
        let t = l.now();
        // Skipping starts or stops: the browser's animations follow, and the page says so.
        let boost = if dt > 0.0 { (add / dt).max(1.0) } else { 1.0 };
        if (boost > 1.0) != (l.boost > 1.0) {
            l.boost = boost;
            let rate = VIRTUAL_US_PER_REAL_MS * l.pace.speed * boost;
            l.painter.pace(t, rate);
            l.painter.quiet(boost > 1.0);
        }
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
            // Real time until the next event (or the end), skipping or not.
            let rate = VIRTUAL_US_PER_REAL_MS * l.pace.speed * l.boost.max(1.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pace(busy_until: Time, next_event: Option<Time>) -> Pace {
        Pace {
            playing: true,
            playhead: 0,
            next_event,
            next_due: next_event,
            busy_until,
            until: 1_000_000,
            speed: 1.0,
        }
    }

    #[test]
    fn a_quiet_stretch_is_skipped_up_to_a_lead_before_the_next_event() {
        // Nothing in flight, the next event 150 ms away (15 s of real time at 1×): 20 times
        // faster...
        let p = pace(0, Some(150_000));
        assert_eq!(played(&p, 10_000, 16.0), 16.0 * QUIET_BOOST);
        // ...but never past 600 real ms (6 virtual ms) before the event...
        let lead = (QUIET_LEAD_MS * VIRTUAL_US_PER_REAL_MS) as Time;
        let near = 150_000 - lead - 100;
        assert_eq!(played(&p, near, 16.0), 16.0 + 10.0);
        // ...and not at all within the lead, or while a message flies.
        assert_eq!(played(&p, 150_000 - lead, 16.0), 16.0);
        assert_eq!(played(&pace(20_000, Some(150_000)), 10_000, 16.0), 16.0);
        // With no event left, the stretch runs to the end.
        assert_eq!(played(&pace(0, None), 10_000, 16.0), 16.0 * QUIET_BOOST);
        // A message held for the learner stops the clock.
        assert_eq!(played(&pace(Time::MAX, Some(150_000)), 10_000, 16.0), 0.0);
    }
}
