//! # Delegated proof of stake
//!
//! The catalogue's `dpos` runs the ledger's state machine ([`super::Blockchain`]) with
//! [`super::Rule::Delegated`]: holders vote with their stake for a few delegates, who produce
//! blocks in turn, one per slot, and a delegate that misses its slot is voted out. The family's
//! essay tells the whole story; the preset here runs rounds and replaces a delegate.

mod algorithm;
pub use algorithm::Entry;
