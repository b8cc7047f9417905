//! The verdict every mutex variant reports: who used the coffee machine in which order, what
//! each use cost, and the texts' formula beside it.

use super::{MutexEvent, Phase, Program};
use crate::Text;
use clusterplay_sim::{to_ms, NodeId, Protocol};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeMap;

/// The texts' message cost of one use of the machine.
pub struct Formula {
    /// As the texts write it.
    pub text: Text,
    /// Its value for this cluster, where the texts give a number.
    pub value: Option<f64>,
}

/// What `clusterplay run` prints of a mutex run and the metrics panel lists, for every variant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MutexOutcome {
    /// The programs, by node number, in the order they got the coffee machine: one per use.
    pub critical_section_order: Vec<u32>,
    /// Each use of the machine, in the order they began.
    pub entries: Vec<CriticalSectionEntry>,
    /// Every message of the run divided by the number of uses; `null` while nobody has used
    /// the machine.
    pub messages_per_entry: Option<f64>,
    /// The texts' message cost of one use, as they write it.
    pub formula: &'static str,
    /// The same formula in Chinese.
    pub formula_zh: &'static str,
    /// The formula's value for this cluster, where the texts give a number (none for the token
    /// rings, whose cost depends on where the token is).
    pub formula_value: Option<f64>,
    /// The live programs, by node number, still waiting for the machine at the end.
    pub waiting: Vec<u32>,
    /// The live programs, by node number, using the machine at the end: more than one breaks
    /// mutual exclusion.
    pub using: Vec<u32>,
    /// Token ring: how many tokens exist at the end, held by a live program or in flight. One
    /// is right; zero means the token was lost and the ring has stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<usize>,
    /// Two-layer ring: how many global tokens (the coordinators' ring) exist at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_tokens: Option<usize>,
}

/// One use of the coffee machine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriticalSectionEntry {
    /// The program that used it.
    pub node: u32,
    /// When it asked for the machine.
    pub requested_at_ms: f64,
    /// When it got the machine.
    pub entered_at_ms: f64,
    /// How long it waited between the two.
    pub waited_ms: f64,
    /// How many messages the whole cluster sent from its request to its entry: what this use
    /// cost, to compare with the formula.
    pub messages_while_waiting: usize,
}

impl MutexOutcome {
    /// The outcome of a run of any variant, beside `formula`; the token counts are left to the
    /// token rings.
    pub fn of<P>(run: &RunView<'_, P>, formula: Formula) -> MutexOutcome
    where
        P: Protocol<Observation = MutexEvent>,
        P::State: Program,
    {
        let mut order = Vec::new();
        let mut entries = Vec::new();
        let mut asked: BTreeMap<NodeId, (u64, u64)> = BTreeMap::new();
        for o in run.observations {
            match o.what {
                MutexEvent::Requested => {
                    asked.insert(o.node, (o.event, o.time));
                }
                MutexEvent::Entered => {
                    order.push(o.node.number());
                    let (req_event, req_time) = asked.remove(&o.node).unwrap_or((o.event, o.time));
                    // The trace records messages as they are sent, so it is sorted by the event
                    // that sent them: two binary searches count them, and the page, which asks
                    // for the outcome every frame, stays fast however long the run.
                    let first = run.messages.partition_point(|m| m.sent_event < req_event);
                    let after = run.messages.partition_point(|m| m.sent_event <= o.event);
                    entries.push(CriticalSectionEntry {
                        node: o.node.number(),
                        requested_at_ms: to_ms(req_time),
                        entered_at_ms: to_ms(o.time),
                        waited_ms: to_ms(o.time - req_time),
                        messages_while_waiting: after.saturating_sub(first),
                    });
                }
                MutexEvent::Left => {}
            }
        }
        let in_phase = |phase: Phase| -> Vec<u32> {
            run.nodes
                .iter()
                .filter(|n| n.up && n.state.phase() == phase)
                .map(|n| n.id.number())
                .collect()
        };
        let messages_per_entry =
            (!order.is_empty()).then(|| run.messages.len() as f64 / order.len() as f64);
        MutexOutcome {
            critical_section_order: order,
            entries,
            messages_per_entry,
            formula: formula.text.en,
            formula_zh: formula.text.zh,
            formula_value: formula.value,
            waiting: in_phase(Phase::Waiting),
            using: in_phase(Phase::Using),
            tokens: None,
            global_tokens: None,
        }
    }
}
