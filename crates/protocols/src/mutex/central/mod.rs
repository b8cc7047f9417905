//! # The centralized algorithm ("the overbearing CEO")
//!
//! One program is made *coordinator*. A program that wants the coffee machine sends it a
//! request. If nobody is using the machine the coordinator grants it at once; otherwise it
//! gives the requester a number in a first-come, first-served queue. When the user is done it
//! sends a release, and the coordinator grants the machine to the head of the queue.
//!
//! One use costs exactly three messages: request, grant, release. The texts name the price:
//! every request goes through one server, which becomes the bottleneck, and if the coordinator
//! fails nobody can use the machine again. The coordinator here keeps its queue on stable
//! storage, so a coordinator that comes back carries on; one that stays down stops everyone.
//!
//! Each request carries a sequence number that the grant and release echo, so that a grant or
//! release the network delivered twice, or late, is recognised as stale and ignored rather than
//! letting a second program in.

use super::{
    check_exclusion, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome, Phase, Program,
    Usage,
};
use crate::Text;
use clusterplay_sim::{say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Violation, Words};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::VecDeque;

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Central {
    pub coordinator: NodeId,
    pub usage: Usage,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Coordinator {
        /// Who has the machine, and for which of their requests.
        holder: Option<(NodeId, u64)>,
        queue: VecDeque<(NodeId, u64)>,
    },
    Program {
        phase: Phase,
        /// Number of this program's latest request.
        seq: u64,
    },
}

impl Program for State {
    fn phase(&self) -> Phase {
        match self {
            State::Coordinator { .. } => Phase::Idle,
            State::Program { phase, .. } => *phase,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Request { seq: u64 },
    Grant { seq: u64 },
    Release { seq: u64 },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request { .. } => "request",
            Msg::Grant { .. } => "grant",
            Msg::Release { .. } => "release",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The program is done with the machine.
    Done,
}

pub const FORMULA: Text = Text::new(
    "3 messages per use: request, grant, release",
    "每次访问 3 条消息：请求、授权、释放",
);

impl Central {
    fn grant(&self, to: (NodeId, u64), out: &mut Out<Self>) {
        out.send(to.0, Msg::Grant { seq: to.1 });
        out.note(Note::Grants { to: to.0 });
    }
}

impl Protocol for Central {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        if id == self.coordinator {
            State::Coordinator {
                holder: None,
                queue: VecDeque::new(),
            }
        } else {
            State::Program {
                phase: Phase::Idle,
                seq: 0,
            }
        }
    }

    fn on_msg(&self, _id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Coordinator { holder, queue }, Msg::Request { seq }) => {
                let req = (src, seq);
                if *holder == Some(req) || queue.contains(&req) {
                    out.note(Note::AlreadyQueued { seq, from: src });
                } else if holder.is_none() {
                    *holder = Some(req);
                    self.grant(req, out);
                } else {
                    queue.push_back(req);
                    out.note(Note::Queues {
                        from: src,
                        place: queue.len(),
                    });
                }
            }
            (State::Coordinator { holder, queue }, Msg::Release { seq })
                if *holder == Some((src, seq)) =>
            {
                *holder = queue.pop_front();
                if let Some(next) = *holder {
                    self.grant(next, out);
                }
            }
            (State::Program { phase, seq }, Msg::Grant { seq: granted })
                if *phase == Phase::Waiting && granted == *seq =>
            {
                start_using(phase, self.usage, Timer::Done, Note::Granted, out);
            }
            (_, msg) => out.note(Note::Stale { msg, from: src }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, _timer: Timer, out: &mut Out<Self>) {
        if let State::Program { phase, seq } = state {
            if *phase == Phase::Using {
                *phase = Phase::Idle;
                out.observe(MutexEvent::Left);
                out.send(self.coordinator, Msg::Release { seq: *seq });
            }
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        match state {
            State::Program { phase, seq } if *phase == Phase::Idle => {
                *phase = Phase::Waiting;
                *seq += 1;
                out.observe(MutexEvent::Requested);
                out.send(self.coordinator, Msg::Request { seq: *seq });
            }
            State::Program { .. } => out.note(Note::AlreadyAsked),
            State::Coordinator { .. } => out.note(Note::CoordinatorOnlyGrants),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            // The queue is on stable storage: a coordinator that returns carries on.
            State::Coordinator { .. } => state.clone(),
            // A program loses what it was doing but remembers its request numbers, so that an
            // old grant still in flight cannot let it in later.
            State::Program { seq, .. } => State::Program {
                phase: Phase::Idle,
                seq: *seq,
            },
        }
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, _out: &mut Out<Self>) {}

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

impl Present for Central {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator { holder, queue } => NodeView {
                role: "coordinator",
                label: format!("queue {}", queue.len()),
                badges: Vec::new(),
                fields: vec![
                    (
                        "holder",
                        holder.map_or("nobody".into(), |(n, s)| format!("{n} (request {s})")),
                    ),
                    (
                        "queue",
                        queue
                            .iter()
                            .map(|(n, _)| n.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            },
            State::Program { phase, seq } => NodeView {
                role: phase.role(),
                label: String::new(),
                badges: if *phase == Phase::Using {
                    vec!["cup"]
                } else {
                    Vec::new()
                },
                fields: vec![("phase", phase.role().into()), ("request", seq.to_string())],
            },
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("coordinator", "coordinator", "协调者"),
            ("idle", "idle", "空闲"),
            ("waiting", "waiting for the machine", "等待咖啡机"),
            ("using", "using the machine", "正在使用咖啡机"),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Star {
            center: self.coordinator,
        }
    }

    fn commands(&self, id: NodeId, state: &State) -> Vec<MutexCommand> {
        match state {
            State::Program {
                phase: Phase::Idle, ..
            } if id != self.coordinator => vec![MutexCommand::Request],
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let formula = Formula {
            text: FORMULA,
            value: Some(3.0),
        };
        serde_json::to_value(MutexOutcome::of(run, formula)).unwrap_or_default()
    }
}
