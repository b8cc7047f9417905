//! # The distributed algorithm ("democratic consultation"): Ricart–Agrawala
//!
//! No coordinator: a program that wants the coffee machine asks every other program, and uses
//! it once all of them have agreed. The request carries the resource, the requester's id and a
//! Lamport timestamp. A program that receives a request agrees at once unless it is using the
//! machine, or is waiting for it itself with an earlier request (the earlier timestamp wins,
//! ties go to the lower id). Then it *defers* its answer and sends it when it is done.
//!
//! The worked example of seed 000: programs 1, 2 and 3 share resource A. At timestamp 8
//! program 1 asks 2 and 3; at timestamp 12 program 3 asks 1 and 2. Program 2 does not want the
//! machine and agrees to both. Program 3 sees that 1 asked earlier and agrees to 1. Program 1
//! gets every agreement, uses the machine, and on leaving sends its deferred agreement to 3,
//! which then goes in. Each use costs n−1 requests and n−1 agreements: 2(n−1) messages, four
//! for three programs.
//!
//! The texts point out the weakness: every program must answer, so one crashed program
//! leaves everyone who asks waiting forever. The Lamport clock is kept on stable storage:
//! a program that forgot its clock could come back with an earlier timestamp than requests it
//! had already agreed to, and jump the queue. Agreements echo the timestamp of the request they
//! answer, so a late or duplicated one cannot count towards a newer request.

use super::{
    check_exclusion, offer_request, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome,
    Phase, Program, Usage,
};
use crate::Text;
use clusterplay_sim::{say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Violation, Words};
use clusterplay_view::{NodeView, Present, RunView};
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RicartAgrawala {
    pub usage: Usage,
    /// Each program's Lamport clock at the start, so that a preset can reproduce the texts'
    /// timestamps; zeros when empty.
    pub start_clocks: Vec<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct State {
    pub clock: u64,
    pub phase: Phase,
    /// Timestamp of this program's current request.
    pub request_ts: u64,
    /// Programs that agreed to the current request.
    pub agreed: BTreeSet<NodeId>,
    /// Requests answered only when done: requester → its timestamp.
    pub deferred: BTreeMap<NodeId, u64>,
}

impl Program for State {
    fn phase(&self) -> Phase {
        self.phase
    }
}

/// The one resource of the example.
pub const RESOURCE: char = 'A';

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Request {
        resource: char,
        ts: u64,
    },
    /// Agreement to the request with timestamp `ts`.
    Ok {
        ts: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request { .. } => "request",
            Msg::Ok { .. } => "ok",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Request { ts, .. } => format!("req {ts}"),
            Msg::Ok { ts } => format!("ok {ts}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Done,
}

pub const FORMULA: Text = Text::new(
    "2(n−1) messages per use: n−1 requests and n−1 agreements",
    "每次访问 2(n−1) 条消息：n−1 条请求和 n−1 条同意",
);

impl RicartAgrawala {
    fn enter(&self, state: &mut State, out: &mut Out<Self>) {
        let why = Note::Enters {
            ts: state.request_ts,
        };
        start_using(&mut state.phase, self.usage, Timer::Done, why, out);
    }
}

impl Protocol for RicartAgrawala {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        State {
            clock: self.start_clocks.get(id.index()).copied().unwrap_or(0),
            ..State::default()
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Request { ts, .. } => {
                state.clock = state.clock.max(ts) + 1;
                let mine_first = (state.request_ts, id) < (ts, src);
                let defer = match state.phase {
                    Phase::Using => true,
                    Phase::Waiting => mine_first,
                    Phase::Idle => false,
                };
                if defer {
                    state.deferred.insert(src, ts);
                    out.note(if state.phase == Phase::Using {
                        Note::DefersWhileUsing { to: src, ts }
                    } else {
                        Note::Defers {
                            to: src,
                            ts,
                            own: state.request_ts,
                        }
                    });
                } else {
                    out.send(src, Msg::Ok { ts });
                    out.note(Note::Agrees { to: src, ts });
                }
            }
            Msg::Ok { ts } if state.phase == Phase::Waiting && ts == state.request_ts => {
                state.agreed.insert(src);
                if state.agreed.len() + 1 >= out.cluster_size() {
                    self.enter(state, out);
                }
            }
            Msg::Ok { ts } => out.note(Note::StaleAgreement { from: src, ts }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, _timer: Timer, out: &mut Out<Self>) {
        if state.phase != Phase::Using {
            return;
        }
        state.phase = Phase::Idle;
        state.agreed.clear();
        out.observe(MutexEvent::Left);
        for (node, ts) in std::mem::take(&mut state.deferred) {
            out.send(node, Msg::Ok { ts });
            out.note(Note::SendsDeferred { to: node });
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        if state.phase != Phase::Idle {
            out.note(Note::AlreadyAsked);
            return;
        }
        state.clock += 1;
        state.request_ts = state.clock;
        state.phase = Phase::Waiting;
        state.agreed.clear();
        out.observe(MutexEvent::Requested);
        out.note(Note::Wants {
            ts: state.request_ts,
        });
        out.broadcast(
            id,
            Msg::Request {
                resource: RESOURCE,
                ts: state.request_ts,
            },
        );
        if out.cluster_size() == 1 {
            self.enter(state, out);
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            clock: state.clock,
            ..State::default()
        }
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, _out: &mut Out<Self>) {}

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

impl Present for RicartAgrawala {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        let list = |s: Vec<String>| {
            if s.is_empty() {
                "—".into()
            } else {
                s.join(", ")
            }
        };
        NodeView {
            role: state.phase.role(),
            label: format!("clock {}", state.clock),
            badges: if state.phase == Phase::Using {
                vec!["cup"]
            } else {
                Vec::new()
            },
            fields: vec![
                ("phase", state.phase.role().into()),
                ("Lamport clock", state.clock.to_string()),
                (
                    "request timestamp",
                    if state.phase == Phase::Idle {
                        "—".into()
                    } else {
                        state.request_ts.to_string()
                    },
                ),
                (
                    "agreed",
                    list(state.agreed.iter().map(|n| n.to_string()).collect()),
                ),
                (
                    "deferred",
                    list(
                        state
                            .deferred
                            .iter()
                            .map(|(n, ts)| format!("{n} (ts {ts})"))
                            .collect(),
                    ),
                ),
            ],
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &super::PROGRAM_ROLES
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<MutexCommand> {
        offer_request(state.phase)
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let n = run.nodes.len() as f64;
        let formula = Formula {
            text: FORMULA,
            value: Some(2.0 * (n - 1.0)),
        };
        serde_json::to_value(MutexOutcome::of(run, formula)).unwrap_or_default()
    }
}
