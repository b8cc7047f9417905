//! The ledger family's parameters: genesis coins, hash power and difficulty, the PoS day and
//! coin-age rules, DPoS slots, votes and delegates, the attacker, and the finality depth k,
//! checked before anything runs.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::ledger::chain::{Cents, CENTS};
use clusterplay_protocols::ledger::{Attack, Blockchain, Rule};
use clusterplay_sim::{NodeId, Span};
use serde::Deserialize;

/// Longest node name: it is drawn under the node.
const MAX_NAME: usize = 12;
/// Most coins one account may start with, and most any amount may be: far from overflow in
/// hundredths of a coin-day over an hour of days.
const MAX_COINS: f64 = 1_000_000.0;
/// Largest puzzle difficulty and hash power.
const MAX_WORK: u64 = 1_000_000_000;
/// Deepest k: beyond this no run of an hour could bury a block.
const MAX_K: u32 = 1_000;
const MAX_TXS: usize = 100;

fn positive_span(what: &str, ms: f64) -> Result<Span, ScenarioError> {
    let us = micros(what, ms, MAX_LATENCY_MS)?;
    if us == 0 {
        return Err(ScenarioError::invalid(what, "must be above 0 ms"));
    }
    Ok(us)
}

fn cents(what: &str, c: f64) -> Result<Cents, ScenarioError> {
    if !c.is_finite() || !(0.0..=MAX_COINS).contains(&c) {
        return Err(ScenarioError::invalid(
            what,
            format!("must be 0 to {MAX_COINS} coins"),
        ));
    }
    let hundredths = (c * CENTS as f64).round();
    if (hundredths - c * CENTS as f64).abs() > 1e-6 {
        return Err(ScenarioError::invalid(
            what,
            "has more than two decimals; amounts are in hundredths of a coin",
        ));
    }
    Ok(hundredths as Cents)
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

fn per_node<T: Clone>(
    what: &str,
    list: Vec<T>,
    fill: T,
    c: &Checked,
) -> Result<Vec<T>, ScenarioError> {
    if list.len() > c.nodes {
        return Err(ScenarioError::invalid(
            what,
            format!("has {} entries for {} nodes", list.len(), c.nodes),
        ));
    }
    let mut list = list;
    list.resize(c.nodes, fill);
    Ok(list)
}

fn names_of(names: Vec<String>, c: &Checked) -> Result<Vec<String>, ScenarioError> {
    if let Some(n) = names.iter().find(|n| n.chars().count() > MAX_NAME) {
        return Err(ScenarioError::invalid(
            "params.names",
            format!(
                "holds \"{}…\"; a name has at most {MAX_NAME} characters",
                n.chars().take(MAX_NAME).collect::<String>()
            ),
        ));
    }
    per_node("params.names", names, String::new(), c).map(|mut v| {
        for (i, n) in v.iter_mut().enumerate() {
            if n.is_empty() {
                *n = (i + 1).to_string();
            }
        }
        v
    })
}

fn default_k() -> u32 {
    6
}

fn default_max_txs() -> usize {
    20
}

fn default_coins() -> f64 {
    100.0
}

fn default_reward() -> f64 {
    1.0
}

/// The genesis coins, k, the block size and the names, which every variant takes.
type Common = (Vec<Cents>, u32, usize, Vec<String>);

fn common(
    coins: Vec<f64>,
    k: u32,
    max_txs: usize,
    names: Vec<String>,
    c: &Checked,
) -> Result<Common, ScenarioError> {
    let mut cents_of = Vec::new();
    for (i, x) in per_node("params.coins", coins, default_coins(), c)?
        .into_iter()
        .enumerate()
    {
        cents_of.push(cents(&format!("params.coins[{i}]"), x)?);
    }
    if !(1..=MAX_K).contains(&k) {
        return Err(ScenarioError::invalid(
            "params.k",
            format!("is {k}; it must be 1 to {MAX_K}"),
        ));
    }
    if !(1..=MAX_TXS).contains(&max_txs) {
        return Err(ScenarioError::invalid(
            "params.max_txs",
            format!("is {max_txs}; it must be 1 to {MAX_TXS}"),
        ));
    }
    Ok((cents_of, k, max_txs, names_of(names, c)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttackParams {
    node: NodeId,
    at_ms: f64,
    victim: NodeId,
    amount: f64,
    #[serde(default = "default_confirmations")]
    confirmations: u32,
}

fn default_confirmations() -> u32 {
    2
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PowParams {
    /// Attempts per ms for each node; 1 for nodes not listed.
    #[serde(default)]
    hash_power: Vec<u64>,
    /// Attempts a solution takes on average.
    #[serde(default = "default_difficulty")]
    difficulty: u64,
    #[serde(default = "default_reward")]
    reward: f64,
    #[serde(default)]
    attack: Option<AttackParams>,
    /// Each account's coins in the genesis block; 100 for accounts not listed.
    #[serde(default)]
    coins: Vec<f64>,
    /// Blocks on top of a block that make it final for the invariant.
    #[serde(default = "default_k")]
    k: u32,
    #[serde(default = "default_max_txs")]
    max_txs: usize,
    #[serde(default)]
    names: Vec<String>,
}

fn default_difficulty() -> u64 {
    100
}

pub(super) fn pow(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: PowParams = params(s)?;
    let hash_power = per_node("params.hash_power", p.hash_power, 1, &c)?;
    if let Some(h) = hash_power.iter().find(|h| **h > MAX_WORK) {
        return Err(ScenarioError::invalid(
            "params.hash_power",
            format!("holds {h}; hash power is 0 to {MAX_WORK} attempts per ms"),
        ));
    }
    if !(1..=MAX_WORK).contains(&p.difficulty) {
        return Err(ScenarioError::invalid(
            "params.difficulty",
            format!("is {}; it must be 1 to {MAX_WORK} attempts", p.difficulty),
        ));
    }
    let attack = match p.attack {
        None => None,
        Some(a) => {
            let attacker = node("params.attack.node", a.node, &c)?;
            let victim = node("params.attack.victim", a.victim, &c)?;
            if attacker == victim {
                return Err(ScenarioError::invalid(
                    "params.attack.victim",
                    "is the attacker itself",
                ));
            }
            Some(Attack {
                node: attacker,
                at: micros(
                    "params.attack.at_ms",
                    a.at_ms,
                    crate::model::MAX_DURATION_MS,
                )?,
                victim,
                amount: cents("params.attack.amount", a.amount)?,
                confirmations: a.confirmations.clamp(1, MAX_K),
            })
        }
    };
    let reward = cents("params.reward", p.reward)?;
    let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, &c)?;
    let protocol = Blockchain {
        rule: Rule::Work {
            hash_power,
            difficulty: p.difficulty,
        },
        votes: vec![None; c.nodes],
        coins,
        reward,
        k,
        max_txs,
        attack,
        names,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PosParams {
    /// Virtual milliseconds per day.
    #[serde(default = "default_day")]
    day_ms: f64,
    /// Coin-days at which a node is sure to stake within the day.
    #[serde(default = "default_target")]
    target_coin_days: f64,
    #[serde(default)]
    min_age_days: u64,
    /// Days a coin's age counts at most; no cap when absent.
    #[serde(default)]
    max_age_days: Option<u64>,
    #[serde(default = "default_cost")]
    stake_coin_days: f64,
    #[serde(default = "default_interest")]
    interest: f64,
    /// Each account's coins in the genesis block; 100 for accounts not listed.
    #[serde(default)]
    coins: Vec<f64>,
    /// Blocks on top of a block that make it final for the invariant.
    #[serde(default = "default_k")]
    k: u32,
    #[serde(default = "default_max_txs")]
    max_txs: usize,
    #[serde(default)]
    names: Vec<String>,
}

fn default_day() -> f64 {
    10.0
}

fn default_target() -> f64 {
    5_000.0
}

fn default_cost() -> f64 {
    365.0
}

fn default_interest() -> f64 {
    0.05
}

pub(super) fn pos(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: PosParams = params(s)?;
    let day = micros("params.day_ms", p.day_ms, MAX_LATENCY_MS)?;
    if day < 10 {
        return Err(ScenarioError::invalid(
            "params.day_ms",
            "must be at least 0.01 ms",
        ));
    }
    let target = cents("params.target_coin_days", p.target_coin_days)?;
    if target == 0 {
        return Err(ScenarioError::invalid(
            "params.target_coin_days",
            "must be above 0",
        ));
    }
    if p.min_age_days > 1_000_000 {
        return Err(ScenarioError::invalid(
            "params.min_age_days",
            "must be at most 1000000 days",
        ));
    }
    if p.max_age_days == Some(0) {
        return Err(ScenarioError::invalid(
            "params.max_age_days",
            "must be at least 1 day",
        ));
    }
    let cost = cents("params.stake_coin_days", p.stake_coin_days)?;
    let interest = cents("params.interest", p.interest)?;
    let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, &c)?;
    let protocol = Blockchain {
        rule: Rule::Stake {
            day,
            target,
            min_age_days: p.min_age_days,
            max_age_days: p.max_age_days.unwrap_or(u64::MAX),
            cost,
            interest,
        },
        votes: vec![None; c.nodes],
        coins,
        reward: 0,
        k,
        max_txs,
        attack: None,
        names,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DposParams {
    #[serde(default = "default_slot")]
    slot_ms: f64,
    #[serde(default = "default_delegates")]
    delegates: usize,
    /// Whom each holder votes for in the genesis block; holder i votes for node
    /// ((i - 1) mod delegates) + 1 when not listed.
    #[serde(default)]
    votes: Vec<NodeId>,
    /// Who may be voted for when a delegate is voted out; every node when absent.
    #[serde(default)]
    candidates: Option<Vec<NodeId>>,
    #[serde(default = "default_reward")]
    reward: f64,
    /// Each account's coins in the genesis block; 100 for accounts not listed.
    #[serde(default)]
    coins: Vec<f64>,
    /// Blocks on top of a block that make it final for the invariant.
    #[serde(default = "default_k")]
    k: u32,
    #[serde(default = "default_max_txs")]
    max_txs: usize,
    #[serde(default)]
    names: Vec<String>,
}

fn default_slot() -> f64 {
    50.0
}

fn default_delegates() -> usize {
    3
}

pub(super) fn dpos(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: DposParams = params(s)?;
    let slot = positive_span("params.slot_ms", p.slot_ms)?;
    if p.delegates < 1 || p.delegates > c.nodes {
        return Err(ScenarioError::invalid(
            "params.delegates",
            format!(
                "is {}; it must be 1 to {} (the nodes)",
                p.delegates, c.nodes
            ),
        ));
    }
    if p.votes.len() > c.nodes {
        return Err(ScenarioError::invalid(
            "params.votes",
            format!("has {} votes for {} holders", p.votes.len(), c.nodes),
        ));
    }
    let mut votes = Vec::new();
    for i in 0..c.nodes {
        let v = match p.votes.get(i) {
            Some(v) => node(&format!("params.votes[{i}]"), *v, &c)?,
            None => NodeId::from_index(i % p.delegates),
        };
        votes.push(Some(v));
    }
    let candidates = match p.candidates {
        None => (0..c.nodes).map(NodeId::from_index).collect(),
        Some(list) => {
            let mut out = Vec::new();
            for (i, id) in list.into_iter().enumerate() {
                out.push(node(&format!("params.candidates[{i}]"), id, &c)?);
            }
            out
        }
    };
    let reward = cents("params.reward", p.reward)?;
    let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, &c)?;
    let protocol = Blockchain {
        rule: Rule::Delegated {
            slot,
            delegates: p.delegates,
            candidates,
        },
        votes,
        coins,
        reward,
        k,
        max_txs,
        attack: None,
        names,
    };
    start(s, c, protocol)
}
