//! # Three-phase commit
//!
//! Three-phase commit answers two-phase commit's blocking with two changes. It splits the vote
//! in two, and it gives the *participants* a timeout, not just the coordinator.
//!
//! **CanCommit.** The coordinator asks whether each participant could commit. A participant
//! only checks (is there stock, is the account open?) and answers Yes or No; it executes
//! nothing and locks nothing yet. A participant that said Yes and then hears nothing aborts on
//! its timeout: nothing has been decided, so giving up is safe.
//!
//! **PreCommit.** All Yes: the coordinator sends PreCommit. Now a participant executes, writes
//! undo and redo, locks, and answers Ack. Any No, or a vote that does not arrive in time: the
//! coordinator sends Abort instead.
//!
//! **DoCommit.** Every Ack in: the coordinator sends DoCommit, and each participant commits,
//! releases its locks and answers Ack again. An Ack that does not arrive in time: Abort, and
//! participants roll back from their undo logs.
//!
//! The point of the middle phase is what a participant *knows* once it holds a PreCommit: the
//! coordinator only sends one after every participant said Yes. So a participant that
//! acknowledged PreCommit and then hears nothing commits on its own timeout instead of waiting,
//! and a coordinator crash no longer leaves anyone holding locks forever: that is why 3PC "does
//! not block", which readers of seed 004 asked about.
//!
//! The price is that this guess can be wrong. If the coordinator does not get every Ack (one
//! was lost, or a partition cut it off) it decides to abort, and the participants it can reach
//! roll back; those on the other side of the partition never hear the Abort, time out, and
//! commit. The participants now disagree: the atomicity violation seed 003 describes, and the
//! reason neither 2PC nor 3PC is the last word on distributed consistency.
//!
//! Participants that vote alike are interchangeable (their names are only shown), so the
//! explorer may reduce by symmetry: a disagreement found among renamed participants is the
//! same disagreement.

use super::commit::{
    ask_everyone, done_when_all_answered, log_decision, participants, refuse_begin,
    retell_from_log, tally, tell_again, tell_everyone, Answer, Commit, Decided, Tally,
};
use super::{
    check_atomicity, coordinator_view, list_in, named_with_vote, nodes_field, participant_view,
    vote_of, votes_field, Decision, Node, Participation, TxCommand, TxEvent, TxOutcome, Vote,
    COMMITTED_ROLE, COORDINATOR, COORDINATOR_ROLE, IDLE_ROLE, ROLLED_BACK_ROLE,
};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Permutation, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::{Note, Why};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ThreePhase {
    /// Each participant's answer to CanCommit, node 2 first; Yes for the rest.
    pub votes: Vec<Vote>,
    /// Each participant's name, node 2 first.
    pub names: Vec<String>,
    /// How long the coordinator waits for the votes, and then for the Acks, before it aborts.
    pub coordinator_timeout: Span,
    /// How long a participant waits for the coordinator's next word: after its Yes it then
    /// aborts, after its PreCommit Ack it commits.
    pub participant_timeout: Span,
    /// How long the coordinator waits for the final Acks before it sends its decision again.
    pub retry: Span,
}

/// How far the coordinator got; kept in its log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    NotBegun,
    CanCommit,
    PreCommit,
    Decided(Decision),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Coordinator {
    pub stage: Stage,
    pub votes: BTreeMap<NodeId, Vote>,
    /// Acks of PreCommit.
    pub acks: BTreeSet<NodeId>,
    /// Final Acks, with what each participant actually did.
    pub done: BTreeMap<NodeId, Decision>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Participant {
    Idle,
    /// Said Yes to CanCommit; nothing executed or locked. Aborts on timeout.
    Ready,
    VotedNo,
    /// Acknowledged PreCommit: executed, undo and redo logged, locked. Commits on timeout.
    PreCommitted,
    Committed,
    RolledBack,
}

pub type State = Node<Coordinator, Participant>;

impl Participation for Participant {
    fn decided(&self) -> Option<Decision> {
        match self {
            Participant::Committed => Some(Decision::Commit),
            Participant::RolledBack | Participant::VotedNo => Some(Decision::Abort),
            Participant::Idle | Participant::Ready | Participant::PreCommitted => None,
        }
    }
    fn holds_locks(&self) -> bool {
        *self == Participant::PreCommitted
    }
    fn state_key(&self) -> &'static str {
        match self {
            Participant::Idle => "idle",
            Participant::Ready => "ready",
            Participant::VotedNo => "voted-no",
            Participant::PreCommitted => "pre-committed",
            Participant::Committed => "committed",
            Participant::RolledBack => "rolled-back",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    CanCommit,
    Vote(Vote),
    PreCommit,
    /// The Ack of PreCommit.
    Ack,
    DoCommit,
    Abort,
    /// The final Ack: what the participant did.
    Done(Decision),
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::CanCommit => "can-commit",
            Msg::Vote(_) => "vote",
            Msg::PreCommit => "pre-commit",
            Msg::Ack => "ack",
            Msg::DoCommit => "do-commit",
            Msg::Abort => "abort",
            Msg::Done(_) => "done",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::CanCommit => "CanCommit",
            Msg::Vote(v) => v.label(),
            Msg::PreCommit => "PreCommit",
            Msg::Ack => "Ack",
            Msg::DoCommit => "DoCommit",
            Msg::Abort => "Abort",
            Msg::Done(Decision::Commit) => "Ack: committed",
            Msg::Done(Decision::Abort) => "Ack: rolled back",
        }
        .into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The coordinator gives up waiting for votes or for PreCommit Acks.
    Coordinator,
    /// A participant gives up waiting for the coordinator.
    Participant,
    /// The coordinator repeats its decision to whoever has not answered.
    Retry,
}

static ROLES: [(&str, &str, &str); 7] = [
    COORDINATOR_ROLE,
    IDLE_ROLE,
    (
        "ready",
        "said Yes: nothing locked yet",
        "已回复 Yes：尚未加锁",
    ),
    ("voted-no", "said No", "已回复 No"),
    (
        "pre-committed",
        "acknowledged PreCommit: holds locks, commits on timeout",
        "已确认 PreCommit：持锁，超时则提交",
    ),
    COMMITTED_ROLE,
    ROLLED_BACK_ROLE,
];

impl Commit for ThreePhase {
    const RETRY: Timer = Timer::Retry;
    fn decision_msg(d: Decision) -> Msg {
        match d {
            Decision::Commit => Msg::DoCommit,
            Decision::Abort => Msg::Abort,
        }
    }
    fn retry(&self) -> Span {
        self.retry
    }
}

impl ThreePhase {
    fn decide(&self, c: &mut Coordinator, d: Decision, why: Why, out: &mut Out<Self>) {
        c.stage = Stage::Decided(d);
        let note = Decided { why, decision: d };
        log_decision(d, Timer::Coordinator, note, out);
        tell_everyone(self, d, out);
    }

    fn wait_for_coordinator(&self, out: &mut Out<Self>) {
        out.set_timer(
            Timer::Participant,
            self.participant_timeout,
            self.participant_timeout,
        );
    }

    fn finish(&self, p: &mut Participant, d: Decision, out: &mut Out<Self>) {
        if *p == Participant::PreCommitted {
            out.observe(TxEvent::Released);
        }
        *p = match d {
            Decision::Commit => Participant::Committed,
            Decision::Abort => Participant::RolledBack,
        };
        out.observe(TxEvent::Finished(d));
        out.cancel_timer(Timer::Participant);
    }

    fn vote(&self, id: NodeId) -> Vote {
        vote_of(&self.votes, id)
    }
}

impl Protocol for ThreePhase {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = TxCommand;
    type Observation = TxEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        if id == COORDINATOR {
            State::Coordinator(Coordinator {
                stage: Stage::NotBegun,
                votes: BTreeMap::new(),
                acks: BTreeSet::new(),
                done: BTreeMap::new(),
            })
        } else {
            State::Participant(Participant::Idle)
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Participant(p), Msg::CanCommit) => match *p {
                Participant::Idle => {
                    let v = self.vote(id);
                    *p = match v {
                        Vote::Yes => {
                            out.note(Note::AnswersYes);
                            self.wait_for_coordinator(out);
                            Participant::Ready
                        }
                        Vote::No => {
                            out.note(Note::AnswersNo);
                            Participant::VotedNo
                        }
                    };
                    out.send(src, Msg::Vote(v));
                }
                Participant::Ready => out.send(src, Msg::Vote(Vote::Yes)),
                Participant::VotedNo => out.send(src, Msg::Vote(Vote::No)),
                _ => out.note(Note::PastCanCommit),
            },
            (State::Participant(p), Msg::PreCommit) => match *p {
                Participant::Ready => {
                    *p = Participant::PreCommitted;
                    out.observe(TxEvent::Locked);
                    out.note(Note::AnswersAck);
                    out.send(src, Msg::Ack);
                    self.wait_for_coordinator(out);
                }
                Participant::PreCommitted => out.send(src, Msg::Ack),
                _ => out.note(Note::NotWaitingForPreCommit),
            },
            (State::Participant(p), msg @ (Msg::DoCommit | Msg::Abort)) => {
                let d = if msg == Msg::DoCommit {
                    Decision::Commit
                } else {
                    Decision::Abort
                };
                match (*p, d) {
                    (Participant::PreCommitted, _)
                    | (Participant::Idle | Participant::Ready, Decision::Abort) => {
                        out.note(match d {
                            Decision::Commit => Note::Commits,
                            Decision::Abort => Note::RollsBack,
                        });
                        self.finish(p, d, out);
                        out.send(src, Msg::Done(d));
                    }
                    (Participant::Committed, _) | (Participant::RolledBack, _) => {
                        let did = if *p == Participant::Committed {
                            Decision::Commit
                        } else {
                            Decision::Abort
                        };
                        if did != d {
                            out.note(match did {
                                Decision::Commit => Note::TooLateToAbort,
                                Decision::Abort => Note::TooLateToCommit,
                            });
                        }
                        out.send(src, Msg::Done(did));
                    }
                    (Participant::VotedNo, Decision::Abort) => {
                        self.finish(p, d, out);
                        out.send(src, Msg::Done(d));
                    }
                    _ => out.note(Note::CannotAct { msg }),
                }
            }
            (State::Coordinator(c), Msg::Vote(v)) if c.stage == Stage::CanCommit => {
                c.votes.insert(src, v);
                match tally(&c.votes, out) {
                    Tally::Waiting => {}
                    Tally::Yes => {
                        c.stage = Stage::PreCommit;
                        ask_everyone(
                            Note::SendsPreCommit,
                            Msg::PreCommit,
                            Timer::Coordinator,
                            self.coordinator_timeout,
                            out,
                        );
                    }
                    Tally::No(no) => self.decide(c, Decision::Abort, Why::SaidNo(no), out),
                }
            }
            (State::Coordinator(c), Msg::Ack) if c.stage == Stage::PreCommit => {
                c.acks.insert(src);
                if c.acks.len() == participants(out).len() {
                    self.decide(c, Decision::Commit, Why::AllAcknowledged, out);
                }
            }
            (State::Coordinator(c), Msg::Done(did)) if matches!(c.stage, Stage::Decided(_)) => {
                c.done.insert(src, did);
                if c.stage != Stage::Decided(did) {
                    out.note(Note::DidTheOpposite { from: src, did });
                }
                done_when_all_answered(c.done.len(), Note::AllAnswered, out);
            }
            (_, msg) => out.note(Note::Stale { msg, from: src }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            (State::Coordinator(c), Timer::Coordinator) => match c.stage {
                Stage::CanCommit => self.decide(c, Decision::Abort, Why::LateVotes, out),
                Stage::PreCommit => self.decide(c, Decision::Abort, Why::LateAcks, out),
                _ => {}
            },
            (State::Coordinator(c), Timer::Retry) => {
                if let Stage::Decided(d) = c.stage {
                    tell_again(self, d, Answer::FinalAck, |p| c.done.contains_key(p), out);
                }
            }
            (State::Participant(p), Timer::Participant) => match *p {
                Participant::Ready => {
                    out.note(Note::NoPreCommit);
                    self.finish(p, Decision::Abort, out);
                }
                Participant::PreCommitted => {
                    out.note(Note::CommitsOnItsOwn);
                    self.finish(p, Decision::Commit, out);
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        match state {
            State::Coordinator(c) if c.stage == Stage::NotBegun => {
                c.stage = Stage::CanCommit;
                out.observe(TxEvent::Began);
                ask_everyone(
                    Note::Begins,
                    Msg::CanCommit,
                    Timer::Coordinator,
                    self.coordinator_timeout,
                    out,
                );
            }
            node => refuse_begin(node, out),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            State::Coordinator(c) => State::Coordinator(Coordinator {
                stage: c.stage,
                votes: BTreeMap::new(),
                acks: BTreeSet::new(),
                done: BTreeMap::new(),
            }),
            State::Participant(_) => state.clone(),
        }
    }

    /// A coordinator that comes back finishes from its log: a decision is sent again; having
    /// sent PreCommit it commits, as its participants will on their timeouts; before that it
    /// aborts. A participant that comes back starts its timeout afresh.
    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Coordinator(c) => match c.stage {
                Stage::Decided(d) => {
                    retell_from_log(self, d, out);
                }
                Stage::PreCommit => self.decide(c, Decision::Commit, Why::BackAfterPreCommit, out),
                Stage::CanCommit => self.decide(c, Decision::Abort, Why::BackDuringCanCommit, out),
                Stage::NotBegun => {}
            },
            State::Participant(Participant::Ready | Participant::PreCommitted) => {
                self.wait_for_coordinator(out)
            }
            State::Participant(_) => {}
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_atomicity(nodes)
    }

    /// The participants that vote Yes, and those that vote No: the only configuration that
    /// tells participants apart.
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        [Vote::Yes, Vote::No]
            .into_iter()
            .map(|v| {
                (0..nodes)
                    .map(NodeId::from_index)
                    .filter(|n| *n != COORDINATOR && self.vote(*n) == v)
                    .collect()
            })
            .collect()
    }

    /// Only the coordinator's records name nodes; messages and timers do not.
    fn rename_state(&self, state: &State, map: &Permutation) -> State {
        match state {
            State::Coordinator(c) => State::Coordinator(Coordinator {
                stage: c.stage,
                votes: c.votes.iter().map(|(n, v)| (map.apply(*n), *v)).collect(),
                acks: c.acks.iter().map(|n| map.apply(*n)).collect(),
                done: c.done.iter().map(|(n, d)| (map.apply(*n), *d)).collect(),
            }),
            State::Participant(_) => state.clone(),
        }
    }
}

impl Present for ThreePhase {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator(c) => {
                let phase = match c.stage {
                    Stage::NotBegun => "not begun".to_string(),
                    Stage::CanCommit => format!("CanCommit, {} votes in", c.votes.len()),
                    Stage::PreCommit => format!("PreCommit, {} Acks in", c.acks.len()),
                    Stage::Decided(d) => d.key().to_string(),
                };
                coordinator_view(
                    "coordinator",
                    phase,
                    vec![
                        ("votes", votes_field(&c.votes)),
                        ("PreCommit Acks from", nodes_field(&c.acks)),
                    ],
                )
            }
            State::Participant(_) => participant_view(&self.names, id, state, Some(self.vote(id))),
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
            State::Coordinator(c) if c.stage == Stage::NotBegun => vec![TxCommand::Begin],
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let decision = run.nodes.iter().find_map(|n| match &n.state {
            State::Coordinator(Coordinator {
                stage: Stage::Decided(d),
                ..
            }) => Some(*d),
            _ => None,
        });
        serde_json::to_value(TxOutcome::of(
            run,
            decision,
            named_with_vote(&self.names, &self.votes),
        ))
        .unwrap_or_default()
    }
}
