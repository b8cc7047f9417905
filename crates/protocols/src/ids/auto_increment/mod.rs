//! # Database auto-increment
//!
//! The catalogue's `auto-increment` runs the id generators' state machine ([`super::Ids`])
//! with [`super::Scheme::AutoIncrement`]: each database instance counts from its offset by a
//! common step. The family's essay tells the whole story; the preset here gives two instances
//! offsets 1 and 2 with step 2, odd and even, which never collide.

mod algorithm;
pub use algorithm::Entry;
