//! # TCC: Try, Confirm, Cancel
//!
//! Seed 001 calls TCC two-phase commit written in business code. Every business operation is
//! split into three methods. *Try* checks the business rules and reserves what the operation
//! needs: for an order, it freezes the stock and the money instead of taking them. *Confirm*
//! turns the reservation into the real thing; *Cancel* gives it back. A coordinator (the
//! service that runs the business activity) calls Try on every participant; if every Try
//! succeeded it calls Confirm on all of them, and if any Try failed or did not answer in time,
//! Cancel on all of them.
//!
//! Unlike XA, each Try commits its own local transaction at once: nothing stays locked in a
//! database while the coordinator makes up its mind, only the reserved amount is set aside, so
//! other orders can go on using what is left. The cost is that the business code has to
//! supply three methods instead of one.
//!
//! The network may lose a Confirm or its reply, so the coordinator repeats Confirm (or Cancel)
//! until it is answered, which means a participant may receive it twice: Confirm and Cancel
//! must be *idempotent*. Here each participant records what it did for the transaction and
//! answers a repeat without doing it again. Two more cases come from reordering: a Cancel that
//! arrives before its Try (the coordinator gave up on a slow Try) is an *empty rollback*, and
//! is recorded so that the Try, when it finally arrives, is refused instead of leaving a
//! reservation nobody will ever confirm or cancel.
//!
//! The invariants: atomicity (no participant confirmed while another cancelled), exactly once
//! (nothing is used twice, and what is available, reserved and used always adds up to what the
//! participant started with), and, once faults stop and the retries have gone through, every
//! participant confirmed or every participant cancelled.

use super::commit::{
    ask_everyone, done_when_all_answered, log_decision, participants, refuse_begin, silent,
    tell_again, tell_everyone, Answer, Commit,
};
use super::{
    check_atomicity, coordinator_view, list_in, participant_view, setting, Decision, Node,
    Participation, TxCommand, TxEvent, COORDINATOR, COORDINATOR_ROLE, IDLE_ROLE,
};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::BTreeSet;

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::Reservation;
use words::{Note, Why};

/// What a participant has unless the scenario says otherwise.
pub const DEFAULT_AVAILABLE: u64 = 100;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tcc {
    /// Each participant's name, node 2 first.
    pub names: Vec<String>,
    /// What each participant has to start with (stock, balance), node 2 first.
    pub available: Vec<u64>,
    /// What this transaction needs from each participant, node 2 first; 1 for the rest.
    pub amounts: Vec<u64>,
    /// How long the coordinator waits for every Try before it cancels.
    pub try_timeout: Span,
    /// How long the coordinator waits for an answer before it repeats Confirm or Cancel.
    pub retry: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Coordinator {
    pub began: bool,
    /// Written to the log before anyone hears it.
    pub decision: Option<Decision>,
    pub tried: BTreeSet<NodeId>,
    pub acked: BTreeSet<NodeId>,
}

/// What a participant did for the transaction; kept in its database with the amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Idle,
    Reserved,
    TryFailed,
    Confirmed,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Participant {
    pub step: Step,
    /// The answer this participant gave to Try, if it has given one.
    pub tried: Option<bool>,
    pub available: u64,
    pub reserved: u64,
    pub used: u64,
    /// How many Confirms and Cancels arrived, repeats included.
    pub confirms: u32,
    pub cancels: u32,
}

pub type State = Node<Coordinator, Participant>;

/// A reservation stands where 2PC holds locks: set aside from Try until Confirm or Cancel.
impl Participation for Participant {
    fn decided(&self) -> Option<Decision> {
        match self.step {
            Step::Confirmed => Some(Decision::Commit),
            Step::Cancelled => Some(Decision::Abort),
            Step::Idle | Step::Reserved | Step::TryFailed => None,
        }
    }
    fn holds_locks(&self) -> bool {
        self.step == Step::Reserved
    }
    fn state_key(&self) -> &'static str {
        match self.step {
            Step::Idle => "idle",
            Step::Reserved => "reserved",
            Step::TryFailed => "try-failed",
            Step::Confirmed => "confirmed",
            Step::Cancelled => "cancelled",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Try,
    Tried { ok: bool },
    Confirm,
    Cancel,
    Confirmed,
    Cancelled,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Try => "try",
            Msg::Tried { .. } => "try-result",
            Msg::Confirm => "confirm",
            Msg::Cancel => "cancel",
            Msg::Confirmed => "confirmed",
            Msg::Cancelled => "cancelled",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Try => "Try",
            Msg::Tried { ok: true } => "Try ok",
            Msg::Tried { ok: false } => "Try failed",
            Msg::Confirm => "Confirm",
            Msg::Cancel => "Cancel",
            Msg::Confirmed => "Confirmed",
            Msg::Cancelled => "Cancelled",
        }
        .into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The coordinator gives up waiting for the Trys.
    Try,
    /// The coordinator repeats Confirm or Cancel to whoever has not answered.
    Retry,
}

static ROLES: [(&str, &str, &str); 6] = [
    COORDINATOR_ROLE,
    IDLE_ROLE,
    (
        "reserved",
        "Try ok: resources reserved",
        "Try 成功：资源已预留",
    ),
    ("try-failed", "Try failed", "Try 失败"),
    ("confirmed", "confirmed", "已确认（Confirm）"),
    ("cancelled", "cancelled", "已取消（Cancel）"),
];

impl Commit for Tcc {
    const RETRY: Timer = Timer::Retry;
    fn decision_msg(d: Decision) -> Msg {
        match d {
            Decision::Commit => Msg::Confirm,
            Decision::Abort => Msg::Cancel,
        }
    }
    fn retry(&self) -> Span {
        self.retry
    }
}

impl Tcc {
    pub fn initial(&self, id: NodeId) -> u64 {
        setting(&self.available, id).unwrap_or(DEFAULT_AVAILABLE)
    }

    pub fn amount(&self, id: NodeId) -> u64 {
        setting(&self.amounts, id).unwrap_or(1)
    }

    fn decide(&self, c: &mut Coordinator, d: Decision, why: Why, out: &mut Out<Self>) {
        c.decision = Some(d);
        let note = Note::Decides { why, decision: d };
        log_decision(d, Timer::Try, note, out);
        tell_everyone(self, d, out);
    }
}

impl Protocol for Tcc {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = TxCommand;
    type Observation = TxEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        if id == COORDINATOR {
            State::Coordinator(Coordinator {
                began: false,
                decision: None,
                tried: BTreeSet::new(),
                acked: BTreeSet::new(),
            })
        } else {
            State::Participant(Participant {
                step: Step::Idle,
                tried: None,
                available: self.initial(id),
                reserved: 0,
                used: 0,
                confirms: 0,
                cancels: 0,
            })
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        let amount = self.amount(id);
        match (state, msg) {
            (State::Participant(p), Msg::Try) => {
                let ok = match p.step {
                    Step::Idle if p.available >= amount => {
                        p.available -= amount;
                        p.reserved += amount;
                        p.step = Step::Reserved;
                        out.observe(TxEvent::Locked);
                        out.note(Note::Reserves { amount });
                        true
                    }
                    Step::Idle => {
                        p.step = Step::TryFailed;
                        out.note(Note::TryFails {
                            amount,
                            available: p.available,
                        });
                        false
                    }
                    Step::Cancelled => {
                        out.note(Note::LateTry);
                        false
                    }
                    Step::Reserved | Step::Confirmed => true,
                    Step::TryFailed => false,
                };
                p.tried.get_or_insert(ok);
                out.send(src, Msg::Tried { ok });
            }
            (State::Participant(p), Msg::Confirm) => {
                p.confirms += 1;
                match p.step {
                    Step::Reserved => {
                        p.reserved -= amount;
                        p.used += amount;
                        p.step = Step::Confirmed;
                        out.observe(TxEvent::Released);
                        out.observe(TxEvent::Finished(Decision::Commit));
                        out.note(Note::Confirms { amount });
                        out.send(src, Msg::Confirmed);
                    }
                    Step::Confirmed => {
                        out.note(Note::AlreadyConfirmed);
                        out.send(src, Msg::Confirmed);
                    }
                    _ => out.note(Note::NothingToConfirm),
                }
            }
            (State::Participant(p), Msg::Cancel) => {
                p.cancels += 1;
                match p.step {
                    Step::Reserved => {
                        p.reserved -= amount;
                        p.available += amount;
                        out.observe(TxEvent::Released);
                        out.note(Note::GivesBack { amount });
                    }
                    Step::Idle => out.note(Note::EmptyRollback),
                    Step::TryFailed => out.note(Note::NothingReserved),
                    Step::Cancelled => out.note(Note::AlreadyCancelled),
                    Step::Confirmed => {
                        out.note(Note::CannotCancel);
                        return;
                    }
                }
                if p.step != Step::Cancelled {
                    p.step = Step::Cancelled;
                    out.observe(TxEvent::Finished(Decision::Abort));
                }
                out.send(src, Msg::Cancelled);
            }
            (State::Coordinator(c), Msg::Tried { ok }) if c.began && c.decision.is_none() => {
                if !ok {
                    self.decide(c, Decision::Abort, Why::TryFailed(src), out);
                    return;
                }
                c.tried.insert(src);
                if c.tried.len() == participants(out).len() {
                    self.decide(c, Decision::Commit, Why::AllTried, out);
                }
            }
            (State::Coordinator(c), Msg::Confirmed | Msg::Cancelled) if c.decision.is_some() => {
                c.acked.insert(src);
                done_when_all_answered(c.acked.len(), Note::AllAnswered, out);
            }
            (_, msg) => out.note(Note::Stale { msg, from: src }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        let State::Coordinator(c) = state else { return };
        match (timer, c.decision) {
            (Timer::Try, None) => {
                let silent = silent(out, |p| c.tried.contains(p));
                self.decide(c, Decision::Abort, Why::NoResult(silent), out);
            }
            (Timer::Retry, Some(d)) => {
                tell_again(self, d, Answer::Any, |p| c.acked.contains(p), out);
            }
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        match state {
            State::Coordinator(c) if !c.began => {
                c.began = true;
                out.observe(TxEvent::Began);
                ask_everyone(Note::Begins, Msg::Try, Timer::Try, self.try_timeout, out);
            }
            node => refuse_begin(node, out),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            State::Coordinator(c) => State::Coordinator(Coordinator {
                began: c.began,
                decision: c.decision,
                tried: BTreeSet::new(),
                acked: BTreeSet::new(),
            }),
            // Reservations and what was done are in the participant's database.
            State::Participant(_) => state.clone(),
        }
    }

    /// A coordinator that comes back repeats its logged decision, or cancels when it has none:
    /// nobody can have confirmed yet.
    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if let State::Coordinator(c) = state {
            match c.decision {
                Some(d) => {
                    out.note(Note::Repeats { decision: d });
                    tell_everyone(self, d, out);
                }
                None if c.began => self.decide(c, Decision::Abort, Why::NothingLogged, out),
                None => {}
            }
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = check_atomicity(nodes);
        for n in nodes {
            if let State::Participant(p) = &n.state {
                let total = p.available + p.reserved + p.used;
                if p.used > self.amount(n.id) || total != self.initial(n.id) {
                    found.push(Violation {
                        invariant: "exactly-once",
                        text: format!(
                            "participant {} holds {} available, {} reserved, {} used of {}",
                            n.id,
                            p.available,
                            p.reserved,
                            p.used,
                            self.initial(n.id)
                        ),
                        nodes: vec![n.id],
                    });
                }
            }
        }
        found
    }
}

impl Present for Tcc {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator(c) => {
                let phase = match (c.began, c.decision) {
                    (false, _) => "not begun".to_string(),
                    (true, None) => format!("Try, {} ok", c.tried.len()),
                    (true, Some(Decision::Commit)) => "confirm".into(),
                    (true, Some(Decision::Abort)) => "cancel".into(),
                };
                coordinator_view("coordinator", phase, Vec::new())
            }
            State::Participant(p) => {
                let mut v = participant_view(&self.names, id, state, None);
                v.label = format!(
                    "{} · {} free, {} held, {} used",
                    v.label, p.available, p.reserved, p.used
                );
                v.fields.extend([
                    ("available", p.available.to_string()),
                    ("reserved", p.reserved.to_string()),
                    ("used", p.used.to_string()),
                    ("needs", self.amount(id).to_string()),
                    ("Confirms received", p.confirms.to_string()),
                    ("Cancels received", p.cancels.to_string()),
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
            State::Coordinator(c) if !c.began => vec![TxCommand::Begin],
            _ => Vec::new(),
        }
    }

    /// The shared outcome, with each participant's reservation (see [`Reservation`]).
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(outcome::of(self, run)).unwrap_or_default()
    }
}
