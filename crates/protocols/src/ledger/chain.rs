//! Blocks, transactions and the books a chain of blocks adds up to.
//!
//! Everything here is plain data with no knowledge of the network: a block names its parent,
//! and the [`Books`] after a block are the books after its parent with the block applied. A
//! node keeps every valid block it has seen (a tree rooted at the genesis block) and the books
//! of its chosen tip; books elsewhere in the tree are rebuilt from the genesis block when a fork
//! needs them, which at teaching scale (a few hundred blocks) costs nothing worth caching.

use clusterplay_sim::{say, Lang, NodeId, Time, Words};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// An amount of money in hundredths of a coin: the seed's interest of 0.05 coins is 5.
pub type Cents = u64;

/// Hundredths per coin.
pub const CENTS: u64 = 100;

/// Coin age in hundredths of a coin-day: 100 coins held 50 days is 500 000, shown as 5 000.
pub type CentDays = u64;

/// A block's name: the node that made it and how many it had made, so ids are unique without
/// hashing and people can read them ("3.2": node 3's second block). The genesis block is 0.0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId {
    /// The maker's node number; 0 for the genesis block.
    pub maker: u32,
    pub seq: u32,
}

impl BlockId {
    pub const GENESIS: BlockId = BlockId { maker: 0, seq: 0 };

    pub fn maker(self) -> Option<NodeId> {
        NodeId::from_number(self.maker)
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == BlockId::GENESIS {
            write!(f, "G")
        } else {
            write!(f, "{}.{}", self.maker, self.seq)
        }
    }
}

impl Serialize for BlockId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a transaction does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Move `amount` to `to`.
    Pay { to: NodeId, amount: Cents },
    /// DPoS: the sender's stake now backs `candidate`.
    Vote { candidate: NodeId },
}

/// A signed request from an account holder. `nonce` numbers the sender's transactions as in
/// an account ledger: the books accept only the sender's next nonce, so one transaction can
/// never be applied twice, and two different transactions with the same nonce are a double
/// spend of which at most one lands on any chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tx {
    pub from: NodeId,
    pub nonce: u32,
    pub action: Action,
}

impl fmt::Display for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.action {
            Action::Pay { to, amount } => {
                write!(f, "{}→{} {}", self.from, to, coins(amount))
            }
            Action::Vote { candidate } => write!(f, "{} votes {}", self.from, candidate),
        }
    }
}

/// A block: small, readable, and identified without hashing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Block {
    pub id: BlockId,
    pub parent: BlockId,
    pub height: u32,
    /// The maker's clock when it made the block: PoS coin age is counted up to here.
    pub time: Time,
    /// DPoS: the production slot; 0 elsewhere.
    pub slot: u64,
    pub txs: Vec<Tx>,
}

impl Block {
    pub fn genesis() -> Block {
        Block {
            id: BlockId::GENESIS,
            parent: BlockId::GENESIS,
            height: 0,
            time: 0,
            slot: 0,
            txs: Vec::new(),
        }
    }
}

/// Coins as people write them: "100", "100.05".
pub fn coins(c: Cents) -> String {
    if c.is_multiple_of(CENTS) {
        format!("{}", c / CENTS)
    } else {
        format!("{}.{:02}", c / CENTS, c % CENTS)
    }
}

/// The same for coin-days.
pub fn coin_days(c: CentDays) -> String {
    coins(c)
}

/// Coins as a JSON number (100.05).
pub fn coins_f64(c: Cents) -> f64 {
    c as f64 / CENTS as f64
}

/// One account's coin age: what was banked when its balance last changed or it last staked,
/// on which day that was, plus one coin-day per coin for every whole day since.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Age {
    pub banked: CentDays,
    pub since: u64,
}

/// The books after a chain of blocks: balances, nonces, coin age, DPoS votes and the delegate
/// schedule of the current round.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Books {
    pub balance: Vec<Cents>,
    /// The next nonce each account may use.
    pub nonce: Vec<u32>,
    pub age: Vec<Age>,
    /// DPoS: whom each holder's stake backs.
    pub vote: Vec<Option<NodeId>>,
    /// DPoS: the round the schedule belongs to, and the delegates in turn order.
    pub round: u64,
    pub schedule: Vec<NodeId>,
    /// DPoS: slots each delegate has missed on this chain.
    pub missed: Vec<u32>,
    /// PoS: coins count at most this many days (Peercoin: 90); `u64::MAX` for no cap.
    pub max_age_days: u64,
    /// Every (sender, nonce) applied on this chain. Not part of the algorithm: a record that
    /// lets the invariant see a transaction applied twice even if validation let it through.
    pub applied: BTreeSet<(NodeId, u32)>,
    /// The first transaction this chain applied twice, if any.
    pub twice: Option<Tx>,
}

/// Why a block or transaction does not fit the books.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The sender's nonce was used already on this chain: a replay or a double spend.
    Spent(Tx),
    /// A nonce from the future: an earlier transaction of the sender is missing.
    Gap(Tx),
    Funds(Tx),
    /// The block's height or time does not follow its parent's.
    DoesNotFollow {
        block: BlockId,
        parent: BlockId,
    },
    TooManyTxs {
        block: BlockId,
        txs: usize,
        max: usize,
    },
    SecondGenesis,
    /// The block's maker is no account of the books.
    NoMaker {
        block: BlockId,
    },
    /// PoS: one block a day.
    SecondOnDay {
        block: BlockId,
        day: u64,
    },
    /// PoS: the maker's coin age (or its rest since its coins last moved) is too short.
    MayNotStake {
        maker: NodeId,
        age: CentDays,
        rested: u64,
    },
    /// DPoS: the block's slot is not after its parent's.
    SlotNotAfter {
        block: BlockId,
        slot: u64,
        parent: u64,
    },
    /// DPoS: the slot belongs to another delegate.
    NotTurn {
        slot: u64,
        maker: NodeId,
    },
}

/// A transaction in a note: a payment is the same in both languages, a vote is not.
fn write_tx(tx: &Tx, lang: Lang, out: &mut String) {
    match tx.action {
        Action::Pay { .. } => out.push_str(&tx.to_string()),
        Action::Vote { candidate } => {
            let from = tx.from;
            say!(
                lang,
                out,
                "{from} votes {candidate}",
                "{from} 投票给 {candidate}"
            )
        }
    }
}

impl Words for Refusal {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Refusal::Spent(tx) => {
                write_tx(&tx, lang, out);
                let nonce = tx.nonce;
                say!(
                    lang,
                    out,
                    " spends nonce {nonce} again",
                    " 再次使用序号 {nonce}"
                )
            }
            Refusal::Gap(tx) => {
                write_tx(&tx, lang, out);
                say!(lang, out, " skips a nonce", " 跳过了一个序号")
            }
            Refusal::Funds(tx) => {
                write_tx(&tx, lang, out);
                say!(lang, out, ": not enough coins", "：余额不足")
            }
            Refusal::DoesNotFollow { block, parent } => say!(
                lang,
                out,
                "{block} does not follow {parent}",
                "{block} 没有紧接在 {parent} 之后"
            ),
            Refusal::TooManyTxs { block, txs, max } => say!(
                lang,
                out,
                "{block} holds {txs} transactions, more than {max}",
                "{block} 含 {txs} 笔交易，超过上限 {max}"
            ),
            Refusal::SecondGenesis => {
                say!(lang, out, "a second genesis block", "第二个创世区块")
            }
            Refusal::NoMaker { block } => {
                say!(lang, out, "{block} has no maker", "{block} 没有出块者")
            }
            Refusal::SecondOnDay { block, day } => say!(
                lang,
                out,
                "{block} is a second block on day {day}",
                "{block} 是第 {day} 天的第二个区块"
            ),
            Refusal::MayNotStake { maker, age, rested } => {
                let age = coin_days(age);
                say!(
                    lang,
                    out,
                    "{maker} has {age} coin-days after {rested} days of rest: may not stake",
                    "{maker} 休息 {rested} 天后有 {age} 币天：不能出块"
                )
            }
            Refusal::SlotNotAfter {
                block,
                slot,
                parent,
            } => say!(
                lang,
                out,
                "{block} is for slot {slot}, not after {parent}",
                "{block} 属于时隙 {slot}，不在 {parent} 之后"
            ),
            Refusal::NotTurn { slot, maker } => say!(
                lang,
                out,
                "slot {slot} is not {maker}'s turn",
                "时隙 {slot} 不是 {maker} 的轮次"
            ),
        }
    }
}

impl Books {
    pub fn new(balances: &[Cents], votes: &[Option<NodeId>], max_age_days: u64) -> Books {
        let n = balances.len();
        Books {
            balance: balances.to_vec(),
            nonce: vec![0; n],
            age: vec![Age::default(); n],
            vote: votes.to_vec(),
            round: 0,
            schedule: Vec::new(),
            missed: vec![0; n],
            max_age_days,
            applied: BTreeSet::new(),
            twice: None,
        }
    }

    pub fn balance(&self, who: NodeId) -> Cents {
        self.balance.get(who.index()).copied().unwrap_or(0)
    }

    /// `who`'s coin age on `day`, at most its balance times the cap in days.
    pub fn coin_age(&self, who: NodeId, day: u64) -> CentDays {
        let Some(a) = self.age.get(who.index()) else {
            return 0;
        };
        let balance = self.balance(who);
        a.banked
            .saturating_add(balance.saturating_mul(day.saturating_sub(a.since)))
            .min(balance.saturating_mul(self.max_age_days))
    }

    /// Days since `who`'s coins last changed or staked.
    pub fn rested(&self, who: NodeId, day: u64) -> u64 {
        self.age
            .get(who.index())
            .map_or(0, |a| day.saturating_sub(a.since))
    }

    /// Bank `who`'s coin age so far, before its balance changes on `day`.
    fn bank(&mut self, who: NodeId, day: u64) {
        let age = self.coin_age(who, day);
        if let Some(a) = self.age.get_mut(who.index()) {
            *a = Age {
                banked: age,
                since: day,
            };
        }
    }

    pub fn credit(&mut self, who: NodeId, amount: Cents, day: u64) {
        self.bank(who, day);
        if let Some(b) = self.balance.get_mut(who.index()) {
            *b = b.saturating_add(amount);
        }
    }

    /// Whether `tx` may come next on this chain.
    pub fn admits(&self, tx: &Tx) -> Result<(), Refusal> {
        let next = self.nonce.get(tx.from.index()).copied().unwrap_or(0);
        if tx.nonce < next {
            return Err(Refusal::Spent(*tx));
        }
        if tx.nonce > next {
            return Err(Refusal::Gap(*tx));
        }
        if let Action::Pay { amount, .. } = tx.action {
            if self.balance(tx.from) < amount {
                return Err(Refusal::Funds(*tx));
            }
        }
        Ok(())
    }

    /// Apply `tx` on `day`, which `admits` has allowed.
    pub fn apply(&mut self, tx: &Tx, day: u64) {
        if !self.applied.insert((tx.from, tx.nonce)) && self.twice.is_none() {
            self.twice = Some(*tx);
        }
        if let Some(n) = self.nonce.get_mut(tx.from.index()) {
            *n = n.saturating_add(1);
        }
        match tx.action {
            Action::Pay { to, amount } => {
                self.bank(tx.from, day);
                if let Some(b) = self.balance.get_mut(tx.from.index()) {
                    *b = b.saturating_sub(amount);
                }
                self.credit(to, amount, day);
            }
            Action::Vote { candidate } => {
                if let Some(v) = self.vote.get_mut(tx.from.index()) {
                    *v = Some(candidate);
                }
            }
        }
    }

    /// Stake weight behind each candidate: the balances of the holders voting for it.
    pub fn tally(&self) -> BTreeMap<NodeId, Cents> {
        let mut t = BTreeMap::new();
        for (i, v) in self.vote.iter().enumerate() {
            if let Some(c) = v {
                *t.entry(*c).or_insert(0) += self.balance[i];
            }
        }
        t
    }

    /// The `n` candidates with the most stake behind them (ties: the lower number), in node
    /// order: the turn order of a round.
    pub fn elect(&self, n: usize) -> Vec<NodeId> {
        let mut ranked: Vec<(NodeId, Cents)> =
            self.tally().into_iter().filter(|(_, w)| *w > 0).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut chosen: Vec<NodeId> = ranked.into_iter().take(n).map(|(c, _)| c).collect();
        chosen.sort();
        chosen
    }

    /// The candidate with the most stake that is not among `skip`, for a holder withdrawing its
    /// vote from a delegate that missed its slot.
    pub fn runner_up(&self, skip: &[NodeId], candidates: &[NodeId]) -> Option<NodeId> {
        let tally = self.tally();
        candidates
            .iter()
            .filter(|c| !skip.contains(c) && self.missed[c.index()] == 0)
            .max_by(|a, b| {
                let wa = tally.get(a).copied().unwrap_or(0);
                let wb = tally.get(b).copied().unwrap_or(0);
                wa.cmp(&wb).then(b.cmp(a))
            })
            .copied()
    }
}
