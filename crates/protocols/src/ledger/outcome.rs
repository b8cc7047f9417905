//! What a ledger run ends with, the same shape for PoW, PoS and DPoS: the longest chain, what
//! forked off it, who made what and who holds what. PoS adds its stakes, DPoS its delegates,
//! an attack what the attacker published.

use super::chain::{coins_f64, Action, BlockId, Tx};
use super::{Blockchain, Event, Rule};
use clusterplay_sim::{to_ms, NodeId};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What `clusterplay run` prints of a blockchain and the metrics panel lists, read from the
/// chain of the node with the longest one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockchainOutcome {
    /// Blocks on the longest chain, the genesis block not counted.
    pub chain_length: usize,
    /// Blocks of the longest chain, from its start, that every node's chain holds: what all
    /// agree on.
    pub agreed_length: usize,
    /// The last block of the longest chain ("3.2": node 3's second block).
    pub tip: BlockId,
    /// Blocks made on a parent that already had a child: each a branch of a fork.
    pub forks: usize,
    /// Blocks made that are not on the longest chain: their work was wasted and their
    /// transactions went back to the pool.
    pub orphaned: usize,
    /// Transaction numbers of an account that two different transactions used, each applied
    /// by some node's chain: the same coins spent twice.
    pub double_spends: usize,
    /// Blocks made by anyone, on any branch.
    pub blocks_made: usize,
    /// Times a node switched to another branch, dropping blocks of its chain.
    pub reorgs: usize,
    /// The most blocks one switch dropped.
    pub deepest_reorg: u32,
    /// Depth at which a block counts as final.
    pub k: u32,
    /// Blocks of the longest chain per minute of virtual time.
    pub blocks_per_minute: f64,
    /// PoW: attempts at the puzzle spent by all nodes, the current puzzle's included.
    pub attempts: u64,
    /// PoW: attempts spent per block of the longest chain: the cost of one block.
    pub attempts_per_block: f64,
    /// Every account's coins on the longest chain, by name.
    pub balances: BTreeMap<String, f64>,
    /// Every transaction some node's chain applied, by account and transaction number.
    pub transactions: Vec<TransactionOutcome>,
    /// Every node's chain, in node order.
    pub nodes: Vec<LedgerNodeOutcome>,
    /// PoS: every stake, in the order nodes made them; absent under the other rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stakes: Option<Vec<StakeOutcome>>,
    /// DPoS: who produced blocks at the start and at the end, and why it changed; absent
    /// under the other rules.
    #[serde(flatten)]
    pub delegation: Option<DelegationOutcome>,
    /// With an attacker: how many secret blocks it published, `null` while it has published
    /// none; absent without an attacker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_blocks_published: Option<Option<usize>>,
}

/// A transaction and where it landed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TransactionOutcome {
    /// The account that sent it, by name.
    pub from: String,
    /// Its transaction number: an account's chain accepts only its next one.
    pub nonce: u32,
    /// A payment: who was paid, by name; `null` for a vote.
    pub to: Option<String>,
    /// A payment: how many coins; `null` for a vote.
    pub amount: Option<f64>,
    /// DPoS: the candidate voted for, by name; `null` for a payment.
    pub vote: Option<String>,
    /// The block of the longest chain holding it; `null` when only a dropped branch did.
    pub block: Option<BlockId>,
    /// That block's height.
    pub height: Option<u32>,
    /// Every node's chain holds it.
    pub on_every_chain: bool,
}

/// One node's chain and wealth.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerNodeOutcome {
    /// The node's number.
    pub node: u32,
    /// The node's name (a city, an account).
    pub name: String,
    /// It is running at the end.
    pub up: bool,
    /// The height of the chain it follows.
    pub height: u32,
    /// The last block of the chain it follows.
    pub tip: BlockId,
    /// Blocks it made, on any branch.
    pub made: u32,
    /// Blocks it made that are on the longest chain.
    pub on_chain: usize,
    /// Its coins on the longest chain.
    pub balance: f64,
    /// PoS: its coin age in coin-days at the end, on the longest chain; absent under the other
    /// rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coin_days: Option<f64>,
}

/// PoS: one block a node staked for, and what it cost and paid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StakeOutcome {
    /// The staker's number.
    pub node: u32,
    /// The staker's name.
    pub name: String,
    /// The block it made.
    pub block: BlockId,
    /// That block is on the longest chain.
    pub on_chain: bool,
    /// The day of the staker's clock.
    pub day: u64,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
    /// Its coin age before, in coin-days.
    pub coin_days_before: f64,
    /// The coin-days the block consumed.
    pub consumed: f64,
    /// Its coin age after, in coin-days.
    pub coin_days_after: f64,
    /// The coins of interest a block pays.
    pub interest: f64,
    /// Its coins after the block.
    pub balance_after: f64,
}

/// DPoS: the delegates of the first round and of the end, by name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DelegationOutcome {
    /// The delegates of the first round, in their order of turns.
    pub delegates_first: Vec<String>,
    /// The delegates at the end, on the longest chain, in their order of turns.
    pub delegates_last: Vec<String>,
    /// Delegates of the first round no longer among them at the end.
    pub voted_out: Vec<String>,
    /// Delegates at the end that were not in the first round.
    pub voted_in: Vec<String>,
    /// Every slot a delegate missed, as the chain shows it, in the order seen.
    pub missed_slots: Vec<MissedSlot>,
}

/// DPoS: a delegate that made no block in its slot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissedSlot {
    /// The delegate, by name.
    pub delegate: String,
    /// The slot it missed.
    pub slot: u64,
}

impl BlockchainOutcome {
    /// The outcome of `run`; `None` for a run without nodes.
    pub(super) fn of<R: Rule>(
        p: &Blockchain<R>,
        run: &RunView<'_, Blockchain<R>>,
    ) -> Option<BlockchainOutcome> {
        let best = run.nodes.iter().max_by(|a, b| {
            Blockchain::<R>::height(&a.state, a.state.tip)
                .cmp(&Blockchain::<R>::height(&b.state, b.state.tip))
                .then(b.id.cmp(&a.id))
        })?;
        let chain: Vec<BlockId> = Blockchain::<R>::path(&best.state, best.state.tip);
        let on_best: BTreeSet<BlockId> = chain.iter().copied().collect();
        let length = chain.len();
        let chains: Vec<BTreeSet<BlockId>> = run
            .nodes
            .iter()
            .map(|n| {
                Blockchain::<R>::path(&n.state, n.state.tip)
                    .into_iter()
                    .collect()
            })
            .collect();
        let common = chain
            .iter()
            .take_while(|b| chains.iter().all(|c| c.contains(b)))
            .count();

        let mut made: Vec<(NodeId, BlockId, BlockId)> = Vec::new();
        let mut applied: BTreeMap<(NodeId, u32), BTreeSet<Tx>> = BTreeMap::new();
        let mut reorgs = 0;
        let mut deepest = 0;
        let mut released = None;
        for o in run.observations {
            match &o.what {
                Event::Made { id, parent, .. } => made.push((o.node, *id, *parent)),
                Event::Applied { tx } => {
                    applied.entry((tx.from, tx.nonce)).or_default().insert(*tx);
                }
                Event::Reorg { dropped } => {
                    reorgs += 1;
                    deepest = deepest.max(*dropped);
                }
                Event::Released { blocks } => released = Some(*blocks),
                // Each belongs to one rule, whose own outcome reads it.
                Event::Staked { .. } | Event::Missed { .. } | Event::Round { .. } => {}
            }
        }
        let mut children: BTreeMap<BlockId, usize> = BTreeMap::new();
        for (_, _, parent) in &made {
            *children.entry(*parent).or_default() += 1;
        }
        let forks: usize = children.values().map(|c| c - 1).sum();
        let orphaned = made
            .iter()
            .filter(|(_, id, _)| !on_best.contains(id))
            .count();
        let double_spends = applied.values().filter(|s| s.len() > 1).count();
        let minutes = to_ms(run.now) / 60_000.0;
        let books = &best.state.books;

        let mut by_maker: BTreeMap<NodeId, usize> = BTreeMap::new();
        for b in &chain {
            if let Some(m) = b.maker() {
                *by_maker.entry(m).or_default() += 1;
            }
        }
        let nodes = run
            .nodes
            .iter()
            .map(|n| LedgerNodeOutcome {
                node: n.id.number(),
                name: p.name(n.id),
                up: n.up,
                height: Blockchain::<R>::height(&n.state, n.state.tip),
                tip: n.state.tip,
                made: n.state.made,
                on_chain: by_maker.get(&n.id).copied().unwrap_or(0),
                balance: coins_f64(books.balance(n.id)),
                coin_days: None,
            })
            .collect();
        let balances = run
            .nodes
            .iter()
            .map(|n| (p.name(n.id), coins_f64(books.balance(n.id))))
            .collect();
        let transactions = applied
            .values()
            .flatten()
            .map(|tx| {
                let block = chain
                    .iter()
                    .find(|b| best.state.blocks[b].txs.contains(tx))
                    .copied();
                let everywhere = run.nodes.iter().all(|n| {
                    Blockchain::<R>::path(&n.state, n.state.tip)
                        .iter()
                        .any(|b| n.state.blocks[b].txs.contains(tx))
                });
                let (to, amount, vote) = match tx.action {
                    Action::Pay { to, amount } => (Some(p.name(to)), Some(coins_f64(amount)), None),
                    Action::Vote { candidate } => (None, None, Some(p.name(candidate))),
                };
                TransactionOutcome {
                    from: p.name(tx.from),
                    nonce: tx.nonce,
                    to,
                    amount,
                    vote,
                    block,
                    height: block.map(|b| best.state.blocks[&b].height),
                    on_every_chain: everywhere,
                }
            })
            .collect();
        let mut outcome = BlockchainOutcome {
            chain_length: length,
            agreed_length: common,
            tip: best.state.tip,
            forks,
            orphaned,
            double_spends,
            blocks_made: made.len(),
            reorgs,
            deepest_reorg: deepest,
            k: p.k,
            blocks_per_minute: if minutes > 0.0 {
                length as f64 / minutes
            } else {
                0.0
            },
            attempts: 0,
            attempts_per_block: 0.0,
            balances,
            transactions,
            nodes,
            stakes: None,
            delegation: None,
            secret_blocks_published: p.attack.is_some().then_some(released),
        };
        R::outcome(p, run, &best.state, &mut outcome);
        Some(outcome)
    }
}
