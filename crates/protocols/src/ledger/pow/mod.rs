//! # Proof of work
//!
//! The seed's first way to choose who writes the next block: every node works on a puzzle, and
//! whoever solves it first writes the block and collects the reward, so the chance of winning
//! follows computing power. The catalogue's `pow` runs the ledger's state machine
//! ([`super::Blockchain`]) with the rule [`Work`], where the puzzle is a timer drawn from a
//! node's hash power and the difficulty. The family's essay tells the whole story; the presets
//! here transfer coins, fork the chain with an easy puzzle and let an attacker with most of the
//! hash power undo a payment.

mod algorithm;
pub use algorithm::Entry;

use super::chain::{Block, Books, Refusal};
use super::{Applied, Blockchain, BlockchainOutcome, Rule, State, Timer};
use clusterplay_sim::{NodeId, Out, Time};
use clusterplay_view::{NodeView, RunView};

/// Proof of work: hash power per node and the puzzle's difficulty.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Work {
    /// Attempts per ms of each node.
    pub hash_power: Vec<u64>,
    /// Attempts a solution takes on average.
    pub difficulty: u64,
}

impl Work {
    fn hash_power_of(&self, id: NodeId) -> u64 {
        self.hash_power.get(id.index()).copied().unwrap_or(0)
    }

    /// Attempts `id` has spent on its current puzzle by `now`.
    fn spent(&self, id: NodeId, state: &State, now: Time) -> u64 {
        state.mining_since.map_or(0, |since| {
            self.hash_power_of(id)
                .saturating_mul(now.saturating_sub(since))
                / 1000
        })
    }

    /// Count the attempts spent so far and start on a new puzzle.
    fn mine(&self, id: NodeId, state: &mut State, out: &mut Out<Blockchain<Work>>) {
        let h = self.hash_power_of(id);
        let spent = self.spent(id, state, out.now());
        state.attempts = state.attempts.saturating_add(spent);
        if h == 0 {
            state.mining_since = None;
            return;
        }
        state.mining_since = Some(out.now());
        let longest = self.difficulty.saturating_mul(2000) / h;
        out.set_timer(Timer::Mine, 0, longest.max(1));
    }
}

impl Rule for Work {
    const ROLES: &'static [(&'static str, &'static str, &'static str)] = &[
        ("miner", "miner", "矿工"),
        ("attacker", "attacker", "攻击者"),
    ];

    fn start(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    ) {
        chain.rule.mine(id, state, out);
    }

    fn on_timer(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        timer: Timer,
        out: &mut Out<Blockchain<Self>>,
    ) {
        if timer == Timer::Mine {
            chain.produce(id, state, 0, out);
        }
    }

    /// The work is its own proof: whoever solved the puzzle may write, and earns the reward.
    fn credit(
        chain: &Blockchain<Self>,
        books: &mut Books,
        _block: &Block,
        _parent: &Block,
        maker: NodeId,
        day: u64,
    ) -> Result<Applied, Refusal> {
        books.credit(maker, chain.reward, day);
        Ok(Applied::default())
    }

    /// A puzzle solved on the old tip would make a block nobody follows: start on the new one.
    fn after_switch(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &mut State,
        out: &mut Out<Blockchain<Self>>,
    ) {
        chain.rule.mine(id, state, out);
    }

    fn role(
        chain: &Blockchain<Self>,
        id: NodeId,
        state: &State,
        view: &mut NodeView,
    ) -> &'static str {
        let fields = &mut view.fields;
        fields.push((
            "hash power",
            format!("{} attempts/ms", chain.rule.hash_power_of(id)),
        ));
        fields.push(("attempts spent", state.attempts.to_string()));
        if let Some(s) = &state.secret {
            fields.push(("secret blocks", s.withheld.len().to_string()));
            view.badges.push("secret");
        }
        if chain.is_attacker(id) {
            "attacker"
        } else {
            "miner"
        }
    }

    /// What the blocks cost: every node's attempts, the puzzle it is still working on
    /// included.
    fn outcome(
        chain: &Blockchain<Self>,
        run: &RunView<'_, Blockchain<Self>>,
        _best: &State,
        outcome: &mut BlockchainOutcome,
    ) {
        let attempts: u64 = run
            .nodes
            .iter()
            .map(|n| {
                let ongoing = if n.up {
                    chain.rule.spent(n.id, &n.state, run.now)
                } else {
                    0
                };
                n.state.attempts.saturating_add(ongoing)
            })
            .sum();
        outcome.attempts = attempts;
        if outcome.chain_length > 0 {
            outcome.attempts_per_block = attempts as f64 / outcome.chain_length as f64;
        }
    }
}
