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

use clusterplay_sim::{to_ms, NodeId, RunView, Time};
use serde_json::json;

/// What the election outcome is built from.
#[derive(Clone, Debug, PartialEq)]
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

/// The outcome shared by the election protocols: `leader` and `term` (the live leader with the
/// highest term at the end, if any), `leader_changes` (elections won by a node other than the
/// previous winner), `elections` (campaigns started), `first_leader_ms`, and every win.
pub fn outcome<P>(run: &RunView<'_, P>, leader_now: Option<(NodeId, u64)>) -> serde_json::Value
where
    P: clusterplay_sim::Protocol<Observation = ElectionEvent>,
{
    let mut wins = Vec::new();
    let mut changes = 0;
    let mut last: Option<NodeId> = None;
    let mut campaigns = 0;
    let mut first: Option<Time> = None;
    for o in run.observations {
        match o.what {
            ElectionEvent::Campaign { .. } => campaigns += 1,
            ElectionEvent::Elected { term } => {
                if last.is_some_and(|l| l != o.node) {
                    changes += 1;
                }
                last = Some(o.node);
                first.get_or_insert(o.time);
                wins.push(json!({"node": o.node.number(), "term": term, "at_ms": to_ms(o.time)}));
            }
            ElectionEvent::SteppedDown { .. } | ElectionEvent::Write { .. } => {}
        }
    }
    json!({
        "leader": leader_now.map(|(n, _)| n.number()),
        "term": leader_now.map(|(_, t)| t),
        "leader_changes": changes,
        "elections": campaigns,
        "first_leader_ms": first.map(to_ms),
        "wins": wins,
    })
}
