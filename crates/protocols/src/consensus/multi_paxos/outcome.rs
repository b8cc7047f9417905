//! Multi-Paxos's verdict: the leader, the chosen log, and what each value cost once phase 1
//! was done.

use super::{Ballot, Event, MultiPaxos, Role};
use crate::consensus::majority;
use clusterplay_sim::{to_ms, NodeId, Time};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What `clusterplay run` prints of a Multi-Paxos run and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultiPaxosOutcome {
    /// The live leader with the highest ballot at the end, by node number; `null` if none.
    pub leader: Option<u32>,
    /// Its ballot, `round.node`.
    pub ballot: Option<String>,
    /// How many times a node started phase 1 (sent Prepare).
    pub phase1_runs: usize,
    /// Every time a node finished phase 1 and began to lead, in order.
    pub leaderships: Vec<Leadership>,
    /// How many client values entered a leader's log.
    pub client_values: usize,
    /// Each chosen slot, in slot order: the first value a majority of acceptors accepted
    /// there.
    pub chosen: Vec<ChosenSlot>,
    /// The chosen values alone, in slot order: the log everyone agrees on.
    pub log: Vec<String>,
    /// Prepare and Promise messages: the cost of phase 1.
    pub phase1_messages: usize,
    /// Accept and Accepted messages: the round trips of phase 2.
    pub accept_messages: usize,
    /// Phase 2 messages per client value; `null` before the first value.
    pub messages_per_value: Option<f64>,
    /// The cost of one value once phase 1 is done, as a formula for this cluster.
    pub formula: String,
    /// The same in Chinese.
    pub formula_zh: String,
    /// Its value, 2(n−1), to compare with `messages_per_value`.
    pub formula_value: usize,
    /// What each node knows is chosen, in node order.
    pub logs: Vec<NodeLog>,
}

/// A node that began to lead.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Leadership {
    /// The new leader.
    pub node: u32,
    /// The ballot its phase 1 won, `round.node`.
    pub ballot: String,
    /// When it began to lead.
    pub at_ms: f64,
}

/// A slot whose value was chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChosenSlot {
    /// The slot, from 1.
    pub slot: u64,
    /// The value chosen there (a client value or a new leader's no-op).
    pub value: String,
    /// The ballot under which a majority accepted it, `round.node`.
    pub ballot: String,
    /// When that majority was reached.
    pub at_ms: f64,
}

/// One node's knowledge of the chosen log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeLog {
    /// The node.
    pub node: u32,
    /// Whether it is up.
    pub up: bool,
    /// The chosen values it knows, in slot order (gaps left out).
    pub chosen: Vec<String>,
    /// The highest slot such that it and every slot before it are known chosen.
    pub commit: u64,
}

impl MultiPaxosOutcome {
    /// The outcome of a Multi-Paxos run.
    pub fn of(run: &RunView<'_, MultiPaxos>) -> Self {
        let n = run.nodes.len();
        let mut by: BTreeMap<(u64, Ballot, &str), BTreeSet<NodeId>> = BTreeMap::new();
        let mut chosen: BTreeMap<u64, (&str, Ballot, Time)> = BTreeMap::new();
        let (mut prepares, mut leaderships, mut values) = (0, Vec::new(), 0);
        for o in run.observations {
            match &o.what {
                Event::Prepare { .. } => prepares += 1,
                Event::Leads { ballot } => leaderships.push(Leadership {
                    node: o.node.number(),
                    ballot: ballot.to_string(),
                    at_ms: to_ms(o.time),
                }),
                Event::Client { .. } => values += 1,
                Event::Accepted {
                    slot,
                    ballot,
                    value,
                } => {
                    let set = by.entry((*slot, *ballot, value.as_str())).or_default();
                    set.insert(o.node);
                    if set.len() >= majority(n) {
                        chosen.entry(*slot).or_insert((value, *ballot, o.time));
                    }
                }
            }
        }
        let count = |kind: &str| run.messages.iter().filter(|m| m.kind == kind).count();
        let round_trip = count("accept") + count("accepted");
        let leader = run
            .nodes
            .iter()
            .filter(|s| s.up)
            .filter_map(|s| match s.state.role {
                Role::Leader { ballot, .. } => Some((ballot, s.id)),
                _ => None,
            })
            .max();
        MultiPaxosOutcome {
            leader: leader.map(|(_, id)| id.number()),
            ballot: leader.map(|(b, _)| b.to_string()),
            phase1_runs: prepares,
            leaderships,
            client_values: values,
            chosen: chosen
                .iter()
                .map(|(slot, (v, b, t))| ChosenSlot {
                    slot: *slot,
                    value: v.to_string(),
                    ballot: b.to_string(),
                    at_ms: to_ms(*t),
                })
                .collect(),
            log: chosen.values().map(|(v, _, _)| v.to_string()).collect(),
            phase1_messages: count("prepare") + count("promise"),
            accept_messages: round_trip,
            messages_per_value: (values > 0).then(|| round_trip as f64 / values as f64),
            formula: format!(
                "2(n−1) = {} messages per value once phase 1 is done",
                2 * (n - 1)
            ),
            formula_zh: format!("阶段一完成后每个值 2(n−1) = {} 条消息", 2 * (n - 1)),
            formula_value: 2 * (n - 1),
            logs: run
                .nodes
                .iter()
                .map(|s| NodeLog {
                    node: s.id.number(),
                    up: s.up,
                    chosen: s.state.chosen.values().cloned().collect(),
                    commit: s.state.commit(),
                })
                .collect(),
        }
    }
}
