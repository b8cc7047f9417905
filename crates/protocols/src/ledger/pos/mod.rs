//! # Proof of stake
//!
//! The seed's answer to the waste of work: stake decides instead. Coins earn coin age, one
//! coin-day per coin per day held, and a node's daily chance to write the next block follows
//! the coin age it holds; writing one consumes 365 coin-days and pays 0.05 coins of interest.
//! The catalogue's `pos` runs the ledger's state machine ([`super::Blockchain`]) with the rule
//! [`Stake`]. The family's essay tells the whole story; the presets here show coin age rising
//! and being spent, and stake concentrating in the richest hands.

mod algorithm;
pub use algorithm::Entry;

use super::chain::{
    coin_days, coins_f64, Age, Block, BlockId, Books, CentDays, Cents, Refusal, CENTS,
};
use super::{Applied, Blockchain, BlockchainOutcome, Event, Rule, StakeOutcome, State, Timer};
use clusterplay_sim::{to_ms, NodeId, Out, Span, Time};
use clusterplay_view::{NodeView, RunView};
use std::collections::BTreeSet;

/// Proof of stake: the day, the lottery's target, and what a block costs and pays.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Stake {
    /// Virtual time of one day.
    pub day: Span,
    /// Coin age at which a node is sure to write a block within the day.
    pub target: CentDays,
    /// Days coins must rest after moving or staking before they may stake.
    pub min_age_days: u64,
    /// Days a coin's age counts at most (Peercoin: 90); `u64::MAX` for no cap.
    pub max_age_days: u64,
    /// Coin age one block consumes (the seed: 365).
    pub cost: CentDays,
    /// Interest one block pays (the seed: 0.05 coins).
    pub interest: Cents,
}

impl Stake {
    /// Whether `id` may stake now, and its coin age.
    fn may_stake(&self, id: NodeId, state: &State, now: Time) -> Option<CentDays> {
        let day = self.day_of(now);
        let tip = &state.blocks[&state.tip];
        if tip.height > 0 && self.day_of(tip.time) >= day {
            return None;
        }
        let age = state.books.coin_age(id, day);
        (age >= self.cost && state.books.rested(id, day) >= self.min_age_days).then_some(age)
    }

    /// Draw today's lottery: a stake timer that falls within the day with probability
    /// coin age / target.
    fn draw(&self, id: NodeId, state: &State, out: &mut Out<Blockchain<Stake>>) {
        match self.may_stake(id, state, out.now()) {
            Some(age) => {
                let reach = (u128::from(self.day) * u128::from(self.target)
                    / u128::from(age.max(1)))
                .min(u128::from(u64::MAX)) as u64;
                // Tomorrow's draw replaces a timer that has not fired by then.
                out.set_timer(Timer::Stake, 0, reach);
            }
            None => out.cancel_timer(Timer::Stake),
        }
    }
}

impl Rule for Stake {
    const ROLES: &'static [(&'static str, &'static str, &'static str)] = &[
        ("staker", "staker", "持币者"),
        ("holder", "no coins", "无币"),
    ];

    fn start(
        chain: &Blockchain<Self>,
        _id: NodeId,
        state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    ) {
        let (now, day) = (out.now(), chain.rule.day);
        state.day = now / day;
        out.set_timer(Timer::Day, day - now % day, day - now % day);
    }

    fn on_timer(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        timer: Timer,
        out: &mut Out<Blockchain<Self>>,
    ) {
        let rule = &chain.rule;
        let now = out.now();
        match timer {
            Timer::Day => {
                state.day = now / rule.day;
                out.set_timer(Timer::Day, rule.day, rule.day);
                rule.draw(id, state, out);
            }
            Timer::Stake if rule.may_stake(id, state, now).is_some() => {
                chain.produce(id, state, 0, out);
            }
            _ => {}
        }
    }

    /// One block a day, by a maker whose coins are old enough and have rested long enough;
    /// the block consumes coin age and pays interest, and no reward.
    fn credit(
        chain: &Blockchain<Self>,
        books: &mut Books,
        block: &Block,
        parent: &Block,
        maker: NodeId,
        day: u64,
    ) -> Result<Applied, Refusal> {
        let rule = &chain.rule;
        if parent.height > 0 && day <= rule.day_of(parent.time) {
            return Err(Refusal::SecondOnDay {
                block: block.id,
                day,
            });
        }
        let before = books.coin_age(maker, day);
        let rested = books.rested(maker, day);
        if before < rule.cost || rested < rule.min_age_days {
            return Err(Refusal::MayNotStake {
                maker,
                age: before,
                rested,
            });
        }
        let after = before - rule.cost;
        books.age[maker.index()] = Age {
            banked: after,
            since: day,
        };
        books.credit(maker, rule.interest, day);
        Ok(Applied {
            staked: Some((day, before, after)),
            ..Applied::default()
        })
    }

    fn day_of(&self, t: Time) -> u64 {
        t / self.day
    }

    fn max_age_days(&self) -> u64 {
        self.max_age_days
    }

    /// The tip made earlier (then the lower id) wins. Stakers on both sides of a tie go on
    /// making one block a day each, so first-seen would let a fork last for ever; a rule
    /// everyone applies alike ends it as soon as both tips are known.
    fn wins_tie(state: &State, a: BlockId, b: BlockId) -> bool {
        let key = |id: BlockId| (state.blocks[&id].time, id);
        key(a) < key(b)
    }

    fn role(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &State,
        view: &mut NodeView,
    ) -> &'static str {
        let fields = &mut view.fields;
        let (cost, min_age_days) = (chain.rule.cost, chain.rule.min_age_days);
        let age = state.books.coin_age(id, state.day);
        let rested = state.books.rested(id, state.day);
        fields.push(("day", state.day.to_string()));
        fields.push(("coin age", format!("{} coin-days", coin_days(age))));
        fields.push((
            "may stake",
            if age >= cost && rested >= min_age_days {
                "yes".into()
            } else {
                format!(
                    "no (needs {} coin-days and {min_age_days} days of rest; rested {rested})",
                    coin_days(cost)
                )
            },
        ));
        view.label = format!("{} {}cd", view.label, age / CENTS);
        if state.books.balance(id) > 0 {
            "staker"
        } else {
            "holder"
        }
    }

    /// Every stake in the order nodes made them, and every node's coin age at the end.
    fn outcome(
        chain: &Blockchain<Self>,
        run: &RunView<'_, Blockchain<Self>>,
        best: &State,
        outcome: &mut BlockchainOutcome,
    ) {
        let on_best: BTreeSet<BlockId> = Blockchain::<Self>::path(best, best.tip)
            .into_iter()
            .collect();
        let stakes = run
            .observations
            .iter()
            .filter_map(|o| match &o.what {
                Event::Staked {
                    id,
                    day,
                    before,
                    after,
                    balance,
                } => Some(StakeOutcome {
                    node: o.node.number(),
                    name: chain.name(o.node),
                    block: *id,
                    on_chain: on_best.contains(id),
                    day: *day,
                    at_ms: to_ms(o.time),
                    coin_days_before: coins_f64(*before),
                    consumed: coins_f64(before - after),
                    coin_days_after: coins_f64(*after),
                    interest: coins_f64(chain.rule.interest),
                    balance_after: coins_f64(*balance),
                }),
                _ => None,
            })
            .collect();
        outcome.stakes = Some(stakes);
        let today = chain.rule.day_of(run.now);
        for (node, n) in outcome.nodes.iter_mut().zip(run.nodes) {
            node.coin_days = Some(coins_f64(best.books.coin_age(n.id, today)));
        }
    }
}
