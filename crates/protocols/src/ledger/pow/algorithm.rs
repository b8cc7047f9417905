//! Proof of work in the catalogue: its names, its parameters, its presets.

use super::Work;
use crate::algorithm::{micros, read, Algorithm, Cluster, ParamError, Params};
use crate::ledger::{
    cents, common, default_k, default_max_txs, default_reward, node, per_node, Attack, Blockchain,
    MAX_K,
};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;

pub struct Entry;

/// Largest puzzle difficulty and hash power.
const MAX_WORK: u64 = 1_000_000_000;
/// Latest start of an attack: a scenario runs an hour at most.
const MAX_ATTACK_MS: f64 = 3_600_000.0;

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

impl Algorithm for Entry {
    type Protocol = Blockchain<Work>;
    const ID: &'static str = "pow";
    const FAMILY: &'static str = "ledger";
    const NAME: Text = Text::new("Proof of work (PoW)", "工作量证明（PoW）");
    const HOW: Text = Text::new(
        "Every node works on a puzzle; the first to solve it writes the next block of transactions \
         and floods it, and the others check it and build on it. More hash power, more wins. \
         Nodes follow the longest chain: two blocks found at once make a fork, and the branch that \
         loses is orphaned. A harder puzzle means slower blocks and fewer forks.",
        "每个节点都在解一道题，谁先解出来谁就把下一个交易区块写出来并广播，其他节点验证后在其后继续。\
         算力越大，获胜越多。节点总是跟随最长的链：两个区块同时被找到会产生分叉，落败分支上的区块成为孤块。\
         题目越难，出块越慢，分叉越少。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/pow-seed-transfer.json"),
        include_str!("presets/pow-easy-puzzle-forks.json"),
        include_str!("presets/pow-51-percent.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/pow-transfer.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Blockchain<Work>, ParamError> {
        let p: PowParams = read(params)?;
        let hash_power = per_node("params.hash_power", p.hash_power, 1, cluster)?;
        if let Some(h) = hash_power.iter().find(|h| **h > MAX_WORK) {
            return Err(ParamError::new(
                "params.hash_power",
                format!("holds {h}; hash power is 0 to {MAX_WORK} attempts per ms"),
                format!("中有 {h}；算力须在每毫秒 0 到 {MAX_WORK} 次尝试之间"),
            ));
        }
        if !(1..=MAX_WORK).contains(&p.difficulty) {
            return Err(ParamError::new(
                "params.difficulty",
                format!("is {}; it must be 1 to {MAX_WORK} attempts", p.difficulty),
                format!("为 {}，必须在 1 到 {MAX_WORK} 次尝试之间", p.difficulty),
            ));
        }
        let attack = match p.attack {
            None => None,
            Some(a) => {
                let attacker = node("params.attack.node", a.node, cluster)?;
                let victim = node("params.attack.victim", a.victim, cluster)?;
                if attacker == victim {
                    return Err(ParamError::new(
                        "params.attack.victim",
                        "is the attacker itself",
                        "就是攻击者自己",
                    ));
                }
                Some(Attack {
                    node: attacker,
                    at: micros("params.attack.at_ms", a.at_ms, MAX_ATTACK_MS)?,
                    victim,
                    amount: cents("params.attack.amount", a.amount)?,
                    confirmations: a.confirmations.clamp(1, MAX_K),
                })
            }
        };
        let reward = cents("params.reward", p.reward)?;
        let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, cluster)?;
        Ok(Blockchain {
            rule: Work {
                hash_power,
                difficulty: p.difficulty,
            },
            votes: vec![None; cluster.nodes],
            coins,
            reward,
            k,
            max_txs,
            attack,
            names,
        })
    }
}
