//! Raft's verdict, for its elections and its log replication (the catalogue's `raft-log`).

use super::{Raft, State};
use crate::election::{ElectionEvent, ElectionOutcome};
use clusterplay_sim::NodeSlot;
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What `clusterplay run` prints of a Raft run and the metrics panel lists: the shared election
/// outcome, the split votes, and, once a client has written, what became of the writes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RaftOutcome {
    /// Who leads at the end and in which term, how often leadership changed, every win.
    #[serde(flatten)]
    pub election: ElectionOutcome,
    /// Terms in which somebody stood and nobody won: a split vote, or candidates cut off from
    /// a majority.
    pub split_votes: usize,
    /// The writes and the logs, present only once a leader has taken a client's write.
    #[serde(flatten)]
    pub replication: Option<ReplicationOutcome>,
}

/// What became of the clients' writes, and every node's log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicationOutcome {
    /// Every client write a leader took, in the order they were taken.
    pub writes: Vec<WriteOutcome>,
    /// The highest commit index any node holds (up or down).
    pub commit_index: Option<u64>,
    /// Each node's log and state machine, in node order.
    pub logs: Vec<NodeLog>,
}

/// One client write and its fate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WriteOutcome {
    /// The leader that took it.
    pub node: u32,
    /// Where it went in that leader's log (1-based, as in the paper).
    pub index: u64,
    /// The leader's term: with the index, it names the entry.
    pub term: u64,
    /// The write itself, `key=value`.
    pub write: String,
    /// `committed` once some node has committed that very entry, `failed` once its place holds
    /// another committed entry or no node holds it any more, `pending` otherwise.
    pub status: &'static str,
}

/// One node's log as it stands at the end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeLog {
    /// The node.
    pub node: u32,
    /// Whether it is up.
    pub up: bool,
    /// The term of each entry of its log, in log order.
    pub terms: Vec<u64>,
    /// Its commit index: the entries up to it are committed and applied.
    pub commit: u64,
    /// Its state machine: every committed write applied in log order.
    pub kv: BTreeMap<String, String>,
}

impl RaftOutcome {
    /// The outcome of a Raft run.
    pub fn of(run: &RunView<'_, Raft>) -> Self {
        let leader = run
            .nodes
            .iter()
            .filter(|n| n.up && n.state.is_leader())
            .map(|n| (n.id, n.state.term))
            .max_by_key(|(_, t)| *t);
        let writes = writes(run);
        RaftOutcome {
            election: ElectionOutcome::of(run, leader.map(|(id, _)| id), leader.map(|(_, t)| t)),
            split_votes: split_votes(run),
            replication: (!writes.is_empty()).then(|| ReplicationOutcome {
                writes,
                commit_index: run.nodes.iter().map(|n| n.state.commit).max(),
                logs: run
                    .nodes
                    .iter()
                    .map(|n| NodeLog {
                        node: n.id.number(),
                        up: n.up,
                        terms: n.state.log.iter().map(|e| e.term).collect(),
                        commit: n.state.commit,
                        kv: n
                            .state
                            .kv
                            .iter()
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect(),
                    })
                    .collect(),
            }),
        }
    }
}

/// Terms in which somebody stood and nobody won.
fn split_votes(run: &RunView<'_, Raft>) -> usize {
    let mut stood = BTreeSet::new();
    let mut won = BTreeSet::new();
    for o in run.observations {
        match o.what {
            ElectionEvent::Campaign { term } => {
                stood.insert(term);
            }
            ElectionEvent::Elected { term } => {
                won.insert(term);
            }
            ElectionEvent::SteppedDown { .. } | ElectionEvent::Write { .. } => {}
        }
    }
    stood.difference(&won).count()
}

/// Every client write a leader took, and what became of it.
fn writes(run: &RunView<'_, Raft>) -> Vec<WriteOutcome> {
    run.observations
        .iter()
        .filter_map(|o| match &o.what {
            ElectionEvent::Write { index, term, write } => Some((o, *index, *term, write)),
            _ => None,
        })
        .map(|(o, index, term, write)| {
            let holds = |n: &NodeSlot<State>| n.state.term_at(index) == term;
            let committed_here = run.nodes.iter().filter(|n| n.state.commit >= index);
            let status = if committed_here.clone().any(holds) {
                "committed"
            } else if committed_here.count() > 0 || !run.nodes.iter().any(holds) {
                "failed"
            } else {
                "pending"
            };
            WriteOutcome {
                node: o.node.number(),
                index,
                term,
                write: write.clone(),
                status,
            }
        })
        .collect()
}
