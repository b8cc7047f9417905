//! The outcome 2PC, 3PC and TCC share.

use super::{lock_times, tcc, timing, Decision, Party, TxEvent, Vote};
use clusterplay_sim::{to_ms, NodeId, Protocol, Time};
use clusterplay_view::RunView;
use serde::Serialize;

/// What 2PC, 3PC and TCC report at the end of a run (`clusterplay run` prints it, the metrics
/// panel lists it): who decided what, who is still blocked, and how long it took.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TxOutcome {
    /// The coordinator's logged decision, `commit` or `abort`; null while it has none.
    pub decision: Option<Decision>,
    /// Every participant, node 2 first.
    pub participants: Vec<TxParticipantOutcome>,
    /// The participants that committed (TCC: confirmed), by node number.
    pub committed: Vec<u32>,
    /// The participants that rolled back (TCC: cancelled), by node number.
    pub rolled_back: Vec<u32>,
    /// The participants that have not decided and still hold their locks: blocked, waiting
    /// for a decision that has not reached them.
    pub in_doubt: Vec<u32>,
    /// Nobody committed while another rolled back: atomicity holds.
    pub agreement: bool,
    /// Every participant has committed or rolled back.
    pub all_decided: bool,
    /// From Begin to the coordinator's decision; null until it decides.
    pub time_to_decision_ms: Option<f64>,
    /// From Begin to the last participant's commit or rollback; null until all have decided.
    pub finished_ms: Option<f64>,
    /// TCC only: every participant confirmed or every one cancelled, with nothing left
    /// reserved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent: Option<bool>,
}

/// One participant of [`TxOutcome`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TxParticipantOutcome {
    /// Its node number.
    pub node: u32,
    /// Its name, or "RM n" (resource manager n) when the scenario names none.
    pub name: String,
    /// The vote the scenario gave it (2PC, 3PC); TCC has none, its Try answers instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vote: Option<Vote>,
    /// Its state: `idle`, `in-doubt`, `committed`, `rolled-back`, … (TCC: `reserved`,
    /// `confirmed`, `cancelled`, …).
    pub state: &'static str,
    /// It is running at the end of the run, not crashed.
    pub up: bool,
    /// How long it held locks (TCC: a reservation), in total.
    pub locks_held_ms: f64,
    /// It still holds them at the end of the run.
    pub holding_locks: bool,
    /// TCC only: its amounts, its answer to Try and the Confirms and Cancels it received.
    #[serde(flatten)]
    pub reservation: Option<tcc::Reservation>,
}

impl TxOutcome {
    /// The outcome of `run`, in which the coordinator logged `decision`; `describe` gives each
    /// participant's name and vote.
    pub fn of<P>(
        run: &RunView<'_, P>,
        decision: Option<Decision>,
        describe: impl Fn(NodeId) -> (String, Option<Vote>),
    ) -> TxOutcome
    where
        P: Protocol<Observation = TxEvent>,
        P::State: Party,
    {
        let locks = lock_times(run.observations, run.now);
        let mut participants = Vec::new();
        let (mut committed, mut rolled_back, mut in_doubt) = (Vec::new(), Vec::new(), Vec::new());
        for n in run.nodes.iter().filter(|n| n.state.is_participant()) {
            let s = &n.state;
            let (name, vote) = describe(n.id);
            let (held, holding) = locks.get(&n.id).copied().unwrap_or((0.0, false));
            match s.decided() {
                Some(Decision::Commit) => committed.push(n.id.number()),
                Some(Decision::Abort) => rolled_back.push(n.id.number()),
                None if s.holds_locks() => in_doubt.push(n.id.number()),
                None => {}
            }
            participants.push(TxParticipantOutcome {
                node: n.id.number(),
                name,
                vote,
                state: s.state_key(),
                up: n.up,
                locks_held_ms: held,
                holding_locks: holding,
                reservation: None,
            });
        }
        let count = participants.len();
        let t = timing(run.observations);
        let since = |at: Option<Time>| t.began.zip(at).map(|(b, e)| to_ms(e.saturating_sub(b)));
        let all_decided = committed.len() + rolled_back.len() == count;
        TxOutcome {
            decision,
            participants,
            agreement: committed.is_empty() || rolled_back.is_empty(),
            committed,
            rolled_back,
            in_doubt,
            all_decided,
            time_to_decision_ms: since(t.decided),
            finished_ms: if all_decided {
                since(t.last_finished)
            } else {
                None
            },
            consistent: None,
        }
    }
}
