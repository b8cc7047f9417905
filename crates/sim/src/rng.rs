//! The engine's only source of randomness.
//!
//! ChaCha8 is specified bit for bit, so a seed yields the same stream on x86-64 and in wasm32.
//! Sampling is done here with integer arithmetic only (Lemire's multiply-and-reject), because
//! the distribution helpers of general-purpose crates do not promise to stay value-stable across
//! releases, and share links must replay identically for years.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng as _, SeedableRng};

/// Parts per million: the unit of every probability in the engine.
pub const PPM: u32 = 1_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRng(ChaCha8Rng);

impl SimRng {
    pub fn seeded(seed: u64) -> Self {
        SimRng(ChaCha8Rng::seed_from_u64(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(width) => lo + self.below(width),
            None => self.next_u64(),
        }
    }

    /// True with probability `ppm / 1_000_000`.
    pub fn chance(&mut self, ppm: u32) -> bool {
        ppm > 0 && (ppm >= PPM || self.below(u64::from(PPM)) < u64::from(ppm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_pinned() {
        // If this changes, every share link ever made replays differently.
        let mut r = SimRng::seeded(42);
        let drawn: Vec<u64> = (0..4).map(|_| r.between(150, 300)).collect();
        assert_eq!(drawn, PINNED);
    }
    const PINNED: [u64; 4] = [252, 293, 214, 244];

    #[test]
    fn bounds_hold() {
        let mut r = SimRng::seeded(7);
        for _ in 0..10_000 {
            let x = r.between(5, 9);
            assert!((5..=9).contains(&x));
        }
        assert!(!r.chance(0));
        assert!(r.chance(PPM));
        assert_eq!(r.between(3, 3), 3);
        let _ = r.between(0, u64::MAX);
    }
}
