//! What a run of the TwoPhase spec ends with.

use super::{tm_key, Rm, State, TlaTwoPhase};
use clusterplay_view::RunView;
use serde::Serialize;

/// The spec's variables at the end of a run, as `clusterplay run` prints them and the metrics
/// panel lists them: the TM's state, the RMs in each state, and whether they agree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TlaTwoPhaseOutcome {
    /// The TM's state: `init`, `committed` or `aborted`.
    pub tm_state: &'static str,
    /// The RMs still working (neither prepared nor aborted), by node number.
    pub working: Vec<u32>,
    /// The RMs that prepared and wait for the TM's decision.
    pub prepared: Vec<u32>,
    /// The RMs that committed.
    pub committed: Vec<u32>,
    /// The RMs that aborted.
    pub aborted: Vec<u32>,
    /// The spec's TCConsistent: no RM committed while another aborted.
    pub consistent: bool,
}

impl TlaTwoPhaseOutcome {
    pub(super) fn of(run: &RunView<'_, TlaTwoPhase>) -> TlaTwoPhaseOutcome {
        let mut tm_state = "init";
        let (mut working, mut prepared, mut committed, mut aborted) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for n in run.nodes {
            match n.state {
                State::Tm { state, .. } => tm_state = tm_key(state),
                State::Rm(Rm::Working) => working.push(n.id.number()),
                State::Rm(Rm::Prepared) => prepared.push(n.id.number()),
                State::Rm(Rm::Committed) => committed.push(n.id.number()),
                State::Rm(Rm::Aborted) => aborted.push(n.id.number()),
            }
        }
        TlaTwoPhaseOutcome {
            tm_state,
            consistent: committed.is_empty() || aborted.is_empty(),
            working,
            prepared,
            committed,
            aborted,
        }
    }
}
