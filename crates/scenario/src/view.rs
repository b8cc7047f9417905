//! What the page draws, as plain data: the page never sees a protocol's types.
//!
//! Everything here describes the live run at its current position. The page keeps the run at
//! its playhead: playing runs it forward, stepping back or scrubbing cuts it back with
//! [`crate::Simulation::truncate`] (the run is deterministic, so the same future comes back
//! when it plays on).

use clusterplay_sim::{say, Cause, DropReason, Fate, Lang, MsgId, Text, Time, Words};
use clusterplay_view::Layout;
use serde::Serialize;

/// The cluster at the current position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub now: Time,
    pub nodes: Vec<NodeOut>,
    pub layout: Layout,
    /// Role key, English and Chinese legend names.
    pub roles: Vec<(&'static str, &'static str, &'static str)>,
    /// Partition island of each node (all zero when the network is whole).
    pub islands: Vec<u32>,
    /// One-way cuts as (from, to) node numbers.
    pub cuts: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeOut {
    /// One-based number.
    pub id: u32,
    pub up: bool,
    pub role: &'static str,
    pub label: String,
    pub badges: Vec<&'static str>,
    pub fields: Vec<(&'static str, String)>,
    /// Commands the node offers now, as the scenario writes them (e.g. `"request"`).
    pub commands: Vec<serde_json::Value>,
    pub timers: Vec<TimerOut>,
    /// What the node's own clock reads (differs from `ClusterView::now` when the scenario
    /// skews it or it jumped).
    pub local_time: Time,
    /// Until when the node's process is paused, if it is.
    pub paused_until: Option<Time>,
    /// The node's replicated log, where the protocol keeps one.
    pub log: Option<clusterplay_view::LogView>,
    /// The node's block tree, where the protocol keeps one.
    pub chain: Option<clusterplay_view::ChainView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimerOut {
    pub name: String,
    pub set_at: Time,
    pub fires_at: Time,
}

/// One message, for drawing in flight and for the inspector.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageOut {
    pub id: MsgId,
    pub from: u32,
    pub to: u32,
    pub kind: &'static str,
    pub label: String,
    /// The full payload, for the inspector. Only [`Simulation::message`] writes it: the lists
    /// read for every frame leave it out, because formatting every payload in flight on every
    /// frame was most of what they cost.
    ///
    /// [`Simulation::message`]: crate::Simulation::message
    pub detail: Option<String>,
    pub sent_at: Time,
    pub sent_event: u64,
    pub due: Time,
    pub copy_of: Option<MsgId>,
    pub fate: Fate,
    /// Held for the learner to deliver or drop (a manual network).
    pub held: bool,
}

impl MessageOut {
    /// When the message's flight ended (delivered or dropped), if it has.
    pub fn ended_at(&self) -> Option<Time> {
        match self.fate {
            Fate::InFlight => None,
            Fate::Delivered { time, .. } | Fate::Dropped { time, .. } => Some(time),
        }
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogLine {
    pub index: u64,
    pub time: Time,
    pub node: Option<u32>,
    /// The message delivered or dropped, if the event was about one.
    pub msg: Option<MsgId>,
    pub text: Text,
    pub notes: Vec<Text>,
    /// Messages sent while handling it.
    pub sent: std::ops::Range<MsgId>,
}

/// What one event was, for the space-time diagram's marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Start,
    Deliver,
    Drop,
    Timer,
    Action,
    Crash,
    Recover,
}

/// One event on the space-time diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DiagramEvent {
    pub index: u64,
    pub time: Time,
    /// The node it happened at; network-wide actions (a partition) have none.
    pub node: Option<u32>,
    pub kind: EventKind,
    /// The message delivered or dropped.
    pub msg: Option<MsgId>,
}

/// One message on the space-time diagram: an arrow from its send to its fate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DiagramMessage {
    pub id: MsgId,
    pub from: u32,
    pub to: u32,
    pub kind: &'static str,
    pub sent_at: Time,
    pub sent_event: u64,
    pub due: Time,
    pub fate: Fate,
    pub held: bool,
}

/// The run between two instants, for the space-time diagram: its events, every message whose
/// flight overlaps the window (a delivery points at its send through `sent_event`), and when
/// nodes went down and came back.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SpaceTime {
    pub from: Time,
    pub to: Time,
    pub events: Vec<DiagramEvent>,
    pub messages: Vec<DiagramMessage>,
    /// (time, node, up) for every crash and recovery of the run so far.
    pub status: Vec<(Time, u32, bool)>,
    /// True when the window held more than the diagram draws (the oldest were left out).
    pub clipped: bool,
}

/// The log's wording of an event, given the message it concerns.
pub fn describe(cause: &Cause, message: Option<&MessageOut>) -> Text {
    match (cause, message) {
        (Cause::Start, _) => Text::new(EventWords::Starts),
        (Cause::Deliver { .. }, Some(m)) => Text::new(EventWords::Receives {
            label: m.label.clone(),
            from: m.from,
        }),
        (Cause::Drop { reason, .. }, Some(m)) => Text::new(EventWords::Lost {
            label: m.label.clone(),
            from: m.from,
            to: m.to,
            reason: *reason,
        }),
        (Cause::Deliver { msg } | Cause::Drop { msg, .. }, None) => {
            Text::new(EventWords::Message { msg: *msg })
        }
        (Cause::Timer { timer }, _) => Text::new(EventWords::Fires {
            timer: timer.clone(),
        }),
        (Cause::Action { action }, _) => action.clone(),
    }
}

/// The engine's side of a log line: what caused the event.
#[derive(Clone, Debug, PartialEq, Eq)]
enum EventWords {
    Starts,
    /// `label` is the message as drawn in flight: its protocol's code name and numbers.
    Receives {
        label: String,
        from: u32,
    },
    Lost {
        label: String,
        from: u32,
        to: u32,
        reason: DropReason,
    },
    Message {
        msg: MsgId,
    },
    /// `timer` is the protocol's code name for it.
    Fires {
        timer: String,
    },
}

impl Words for EventWords {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            EventWords::Starts => say!(lang, out, "starts", "启动"),
            EventWords::Receives { label, from } => {
                say!(
                    lang,
                    out,
                    "receives {label} from {from}",
                    "收到来自 {from} 的 {label}"
                )
            }
            EventWords::Lost {
                label,
                from,
                to,
                reason: DropReason::Crashed,
            } => say!(
                lang,
                out,
                "{label} from {from} to {to} is lost: receiver down",
                "{label}（{from} → {to}）丢失：接收方已宕机"
            ),
            EventWords::Lost {
                label,
                from,
                to,
                reason: DropReason::Partition,
            } => say!(
                lang,
                out,
                "{label} from {from} to {to} is lost: partition",
                "{label}（{from} → {to}）丢失：网络分区"
            ),
            EventWords::Lost {
                label,
                from,
                to,
                reason: DropReason::Lost,
            } => say!(
                lang,
                out,
                "{label} from {from} to {to} is lost: lost",
                "{label}（{from} → {to}）在网络中丢失"
            ),
            EventWords::Lost {
                label,
                from,
                to,
                reason: DropReason::Dropped,
            } => say!(
                lang,
                out,
                "{label} from {from} to {to} is lost: dropped",
                "{label}（{from} → {to}）被丢弃"
            ),
            EventWords::Message { msg } => say!(lang, out, "message {msg}", "消息 {msg}"),
            EventWords::Fires { timer } => {
                say!(lang, out, "timer {timer} fires", "定时器 {timer} 到期")
            }
        }
    }
}
