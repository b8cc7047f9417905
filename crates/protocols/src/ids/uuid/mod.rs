//! # UUID
//!
//! The catalogue's `uuid` runs the id generators' state machine ([`super::Ids`]) with
//! [`super::Scheme::Uuid`]: 128-bit ids whose "random" bits are drawn from the scenario's seed,
//! for contrast with the schemes that repeat ids. The family's essay tells the whole story; it
//! has no presets of its own.

mod algorithm;
pub use algorithm::Entry;
