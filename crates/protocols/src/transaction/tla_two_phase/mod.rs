//! # Two-phase commit as Lamport's TwoPhase.tla
//!
//! The TLA+ examples model two-phase commit with almost nothing: each resource manager (RM) is
//! *working*, *prepared*, *committed* or *aborted*; the transaction manager (TM) is *init*,
//! *committed* or *aborted* and remembers the set of RMs it has heard "Prepared" from; and the
//! network is the set of every message ever sent, so a message is never lost, may be received
//! any number of times, in any order. Every step is spontaneous unless a message enables it:
//!
//! - an RM that is working may **prepare** (it sends Prepared to the TM) or **choose to abort**
//!   (silently; the spec leaves out the Abort message an RM would send);
//! - the TM, while in init, **receives Prepared** from an RM and adds it to its set, **commits**
//!   once the set holds every RM (it sends Commit), or **aborts** at any moment (it sends Abort);
//! - an RM **receives Commit** or **Abort** and commits or aborts.
//!
//! The invariant is the spec's TCConsistent: no RM has committed while another aborted.
//!
//! Here each spontaneous step is a timer, armed exactly while the step is enabled: an RM's
//! Prepare and ChooseToAbort while it works, the TM's Abort while it is in init, its Commit once
//! every RM has prepared. The explorer fires any armed timer at any moment, so this module has
//! the same states and steps as the spec (a TM broadcast is one message per RM, all sent at
//! once, which the spec writes as one message to all). Explored with the network as a set of
//! messages ever sent, three RMs give TLC's 288 distinct states: the explorer's calibration.
//! In normal play the timers get ranges that usually let every RM prepare in time.
//!
//! The RMs are interchangeable, as the spec's `RM` is a set of model values TLC may declare a
//! SYMMETRY set: nothing in the spec tells one RM from another. So this protocol offers them to
//! the explorer's symmetry reduction; the only node ids in a state are the TM's prepared set.

use super::{list, TxCommand, TxEvent, COORDINATOR};
use clusterplay_sim::{
    ms, say, Lang, Message, NodeId, NodeSlot, Out, Permutation, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::TlaTwoPhaseOutcome;
use words::Note;

/// The spec's constants, as timer ranges for normal play (exploration ignores them).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TlaTwoPhase {
    /// When a working RM prepares.
    pub prepare: (Span, Span),
    /// When a working RM gives up and aborts on its own.
    pub choose_to_abort: (Span, Span),
    /// When the TM gives up and aborts.
    pub tm_abort: (Span, Span),
}

impl Default for TlaTwoPhase {
    fn default() -> Self {
        TlaTwoPhase {
            prepare: (ms(1), ms(20)),
            choose_to_abort: (ms(60), ms(120)),
            tm_abort: (ms(80), ms(160)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rm {
    Working,
    Prepared,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tm {
    Init,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Tm {
        state: Tm,
        /// `tmPrepared`: bit `i` for node `i` (a set that hashes and copies as one word).
        prepared: u128,
    },
    Rm(Rm),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Prepared,
    Commit,
    Abort,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Prepared => "prepared",
            Msg::Commit => "commit",
            Msg::Abort => "abort",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Prepared => "Prepared",
            Msg::Commit => "Commit",
            Msg::Abort => "Abort",
        }
        .into()
    }
}

/// The spec's spontaneous steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Prepare,
    ChooseToAbort,
    Commit,
    Abort,
}

static ROLES: [(&str, &str, &str); 5] = [
    ("tm", "transaction manager", "事务管理器"),
    ("working", "working", "工作中"),
    ("prepared", "prepared", "已准备"),
    ("committed", "committed", "已提交"),
    ("aborted", "aborted", "已放弃"),
];

fn bit(id: NodeId) -> u128 {
    1u128 << (id.index() % 128)
}

/// Every RM's bit: nodes 2 to n.
fn all_rms(nodes: usize) -> u128 {
    (1..nodes).fold(0, |set, i| set | bit(NodeId::from_index(i)))
}

fn rm_key(rm: Rm) -> &'static str {
    match rm {
        Rm::Working => "working",
        Rm::Prepared => "prepared",
        Rm::Committed => "committed",
        Rm::Aborted => "aborted",
    }
}

fn tm_key(tm: Tm) -> &'static str {
    match tm {
        Tm::Init => "init",
        Tm::Committed => "committed",
        Tm::Aborted => "aborted",
    }
}

impl TlaTwoPhase {
    fn arm(&self, timer: Timer, out: &mut Out<Self>) {
        let (lo, hi) = match timer {
            Timer::Prepare => self.prepare,
            Timer::ChooseToAbort => self.choose_to_abort,
            Timer::Abort => self.tm_abort,
            Timer::Commit => (ms(1), ms(1)),
        };
        out.set_timer(timer, lo, hi);
    }

    /// An RM leaves `working`: its spontaneous steps are no longer enabled.
    fn stop_working(out: &mut Out<Self>) {
        out.cancel_timer(Timer::Prepare);
        out.cancel_timer(Timer::ChooseToAbort);
    }

    /// The TM leaves `init` and tells every RM.
    fn decide(tm: &mut Tm, decision: Tm, msg: Msg, out: &mut Out<Self>) {
        *tm = decision;
        out.cancel_timer(Timer::Commit);
        out.cancel_timer(Timer::Abort);
        out.observe(TxEvent::Decided(match decision {
            Tm::Committed => super::Decision::Commit,
            _ => super::Decision::Abort,
        }));
        out.broadcast(COORDINATOR, msg);
    }
}

impl Protocol for TlaTwoPhase {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = TxCommand;
    type Observation = TxEvent;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        if id == COORDINATOR {
            self.arm(Timer::Abort, out);
            State::Tm {
                state: Tm::Init,
                prepared: 0,
            }
        } else {
            self.arm(Timer::Prepare, out);
            self.arm(Timer::ChooseToAbort, out);
            State::Rm(Rm::Working)
        }
    }

    fn on_msg(&self, _id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            // TMRcvPrepared
            (State::Tm { state, prepared }, Msg::Prepared) if *state == Tm::Init => {
                *prepared |= bit(src);
                if *prepared == all_rms(out.cluster_size()) {
                    out.note(Note::AllPrepared);
                    self.arm(Timer::Commit, out);
                }
            }
            // RMRcvCommitMsg, RMRcvAbortMsg: the spec does not look at the RM's state.
            (State::Rm(rm), Msg::Commit) => {
                Self::stop_working(out);
                *rm = Rm::Committed;
            }
            (State::Rm(rm), Msg::Abort) => {
                Self::stop_working(out);
                *rm = Rm::Aborted;
            }
            (_, msg) => out.note(Note::ChangesNothing { msg }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            // RMPrepare
            (State::Rm(rm @ Rm::Working), Timer::Prepare) => {
                Self::stop_working(out);
                *rm = Rm::Prepared;
                out.send(COORDINATOR, Msg::Prepared);
            }
            // RMChooseToAbort
            (State::Rm(rm @ Rm::Working), Timer::ChooseToAbort) => {
                Self::stop_working(out);
                *rm = Rm::Aborted;
                out.note(Note::ChoosesToAbort);
            }
            // TMCommit
            (State::Tm { state, prepared }, Timer::Commit)
                if *state == Tm::Init && *prepared == all_rms(out.cluster_size()) =>
            {
                Self::decide(state, Tm::Committed, Msg::Commit, out)
            }
            // TMAbort
            (State::Tm { state, .. }, Timer::Abort) if *state == Tm::Init => {
                Self::decide(state, Tm::Aborted, Msg::Abort, out)
            }
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, _state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        out.note(Note::NoCommands);
    }

    /// The spec has no crashes; a node that comes back has what it had, so its steps resume.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        *state
    }

    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match *state {
            State::Rm(Rm::Working) => {
                self.arm(Timer::Prepare, out);
                self.arm(Timer::ChooseToAbort, out);
            }
            State::Tm {
                state: Tm::Init,
                prepared,
            } => {
                self.arm(Timer::Abort, out);
                if prepared == all_rms(out.cluster_size()) {
                    self.arm(Timer::Commit, out);
                }
            }
            _ => {}
        }
    }

    /// TCConsistent: no RM committed while another aborted.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let (mut committed, mut aborted) = (false, false);
        for n in nodes {
            match n.state {
                State::Rm(Rm::Committed) => committed = true,
                State::Rm(Rm::Aborted) => aborted = true,
                _ => {}
            }
        }
        if !(committed && aborted) {
            return Vec::new();
        }
        let with = |rm: Rm| -> Vec<NodeId> {
            nodes
                .iter()
                .filter(|n| n.state == State::Rm(rm))
                .map(|n| n.id)
                .collect()
        };
        let (c, a) = (with(Rm::Committed), with(Rm::Aborted));
        vec![Violation {
            invariant: "consistency",
            text: format!(
                "RMs disagree: {} committed while {} aborted",
                list(&c),
                list(&a)
            ),
            nodes: c.into_iter().chain(a).collect(),
        }]
    }

    /// Every RM: the TM is the only node the spec names.
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        vec![(0..nodes)
            .map(NodeId::from_index)
            .filter(|n| *n != COORDINATOR)
            .collect()]
    }

    /// Messages and timers name no node (Prepared's sender is the envelope's); the TM's
    /// prepared set does.
    fn rename_state(&self, state: &State, map: &Permutation) -> State {
        match *state {
            State::Tm { state, prepared } => State::Tm {
                state,
                prepared: map.apply_bits(prepared),
            },
            rm => rm,
        }
    }
}

impl Present for TlaTwoPhase {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        match *state {
            State::Tm { state, prepared } => {
                let heard: Vec<String> = (0..128)
                    .filter(|i| prepared & (1u128 << i) != 0)
                    .map(|i| NodeId::from_index(i).to_string())
                    .collect();
                NodeView {
                    role: "tm",
                    label: format!("TM · {}", tm_key(state)),
                    badges: Vec::new(),
                    fields: vec![
                        ("tmState", tm_key(state).into()),
                        ("tmPrepared", format!("{{{}}}", heard.join(", "))),
                    ],
                }
            }
            State::Rm(rm) => NodeView {
                role: rm_key(rm),
                label: rm_key(rm).into(),
                badges: Vec::new(),
                fields: vec![("rmState", rm_key(rm).into())],
            },
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

    /// `tm_state`, the RMs in each state, and whether they agree.
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(TlaTwoPhaseOutcome::of(run)).unwrap_or_default()
    }
}
