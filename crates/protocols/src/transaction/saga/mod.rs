//! # Saga: a chain of local transactions, undone by compensation
//!
//! Beyond the texts: four readers of seed 004 ask what a Saga is and where it belongs. It is a
//! flexible transaction, like TCC and the message queue: there is no global lock and no
//! prepare phase. The business activity is a chain of *local* transactions, each committed in
//! its own database at once (take the payment, then ship from the warehouse), and every step
//! comes with a *compensating* transaction that semantically undoes it (refund the payment).
//! If a later step fails, the steps already committed are compensated, newest first. The
//! activity ends either with every step done or with every done step compensated: eventual
//! consistency, reached by going backwards rather than by holding locks.
//!
//! Here an *orchestrator* (node 1, the order system) runs the chain (Garcia-Molina and Salem's
//! Saga, 1987, in its orchestrated form as current frameworks build it). It writes where it
//! is to its saga log before each move, so that after a crash it picks the chain up where it
//! left it. It asks each participant in turn to do its step; an answer of failure, or no answer
//! in time, turns it round. A step that did not answer is *in doubt*: its local transaction
//! may have committed with the answer lost, so it is compensated too. Compensations must not
//! fail: the orchestrator repeats each until it is answered, so participants do each step and
//! each compensation at most once and answer repeats without doing them again, and a
//! participant asked to compensate a step it never did records that (an empty compensation)
//! and refuses the step if it arrives late, as TCC's participants refuse a late Try.
//!
//! What a Saga gives up is isolation: between a step and its compensation, everyone can see
//! the payment taken, and another order may act on it. The invariants checked after every
//! event: no step or compensation runs twice, and once the orchestrator has finished, either
//! every step is done or none is left done.

mod algorithm;
#[cfg(test)]
mod tests;
mod words;

pub use algorithm::Entry;

use super::{
    name, participant_view, Decision, Node, Participation, TxCommand, TxEvent, COORDINATOR,
    IDLE_ROLE,
};
use clusterplay_sim::{Message, NodeId, NodeSlot, Out, Protocol, Span, Time, Violation};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use serde::Serialize;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Saga {
    /// Each participant's name, node 2 first: the steps run in node order.
    pub names: Vec<String>,
    /// The participant whose local transaction fails (a business failure: out of stock).
    pub fails: Option<NodeId>,
    /// How long the orchestrator waits for a step before it turns back.
    pub step_timeout: Span,
    /// How long it waits for a compensation before it asks again.
    pub retry: Span,
}

/// Where the orchestrator is, as its saga log says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    NotBegun,
    /// Waiting for this participant's step.
    Forward(NodeId),
    /// Waiting for this participant's compensation.
    Backward(NodeId),
    Completed,
    Compensated,
}

/// The orchestrator's saga log: kept through a crash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Orchestrator {
    pub phase: Phase,
    /// Steps known done, in order.
    pub done: Vec<NodeId>,
    /// Steps to compensate after the current one, newest first.
    pub undo: Vec<NodeId>,
    /// Steps compensated, in the order they were.
    pub compensated: Vec<NodeId>,
    /// The step that failed, if one answered so.
    pub failed: Option<NodeId>,
}

/// What a participant did for this saga, kept in its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Local {
    Idle,
    /// Its local transaction committed.
    Done,
    /// Its local transaction failed and rolled itself back.
    Failed,
    /// Its step was undone by the compensating transaction.
    Compensated,
    /// Compensated before its step arrived: nothing to undo, and the step is refused.
    CompensatedEmpty,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Participant {
    pub local: Local,
    /// How often its local transaction and its compensation ran: at most once each.
    pub steps_run: u32,
    pub compensations_run: u32,
}

pub type State = Node<Orchestrator, Participant>;

impl Participation for Participant {
    fn decided(&self) -> Option<Decision> {
        match self.local {
            Local::Done => Some(Decision::Commit),
            Local::Compensated | Local::CompensatedEmpty | Local::Failed => Some(Decision::Abort),
            Local::Idle => None,
        }
    }
    /// Nothing is ever locked: each step commits at once.
    fn holds_locks(&self) -> bool {
        false
    }
    fn state_key(&self) -> &'static str {
        match self.local {
            Local::Idle => "idle",
            Local::Done => "done",
            Local::Failed => "failed",
            Local::Compensated | Local::CompensatedEmpty => "compensated",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    /// Run your step's local transaction.
    Do,
    Did {
        ok: bool,
    },
    /// Run your step's compensating transaction.
    Compensate,
    Compensated,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Do => "do",
            Msg::Did { .. } => "step-result",
            Msg::Compensate => "compensate",
            Msg::Compensated => "compensated",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Do => "Do",
            Msg::Did { ok: true } => "Done",
            Msg::Did { ok: false } => "Failed",
            Msg::Compensate => "Compensate",
            Msg::Compensated => "Compensated",
        }
        .into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The orchestrator gives up waiting for the current step.
    Step,
    /// The orchestrator asks for the current compensation again.
    Retry,
}

static ROLES: [(&str, &str, &str); 5] = [
    (
        "coordinator",
        "orchestrator (the order system)",
        "编排者（订单系统）",
    ),
    IDLE_ROLE,
    (
        "done",
        "step done (committed locally)",
        "步骤已完成（本地已提交）",
    ),
    ("failed", "step failed", "步骤失败"),
    ("compensated", "compensated", "已补偿"),
];

impl Saga {
    fn fails(&self, id: NodeId) -> bool {
        self.fails == Some(id)
    }

    /// Participants in the order their steps run.
    fn steps(out: &Out<Self>) -> Vec<NodeId> {
        out.all().filter(|n| *n != COORDINATOR).collect()
    }

    /// Ask `step` to do its part and wait for it.
    fn forward(&self, o: &mut Orchestrator, step: NodeId, out: &mut Out<Self>) {
        o.phase = Phase::Forward(step);
        out.send(step, Msg::Do);
        out.set_timer(Timer::Step, self.step_timeout, self.step_timeout);
    }

    /// Compensate the next step in `undo`, or finish.
    fn backward(&self, o: &mut Orchestrator, out: &mut Out<Self>) {
        out.cancel_timer(Timer::Step);
        match o.undo.first().copied() {
            Some(step) => {
                o.undo.remove(0);
                o.phase = Phase::Backward(step);
                out.note(Note::Compensates { step });
                out.send(step, Msg::Compensate);
                out.set_timer(Timer::Retry, self.retry, self.retry);
            }
            None => {
                o.phase = Phase::Compensated;
                out.cancel_timer(Timer::Retry);
                out.observe(TxEvent::Decided(Decision::Abort));
                out.note(Note::AllCompensated);
            }
        }
    }

    /// Turn back: compensate `first` (if any), then what was done, newest first.
    fn turn_back(&self, o: &mut Orchestrator, first: Option<NodeId>, out: &mut Out<Self>) {
        o.undo = first
            .into_iter()
            .chain(o.done.iter().rev().copied())
            .collect();
        self.backward(o, out);
    }

    /// Ask again for whatever the log says the orchestrator is waiting for.
    fn resume(&self, o: &Orchestrator, out: &mut Out<Self>) {
        match o.phase {
            Phase::Forward(step) => {
                out.send(step, Msg::Do);
                out.set_timer(Timer::Step, self.step_timeout, self.step_timeout);
            }
            Phase::Backward(step) => {
                out.send(step, Msg::Compensate);
                out.set_timer(Timer::Retry, self.retry, self.retry);
            }
            Phase::NotBegun | Phase::Completed | Phase::Compensated => {}
        }
    }

    fn on_participant_msg(
        &self,
        id: NodeId,
        p: &mut Participant,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Self>,
    ) {
        match msg {
            Msg::Do => {
                let ok = match p.local {
                    Local::Idle if self.fails(id) => {
                        p.local = Local::Failed;
                        p.steps_run += 1;
                        out.observe(TxEvent::Finished(Decision::Abort));
                        out.note(Note::StepFails);
                        false
                    }
                    Local::Idle => {
                        p.local = Local::Done;
                        p.steps_run += 1;
                        out.observe(TxEvent::Finished(Decision::Commit));
                        out.note(Note::StepCommits);
                        true
                    }
                    Local::Done => {
                        out.note(Note::AlreadyDone);
                        true
                    }
                    Local::Failed => false,
                    Local::Compensated | Local::CompensatedEmpty => {
                        out.note(Note::RefusesLateStep);
                        false
                    }
                };
                out.send(src, Msg::Did { ok });
            }
            Msg::Compensate => {
                match p.local {
                    Local::Done => {
                        p.local = Local::Compensated;
                        p.compensations_run += 1;
                        out.note(Note::Undoes);
                    }
                    Local::Idle => {
                        p.local = Local::CompensatedEmpty;
                        out.note(Note::EmptyCompensation);
                    }
                    Local::Failed => out.note(Note::NothingToUndo),
                    Local::Compensated | Local::CompensatedEmpty => {
                        out.note(Note::AlreadyCompensated)
                    }
                }
                out.send(src, Msg::Compensated);
            }
            Msg::Did { .. } | Msg::Compensated => out.note(Note::Ignores { msg, from: src }),
        }
    }

    fn on_orchestrator_msg(
        &self,
        o: &mut Orchestrator,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Self>,
    ) {
        match (o.phase.clone(), msg) {
            (Phase::Forward(step), Msg::Did { ok: true }) if step == src => {
                out.cancel_timer(Timer::Step);
                o.done.push(step);
                let steps = Self::steps(out);
                match steps.iter().position(|s| *s == step).map(|i| i + 1) {
                    Some(next) if next < steps.len() => {
                        out.note(Note::Next {
                            done: step,
                            next: steps[next],
                        });
                        self.forward(o, steps[next], out);
                    }
                    _ => {
                        o.phase = Phase::Completed;
                        out.observe(TxEvent::Decided(Decision::Commit));
                        out.note(Note::AllDone);
                    }
                }
            }
            (Phase::Forward(step), Msg::Did { ok: false }) if step == src => {
                o.failed = Some(step);
                out.note(Note::TurnsBack { failed: step });
                self.turn_back(o, None, out);
            }
            (Phase::Backward(step), Msg::Compensated) if step == src => {
                out.cancel_timer(Timer::Retry);
                o.compensated.push(step);
                self.backward(o, out);
            }
            (_, msg) => out.note(Note::Ignores { msg, from: src }),
        }
    }
}

impl Protocol for Saga {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = TxCommand;
    type Observation = TxEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        if id == COORDINATOR {
            State::Coordinator(Orchestrator {
                phase: Phase::NotBegun,
                done: Vec::new(),
                undo: Vec::new(),
                compensated: Vec::new(),
                failed: None,
            })
        } else {
            State::Participant(Participant {
                local: Local::Idle,
                steps_run: 0,
                compensations_run: 0,
            })
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match state {
            State::Participant(p) => self.on_participant_msg(id, p, src, msg, out),
            State::Coordinator(o) => self.on_orchestrator_msg(o, src, msg, out),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        let State::Coordinator(o) = state else { return };
        match (timer, o.phase.clone()) {
            (Timer::Step, Phase::Forward(step)) => {
                out.note(Note::InDoubt { step });
                self.turn_back(o, Some(step), out);
            }
            (Timer::Retry, Phase::Backward(step)) => {
                out.note(Note::AsksAgain { step });
                self.resume(o, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        match state {
            State::Coordinator(o) if o.phase == Phase::NotBegun => {
                out.observe(TxEvent::Began);
                match Self::steps(out).first().copied() {
                    Some(first) => {
                        out.note(Note::Begins { first });
                        self.forward(o, first, out);
                    }
                    None => {
                        o.phase = Phase::Completed;
                        out.note(Note::AllDone);
                    }
                }
            }
            State::Coordinator(_) => out.note(Note::AlreadyBegun),
            State::Participant(_) => out.note(Note::OnlyTheOrchestrator),
        }
    }

    /// The orchestrator's saga log and the participants' databases survive; timers do not.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        state.clone()
    }

    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if let State::Coordinator(o) = state {
            if matches!(o.phase, Phase::Forward(_) | Phase::Backward(_)) {
                out.note(Note::Resumes);
                self.resume(o, out);
            }
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        let participants = || {
            nodes.iter().filter_map(|n| match &n.state {
                State::Participant(p) => Some((n.id, p)),
                State::Coordinator(_) => None,
            })
        };
        for (id, p) in participants() {
            if p.steps_run > 1 || p.compensations_run > 1 {
                found.push(Violation {
                    invariant: "exactly-once",
                    text: format!(
                        "participant {id} ran its step {} times and its compensation {} times",
                        p.steps_run, p.compensations_run
                    ),
                    nodes: vec![id],
                });
            }
        }
        let finished = nodes.iter().find_map(|n| match &n.state {
            State::Coordinator(o) => Some(o.phase.clone()),
            State::Participant(_) => None,
        });
        let left_done: Vec<NodeId> = participants()
            .filter(|(_, p)| p.local == Local::Done)
            .map(|(id, _)| id)
            .collect();
        let not_done: Vec<NodeId> = participants()
            .filter(|(_, p)| p.local != Local::Done)
            .map(|(id, _)| id)
            .collect();
        let broken = match finished {
            Some(Phase::Completed) => !not_done.is_empty(),
            Some(Phase::Compensated) => !left_done.is_empty(),
            _ => false,
        };
        if broken {
            found.push(Violation {
                invariant: "consistency",
                text: format!(
                    "the saga is over but {} done and {} not",
                    super::list(&left_done),
                    super::list(&not_done)
                ),
                nodes: left_done.into_iter().chain(not_done).collect(),
            });
        }
        found
    }
}

impl Present for Saga {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator(o) => {
                let phase = match &o.phase {
                    Phase::NotBegun => "not begun".to_string(),
                    Phase::Forward(step) => format!("step {step}"),
                    Phase::Backward(step) => format!("compensate {step}"),
                    Phase::Completed => "completed".into(),
                    Phase::Compensated => "compensated".into(),
                };
                NodeView {
                    role: "coordinator",
                    label: format!("orchestrator · {phase}"),
                    badges: Vec::new(),
                    fields: vec![
                        ("role", "saga orchestrator".into()),
                        ("phase", phase),
                        ("steps done", super::list(&o.done)),
                        ("compensated", super::list(&o.compensated)),
                    ],
                }
            }
            State::Participant(p) => {
                let mut v = participant_view(&self.names, id, state, None);
                v.fields.extend([
                    ("steps run", p.steps_run.to_string()),
                    ("compensations run", p.compensations_run.to_string()),
                ]);
                v
            }
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Star {
            center: COORDINATOR,
        }
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<TxCommand> {
        match state {
            State::Coordinator(o) if o.phase == Phase::NotBegun => vec![TxCommand::Begin],
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(SagaOutcome::of(self, run)).unwrap_or_default()
    }
}

/// What `clusterplay run` prints of a Saga and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SagaOutcome {
    /// `not-begun`, `running`, `completed` or `compensated`.
    pub status: &'static str,
    /// The steps done, by name, in the order they were done.
    pub completed: Vec<String>,
    /// The steps compensated, by name, in the order they were: newest first.
    pub compensated: Vec<String>,
    /// The step that failed, by name.
    pub failed: Option<String>,
    /// The saga is over, and every step is done or none is left done.
    pub consistent: bool,
    /// From Begin to the orchestrator's last word, while nothing is left to do.
    pub finished_ms: Option<f64>,
    pub participants: Vec<ParticipantOutcome>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParticipantOutcome {
    pub node: u32,
    pub name: String,
    pub state: &'static str,
    pub up: bool,
}

impl SagaOutcome {
    fn of(saga: &Saga, run: &RunView<'_, Saga>) -> SagaOutcome {
        let named = |ids: &[NodeId]| ids.iter().map(|id| name(&saga.names, *id)).collect();
        let orchestrator = run.nodes.iter().find_map(|n| match &n.state {
            State::Coordinator(o) => Some(o),
            State::Participant(_) => None,
        });
        let participants: Vec<ParticipantOutcome> = run
            .nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Participant(p) => Some(ParticipantOutcome {
                    node: n.id.number(),
                    name: name(&saga.names, n.id),
                    state: p.state_key(),
                    up: n.up,
                }),
                State::Coordinator(_) => None,
            })
            .collect();
        let all = |state: &str| participants.iter().all(|p| p.state == state);
        let none_done = participants.iter().all(|p| p.state != "done");
        let (status, consistent) = match orchestrator.map(|o| &o.phase) {
            None | Some(Phase::NotBegun) => ("not-begun", false),
            Some(Phase::Forward(_) | Phase::Backward(_)) => ("running", false),
            Some(Phase::Completed) => ("completed", all("done")),
            Some(Phase::Compensated) => ("compensated", none_done),
        };
        let began = first(run, |e| matches!(e, TxEvent::Began));
        let ended = first(run, |e| matches!(e, TxEvent::Decided(_)));
        SagaOutcome {
            status,
            completed: orchestrator.map_or_else(Vec::new, |o| named(&o.done)),
            compensated: orchestrator.map_or_else(Vec::new, |o| named(&o.compensated)),
            failed: orchestrator
                .and_then(|o| o.failed)
                .map(|id| name(&saga.names, id)),
            consistent,
            finished_ms: began
                .zip(ended)
                .map(|(b, e)| clusterplay_sim::to_ms(e.saturating_sub(b))),
            participants,
        }
    }
}

fn first(run: &RunView<'_, Saga>, what: impl Fn(&TxEvent) -> bool) -> Option<Time> {
    run.observations
        .iter()
        .find(|o| what(&o.what))
        .map(|o| o.time)
}
