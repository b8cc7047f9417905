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
//!
//! **A failure detector** (`failure_timeout_ms`, off unless a scenario sets it) is the texts'
//! remedy: "if a program is detected to have failed, ignore it; do not wait for its
//! agreement". A waiting program cannot tell a crashed program from one that is deferring its
//! answer on purpose, so silence alone proves nothing. After the timeout it asks the programs it
//! is still waiting for whether they are alive, and gives them another timeout to say so. A
//! program that is deferring answers "still here" (one that never received the request takes
//! the question as the request); one that says nothing is treated as failed and skipped for this
//! request. A program that shows it is up after all (it asks for the machine, or asks whether
//! this one is alive) is waited for again and sent the request it missed while down. The
//! detector is only as good as its timeout: a program cut off by the network, or slower than
//! the timeout, looks exactly like a crashed one, and skipping a live program can put two at
//! the machine. That is the "more complexity" the texts warn of, and why real systems put a
//! lease or a consensus service under such a detector.

use super::{
    check_exclusion, offer_request, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome,
    Phase, Program, Usage,
};
use crate::Text;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
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
    /// How long a waiting program waits before it asks the silent programs whether they are
    /// alive, and then for their answer; `None`: it waits for every agreement forever.
    pub failure_timeout: Option<Span>,
    /// A bug (see [`BUGS`]): agree to a request while using the machine.
    pub reply_while_using: bool,
}

/// The rule of Ricart–Agrawala that implementations get wrong, switched on by a parameter for
/// the explorer to show what it is for.
///
/// - **Agree while using the machine** (`reply_while_using`): a program at the machine must
///   hold back its agreement until it leaves; that deferral is the whole of the algorithm's
///   exclusion. A program that answers at once, as an idle one does, lets the asker in while it
///   is still there: two at the machine.
pub const BUGS: &[crate::algorithm::Bug] = &[crate::algorithm::Bug {
    param: "reply_while_using",
    name: Text::new(
        "agree to a request while using the machine",
        "自己正在使用咖啡机时也立即同意别人的请求",
    ),
    breaks: Text::new(
        "The asker goes in while the program is still there: two at the machine.",
        "请求者在它还没离开时就进去了：两个程序同时使用咖啡机。",
    ),
}];

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
    /// Failure detector: programs asked whether they are alive that have not answered yet.
    pub probed: BTreeSet<NodeId>,
    /// Failure detector: programs found failed, not waited for during the current request.
    pub skipped: BTreeSet<NodeId>,
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
    /// Failure detector: "are you alive?", from the program waiting with request `ts`.
    Probe {
        ts: u64,
    },
    /// "Alive, and deferring your request `ts`."
    StillHere {
        ts: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request { .. } => "request",
            Msg::Ok { .. } => "ok",
            Msg::Probe { .. } => "probe",
            Msg::StillHere { .. } => "still-here",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Request { ts, .. } => format!("req {ts}"),
            Msg::Ok { ts } => format!("ok {ts}"),
            Msg::Probe { ts } => format!("alive? {ts}"),
            Msg::StillHere { ts } => format!("still here {ts}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Done,
    /// Failure detector: time to ask the silent programs, or to give up on those asked.
    Probe,
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
        out.cancel_timer(Timer::Probe);
        start_using(&mut state.phase, self.usage, Timer::Done, why, out);
    }

    /// Done with the machine: send every deferred agreement.
    fn leave(&self, state: &mut State, out: &mut Out<Self>) {
        state.phase = Phase::Idle;
        state.agreed.clear();
        state.skipped.clear();
        out.observe(MutexEvent::Left);
        for (node, ts) in std::mem::take(&mut state.deferred) {
            out.send(node, Msg::Ok { ts });
            out.note(Note::SendsDeferred { to: node });
        }
    }

    /// `src` asks something, so it is up. If this program was about to skip it, or has, it
    /// waits for it again, and sends it the request it missed while it was down.
    fn heard_from(&self, state: &mut State, src: NodeId, out: &mut Out<Self>) {
        let was_skipped = state.skipped.remove(&src);
        if state.phase == Phase::Waiting && (state.probed.remove(&src) || was_skipped) {
            out.note(Note::TakesBack { who: src });
            out.send(
                src,
                Msg::Request {
                    resource: RESOURCE,
                    ts: state.request_ts,
                },
            );
        }
    }

    /// Every other program has agreed or has been found failed.
    fn may_enter(state: &State, out: &Out<Self>) -> bool {
        state.agreed.union(&state.skipped).count() + 1 >= out.cluster_size()
    }

    /// Request `ts` of `src` arrived: agree at once, or defer it (true).
    fn consider(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        ts: u64,
        out: &mut Out<Self>,
    ) -> bool {
        state.clock = state.clock.max(ts) + 1;
        let mine_first = (state.request_ts, id) < (ts, src);
        let defer = match state.phase {
            Phase::Using => !self.reply_while_using,
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
        defer
    }

    /// The probe timer fired while waiting: whoever was asked and has not answered is failed;
    /// the others still silent are asked.
    fn probe(&self, id: NodeId, state: &mut State, timeout: Span, out: &mut Out<Self>) {
        let failed = std::mem::take(&mut state.probed);
        if !failed.is_empty() {
            out.note(Note::Skips {
                failed: failed.iter().copied().collect(),
            });
            state.skipped.extend(failed);
            if Self::may_enter(state, out) {
                self.enter(state, out);
                return;
            }
        }
        let silent: Vec<NodeId> = out
            .all()
            .filter(|n| *n != id && !state.agreed.contains(n) && !state.skipped.contains(n))
            .collect();
        out.note(Note::Probes {
            silent: silent.clone(),
        });
        for n in &silent {
            out.send(
                *n,
                Msg::Probe {
                    ts: state.request_ts,
                },
            );
        }
        state.probed = silent.into_iter().collect();
        out.set_timer(Timer::Probe, timeout, timeout);
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
                self.heard_from(state, src, out);
                self.consider(id, state, src, ts, out);
            }
            Msg::Ok { ts } if state.phase == Phase::Waiting && ts == state.request_ts => {
                state.agreed.insert(src);
                state.probed.remove(&src);
                if Self::may_enter(state, out) {
                    self.enter(state, out);
                }
            }
            Msg::Ok { ts } => out.note(Note::StaleAgreement { from: src, ts }),
            Msg::Probe { ts } => {
                self.heard_from(state, src, out);
                // A program that lost the request (it was down) takes the question as the
                // request.
                let deferring =
                    state.deferred.get(&src) == Some(&ts) || self.consider(id, state, src, ts, out);
                if deferring {
                    out.note(Note::StillHere { to: src, ts });
                    out.send(src, Msg::StillHere { ts });
                }
            }
            Msg::StillHere { ts } if state.phase == Phase::Waiting && ts == state.request_ts => {
                state.probed.remove(&src);
            }
            Msg::StillHere { ts } => out.note(Note::StaleStillHere { from: src, ts }),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (timer, state.phase, self.failure_timeout) {
            (Timer::Probe, Phase::Waiting, Some(timeout)) => self.probe(id, state, timeout, out),
            (Timer::Done, Phase::Using, _) => self.leave(state, out),
            _ => {}
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
        if let Some(timeout) = self.failure_timeout {
            out.set_timer(Timer::Probe, timeout, timeout);
        }
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
            fields: [
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
            ]
            .into_iter()
            .chain(self.failure_timeout.map(|_| {
                (
                    "taken for failed",
                    list(state.skipped.iter().map(|n| n.to_string()).collect()),
                )
            }))
            .collect(),
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
