//! What happened, in order: the record the page draws, the log lists and the tests hash.

use crate::{NodeId, Span, Text, Time};
use serde::Serialize;

/// Messages are numbered in the order they are sent; a scenario names one by this number.
pub type MsgId = u64;

/// Why an event happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Cause {
    /// The node started.
    Start,
    /// A message arrived; `msg` points at its record, which points at its send.
    Deliver { msg: MsgId },
    /// A message reached the end of its flight and was not delivered.
    Drop { msg: MsgId, reason: DropReason },
    /// A timer fired.
    Timer { timer: String },
    /// A scheduled action: a command, a fault, a network change.
    Action { action: Text },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// The network lost it (the loss probability).
    Lost,
    /// A partition or a cut link was in the way.
    Partition,
    /// The receiver was down.
    Crashed,
    /// The learner or the scenario dropped it.
    Dropped,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Lost => "lost",
            DropReason::Partition => "partition",
            DropReason::Crashed => "receiver down",
            DropReason::Dropped => "dropped",
        }
    }
}

/// One step of the run.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TraceEvent {
    pub index: u64,
    pub time: Time,
    /// The node that handled it, if any.
    pub node: Option<NodeId>,
    pub cause: Cause,
    /// Ids of the messages sent while handling it (a contiguous range).
    pub sent: std::ops::Range<MsgId>,
    /// Sentences for the log.
    pub notes: Vec<Text>,
}

/// What became of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "fate", rename_all = "kebab-case")]
pub enum Fate {
    InFlight,
    Delivered {
        event: u64,
        time: Time,
    },
    Dropped {
        event: u64,
        time: Time,
        reason: DropReason,
    },
}

/// One message, from its send to its fate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MessageRecord<M> {
    pub id: MsgId,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    pub payload: M,
    /// Index of the event that sent it.
    pub sent_event: u64,
    pub sent_at: Time,
    /// When it was due when sent (a later delay or "deliver now" shows in its fate).
    pub due: Time,
    /// The message this one is a network duplicate of.
    pub copy_of: Option<MsgId>,
    pub fate: Fate,
}

impl<M> MessageRecord<M> {
    pub fn latency(&self) -> Span {
        self.due - self.sent_at
    }
}

/// A broken invariant, kept with the event after which it was first seen.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ViolationRecord {
    pub index: u64,
    pub time: Time,
    pub invariant: &'static str,
    pub text: String,
    pub nodes: Vec<NodeId>,
}

/// A node went down or came back (kept beside the trace for drawing; not part of its hash).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct StatusChange {
    /// The event that did it.
    pub event: u64,
    pub time: Time,
    pub node: NodeId,
    pub up: bool,
}
