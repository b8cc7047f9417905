//! Paxos's verdict: which value was chosen, when, and what every proposer, acceptor and learner
//! did on the way.

use super::{Event, Paxos, Proposal};
use clusterplay_sim::{to_ms, NodeId, Time};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What `clusterplay run` prints of a Paxos run and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaxosOutcome {
    /// The chosen value; `null` while no value is chosen.
    pub chosen: Option<u64>,
    /// The first proposal [n, v] a majority of acceptors accepted: the moment its value was
    /// chosen, whether or not anybody knew yet.
    pub chosen_proposal: Option<Proposal>,
    /// When that majority was reached.
    pub chosen_at_ms: Option<f64>,
    /// From the first proposer's first prepare to the value being chosen.
    pub time_to_choose_ms: Option<f64>,
    /// Each acceptor, in node order, with what it promised and accepted.
    pub acceptors: Vec<AcceptorOutcome>,
    /// Each proposer, in the order the scenario lists them, with its rounds.
    pub proposers: Vec<ProposerOutcome>,
    /// How many rounds were refused, over all proposers.
    pub refused_rounds: usize,
    /// Every node that has learned the chosen value, in node order.
    pub learned: Vec<LearnerOutcome>,
}

/// An acceptor at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AcceptorOutcome {
    /// The acceptor's node.
    pub node: u32,
    /// Its display name ("X", "Y"…).
    pub name: String,
    /// Whether it is up.
    pub up: bool,
    /// The highest proposal number it promised (0: none).
    pub promised: u64,
    /// The proposal it last accepted; `null` if none.
    pub accepted: Option<Proposal>,
}

/// A proposer and its rounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProposerOutcome {
    /// The proposer's node.
    pub node: u32,
    /// Its display name ("A", "B"…).
    pub name: String,
    /// The value it proposes when no acceptor has accepted anything.
    pub value: u64,
    /// How many rounds (prepares) it started.
    pub rounds: usize,
    /// The proposal number of each round, in order.
    pub numbers: Vec<u64>,
    /// Each Accept it sent after a majority of promises, in order.
    pub accepts_sent: Vec<AcceptSent>,
    /// How many of its rounds were refused.
    pub refused: usize,
}

/// An Accept [n, v] a proposer sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AcceptSent {
    /// The proposal number.
    pub n: u64,
    /// The value.
    pub v: u64,
    /// Whether the value came from a promise (an acceptor had accepted it) rather than being
    /// the proposer's own.
    pub adopted: bool,
}

/// A node that learned the chosen value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LearnerOutcome {
    /// The learner's node.
    pub node: u32,
    /// Its display name.
    pub name: String,
    /// The value it learned was chosen.
    pub value: u64,
}

impl PaxosOutcome {
    /// The outcome of a run of `paxos`.
    pub fn of(paxos: &Paxos, run: &RunView<'_, Paxos>) -> Self {
        let mut by: BTreeMap<Proposal, BTreeSet<NodeId>> = BTreeMap::new();
        let mut chosen: Option<(Proposal, Time)> = None;
        let mut first_round: Option<Time> = None;
        for o in run.observations {
            match o.what {
                Event::Round { .. } => {
                    first_round.get_or_insert(o.time);
                }
                Event::Accepted { n, v } if chosen.is_none() => {
                    let p = Proposal { n, v };
                    let set = by.entry(p).or_default();
                    set.insert(o.node);
                    if set.len() >= paxos.quorum() {
                        chosen = Some((p, o.time));
                    }
                }
                _ => {}
            }
        }
        let acceptors = paxos
            .acceptors
            .iter()
            .filter_map(|a| run.nodes.get(a.index()))
            .map(|slot| AcceptorOutcome {
                node: slot.id.number(),
                name: paxos.name(slot.id),
                up: slot.up,
                promised: slot.state.promised,
                accepted: slot.state.accepted,
            })
            .collect();
        let proposers = paxos
            .proposers
            .iter()
            .map(|c| {
                let mine = || run.observations.iter().filter(|o| o.node == c.node);
                let numbers: Vec<u64> = mine()
                    .filter_map(|o| match o.what {
                        Event::Round { n } => Some(n),
                        _ => None,
                    })
                    .collect();
                ProposerOutcome {
                    node: c.node.number(),
                    name: paxos.name(c.node),
                    value: c.value,
                    rounds: numbers.len(),
                    numbers,
                    accepts_sent: mine()
                        .filter_map(|o| match o.what {
                            Event::Propose { n, v, adopted } => Some(AcceptSent { n, v, adopted }),
                            _ => None,
                        })
                        .collect(),
                    refused: mine()
                        .filter(|o| matches!(o.what, Event::Refused { .. }))
                        .count(),
                }
            })
            .collect();
        let learned = run
            .nodes
            .iter()
            .filter_map(|n| {
                n.state.learned.map(|value| LearnerOutcome {
                    node: n.id.number(),
                    name: paxos.name(n.id),
                    value,
                })
            })
            .collect();
        PaxosOutcome {
            chosen: chosen.map(|(p, _)| p.v),
            chosen_proposal: chosen.map(|(p, _)| p),
            chosen_at_ms: chosen.map(|(_, t)| to_ms(t)),
            time_to_choose_ms: chosen.zip(first_round).map(|((_, t), s)| to_ms(t - s)),
            acceptors,
            proposers,
            refused_rounds: run
                .observations
                .iter()
                .filter(|o| matches!(o.what, Event::Refused { .. }))
                .count(),
            learned,
        }
    }
}
