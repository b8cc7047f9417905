//! The distributed-transaction family's parameters: each participant's vote (or stock and
//! balance), names, timeouts and retry intervals, checked before anything runs.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::transaction::{
    mq::{self, Mq},
    tcc::Tcc,
    three_phase::ThreePhase,
    two_phase::TwoPhase,
    Vote,
};
use clusterplay_sim::Span;
use serde::Deserialize;

/// Longest participant name: it is drawn under the node.
const MAX_NAME: usize = 24;

fn span(what: &str, ms: f64) -> Result<Span, ScenarioError> {
    let us = micros(what, ms, MAX_LATENCY_MS)?;
    if us == 0 {
        return Err(ScenarioError::invalid(what, "must be above 0 ms"));
    }
    Ok(us)
}

/// Votes and names are given per participant, node 2 first: at most one per participant.
fn per_participant<T>(what: &str, items: &[T], c: &Checked) -> Result<(), ScenarioError> {
    let participants = c.nodes - 1;
    if items.len() > participants {
        return Err(ScenarioError::invalid(
            what,
            format!(
                "has {} entries, but {} nodes have {participants} participants (node 1 coordinates)",
                items.len(),
                c.nodes
            ),
        ));
    }
    Ok(())
}

fn names(names: Vec<String>, c: &Checked) -> Result<Vec<String>, ScenarioError> {
    per_participant("params.names", &names, c)?;
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

fn default_timeout() -> f64 {
    100.0
}

fn default_participant_timeout() -> f64 {
    150.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TwoPcParams {
    /// "yes" or "no" per participant, node 2 first; "yes" for the rest.
    #[serde(default)]
    votes: Vec<Vote>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default = "default_timeout")]
    vote_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
    /// Time between two DoCommit sends; 0 sends them all at once.
    #[serde(default)]
    send_gap_ms: f64,
}

pub(super) fn two_phase(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: TwoPcParams = params(s)?;
    per_participant("params.votes", &p.votes, &c)?;
    let protocol = TwoPhase {
        votes: p.votes,
        names: names(p.names, &c)?,
        vote_timeout: span("params.vote_timeout_ms", p.vote_timeout_ms)?,
        retry: span("params.retry_ms", p.retry_ms)?,
        send_gap: micros("params.send_gap_ms", p.send_gap_ms, MAX_LATENCY_MS)?,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreePcParams {
    #[serde(default)]
    votes: Vec<Vote>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default = "default_timeout")]
    coordinator_timeout_ms: f64,
    #[serde(default = "default_participant_timeout")]
    participant_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
}

pub(super) fn three_phase(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: ThreePcParams = params(s)?;
    per_participant("params.votes", &p.votes, &c)?;
    let protocol = ThreePhase {
        votes: p.votes,
        names: names(p.names, &c)?,
        coordinator_timeout: span("params.coordinator_timeout_ms", p.coordinator_timeout_ms)?,
        participant_timeout: span("params.participant_timeout_ms", p.participant_timeout_ms)?,
        retry: span("params.retry_ms", p.retry_ms)?,
    };
    start(s, c, protocol)
}

/// Largest stock or balance: enough for any lesson, far from overflow.
const MAX_AMOUNT: u64 = 1_000_000_000;

fn amounts(what: &str, values: Vec<u64>, c: &Checked) -> Result<Vec<u64>, ScenarioError> {
    per_participant(what, &values, c)?;
    if values.iter().any(|v| *v > MAX_AMOUNT) {
        return Err(ScenarioError::invalid(
            what,
            format!("holds a value above {MAX_AMOUNT}"),
        ));
    }
    Ok(values)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TccParams {
    #[serde(default)]
    names: Vec<String>,
    /// What each participant has (stock, balance), node 2 first; 100 for the rest.
    #[serde(default)]
    available: Vec<u64>,
    /// What the transaction needs from each participant, node 2 first; 1 for the rest.
    #[serde(default)]
    amounts: Vec<u64>,
    #[serde(default = "default_timeout")]
    try_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
}

pub(super) fn tcc(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: TccParams = params(s)?;
    let protocol = Tcc {
        names: names(p.names, &c)?,
        available: amounts("params.available", p.available, &c)?,
        amounts: amounts("params.amounts", p.amounts, &c)?,
        try_timeout: span("params.try_timeout_ms", p.try_timeout_ms)?,
        retry: span("params.retry_ms", p.retry_ms)?,
    };
    start(s, c, protocol)
}

fn default_balance() -> u64 {
    150
}

fn default_price() -> u64 {
    50
}

fn default_stock() -> u64 {
    10
}

fn default_mq_timeout() -> f64 {
    50.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MqParams {
    /// User A's balance at the payment system.
    #[serde(default = "default_balance")]
    balance: u64,
    /// What the order costs.
    #[serde(default = "default_price")]
    price: u64,
    /// The warehouse's stock; the order takes one.
    #[serde(default = "default_stock")]
    stock: u64,
    #[serde(default = "default_mq_timeout")]
    store_timeout_ms: f64,
    #[serde(default = "default_mq_timeout")]
    retry_ms: f64,
}

fn message_queue(
    s: &Scenario,
    c: Checked,
    local_table: bool,
) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: MqParams = params(s)?;
    if c.nodes != mq::NODES {
        return Err(ScenarioError::invalid(
            "nodes",
            format!(
                "is {}; the shop has exactly {} systems: order (1), message queue (2), payment (3), warehouse (4)",
                c.nodes,
                mq::NODES
            ),
        ));
    }
    for (what, v) in [
        ("params.balance", p.balance),
        ("params.price", p.price),
        ("params.stock", p.stock),
    ] {
        if v > MAX_AMOUNT {
            return Err(ScenarioError::invalid(
                what,
                format!("is {v}; at most {MAX_AMOUNT}"),
            ));
        }
    }
    let protocol = Mq {
        local_table,
        balance: p.balance,
        price: p.price,
        stock: p.stock,
        store_timeout: span("params.store_timeout_ms", p.store_timeout_ms)?,
        retry: span("params.retry_ms", p.retry_ms)?,
    };
    start(s, c, protocol)
}

pub(super) fn half_message(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    message_queue(s, c, false)
}

pub(super) fn local_table(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    message_queue(s, c, true)
}
