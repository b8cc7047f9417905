//! # Proof of stake
//!
//! The catalogue's `pos` runs the ledger's state machine ([`super::Blockchain`]) with
//! [`super::Rule::Stake`]: coin age replaces work, and a node's daily chance to write the next
//! block follows the coin-days it holds. The family's essay tells the whole story; the presets
//! here show coin age rising and being spent, and stake concentrating in the richest hands.

mod algorithm;
pub use algorithm::Entry;
