//! # Mutual exclusion: the shared coffee machine
//!
//! Seed 000 opens with a self-service coffee machine in a restaurant: if someone walks up and
//! moves your cup while you are brewing, and you do the same to them, nobody gets coffee. In a
//! distributed system the coffee machine is a *critical resource*, and a *distributed mutual
//! exclusion* algorithm makes sure at most one program uses it at a time.
//!
//! The texts compare four answers, each a module here:
//!
//! - [`central`] – the "overbearing CEO": a coordinator queues requests first come, first
//!   served. Three messages per use; the coordinator is a bottleneck and a single point of
//!   failure.
//! - [`ricart_agrawala`] – "democratic consultation": ask everyone, use the machine once all
//!   agree, with Lamport timestamps deciding who goes first. 2(n−1) messages per use, and one
//!   crashed program stalls everybody.
//! - [`token_ring`] – the "rotating CEO": a token travels round a ring and only its holder may
//!   use the machine. Fair, but the token travels even when nobody wants it, and a program may
//!   wait for it to pass through every other program first.
//! - [`two_layer`] – local rings with a coordinator each, whose coordinators form a global ring
//!   with its own token: the arrangement the texts suggest for large, wide-area systems.
//!
//! Every variant keeps the same safety invariant, *at most one program at the coffee machine*,
//! and reports the same outcome: the order in which programs used it and how many messages each
//! use cost, beside the texts' formula.

pub mod central;
pub mod ricart_agrawala;
pub mod token_ring;
pub mod two_layer;

mod outcome;
pub use outcome::{CriticalSectionEntry, Formula, MutexOutcome};

use crate::algorithm::{micros, ParamError, MAX_SPAN_MS};
use clusterplay_sim::{NodeId, NodeSlot, Out, Span, Violation, Words};
use serde::{Deserialize, Serialize};

/// What a program can be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MutexCommand {
    /// "I want the coffee machine."
    Request,
}

/// A program's relation to the coffee machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Phase {
    #[default]
    Idle,
    Waiting,
    Using,
}

impl Phase {
    pub fn role(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Waiting => "waiting",
            Phase::Using => "using",
        }
    }
}

/// The roles every mutex variant draws, with their legend names.
pub const PROGRAM_ROLES: [(&str, &str, &str); 3] = [
    ("idle", "idle", "空闲"),
    ("waiting", "waiting for the machine", "等待咖啡机"),
    ("using", "using the machine", "正在使用咖啡机"),
];

/// What the outcome of a mutex run is built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MutexEvent {
    Requested,
    Entered,
    Left,
}

/// How long a program keeps the machine once it has it, unless a scenario says otherwise.
pub const DEFAULT_USE_MS: u64 = 30;

/// State every variant exposes to the shared invariant and outcome.
pub trait Program {
    fn phase(&self) -> Phase;
}

/// At most one live program uses the coffee machine.
pub fn check_exclusion<S: Program>(nodes: &[NodeSlot<S>]) -> Vec<Violation> {
    let users: Vec<NodeId> = nodes
        .iter()
        .filter(|n| n.up && n.state.phase() == Phase::Using)
        .map(|n| n.id)
        .collect();
    if users.len() > 1 {
        let list: Vec<String> = users.iter().map(|n| n.to_string()).collect();
        vec![Violation {
            invariant: "mutual-exclusion",
            text: format!(
                "programs {} use the coffee machine at the same time",
                list.join(" and ")
            ),
            nodes: users,
        }]
    } else {
        Vec::new()
    }
}

/// The program got the machine: it uses it until `done` fires.
pub fn start_using<P>(
    phase: &mut Phase,
    usage: Usage,
    done: P::Timer,
    why: impl Words,
    out: &mut Out<P>,
) where
    P: clusterplay_sim::Protocol<Observation = MutexEvent>,
{
    *phase = Phase::Using;
    out.observe(MutexEvent::Entered);
    out.note(why);
    out.set_timer(done, usage.use_for, usage.use_for);
}

/// What an idle program offers: to ask for the machine.
pub fn offer_request(phase: Phase) -> Vec<MutexCommand> {
    if phase == Phase::Idle {
        vec![MutexCommand::Request]
    } else {
        Vec::new()
    }
}

/// `params.use_ms` as every variant reads it.
pub(crate) fn usage(use_ms: f64) -> Result<Usage, ParamError> {
    Ok(Usage {
        use_for: micros("params.use_ms", use_ms, MAX_SPAN_MS)?,
    })
}

pub(crate) fn default_use_ms() -> f64 {
    DEFAULT_USE_MS as f64
}

/// Parameters every variant shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Usage {
    /// How long a program keeps the machine.
    pub use_for: Span,
}

impl Default for Usage {
    fn default() -> Self {
        Usage {
            use_for: clusterplay_sim::ms(DEFAULT_USE_MS),
        }
    }
}
