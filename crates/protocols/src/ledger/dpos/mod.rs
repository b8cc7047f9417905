//! # Delegated proof of stake
//!
//! The seed's third way: holders do not write blocks themselves but vote with their stake for
//! delegates, and the few with the most stake behind them produce blocks in turn, one per
//! slot. A delegate that misses its slot shows on the chain, its voters move their votes, and
//! from the next round another node takes its turns. The catalogue's `dpos` runs the ledger's
//! state machine ([`super::Blockchain`]) with the rule [`Delegated`]. The family's essay tells
//! the whole story; the preset here runs rounds and replaces a delegate.

mod algorithm;
pub use algorithm::Entry;

use super::chain::{Action, Block, Books, Refusal};
use super::{
    Applied, Blockchain, BlockchainOutcome, DelegationOutcome, Event, MissedSlot, Rule, State,
    Timer,
};
use clusterplay_sim::{say, Lang, NodeId, Out, Span, Words};
use clusterplay_view::{NodeView, RunView};

/// Delegated proof of stake: the slot, the size of a round, and who may be voted for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Delegated {
    /// Virtual time of one production slot.
    pub slot: Span,
    /// How many delegates a round has.
    pub delegates: usize,
    /// Who may be voted for.
    pub candidates: Vec<NodeId>,
}

/// "Its delegate missed a slot: votes for another."
#[derive(Debug)]
struct Revotes {
    delegate: NodeId,
    to: NodeId,
}

impl Words for Revotes {
    fn write(&self, lang: Lang, out: &mut String) {
        let Revotes { delegate, to } = self;
        say!(
            lang,
            out,
            "its delegate {delegate} missed a slot: votes for {to} instead",
            "它的代表 {delegate} 错过了一个时段：改投 {to}"
        )
    }
}

impl Delegated {
    /// Move `books` to `slot`'s round, electing that round's delegates if it is new.
    fn enter(&self, books: &mut Books, slot: u64) -> bool {
        let round = slot / self.delegates as u64;
        if round != books.round || books.schedule.is_empty() {
            books.round = round;
            books.schedule = books.elect(self.delegates);
            return true;
        }
        false
    }

    /// Who produces `slot` according to `books`, already in that round.
    fn producer(&self, books: &Books, slot: u64) -> Option<NodeId> {
        if books.schedule.is_empty() {
            return None;
        }
        let pos = (slot % self.delegates as u64) as usize % books.schedule.len();
        Some(books.schedule[pos])
    }

    /// Walk `books` over the empty slots after `from` up to `to` (exclusive), counting each
    /// skipped turn as its delegate's miss, and enter `to`'s round.
    fn advance(&self, books: &mut Books, from: u64, to: u64, applied: &mut Applied) {
        let per_round = self.delegates as u64;
        let mut s = from + 1;
        while s < to {
            if self.enter(books, s) {
                applied.round = Some(books.round);
            }
            // Whole empty rounds change nothing but the miss counts: skip them in one go.
            if s.is_multiple_of(per_round) && to - s > 2 * per_round {
                let rounds = (to - s) / per_round - 1;
                for pos in 0..per_round {
                    if let Some(d) = self.producer(books, s + pos) {
                        books.missed[d.index()] =
                            books.missed[d.index()].saturating_add(rounds as u32);
                    }
                }
                s += rounds * per_round;
                continue;
            }
            if let Some(d) = self.producer(books, s) {
                books.missed[d.index()] = books.missed[d.index()].saturating_add(1);
                if applied.missed.len() < 2 * self.delegates {
                    applied.missed.push((d, s));
                }
            }
            s += 1;
        }
        if self.enter(books, to) {
            applied.round = Some(books.round);
        }
    }
}

impl Rule for Delegated {
    const ROLES: &'static [(&'static str, &'static str, &'static str)] = &[
        ("delegate", "delegate", "代表"),
        ("holder", "holder", "持币人"),
    ];

    fn start(
        chain: &Blockchain<Self>,
        _id: NodeId,
        _state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    ) {
        let (now, slot) = (out.now(), chain.rule.slot);
        out.set_timer(Timer::Slot, slot - now % slot, slot - now % slot);
    }

    fn on_timer(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        timer: Timer,
        out: &mut Out<Blockchain<Self>>,
    ) {
        if timer != Timer::Slot {
            return;
        }
        let rule = &chain.rule;
        let now = out.now();
        out.set_timer(Timer::Slot, rule.slot, rule.slot);
        let s = now / rule.slot;
        let parent = &state.blocks[&state.tip];
        if s <= parent.slot {
            return;
        }
        let mut books = state.books.clone();
        rule.advance(&mut books, parent.slot, s, &mut Applied::default());
        if rule.producer(&books, s) == Some(id) {
            chain.produce(id, state, s, out);
        }
    }

    /// Only the delegate whose turn the slot is may write; the slots skipped since the parent
    /// count as their delegates' misses.
    fn credit(
        chain: &Blockchain<Self>,
        books: &mut Books,
        block: &Block,
        parent: &Block,
        maker: NodeId,
        day: u64,
    ) -> Result<Applied, Refusal> {
        if block.slot <= parent.slot {
            return Err(Refusal::SlotNotAfter {
                block: block.id,
                slot: block.slot,
                parent: parent.slot,
            });
        }
        let mut applied = Applied::default();
        chain
            .rule
            .advance(books, parent.slot, block.slot, &mut applied);
        if chain.rule.producer(books, block.slot) != Some(maker) {
            return Err(Refusal::NotTurn {
                slot: block.slot,
                maker,
            });
        }
        books.credit(maker, chain.reward, day);
        Ok(applied)
    }

    /// The new chain may show the node's delegate missing a slot: its stake then backs the
    /// strongest candidate outside the round. It moves once: while a transaction of its own
    /// (its vote, most likely) still waits in the pool, it does not vote again.
    fn after_switch(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    ) {
        let books = &state.books;
        let Some(current) = books.vote.get(id.index()).copied().flatten() else {
            return;
        };
        let pending = state.pool.iter().any(|tx| tx.from == id);
        if books.missed[current.index()] == 0 || pending {
            return;
        }
        let Some(to) = books.runner_up(&books.schedule, &chain.rule.candidates) else {
            return;
        };
        out.note(Revotes {
            delegate: current,
            to,
        });
        chain.submit(id, state, Action::Vote { candidate: to }, out);
    }

    fn role(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &State,
        view: &mut NodeView,
    ) -> &'static str {
        let fields = &mut view.fields;
        let books = &state.books;
        let vote = books.vote.get(id.index()).copied().flatten();
        fields.push(("votes for", vote.map_or("nobody".into(), |v| chain.name(v))));
        fields.push((
            "delegates this round",
            books
                .schedule
                .iter()
                .map(|d| chain.name(*d))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        fields.push(("missed slots", books.missed[id.index()].to_string()));
        if books.schedule.contains(&id) {
            "delegate"
        } else {
            "holder"
        }
    }

    /// Who produced blocks at the start and at the end, and the missed slots in between.
    fn outcome(
        chain: &Blockchain<Self>,
        run: &RunView<'_, Blockchain<Self>>,
        best: &State,
        outcome: &mut BlockchainOutcome,
    ) {
        let mut missed: Vec<(NodeId, u64)> = Vec::new();
        let mut rounds: Vec<(u64, Vec<NodeId>)> = Vec::new();
        for o in run.observations {
            match &o.what {
                Event::Missed { delegate, slot }
                    if !missed.iter().any(|(d, s)| d == delegate && s == slot) =>
                {
                    missed.push((*delegate, *slot));
                }
                Event::Round { round, delegates }
                    if rounds.last().is_none_or(|(r, _)| r != round) =>
                {
                    rounds.push((*round, delegates.clone()));
                }
                _ => {}
            }
        }
        let names = |ds: &[NodeId]| ds.iter().map(|d| chain.name(*d)).collect::<Vec<_>>();
        let first = rounds.first().map(|(_, d)| d.clone()).unwrap_or_default();
        let last = best.books.schedule.clone();
        outcome.delegation = Some(DelegationOutcome {
            delegates_first: names(&first),
            delegates_last: names(&last),
            voted_out: names(
                &first
                    .iter()
                    .filter(|d| !last.contains(d))
                    .copied()
                    .collect::<Vec<_>>(),
            ),
            voted_in: names(
                &last
                    .iter()
                    .filter(|d| !first.contains(d))
                    .copied()
                    .collect::<Vec<_>>(),
            ),
            missed_slots: missed
                .iter()
                .map(|(d, s)| MissedSlot {
                    delegate: chain.name(*d),
                    slot: *s,
                })
                .collect(),
        });
    }
}
