//! Delegated proof of stake in the catalogue: its names, its parameters, its presets.

use super::Delegated;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::ledger::{cents, common, default_k, default_max_txs, default_reward, node, Blockchain};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;

pub struct Entry;

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

impl Algorithm for Entry {
    type Protocol = Blockchain<Delegated>;
    const ID: &'static str = "dpos";
    const FAMILY: &'static str = "ledger";
    const NAME: Text = Text::new("Delegated proof of stake (DPoS)", "委托权益证明（DPoS）");
    const HOW: Text = Text::new(
        "Holders vote with their stake for delegates; the few with the most stake behind them \
         produce blocks in turn, one per slot. A delegate that misses its slot is voted out: its \
         voters move their votes, and from the next round another node takes its turns.",
        "持币人用自己的权益投票选出代表；得票最多的少数代表按顺序轮流出块，每个时隙一个。错过时隙的代表会被\
         投票淘汰：投它的人改投别人，从下一轮起由另一个节点接替它的位置。",
    );
    const PRESETS: &'static [&'static str] = &[include_str!("presets/dpos-rounds.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Blockchain<Delegated>, ParamError> {
        let p: DposParams = read(params)?;
        let slot = span("params.slot_ms", p.slot_ms)?;
        if p.delegates < 1 || p.delegates > cluster.nodes {
            return Err(ParamError::new(
                "params.delegates",
                format!(
                    "is {}; it must be 1 to {} (the nodes)",
                    p.delegates, cluster.nodes
                ),
                format!(
                    "为 {}，必须在 1 到 {} 之间（即节点数）",
                    p.delegates, cluster.nodes
                ),
            ));
        }
        if p.votes.len() > cluster.nodes {
            return Err(ParamError::new(
                "params.votes",
                format!("has {} votes for {} holders", p.votes.len(), cluster.nodes),
                format!(
                    "给出了 {} 张选票，但只有 {} 位持币人",
                    p.votes.len(),
                    cluster.nodes
                ),
            ));
        }
        let mut votes = Vec::new();
        for i in 0..cluster.nodes {
            let v = match p.votes.get(i) {
                Some(v) => node(&format!("params.votes[{i}]"), *v, cluster)?,
                None => NodeId::from_index(i % p.delegates),
            };
            votes.push(Some(v));
        }
        let candidates = match p.candidates {
            None => (0..cluster.nodes).map(NodeId::from_index).collect(),
            Some(list) => {
                let mut out = Vec::new();
                for (i, id) in list.into_iter().enumerate() {
                    out.push(node(&format!("params.candidates[{i}]"), id, cluster)?);
                }
                out
            }
        };
        let reward = cents("params.reward", p.reward)?;
        let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, cluster)?;
        Ok(Blockchain {
            rule: Delegated {
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
        })
    }
}
