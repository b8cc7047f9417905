//! # Raft's log replication
//!
//! The catalogue's `raft-log` runs the state machine of [`crate::election::raft`], whose essay
//! tells the whole story: a leader elected as in Raft's election appends each client write to
//! its log, repairs followers whose logs disagree, and commits an entry of its own term once a
//! majority holds it. Only the presets differ: they send writes, crash leaders holding
//! uncommitted entries and replay the Raft paper's Figure 8, with and without its rule.

mod algorithm;
pub use algorithm::Entry;
