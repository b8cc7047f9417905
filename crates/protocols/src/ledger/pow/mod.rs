//! # Proof of work
//!
//! The catalogue's `pow` runs the ledger's state machine ([`super::Blockchain`]) with
//! [`super::Rule::Work`]: every node races to solve a puzzle, a timer drawn from its hash power
//! and the difficulty, and whoever solves it first writes the next block. The family's essay
//! tells the whole story; the presets here transfer coins, fork the chain with an easy puzzle
//! and let an attacker with most of the hash power undo a payment.

mod algorithm;
pub use algorithm::Entry;
