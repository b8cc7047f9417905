//! # Leader election
//!
//! Seed 000 asks how a cluster chooses the node that coordinates the others, and compares three
//! answers: "the eldest wins" (Bully), "democratic vote" (Raft) and "vote with priority" (ZAB).
//! Seeds 001 and 002 describe Raft's timers, terms, votes and split votes in detail.
//!
//! - [`bully`] – the live node with the highest id wins; a returning higher node takes over.
//! - [`raft`] – followers that hear no leader become candidates after a randomized timeout and
//!   ask for votes; one vote per node per term; a majority makes a leader, whose heartbeats keep
//!   everyone else a follower.
//! - [`zab`] – every node votes for itself as (data id, node id) and adopts any better vote it
//!   hears; a quorum behind one vote elects it, so the newest data wins.
//!
//! Every election protocol reports the same outcome: who leads at the end, in which term where
//! terms exist, how often leadership changed, and how long the first election took.

pub mod bully;
pub mod raft;
pub mod zab;

mod outcome;
pub use outcome::{ElectionOutcome, ElectionWin};

/// What the election outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ElectionEvent {
    /// The node started an election (became a candidate) in `term`.
    Campaign { term: u64 },
    /// The node became leader in `term`.
    Elected { term: u64 },
    /// The node stopped being leader (it saw a higher term).
    SteppedDown { term: u64 },
    /// Raft's log replication: the leader appended a client's `write` at `index` in `term`.
    Write {
        index: u64,
        term: u64,
        write: String,
    },
}

/// A leader's heartbeat period unless a scenario says otherwise, in milliseconds.
pub(crate) fn default_heartbeat() -> f64 {
    50.0
}

/// How long a follower of Bully or ZAB waits on a silent leader unless a scenario says
/// otherwise, in milliseconds.
pub(crate) fn default_leader_timeout() -> f64 {
    150.0
}
