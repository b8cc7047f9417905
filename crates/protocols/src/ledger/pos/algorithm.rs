//! Proof of stake in the catalogue: its names, its parameters, its presets.

use super::Stake;
use crate::algorithm::{
    at_least_ms, micros, read, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS,
};
use crate::ledger::{cents, common, default_k, default_max_txs, Blockchain};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

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

impl Algorithm for Entry {
    type Protocol = Blockchain<Stake>;
    const ID: &'static str = "pos";
    const FAMILY: &'static str = "ledger";
    const NAME: Text = Text::new("Proof of stake (PoS)", "权益证明（PoS）");
    const HOW: Text = Text::new(
        "Stake replaces work: every coin held a day earns a coin-day of coin age, and a node's \
         daily chance to write the next block follows its coin age. Writing one consumes 365 \
         coin-days and pays 0.05 coins of interest. The inspector shows coin age rising day by day \
         and falling when the node stakes; the rich win more often.",
        "用权益代替算力：每个币每持有一天产生 1 币龄，节点每天获得记账权的概率随币龄增大。每出一个块\
         消耗 365 币龄，获得 0.05 个币的利息。检查器里可以看到币龄逐日上升，出块时下降；持币多的人赢得更多。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/pos-coin-age.json"),
        include_str!("presets/pos-rich-get-richer.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<Blockchain<Stake>, ParamError> {
        let p: PosParams = read(params)?;
        let day = micros("params.day_ms", p.day_ms, MAX_SPAN_MS)?;
        if day < 10 {
            return Err(at_least_ms("params.day_ms", "0.01"));
        }
        let target = cents("params.target_coin_days", p.target_coin_days)?;
        if target == 0 {
            return Err(ParamError::new(
                "params.target_coin_days",
                "must be above 0",
                "必须大于 0",
            ));
        }
        if p.min_age_days > 1_000_000 {
            return Err(ParamError::new(
                "params.min_age_days",
                "must be at most 1000000 days",
                "必须至多为 1000000 天",
            ));
        }
        if p.max_age_days == Some(0) {
            return Err(ParamError::new(
                "params.max_age_days",
                "must be at least 1 day",
                "必须至少为 1 天",
            ));
        }
        let cost = cents("params.stake_coin_days", p.stake_coin_days)?;
        let interest = cents("params.interest", p.interest)?;
        let (coins, k, max_txs, names) = common(p.coins, p.k, p.max_txs, p.names, cluster)?;
        Ok(Blockchain {
            rule: Stake {
                day,
                target,
                min_age_days: p.min_age_days,
                max_age_days: p.max_age_days.unwrap_or(u64::MAX),
                cost,
                interest,
            },
            votes: vec![None; cluster.nodes],
            coins,
            reward: 0,
            k,
            max_txs,
            attack: None,
            names,
        })
    }
}
