//! # Ledger consensus: bookkeeping without a bank
//!
//! Seed 000 ends its consensus chapter with five servers, in Washington, London, Paris, Beijing
//! and Shanghai, that must agree that user A paid user B 100 although there is no bank to write
//! it down. Any of them may record transactions; the records must end up the same everywhere.
//! Blockchains solve this in two steps, the seed says: one node wins the right to write the
//! next page of the books (a *block* of transactions), and every other node checks that page
//! (every transaction valid and not seen before) and accepts it. Writing a block is "mining",
//! and it pays a reward. The texts give three ways to decide who may write next, each a catalogue
//! entry of its own ([`pow`], [`pos`], [`dpos`]) that runs the one state machine below,
//! [`Blockchain`], with a [`Rule`] of its own:
//!
//! - **PoW, proof of work.** Every node races to solve a puzzle; whoever solves it first writes
//!   the block. The chance of winning follows computing power ("hash power"). Here the puzzle
//!   is a timer: a node with hash power h (attempts per millisecond) facing difficulty d
//!   (attempts a solution takes on average) finds a block after a delay the engine draws
//!   between 0 and 2d/h, so the seed decides who is lucky and the attempts spent are h times
//!   the time spent. A hard puzzle makes blocks slow and costly; an easy one lets several
//!   nodes solve it before they hear of each other, and the chain forks.
//! - **PoS, proof of stake.** Stake replaces work: coin age, one coin-day per coin per day
//!   held, so 100 coins held 50 days are 5 000 coin-days. A node's daily chance of writing a
//!   block is its coin age over a target (a stake timer drawn between 0 and a day × target /
//!   coin age, armed each day). Writing one consumes 365 coin-days and pays 0.05 coins of
//!   interest, 5% a year. Coins must also rest a minimum number of days after they move or
//!   stake (Peercoin used 30), and a coin's age may be capped (Peercoin: 90 days). Only one
//!   block is made per day: the first staker whose timer fires wins the day. The more and the
//!   longer you hold, the more you win: the seed's worry that stake concentrates. Without a
//!   cap a small holder's age piles up while it loses, until it wins too; with one, the
//!   largest holder takes nearly every day.
//! - **DPoS, delegated proof of stake.** Holders vote with their stake for delegates; the few
//!   with the most stake behind them produce blocks in turn, one per slot. A delegate that
//!   misses its slot shows on the chain (the next block's slot skips it), and its voters move
//!   their votes to the strongest candidate outside the round: from the next round on it is
//!   replaced.
//!
//! Blocks carry a deterministic id (maker and count, "3.2"), their parent and height. Nodes
//! flood new blocks to everyone and send transactions to everyone; a block whose parent is
//! unknown waits while the node asks the sender for the parent. Every node follows the
//! longest chain it knows (the first seen on a tie), so simultaneous blocks make a fork that
//! the next block settles: the losing branch's blocks are *orphaned* and their transactions go
//! back to the pool. Accounts number their transactions (a nonce), and a chain accepts only an
//! account's next number, so no transaction lands twice and of two that spend the same number
//! only one can.
//!
//! Finality is only probabilistic: a block with k blocks on top is very unlikely to be undone
//! unless somebody holds most of the hash power. The `pow-51-percent` preset shows that
//! somebody: it pays, mines a secret chain in which it paid itself instead, and publishes it
//! once longer, so every honest node drops the payment (a double spend).
//!
//! Invariants (over history, via records kept beside the algorithm): no node's chain ever drops
//! a block it once had buried k deep, and no chain applies a transaction twice.

pub mod chain;
pub mod dpos;
mod outcome;
pub mod pos;
pub mod pow;

pub use outcome::{
    BlockchainOutcome, DelegationOutcome, LedgerNodeOutcome, MissedSlot, StakeOutcome,
    TransactionOutcome,
};

use crate::algorithm::{outside, Cluster, ParamError};
use chain::{coins, Action, Block, BlockId, Books, CentDays, Cents, Refusal, Tx, CENTS};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Time, Violation, Words,
};
use clusterplay_view::{ChainBlock, ChainView, Layout, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::hash::Hash;

/// Blocks a node keeps waiting for their parent; beyond this it drops new ones.
const MAX_ORPHANS: usize = 256;
/// Transactions a node keeps waiting for a block.
const MAX_POOL: usize = 256;

/// What sets PoW, PoS and DPoS apart: who may write the next block, what writing one earns,
/// and the little a rule needs besides (its timers, its tie-break, what the page shows of it).
/// Flooding blocks, fetching missing parents, following the longest chain, the pool and the
/// attack are one state machine, [`Blockchain`], so the three differ only where the texts say
/// they do.
pub trait Rule: Clone + Debug + Eq + Hash + 'static {
    /// The roles [`Rule::role`] gives, with their legend names (English, Simplified Chinese).
    const ROLES: &'static [(&'static str, &'static str, &'static str)];

    /// A node starts, or comes back from a crash without its timers, and joins the contest for
    /// the next block.
    fn start(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    );

    /// One of the rule's own timers fired.
    fn on_timer(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        timer: Timer,
        out: &mut Out<Blockchain<Self>>,
    );

    /// Whether `maker` had the right to write `block` on `parent`; if it had, pay it into
    /// `books` on `day` and say what else the block changed. Every node checks every block
    /// this way, so a block the rule did not allow enters no chain, whoever made it.
    fn credit(
        chain: &Blockchain<Self>,
        books: &mut Books,
        block: &Block,
        parent: &Block,
        maker: NodeId,
        day: u64,
    ) -> Result<Applied, Refusal>;

    /// The node's chain changed under it: what it was doing for the old tip may be moot.
    fn after_switch(
        _chain: &Blockchain<Self>,
        _id: NodeId,
        _state: &mut State,
        _out: &mut Out<Blockchain<Self>>,
    ) {
    }

    /// The day time `t` falls in, by which coin age counts; without coin age time is one
    /// endless day.
    fn day_of(&self, _t: Time) -> u64 {
        0
    }

    /// Days a coin's age counts at most; no cap unless the rule has one.
    fn max_age_days(&self) -> u64 {
        u64::MAX
    }

    /// Of two tips of the same height, whether every node should follow `a` rather than `b`.
    /// Unless the rule says otherwise neither wins and a node stays on the one it saw first:
    /// the next block ends the tie.
    fn wins_tie(_state: &State, _a: BlockId, _b: BlockId) -> bool {
        false
    }

    /// The node's role, one of [`Rule::ROLES`]; what else the rule shows of the node goes
    /// into `view`.
    fn role(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &State,
        view: &mut NodeView,
    ) -> &'static str;

    /// What only this rule measures, added to the `outcome` of `run`, whose longest chain is
    /// `best`'s.
    fn outcome(
        _chain: &Blockchain<Self>,
        _run: &RunView<'_, Blockchain<Self>>,
        _best: &State,
        _outcome: &mut BlockchainOutcome,
    ) {
    }
}

/// A miner with most of the hash power that pays, then rewrites history.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attack {
    pub node: NodeId,
    /// When it pays the victim and starts mining in secret.
    pub at: Span,
    pub victim: NodeId,
    pub amount: Cents,
    /// Blocks the victim waits for (the payment's own included) before it trusts the payment;
    /// the attacker publishes its secret chain only after that.
    pub confirmations: u32,
}

/// The ledger's one state machine, every node a full node with an account; `R` says who may
/// write the next block.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Blockchain<R: Rule> {
    /// Who may write the next block: [`pow::Work`], [`pos::Stake`] or [`dpos::Delegated`].
    pub rule: R,
    /// Every account's coins in the genesis block.
    pub coins: Vec<Cents>,
    /// DPoS: each holder's vote in the genesis block.
    pub votes: Vec<Option<NodeId>>,
    /// Coins a PoW or DPoS block pays its maker.
    pub reward: Cents,
    /// Depth at which a block counts as final for the invariant.
    pub k: u32,
    /// Most transactions in one block.
    pub max_txs: usize,
    pub attack: Option<Attack>,
    pub names: Vec<String>,
}

/// An attacker's secret chain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Secret {
    /// The payment it wants undone.
    pub payment: Tx,
    /// The highest block the honest nodes have shown it.
    pub public_tip: BlockId,
    /// Its own blocks, not yet published, oldest first.
    pub withheld: Vec<BlockId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// Every valid block this node knows: a tree under the genesis block. On disk.
    pub blocks: BTreeMap<BlockId, Block>,
    /// The end of the chain it follows.
    pub tip: BlockId,
    /// The books after `tip`.
    pub books: Books,
    /// Transactions heard of and not yet on its chain.
    pub pool: BTreeSet<Tx>,
    /// Blocks whose parent it has asked for.
    pub orphans: BTreeMap<BlockId, Block>,
    /// Blocks it has made.
    pub made: u32,
    /// Its next transaction number, counting those still in the pool.
    pub next_nonce: u32,
    /// PoW: since when it has been working on the current puzzle, and attempts spent before.
    pub mining_since: Option<Time>,
    pub attempts: u64,
    /// PoS: the day of its clock (for the inspector's coin age).
    pub day: u64,
    pub secret: Option<Secret>,
    /// Record for the invariant: the highest block its chain has had buried k deep.
    pub buried: BlockId,
    /// Record for the invariant: a buried block its chain dropped, and how deep it lay.
    pub dropped: Option<(BlockId, u32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Block(Block),
    Tx(Tx),
    /// "Send me this block": its child arrived first.
    GetBlock(BlockId),
    /// "Send me your tip": a node back from a crash catching up.
    GetTip,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Block(_) => "block",
            Msg::Tx(_) => "tx",
            Msg::GetBlock(_) => "get-block",
            Msg::GetTip => "get-tip",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Block(b) if b.txs.is_empty() => format!("block {} · height {}", b.id, b.height),
            Msg::Block(b) => format!("block {} · {} tx · height {}", b.id, b.txs.len(), b.height),
            Msg::Tx(tx) => tx.to_string(),
            Msg::GetBlock(id) => format!("get {id}"),
            Msg::GetTip => "get tip".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// PoW: the puzzle is solved.
    Mine,
    /// PoS: a new day; the stake lottery is drawn again.
    Day,
    /// PoS: the stake lottery is won.
    Stake,
    /// DPoS: a new slot.
    Slot,
    /// The attacker pays and goes secret.
    Attack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// This node's account pays `amount` whole coins to node `to`.
    Pay { to: NodeId, amount: u64 },
}

/// What the outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The node made a block.
    Made {
        id: BlockId,
        parent: BlockId,
        height: u32,
    },
    /// The node's chain now holds `tx`.
    Applied { tx: Tx },
    /// The node switched to another branch, dropping `dropped` blocks of its chain.
    Reorg { dropped: u32 },
    /// PoS: the node staked, consuming coin age for interest.
    Staked {
        id: BlockId,
        day: u64,
        before: CentDays,
        after: CentDays,
        balance: Cents,
    },
    /// DPoS: the node's block shows that `delegate` missed a slot.
    Missed { delegate: NodeId, slot: u64 },
    /// DPoS: the node's block starts a round with these delegates.
    Round { round: u64, delegates: Vec<NodeId> },
    /// The attacker published its secret chain.
    Released { blocks: usize },
}

/// Longest node name: it is drawn under the node.
const MAX_NAME: usize = 12;
/// Most coins one account may start with, and most any amount may be: far from overflow in
/// hundredths of a coin-day over an hour of days.
const MAX_COINS: f64 = 1_000_000.0;
/// Deepest k: beyond this no run of an hour could bury a block.
pub(crate) const MAX_K: u32 = 1_000;
const MAX_TXS: usize = 100;

/// An amount of `params` in hundredths of a coin.
pub(crate) fn cents(what: &str, c: f64) -> Result<Cents, ParamError> {
    if !c.is_finite() || !(0.0..=MAX_COINS).contains(&c) {
        return Err(ParamError::new(
            what,
            format!("must be 0 to {MAX_COINS} coins"),
            format!("必须在 0 到 {MAX_COINS} 个币之间"),
        ));
    }
    let hundredths = (c * CENTS as f64).round();
    if (hundredths - c * CENTS as f64).abs() > 1e-6 {
        return Err(ParamError::new(
            what,
            "has more than two decimals; amounts are in hundredths of a coin",
            "超过两位小数：金额以 0.01 个币为单位",
        ));
    }
    Ok(hundredths as Cents)
}

pub(crate) fn node(what: &str, id: NodeId, cluster: Cluster) -> Result<NodeId, ParamError> {
    if id.index() >= cluster.nodes {
        return Err(ParamError::no_such_node(what, id, cluster.nodes));
    }
    Ok(id)
}

pub(crate) fn per_node<T: Clone>(
    what: &str,
    list: Vec<T>,
    fill: T,
    cluster: Cluster,
) -> Result<Vec<T>, ParamError> {
    if list.len() > cluster.nodes {
        return Err(ParamError::new(
            what,
            format!("has {} entries for {} nodes", list.len(), cluster.nodes),
            format!("有 {} 项，但只有 {} 个节点", list.len(), cluster.nodes),
        ));
    }
    let mut list = list;
    list.resize(cluster.nodes, fill);
    Ok(list)
}

fn names_of(names: Vec<String>, cluster: Cluster) -> Result<Vec<String>, ParamError> {
    if let Some(n) = names.iter().find(|n| n.chars().count() > MAX_NAME) {
        return Err(ParamError::name_too_long("params.names", n, MAX_NAME));
    }
    per_node("params.names", names, String::new(), cluster).map(|mut v| {
        for (i, n) in v.iter_mut().enumerate() {
            if n.is_empty() {
                *n = (i + 1).to_string();
            }
        }
        v
    })
}

pub(crate) fn default_k() -> u32 {
    6
}

pub(crate) fn default_max_txs() -> usize {
    20
}

fn default_coins() -> f64 {
    100.0
}

pub(crate) fn default_reward() -> f64 {
    1.0
}

/// The genesis coins, k, the block size and the names, which every variant takes.
pub(crate) type Common = (Vec<Cents>, u32, usize, Vec<String>);

pub(crate) fn common(
    coins: Vec<f64>,
    k: u32,
    max_txs: usize,
    names: Vec<String>,
    cluster: Cluster,
) -> Result<Common, ParamError> {
    let mut cents_of = Vec::new();
    for (i, x) in per_node("params.coins", coins, default_coins(), cluster)?
        .into_iter()
        .enumerate()
    {
        cents_of.push(cents(&format!("params.coins[{i}]"), x)?);
    }
    if !(1..=MAX_K).contains(&k) {
        return Err(outside("params.k", k, 1, MAX_K));
    }
    if !(1..=MAX_TXS).contains(&max_txs) {
        return Err(outside("params.max_txs", max_txs, 1, MAX_TXS));
    }
    Ok((cents_of, k, max_txs, names_of(names, cluster)?))
}

/// What a node says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Note {
    Switches {
        from: BlockId,
        to: BlockId,
        dropped: u32,
    },
    CannotMake {
        why: Refusal,
    },
    KeepsSecret {
        block: BlockId,
        height: u32,
    },
    Makes {
        block: BlockId,
        height: u32,
        txs: usize,
    },
    Rejects {
        block: BlockId,
        why: Refusal,
    },
    Publishes {
        confirmations: u32,
        blocks: usize,
    },
    PaysInSecret {
        victim: String,
        amount: Cents,
    },
    NoSuchPayee {
        to: NodeId,
    },
    Pays {
        from: String,
        to: String,
        amount: u64,
    },
}

/// A node's name in `lang`, as its view shows it: the glossary knows seed 000's five cities;
/// any other name (a letter, a number) is written as it is.
fn name_in(name: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    let tag = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    crate::glossary::phrase(name, tag)
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Switches { from, to, dropped } => say!(
                lang,
                out,
                "switches from {from} to the longer branch of {to}: {dropped} block(s) dropped",
                "从 {from} 切换到 {to} 所在的更长分支：丢弃 {dropped} 个区块"
            ),
            Note::CannotMake { why } => {
                say!(lang, out, "cannot make a block: ", "无法出块：");
                why.write(lang, out)
            }
            Note::KeepsSecret { block, height } => say!(
                lang,
                out,
                "finds block {block} at height {height} and keeps it secret",
                "在高度 {height} 找到区块 {block}，秘而不宣"
            ),
            Note::Makes { block, height, txs } => say!(
                lang,
                out,
                "makes block {block} at height {height} with {txs} transaction(s)",
                "在高度 {height} 出块 {block}，含 {txs} 笔交易"
            ),
            Note::Rejects { block, why } => {
                say!(lang, out, "rejects block {block}: ", "拒绝区块 {block}：");
                why.write(lang, out)
            }
            Note::Publishes {
                confirmations,
                blocks,
            } => say!(
                lang,
                out,
                "the payment has {confirmations} confirmation(s) and its secret chain is longer: \
                 publishes {blocks} block(s)",
                "付款已有 {confirmations} 个确认，且秘密链更长：公布 {blocks} 个区块"
            ),
            Note::PaysInSecret { victim, amount } => {
                let (victim, amount) = (name_in(victim, lang), coins(*amount));
                say!(
                    lang,
                    out,
                    "pays {victim} {amount} in public and mines in secret a chain where it pays \
                     itself",
                    "公开向 {victim} 支付 {amount}，同时秘密挖一条付款给自己的链"
                )
            }
            Note::NoSuchPayee { to } => say!(
                lang,
                out,
                "there is no node {to} to pay",
                "没有可以付款的节点 {to}"
            ),
            Note::Pays { from, to, amount } => {
                let (from, to) = (name_in(from, lang), name_in(to, lang));
                say!(
                    lang,
                    out,
                    "{from} pays {to} {amount}",
                    "{from} 向 {to} 支付 {amount}"
                )
            }
        }
    }
}

/// What applying a block changed, beyond the books: what its maker observes of its own block.
#[derive(Default)]
pub struct Applied {
    /// DPoS: delegates that missed a slot between the parent and this block.
    pub missed: Vec<(NodeId, u64)>,
    /// DPoS: the round this block started, if it started one.
    pub round: Option<u64>,
    /// PoS: the day, and coin age before and after the maker staked.
    pub staked: Option<(u64, CentDays, CentDays)>,
}

impl<R: Rule> Blockchain<R> {
    pub fn name(&self, id: NodeId) -> String {
        self.names
            .get(id.index())
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn genesis_books(&self) -> Books {
        Books::new(&self.coins, &self.votes, self.rule.max_age_days())
    }

    fn is_attacker(&self, id: NodeId) -> bool {
        self.attack.as_ref().is_some_and(|a| a.node == id)
    }

    /// Check `block` against the books after its parent and apply it.
    fn apply(&self, books: &mut Books, block: &Block, parent: &Block) -> Result<Applied, Refusal> {
        if block.height != parent.height + 1 || block.time < parent.time {
            return Err(Refusal::DoesNotFollow {
                block: block.id,
                parent: parent.id,
            });
        }
        if block.txs.len() > self.max_txs {
            return Err(Refusal::TooManyTxs {
                block: block.id,
                txs: block.txs.len(),
                max: self.max_txs,
            });
        }
        let Some(maker) = block.id.maker() else {
            return Err(Refusal::SecondGenesis);
        };
        if maker.index() >= books.balance.len() {
            return Err(Refusal::NoMaker { block: block.id });
        }
        let day = self.rule.day_of(block.time);
        let applied = R::credit(self, books, block, parent, maker, day)?;
        for tx in &block.txs {
            books.admits(tx)?;
            books.apply(tx, day);
        }
        Ok(applied)
    }

    /// The blocks from the genesis block (excluded) to `to`, oldest first.
    fn path(state: &State, to: BlockId) -> Vec<BlockId> {
        let mut out = Vec::new();
        let mut at = to;
        while at != BlockId::GENESIS {
            out.push(at);
            match state.blocks.get(&at) {
                Some(b) => at = b.parent,
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// The books after `at`, replayed from the genesis block unless `at` is the tip.
    fn books_at(&self, state: &State, at: BlockId) -> Books {
        if at == state.tip {
            return state.books.clone();
        }
        let mut books = self.genesis_books();
        let mut parent = Block::genesis();
        for id in Self::path(state, at) {
            let block = &state.blocks[&id];
            let _ = self.apply(&mut books, block, &parent);
            parent = block.clone();
        }
        books
    }

    fn height(state: &State, id: BlockId) -> u32 {
        state.blocks.get(&id).map_or(0, |b| b.height)
    }

    /// Whether a node should follow `a` rather than `b`: the longer chain, and on a tie the
    /// one its rule prefers.
    fn prefer(state: &State, a: BlockId, b: BlockId) -> bool {
        let (ha, hb) = (Self::height(state, a), Self::height(state, b));
        if ha != hb {
            return ha > hb;
        }
        R::wins_tie(state, a, b)
    }

    /// Whether `a` lies on the chain ending at `tip`.
    fn on_chain(state: &State, a: BlockId, tip: BlockId) -> bool {
        let target = Self::height(state, a);
        let mut at = tip;
        while Self::height(state, at) > target {
            at = state.blocks[&at].parent;
        }
        at == a
    }

    /// The last block two chains share.
    fn fork_point(state: &State, mut a: BlockId, mut b: BlockId) -> BlockId {
        while a != b {
            if Self::height(state, a) >= Self::height(state, b) {
                a = state.blocks[&a].parent;
            } else {
                b = state.blocks[&b].parent;
            }
        }
        a
    }

    /// Follow `new` instead of the current tip.
    fn switch(&self, id: NodeId, state: &mut State, new: BlockId, out: &mut Out<Self>) {
        let old = state.tip;
        if new == old {
            return;
        }
        let block = state.blocks[&new].clone();
        let mut gained: Vec<BlockId> = vec![new];
        if block.parent == old {
            let parent = state.blocks[&old].clone();
            let _ = self.apply(&mut state.books, &block, &parent);
        } else {
            let fork = Self::fork_point(state, old, new);
            let dropped = Self::height(state, old) - Self::height(state, fork);
            let mut lost = Vec::new();
            let mut at = old;
            while at != fork {
                lost.extend(state.blocks[&at].txs.iter().copied());
                at = state.blocks[&at].parent;
            }
            gained.clear();
            let mut at = new;
            while at != fork {
                gained.push(at);
                at = state.blocks[&at].parent;
            }
            gained.reverse();
            state.books = self.books_at(state, new);
            state.pool.extend(lost);
            out.observe(Event::Reorg { dropped });
            out.note(Note::Switches {
                from: old,
                to: new,
                dropped,
            });
            if state.dropped.is_none() && !Self::on_chain(state, state.buried, new) {
                let depth = Self::height(state, old) - Self::height(state, state.buried);
                state.dropped = Some((state.buried, depth));
            }
        }
        state.tip = new;
        for b in &gained {
            for tx in &state.blocks[b].txs {
                out.observe(Event::Applied { tx: *tx });
            }
        }
        let books = &state.books;
        state
            .pool
            .retain(|tx| tx.nonce >= books.nonce.get(tx.from.index()).copied().unwrap_or(0));
        let height = block.height;
        if height >= self.k {
            let mut at = new;
            for _ in 0..self.k {
                at = state.blocks[&at].parent;
            }
            if Self::height(state, at) > Self::height(state, state.buried)
                || state.dropped.is_some_and(|(d, _)| d == state.buried)
            {
                state.buried = at;
            }
        }
        R::after_switch(self, id, state, out);
    }

    /// Add a transaction of `id`'s account and send it to everyone.
    fn submit(&self, id: NodeId, state: &mut State, action: Action, out: &mut Out<Self>) {
        let nonce = state
            .next_nonce
            .max(state.books.nonce.get(id.index()).copied().unwrap_or(0));
        state.next_nonce = nonce + 1;
        let tx = Tx {
            from: id,
            nonce,
            action,
        };
        state.pool.insert(tx);
        out.broadcast(id, Msg::Tx(tx));
    }

    /// Make a block on the tip with what the pool holds.
    fn produce(&self, id: NodeId, state: &mut State, slot: u64, out: &mut Out<Self>) {
        let parent = state.blocks[&state.tip].clone();
        let mut trial = state.books.clone();
        let day = self.rule.day_of(out.now());
        let mut txs = Vec::new();
        for tx in &state.pool {
            if txs.len() == self.max_txs {
                break;
            }
            if trial.admits(tx).is_ok() {
                trial.apply(tx, day);
                txs.push(*tx);
            }
        }
        let block = Block {
            id: BlockId {
                maker: id.number(),
                seq: state.made + 1,
            },
            parent: parent.id,
            height: parent.height + 1,
            time: out.now(),
            slot,
            txs,
        };
        let mut books = state.books.clone();
        let applied = match self.apply(&mut books, &block, &parent) {
            Ok(a) => a,
            Err(why) => {
                out.note(Note::CannotMake { why });
                return;
            }
        };
        state.made += 1;
        out.observe(Event::Made {
            id: block.id,
            parent: parent.id,
            height: block.height,
        });
        self.report(&block, &applied, &books, out);
        let secret = state.secret.is_some();
        if secret {
            out.note(Note::KeepsSecret {
                block: block.id,
                height: block.height,
            });
        } else {
            out.note(Note::Makes {
                block: block.id,
                height: block.height,
                txs: block.txs.len(),
            });
            out.broadcast(id, Msg::Block(block.clone()));
        }
        let new = block.id;
        state.blocks.insert(new, block);
        if let Some(s) = &mut state.secret {
            s.withheld.push(new);
        }
        self.switch(id, state, new, out);
        self.release_if_ahead(id, state, out);
    }

    /// Observations about the maker's own block.
    fn report(&self, block: &Block, applied: &Applied, books: &Books, out: &mut Out<Self>) {
        if let Some((day, before, after)) = applied.staked {
            let maker = block.id.maker().unwrap_or(NodeId::from_index(0));
            out.observe(Event::Staked {
                id: block.id,
                day,
                before,
                after,
                balance: books.balance(maker),
            });
        }
        for (delegate, slot) in &applied.missed {
            out.observe(Event::Missed {
                delegate: *delegate,
                slot: *slot,
            });
        }
        if let Some(round) = applied.round {
            out.observe(Event::Round {
                round,
                delegates: books.schedule.clone(),
            });
        }
    }

    /// Store a block (and any orphans it was the missing parent of) and follow the longest
    /// chain.
    fn receive(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        block: Block,
        out: &mut Out<Self>,
    ) {
        if state.blocks.contains_key(&block.id) || state.orphans.contains_key(&block.id) {
            return;
        }
        if !state.blocks.contains_key(&block.parent) {
            let parent = block.parent;
            if state.orphans.len() < MAX_ORPHANS {
                state.orphans.insert(block.id, block);
                out.send(src, Msg::GetBlock(parent));
            }
            return;
        }
        let mut queue = vec![block];
        let mut best: Option<BlockId> = None;
        while let Some(b) = queue.pop() {
            let parent = state.blocks[&b.parent].clone();
            let mut books = self.books_at(state, parent.id);
            if let Err(why) = self.apply(&mut books, &b, &parent) {
                out.note(Note::Rejects { block: b.id, why });
                continue;
            }
            if b.height + 1 >= Self::height(state, state.tip) {
                for to in out.all().collect::<Vec<_>>() {
                    if to != id && to != src {
                        out.send(to, Msg::Block(b.clone()));
                    }
                }
            }
            let waiting: Vec<BlockId> = state
                .orphans
                .values()
                .filter(|o| o.parent == b.id)
                .map(|o| o.id)
                .collect();
            for w in waiting {
                if let Some(o) = state.orphans.remove(&w) {
                    queue.push(o);
                }
            }
            if best.is_none_or(|x| b.height > Self::height(state, x)) {
                best = Some(b.id);
            }
            state.blocks.insert(b.id, b);
        }
        let Some(best) = best else {
            return;
        };
        let longer = Self::prefer(state, best, state.tip);
        let best_height = Self::height(state, best);
        let public = state.secret.as_ref().map(|s| s.public_tip);
        match public {
            Some(public) => {
                if best_height > Self::height(state, public) {
                    if let Some(s) = &mut state.secret {
                        s.public_tip = best;
                    }
                }
                self.release_if_ahead(id, state, out);
            }
            None if longer => self.switch(id, state, best, out),
            None => {}
        }
    }

    /// The attacker publishes its secret chain once it is longer than the honest one and the
    /// victim has seen its payment confirmed there.
    fn release_if_ahead(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let (Some(attack), Some(secret)) = (&self.attack, &state.secret) else {
            return;
        };
        let public = secret.public_tip;
        let mut at = public;
        let mut depth = 0;
        let mut confirmed = false;
        while at != BlockId::GENESIS && !Self::on_chain(state, at, state.tip) {
            depth += 1;
            if state.blocks[&at].txs.contains(&secret.payment) {
                confirmed = depth >= attack.confirmations;
                break;
            }
            at = state.blocks[&at].parent;
        }
        if !confirmed || Self::height(state, state.tip) <= Self::height(state, public) {
            return;
        }
        let withheld = secret.withheld.clone();
        out.note(Note::Publishes {
            confirmations: depth,
            blocks: withheld.len(),
        });
        out.observe(Event::Released {
            blocks: withheld.len(),
        });
        for b in &withheld {
            out.broadcast(id, Msg::Block(state.blocks[b].clone()));
        }
        state.secret = None;
    }
}

impl<R: Rule> Protocol for Blockchain<R> {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let genesis = Block::genesis();
        let mut state = State {
            blocks: BTreeMap::from([(genesis.id, genesis)]),
            tip: BlockId::GENESIS,
            books: self.genesis_books(),
            pool: BTreeSet::new(),
            orphans: BTreeMap::new(),
            made: 0,
            next_nonce: 0,
            mining_since: None,
            attempts: 0,
            day: 0,
            secret: None,
            buried: BlockId::GENESIS,
            dropped: None,
        };
        if let Some(a) = self.attack.as_ref().filter(|a| a.node == id) {
            out.set_timer(Timer::Attack, a.at, a.at);
        }
        R::start(self, id, &mut state, out);
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Block(b) => self.receive(id, state, src, b, out),
            Msg::Tx(tx) => {
                let next = state.books.nonce.get(tx.from.index()).copied();
                if next.is_some_and(|n| tx.nonce >= n) && state.pool.len() < MAX_POOL {
                    state.pool.insert(tx);
                }
            }
            Msg::GetBlock(want) => {
                if let Some(b) = state.blocks.get(&want).filter(|b| b.height > 0) {
                    out.send(src, Msg::Block(b.clone()));
                }
            }
            Msg::GetTip => {
                if state.tip != BlockId::GENESIS {
                    out.send(src, Msg::Block(state.blocks[&state.tip].clone()));
                }
            }
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        if timer != Timer::Attack {
            R::on_timer(self, id, state, timer, out);
            return;
        }
        let Some(a) = &self.attack else {
            return;
        };
        let nonce = state
            .next_nonce
            .max(state.books.nonce.get(id.index()).copied().unwrap_or(0));
        state.next_nonce = nonce + 1;
        let pay = |to| Tx {
            from: id,
            nonce,
            action: Action::Pay {
                to,
                amount: a.amount,
            },
        };
        let payment = pay(a.victim);
        out.broadcast(id, Msg::Tx(payment));
        state.pool.insert(pay(id));
        out.note(Note::PaysInSecret {
            victim: self.name(a.victim),
            amount: a.amount,
        });
        state.secret = Some(Secret {
            payment,
            public_tip: state.tip,
            withheld: Vec::new(),
        });
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        let Command::Pay { to, amount } = cmd;
        if to.index() >= out.cluster_size() {
            out.note(Note::NoSuchPayee { to });
            return;
        }
        out.note(Note::Pays {
            from: self.name(id),
            to: self.name(to),
            amount,
        });
        let amount = amount.saturating_mul(CENTS);
        self.submit(id, state, Action::Pay { to, amount }, out);
    }

    /// The blocks and the books are on disk; the pool, the orphans and the puzzle in progress
    /// are not.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            pool: BTreeSet::new(),
            orphans: BTreeMap::new(),
            mining_since: None,
            ..state.clone()
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        out.broadcast(id, Msg::GetTip);
        R::start(self, id, state, out);
    }

    /// Every rule does: mining takes time at a hash rate, coin age grows by the day, DPoS
    /// slots follow the clock.
    fn reads_clock(&self) -> bool {
        true
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        for slot in nodes {
            if let Some((block, depth)) = slot.state.dropped {
                found.push(Violation {
                    invariant: "buried-block-kept",
                    text: format!(
                        "{} dropped block {block}, which lay {depth} deep (k = {})",
                        self.name(slot.id),
                        self.k
                    ),
                    nodes: vec![slot.id],
                });
            }
            if let Some(tx) = slot.state.books.twice {
                found.push(Violation {
                    invariant: "applied-once",
                    text: format!("{}'s chain applies {tx} twice", self.name(slot.id)),
                    nodes: vec![slot.id],
                });
            }
        }
        found
    }
}

impl<R: Rule> Present for Blockchain<R> {
    /// The last few heights of the node's block tree, its own chain marked: enough to see a
    /// fork open and close.
    fn chain_view(&self, _id: NodeId, state: &State) -> Option<ChainView> {
        const HEIGHTS: u32 = 10;
        let mut main = BTreeSet::new();
        let mut at = state.tip;
        while let Some(b) = state.blocks.get(&at) {
            main.insert(at);
            if at == BlockId::GENESIS {
                break;
            }
            at = b.parent;
        }
        let top = state.blocks.values().map(|b| b.height).max().unwrap_or(0);
        let floor = top.saturating_sub(HEIGHTS - 1);
        let mut shown: Vec<&chain::Block> = state
            .blocks
            .values()
            .filter(|b| b.height >= floor)
            .collect();
        shown.sort_by_key(|b| (b.height, b.id));
        Some(ChainView {
            blocks: shown
                .iter()
                .map(|b| ChainBlock {
                    id: b.id.to_string(),
                    parent: (b.height > floor).then(|| b.parent.to_string()),
                    height: u64::from(b.height),
                    maker: b.id.maker,
                    main: main.contains(&b.id),
                })
                .collect(),
        })
    }

    fn view(&self, id: NodeId, state: &State) -> NodeView {
        let name = self.name(id);
        let height = Self::height(state, state.tip);
        let chain = Self::path(state, state.tip);
        let shown: Vec<String> = chain
            .iter()
            .rev()
            .take(6)
            .map(ToString::to_string)
            .collect();
        let mut chain_text = shown.into_iter().rev().collect::<Vec<_>>().join(" ← ");
        if chain.len() > 6 {
            chain_text = format!("G … {chain_text}");
        } else {
            chain_text = format!("G ← {chain_text}");
        }
        let parents: BTreeSet<BlockId> = state.blocks.values().map(|b| b.parent).collect();
        let branches: Vec<String> = state
            .blocks
            .keys()
            .filter(|b| **b != state.tip && !parents.contains(b))
            .map(|b| {
                let fork = Self::fork_point(state, *b, state.tip);
                format!(
                    "{b} at height {} (off the chain after {fork})",
                    Self::height(state, *b)
                )
            })
            .collect();
        let mut fields = vec![
            ("name", name.clone()),
            ("height", height.to_string()),
            ("tip", state.tip.to_string()),
            ("chain", chain_text),
            (
                "fork branches",
                if branches.is_empty() {
                    "none".into()
                } else {
                    branches.join("; ")
                },
            ),
            ("balance", coins(state.books.balance(id))),
            ("blocks made", state.made.to_string()),
            ("transactions waiting", state.pool.len().to_string()),
        ];
        if !state.orphans.is_empty() {
            fields.push((
                "blocks waiting for a parent",
                state.orphans.len().to_string(),
            ));
        }
        let label = format!("{name} · height {height} · tip {}", state.tip);
        let mut badges = Vec::new();
        if !branches.is_empty() {
            badges.push("fork");
        }
        let mut view = NodeView {
            role: "",
            label,
            badges,
            fields,
        };
        view.role = R::role(self, id, state, &mut view);
        view
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        R::ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    /// A [`BlockchainOutcome`]: `chain_length`, `forks`, `orphaned`, `double_spends` and the
    /// rest, read from the chain of the node with the longest one; `{}` without nodes.
    fn outcome(&self, run: &RunView<'_, Self>) -> Value {
        match BlockchainOutcome::of(self, run) {
            Some(outcome) => serde_json::to_value(outcome).unwrap_or_default(),
            None => Value::Object(Map::new()),
        }
    }
}
