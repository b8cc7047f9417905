//! TCC's outcome: the shared [`TxOutcome`], with each participant's reservation and whether
//! the run ended consistent.

use super::{Participant, State, Tcc};
use crate::transaction::{name, TxOutcome};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a TCC participant adds to its entry in [`TxOutcome`]: where its amounts stand and how
/// often the coordinator's second phase reached it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reservation {
    /// Its answer to Try: `ok` (reserved) or `failed` (not enough); null before it answered.
    #[serde(rename = "try")]
    pub tried: Option<&'static str>,
    /// What it still has free for other orders.
    pub available: u64,
    /// What is set aside for this transaction, waiting for Confirm or Cancel.
    pub reserved: u64,
    /// What Confirm took for good.
    pub used: u64,
    /// How many Confirms arrived, repeats included: more than one shows idempotence at work.
    pub confirms_received: u32,
    /// How many Cancels arrived, repeats included.
    pub cancels_received: u32,
}

impl Reservation {
    fn of(p: &Participant) -> Reservation {
        Reservation {
            tried: p.tried.map(|ok| if ok { "ok" } else { "failed" }),
            available: p.available,
            reserved: p.reserved,
            used: p.used,
            confirms_received: p.confirms,
            cancels_received: p.cancels,
        }
    }
}

/// The shared outcome, with each participant's reservation; `consistent` once every
/// participant confirmed or every one cancelled, with nothing left reserved.
pub(super) fn of(tcc: &Tcc, run: &RunView<'_, Tcc>) -> TxOutcome {
    let decision = run.nodes.iter().find_map(|n| match &n.state {
        State::Coordinator(c) => c.decision,
        State::Participant(_) => None,
    });
    let mut outcome = TxOutcome::of(run, decision, |id| (name(&tcc.names, id), None));
    let participants: BTreeMap<u32, &Participant> = run
        .nodes
        .iter()
        .filter_map(|n| match &n.state {
            State::Participant(p) => Some((n.id.number(), p)),
            State::Coordinator(_) => None,
        })
        .collect();
    for entry in &mut outcome.participants {
        entry.reservation = participants.get(&entry.node).map(|p| Reservation::of(p));
    }
    outcome.consistent = Some(
        outcome.all_decided && outcome.agreement && participants.values().all(|p| p.reserved == 0),
    );
    outcome
}
