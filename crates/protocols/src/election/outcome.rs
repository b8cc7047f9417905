//! The verdict every election protocol reports: who leads at the end, how often leadership
//! changed, and every win.

use super::ElectionEvent;
use clusterplay_sim::{to_ms, NodeId, Protocol, Time};
use clusterplay_view::RunView;
use serde::Serialize;

/// What `clusterplay run` prints of an election and the metrics panel lists: Bully's whole
/// outcome, and the part Raft's and ZAB's share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElectionOutcome {
    /// The live leader at the end, by node number; if several believe they lead, the one with
    /// the highest term (Raft), epoch (ZAB) or priority (Bully). `null` when nobody leads.
    pub leader: Option<u32>,
    /// That leader's term (Raft) or epoch (ZAB); `null` when nobody leads, and always for
    /// Bully, which has no terms.
    pub term: Option<u64>,
    /// How many elections were won by a node other than the previous winner.
    pub leader_changes: u32,
    /// How many campaigns were started: a node standing as candidate or calling an election.
    pub elections: u32,
    /// When the first leader was elected; `null` while none has been.
    pub first_leader_ms: Option<f64>,
    /// Every election won, in order.
    pub wins: Vec<ElectionWin>,
}

/// One election won.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ElectionWin {
    /// The node that became leader.
    pub node: u32,
    /// The term (Raft) or epoch (ZAB) it won; 0 for Bully.
    pub term: u64,
    /// When it became leader.
    pub at_ms: f64,
}

impl ElectionOutcome {
    /// The outcome of a run, given who leads at its end and in which term, where terms exist.
    pub fn of<P>(run: &RunView<'_, P>, leader: Option<NodeId>, term: Option<u64>) -> Self
    where
        P: Protocol<Observation = ElectionEvent>,
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
                    wins.push(ElectionWin {
                        node: o.node.number(),
                        term,
                        at_ms: to_ms(o.time),
                    });
                }
                ElectionEvent::SteppedDown { .. } | ElectionEvent::Write { .. } => {}
            }
        }
        ElectionOutcome {
            leader: leader.map(NodeId::number),
            term,
            leader_changes: changes,
            elections: campaigns,
            first_leader_ms: first.map(to_ms),
            wins,
        }
    }
}
