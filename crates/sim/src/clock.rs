//! Each node's local clock.
//!
//! Virtual time is the truth nobody in the cluster can read. A node reads its own clock, which
//! starts off by an *offset*, runs fast or slow by a *drift* (parts per million), and can *jump*
//! when someone (an operator, NTP) sets it. Leases break exactly here: a holder measures its
//! lease on one clock and the lock service on another. Timers run on the local clock too: a
//! timer of span d fires once the node's own clock has advanced by d, so a fast clock fires it
//! early in virtual time and a jump forward fires it at once.

use crate::Time;

/// Ppm is parts per million: a drift of 1 000 000 ppm would make a clock run twice as fast.
const PPM: i128 = 1_000_000;

/// The steepest drift allowed either way: a clock may run half as fast or one and a half times
/// as fast as virtual time, never stop or run backwards.
pub const MAX_DRIFT_PPM: i32 = 500_000;

/// How a node's clock is set when the run starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Clock {
    /// What the clock reads at virtual time 0, in microseconds (may be negative: behind).
    pub offset: i64,
    /// How much faster (positive) or slower (negative) than virtual time it runs, in ppm;
    /// clamped to ±[`MAX_DRIFT_PPM`].
    pub drift_ppm: i32,
}

/// A running local clock: it read `base_local` at virtual time `base_virtual` and has run at
/// its drift since. A jump sets a new base, so drift never compounds a jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct LocalClock {
    drift_ppm: i32,
    base_virtual: Time,
    base_local: i64,
}

impl LocalClock {
    pub(crate) fn new(clock: Clock) -> Self {
        LocalClock {
            drift_ppm: clock.drift_ppm.clamp(-MAX_DRIFT_PPM, MAX_DRIFT_PPM),
            base_virtual: 0,
            base_local: clock.offset,
        }
    }

    fn rate(&self) -> i128 {
        PPM + i128::from(self.drift_ppm)
    }

    /// What the clock reads at virtual time `t` (not before its base).
    pub(crate) fn read(&self, t: Time) -> i64 {
        let elapsed = i128::from(t.saturating_sub(self.base_virtual));
        let local = i128::from(self.base_local) + (elapsed * self.rate()).div_euclid(PPM);
        local.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// The earliest virtual time at which the clock reads `target` or more.
    pub(crate) fn when(&self, target: i64) -> Time {
        let to_go = i128::from(target) - i128::from(self.base_local);
        if to_go <= 0 {
            return self.base_virtual;
        }
        // read(base + x) >= target  ⟺  ⌊x·rate/PPM⌋ >= to_go  ⟺  x >= ⌈to_go·PPM/rate⌉.
        let rate = self.rate();
        let x = (to_go * PPM + rate - 1) / rate;
        let t = i128::from(self.base_virtual) + x;
        t.min(i128::from(Time::MAX)) as Time
    }

    /// Set the clock `by` microseconds forward (or back) at virtual time `now`.
    pub(crate) fn jump(&mut self, now: Time, by: i64) {
        self.base_local = self.read(now).saturating_add(by);
        self.base_virtual = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_clock_is_virtual_time() {
        let c = LocalClock::new(Clock::default());
        assert_eq!(c.read(12_345), 12_345);
        assert_eq!(c.when(12_345), 12_345);
    }

    #[test]
    fn drift_and_offset_read_and_invert_exactly() {
        let c = LocalClock::new(Clock {
            offset: -500,
            drift_ppm: 250_000,
        });
        assert_eq!(c.read(0), -500);
        assert_eq!(c.read(1_000), 750);
        for target in [-500, -1, 0, 1, 749, 750, 751, 1_000_000] {
            let t = c.when(target);
            assert!(c.read(t) >= target, "{target}");
            assert!(t == 0 || c.read(t - 1) < target, "{target}");
        }
    }

    #[test]
    fn a_jump_moves_the_reading_and_keeps_the_rate() {
        let mut c = LocalClock::new(Clock {
            offset: 0,
            drift_ppm: -500_000,
        });
        c.jump(1_000, 300);
        assert_eq!(c.read(1_000), 800);
        assert_eq!(c.read(3_000), 1_800);
        assert_eq!(c.when(1_800), 3_000);
    }
}
