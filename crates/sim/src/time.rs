//! Virtual time.
//!
//! Time is an integer count of microseconds since the start of the run. Integers, not floats,
//! so that the same scenario orders its events identically on every machine; microseconds, so
//! that a learner's click between two events that are a fraction of a millisecond apart still
//! has a place of its own.

/// A point in virtual time, in microseconds since the run started.
pub type Time = u64;
/// A length of virtual time, in microseconds.
pub type Span = u64;

pub const MICROS_PER_MS: u64 = 1_000;

/// Milliseconds (as people write them) to microseconds.
pub const fn ms(ms: u64) -> Span {
    ms * MICROS_PER_MS
}

/// Microseconds to milliseconds, for display and JSON output.
pub fn to_ms(t: Time) -> f64 {
    t as f64 / MICROS_PER_MS as f64
}
