//! # clusterplay-sim
//!
//! A deterministic discrete-event engine for small simulated clusters. It knows nothing about
//! any particular algorithm: protocols plug in through [`Protocol`], a sans-IO state-machine
//! interface, and the engine supplies virtual time, a network that delays, loses, duplicates,
//! reorders and partitions, crashes and recoveries, timers, scheduled user actions, a trace in
//! which every delivery points at its send, invariant checks after every event, and snapshots
//! for fast seeking.
//!
//! Determinism is the point: a run is a pure function of the protocol's configuration, the
//! node count, the network settings, the seed and the scheduled actions. The same inputs give
//! the same trace, bit for bit, natively and in WebAssembly.

mod clock;
mod engine;
pub mod explore;
mod id;
mod network;
mod permutation;
mod protocol;
pub mod rng;
mod scheduler;
mod time;
mod trace;
pub mod words;

pub use clock::{Clock, MAX_DRIFT_PPM};
pub use engine::{describe, Action, ActionError, Chaos, Engine, Key, Trace, World, SNAPSHOT_EVERY};
pub use id::NodeId;
pub use network::{Latency, LinkState, NetworkConfig};
pub use permutation::Permutation;
pub use protocol::{Effect, Message, NodeSlot, Observed, Out, Protocol, Violation};
pub use scheduler::{Scheduler, SeededScheduler};
pub use time::{ms, to_ms, Span, Time, MICROS_PER_MS};
pub use trace::{
    Cause, DropReason, Fate, MessageRecord, MsgId, StatusChange, TraceEvent, ViolationRecord,
};
pub use words::{Lang, Text, Verbatim, Words};
