//! Who makes the engine's choices.
//!
//! Every nondeterministic choice of a run goes through a [`Scheduler`]: how long a message
//! takes, whether it is lost or duplicated, where in its range a timer falls, and which of the
//! enabled events happens next. The seeded scheduler makes them from the scenario's seed, so a
//! run is a pure function of its scenario; a learner delivering messages by hand, or an
//! explorer enumerating every interleaving, are other schedulers driving the same engine.

use crate::rng::SimRng;
use crate::{Key, Latency, Span};

/// A choice-maker. `Clone` because snapshots keep it alongside the world.
pub trait Scheduler: Clone {
    /// Latency of one message within the link's bounds.
    fn latency(&mut self, bounds: Latency) -> Span;
    /// Whether a message is lost, given the loss probability in ppm.
    fn lose(&mut self, ppm: u32) -> bool;
    /// Whether a message is duplicated, given the duplication probability in ppm.
    fn duplicate(&mut self, ppm: u32) -> bool;
    /// Delay of a timer asked for with range `lo..=hi`.
    fn timer(&mut self, lo: Span, hi: Span) -> Span;
    /// Which pending event happens next, given the agenda in `(time, class, sequence)` order.
    /// Timed play takes the earliest; a learner delivering by hand or an explorer may take any,
    /// and virtual time then moves to that event's time if it lies ahead.
    fn next_event(&mut self, agenda: &mut dyn Iterator<Item = Key>) -> Option<Key> {
        agenda.next()
    }
}

/// Makes every choice from a seeded ChaCha8 stream: normal play. Given a schedule, it first
/// takes the pending events it names, one per step, by their place in the agenda: how an
/// interleaving the explorer found is replayed; then it goes on in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeededScheduler {
    rng: SimRng,
    schedule: Vec<u32>,
    taken: usize,
}

impl SeededScheduler {
    pub fn new(seed: u64) -> Self {
        SeededScheduler::with_schedule(seed, Vec::new())
    }

    pub fn with_schedule(seed: u64, schedule: Vec<u32>) -> Self {
        SeededScheduler {
            rng: SimRng::seeded(seed),
            schedule,
            taken: 0,
        }
    }

    /// Add one place to the schedule.
    pub(crate) fn push(&mut self, place: u32) {
        self.schedule.push(place);
    }

    /// The generator itself, for choices a protocol-independent fault injector makes.
    pub fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }
}

impl Scheduler for SeededScheduler {
    fn latency(&mut self, bounds: Latency) -> Span {
        self.rng.between(bounds.min, bounds.max)
    }

    fn lose(&mut self, ppm: u32) -> bool {
        self.rng.chance(ppm)
    }

    fn duplicate(&mut self, ppm: u32) -> bool {
        self.rng.chance(ppm)
    }

    fn timer(&mut self, lo: Span, hi: Span) -> Span {
        self.rng.between(lo, hi)
    }

    /// The scheduled place while the schedule lasts (the earliest event if that place is
    /// empty), then the earliest.
    fn next_event(&mut self, agenda: &mut dyn Iterator<Item = Key>) -> Option<Key> {
        let Some(&place) = self.schedule.get(self.taken) else {
            return agenda.next();
        };
        self.taken += 1;
        let first = agenda.next();
        match place {
            0 => first,
            _ => agenda.nth(place as usize - 1).or(first),
        }
    }
}
