//! The consensus family's parameters: who proposes what with which first number, who accepts,
//! who leads, backoffs and timeouts, checked before anything runs.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::consensus::multi_paxos::MultiPaxos;
use clusterplay_protocols::consensus::paxos::{Paxos, ProposerConfig};
use clusterplay_sim::{NodeId, Span};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Longest node name: it is drawn under the node.
const MAX_NAME: usize = 12;
/// Largest proposal number or stride a scenario may start with: far from overflow however long
/// proposers duel.
const MAX_NUMBER: u64 = 1_000_000_000;

fn span(what: &str, ms: f64) -> Result<Span, ScenarioError> {
    let us = micros(what, ms, MAX_LATENCY_MS)?;
    if us == 0 {
        return Err(ScenarioError::invalid(what, "must be above 0 ms"));
    }
    Ok(us)
}

fn range(what: &str, ms: [f64; 2]) -> Result<(Span, Span), ScenarioError> {
    let lo = micros(what, ms[0], MAX_LATENCY_MS)?;
    let hi = micros(what, ms[1], MAX_LATENCY_MS)?;
    if lo > hi || hi == 0 {
        return Err(ScenarioError::invalid(
            what,
            "must be a range [min, max] with 0 ≤ min ≤ max and max above 0",
        ));
    }
    Ok((lo, hi))
}

fn node(what: &str, id: NodeId, c: &Checked) -> Result<NodeId, ScenarioError> {
    if id.index() >= c.nodes {
        return Err(ScenarioError::invalid(
            what,
            format!("names node {id}, but the cluster has {} nodes", c.nodes),
        ));
    }
    Ok(id)
}

fn names(names: Vec<String>, c: &Checked) -> Result<Vec<String>, ScenarioError> {
    if names.len() > c.nodes {
        return Err(ScenarioError::invalid(
            "params.names",
            format!("has {} names for {} nodes", names.len(), c.nodes),
        ));
    }
    if let Some(n) = names.iter().find(|n| n.chars().count() > MAX_NAME) {
        return Err(ScenarioError::invalid(
            "params.names",
            format!(
                "holds \"{}…\"; a name has at most {MAX_NAME} characters",
                n.chars().take(MAX_NAME).collect::<String>()
            ),
        ));
    }
    Ok(names)
}

/// The acceptors: the listed nodes, or every node.
fn acceptors(list: Option<Vec<NodeId>>, c: &Checked) -> Result<Vec<NodeId>, ScenarioError> {
    let Some(list) = list else {
        return Ok((0..c.nodes).map(NodeId::from_index).collect());
    };
    let mut set = BTreeSet::new();
    for (i, a) in list.into_iter().enumerate() {
        let a = node(&format!("params.acceptors[{i}]"), a, c)?;
        if !set.insert(a) {
            return Err(ScenarioError::invalid(
                "params.acceptors",
                format!("lists node {a} twice"),
            ));
        }
    }
    if set.is_empty() {
        return Err(ScenarioError::invalid(
            "params.acceptors",
            "is empty; Paxos needs at least one acceptor",
        ));
    }
    Ok(set.into_iter().collect())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposerParams {
    node: NodeId,
    /// The value it proposes if no acceptor has accepted one.
    value: u64,
    /// Its first proposal number.
    n: u64,
    /// When it starts on its own; absent: only when told to (`propose`).
    #[serde(default)]
    start_ms: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaxosParams {
    #[serde(default = "default_proposers")]
    proposers: Vec<ProposerParams>,
    /// Absent: every node accepts.
    #[serde(default)]
    acceptors: Option<Vec<NodeId>>,
    #[serde(default = "default_stride")]
    stride: u64,
    #[serde(default = "default_backoff")]
    backoff_ms: [f64; 2],
    #[serde(default = "default_round_timeout")]
    round_timeout_ms: f64,
    #[serde(default)]
    names: Vec<String>,
}

fn default_proposers() -> Vec<ProposerParams> {
    vec![ProposerParams {
        node: NodeId::from_index(0),
        value: 1,
        n: 1,
        start_ms: Some(0.0),
    }]
}

fn default_stride() -> u64 {
    10
}

fn default_backoff() -> [f64; 2] {
    [20.0, 60.0]
}

fn default_round_timeout() -> f64 {
    200.0
}

pub(super) fn paxos(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: PaxosParams = params(s)?;
    if !(2..=MAX_NUMBER).contains(&p.stride) {
        return Err(ScenarioError::invalid(
            "params.stride",
            format!("is {}; it must be 2 to {MAX_NUMBER}", p.stride),
        ));
    }
    if p.proposers.is_empty() {
        return Err(ScenarioError::invalid(
            "params.proposers",
            "is empty; somebody has to propose",
        ));
    }
    let mut proposers: Vec<ProposerConfig> = Vec::new();
    for (i, q) in p.proposers.into_iter().enumerate() {
        let what = format!("params.proposers[{i}]");
        let id = node(&format!("{what}.node"), q.node, &c)?;
        if !(1..=MAX_NUMBER).contains(&q.n) {
            return Err(ScenarioError::invalid(
                format!("{what}.n"),
                format!("is {}; a proposal number is 1 to {MAX_NUMBER}", q.n),
            ));
        }
        if let Some(other) = proposers.iter().find(|o| o.node == id) {
            return Err(ScenarioError::invalid(
                &what,
                format!("makes node {} a proposer twice", other.node),
            ));
        }
        if let Some(other) = proposers
            .iter()
            .find(|o| o.first % p.stride == q.n % p.stride)
        {
            return Err(ScenarioError::invalid(
                format!("{what}.n"),
                format!(
                    "is {}, which leaves the same remainder modulo the stride {} as node {}'s {}: \
                     their proposal numbers could collide",
                    q.n, p.stride, other.node, other.first
                ),
            ));
        }
        let start = q
            .start_ms
            .map(|ms| micros(&format!("{what}.start_ms"), ms, MAX_LATENCY_MS))
            .transpose()?;
        proposers.push(ProposerConfig {
            node: id,
            value: q.value,
            first: q.n,
            start,
        });
    }
    let protocol = Paxos {
        proposers,
        acceptors: acceptors(p.acceptors, &c)?,
        stride: p.stride,
        backoff: range("params.backoff_ms", p.backoff_ms)?,
        round_timeout: span("params.round_timeout_ms", p.round_timeout_ms)?,
        names: names(p.names, &c)?,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MultiPaxosParams {
    /// The distinguished proposer that runs phase 1 at the start; node 1 unless given.
    #[serde(default)]
    leader: Option<NodeId>,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: [f64; 2],
}

fn default_heartbeat() -> f64 {
    50.0
}

fn default_leader_timeout() -> [f64; 2] {
    [150.0, 300.0]
}

pub(super) fn multi_paxos(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: MultiPaxosParams = params(s)?;
    let leader = node(
        "params.leader",
        p.leader.unwrap_or(NodeId::from_index(0)),
        &c,
    )?;
    let leader_timeout = range("params.leader_timeout_ms", p.leader_timeout_ms)?;
    if leader_timeout.0 == 0 {
        return Err(ScenarioError::invalid(
            "params.leader_timeout_ms",
            "must start above 0 ms",
        ));
    }
    let protocol = MultiPaxos {
        leader,
        heartbeat: span("params.heartbeat_ms", p.heartbeat_ms)?,
        leader_timeout,
    };
    start(s, c, protocol)
}
