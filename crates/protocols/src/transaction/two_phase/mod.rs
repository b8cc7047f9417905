//! # Two-phase commit (XA)
//!
//! XA splits a distributed transaction between a *transaction manager*, the coordinator, and
//! *resource managers*, the participants, usually databases. Seed 004's example: user A buys
//! 100 T-shirts; the order system must add the order and the inventory must take 100 shirts
//! off the shelf, both or neither.
//!
//! **Phase 1, voting.** The coordinator sends CanCommit to every participant. A participant
//! executes the transaction without committing it: it writes undo and redo information to its
//! log and locks what it touched, then answers Yes. One that cannot (the inventory has too few
//! shirts) answers No.
//!
//! **Phase 2, commit.** Once every vote is in, the coordinator decides: all Yes, DoCommit; any
//! No, or a participant that has not answered within the coordinator's timeout, DoAbort. It
//! writes the decision to its log first, then tells each participant. A participant commits (or
//! rolls back from its undo log), releases its locks and answers HaveCommitted, whichever it
//! did: that is the texts' name for "done". The coordinator sends the decision again to anyone
//! who has not answered, and a participant in doubt keeps asking the coordinator for it, so a
//! lost message only delays the end.
//!
//! The weakness is the gap between the phases. A participant that voted Yes has given up the
//! right to decide alone: it may not commit (another may have voted No) and may not roll back
//! (the coordinator may have decided to commit). If the coordinator crashes now, the
//! participant waits *in doubt*, holding its locks, for as long as the coordinator stays down,
//! and everyone else who needs those rows waits behind it: the *synchronous blocking* and
//! *single point of failure* of the texts. If the coordinator crashes while it is sending
//! DoCommit, some participants have committed and the others are still in doubt: the texts'
//! *inconsistent data*. Nobody has decided differently, though; a coordinator that comes back
//! reads its log and finishes the job, which is why 2PC keeps atomicity under any crash or
//! loss, at the price of blocking. A coordinator that comes back without a decision in its log
//! aborts: nobody can have committed yet.
//!
//! **Cooperative termination** (`cooperative_termination`, off unless a scenario asks). The
//! texts' remedy for the blocked coordinator is a backup coordinator that takes over (001), and
//! 003 warns that a new coordinator cannot end the blocking by itself. The classic remedy of
//! the databases books goes through the participants instead: one in doubt asks the others as
//! well as the coordinator. A participant that committed or rolled back tells what was decided;
//! one that voted No, or has not voted yet and now refuses to, knows the answer is abort. Each of
//! those lets the asker finish without the coordinator. Only when every participant it reaches
//! voted Yes and none has heard the decision is it stuck, exactly as before: the decision lives
//! in the coordinator's log alone, and guessing could contradict it. So the remedy shortens the
//! blocking in many runs and ends it in none where everyone voted Yes before the coordinator
//! went silent.

use super::commit::{
    ask_everyone, done_when_all_answered, log_decision, participants, refuse_begin,
    retell_from_log, silent, tally, tell_again, Answer, Commit, Decided, Tally,
};
use super::{
    check_atomicity, coordinator_view, list_in, named_with_vote, nodes_field, participant_view,
    vote_of, votes_field, Decision, Node, Participation, TxCommand, TxEvent, TxOutcome, Vote,
    COMMITTED_ROLE, COORDINATOR, COORDINATOR_ROLE, IDLE_ROLE, ROLLED_BACK_ROLE,
};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::{Note, Why};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TwoPhase {
    /// Each participant's vote, node 2 first; Yes for the rest.
    pub votes: Vec<Vote>,
    /// Each participant's name, node 2 first ("order system").
    pub names: Vec<String>,
    /// How long the coordinator waits for the votes before it aborts.
    pub vote_timeout: Span,
    /// How long the coordinator waits for HaveCommitted before it sends the decision again, and a
    /// participant in doubt before it asks the coordinator again.
    pub retry: Span,
    /// Time between two DoCommit (or DoAbort) sends: a coordinator tells its participants one
    /// after the other, and may crash in between. Zero sends them all at once.
    pub send_gap: Span,
    /// A participant in doubt asks the other participants too, not only the coordinator.
    pub cooperative: bool,
    /// A bug (see [`BUGS`]): a participant in doubt gives up waiting and rolls back alone.
    pub abort_when_in_doubt: bool,
}

/// The rule of 2PC that implementations get wrong, switched on by a parameter for the explorer
/// to show what it is for.
///
/// - **Roll back alone when in doubt** (`abort_when_in_doubt`): the blocking of 2PC is the price
///   of its safety. A participant that voted Yes has promised to commit if told to; if, tired of
///   waiting for a coordinator that does not answer, it rolls back on its own, the coordinator
///   (which may have decided Commit and told the others) and it disagree: atomicity breaks. The
///   texts' remedy is to ask the other participants (`cooperative_termination`), never to guess.
pub const BUGS: &[crate::algorithm::Bug] = &[crate::algorithm::Bug {
    param: "abort_when_in_doubt",
    name: crate::Text::new(
        "a participant in doubt rolls back on its own after a timeout",
        "处于不确定状态的参与者超时后自行回滚",
    ),
    breaks: crate::Text::new(
        "If the coordinator decided Commit, the others commit while it rolled back: they disagree.",
        "如果协调者已决定提交，其他参与者提交了，而它却回滚了：结果不一致。",
    ),
}];

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Coordinator {
    /// The transaction has begun (on stable storage).
    pub began: bool,
    /// The decision, written to the log before anyone hears it.
    pub decision: Option<Decision>,
    pub votes: BTreeMap<NodeId, Vote>,
    /// How many participants have been sent the decision so far.
    pub sent: usize,
    pub acked: BTreeSet<NodeId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Participant {
    /// Has not heard of the transaction.
    Idle,
    /// Could not execute it and said No: it will only ever roll back.
    VotedNo,
    /// Executed, logged undo and redo, locked, said Yes: in doubt until the decision arrives.
    Prepared,
    Committed,
    RolledBack,
}

pub type State = Node<Coordinator, Participant>;

impl Participation for Participant {
    fn decided(&self) -> Option<Decision> {
        match self {
            Participant::Committed => Some(Decision::Commit),
            Participant::RolledBack | Participant::VotedNo => Some(Decision::Abort),
            Participant::Idle | Participant::Prepared => None,
        }
    }
    fn holds_locks(&self) -> bool {
        *self == Participant::Prepared
    }
    fn state_key(&self) -> &'static str {
        match self {
            Participant::Idle => "idle",
            Participant::VotedNo => "voted-no",
            Participant::Prepared => "in-doubt",
            Participant::Committed => "committed",
            Participant::RolledBack => "rolled-back",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    CanCommit,
    Vote(Vote),
    DoCommit,
    DoAbort,
    HaveCommitted,
    /// A participant in doubt asks what was decided.
    Query,
    /// Cooperative termination: a participant's answer to another's Query, the decision it
    /// knows or `None` when it is in doubt too.
    Known(Option<Decision>),
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::CanCommit => "can-commit",
            Msg::Vote(_) => "vote",
            Msg::DoCommit => "do-commit",
            Msg::DoAbort => "do-abort",
            Msg::HaveCommitted => "have-committed",
            Msg::Query => "query",
            Msg::Known(_) => "peer-answer",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::CanCommit => "CanCommit",
            Msg::Vote(v) => v.label(),
            Msg::DoCommit => "DoCommit",
            Msg::DoAbort => "DoAbort",
            Msg::HaveCommitted => "HaveCommitted",
            Msg::Query => "decision?",
            Msg::Known(Some(d)) => d.key(),
            Msg::Known(None) => "don't know",
        }
        .into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The coordinator gives up waiting for votes.
    Votes,
    /// The coordinator tells the next participant its decision.
    SendNext,
    /// The coordinator repeats its decision to whoever has not answered.
    Retry,
    /// A participant in doubt asks the coordinator again.
    Ask,
}

static ROLES: [(&str, &str, &str); 6] = [
    COORDINATOR_ROLE,
    IDLE_ROLE,
    (
        "in-doubt",
        "voted Yes: holds its locks, in doubt",
        "已投 Yes：持锁等待，结果未知",
    ),
    ("voted-no", "voted No", "已投 No"),
    COMMITTED_ROLE,
    ROLLED_BACK_ROLE,
];

impl Commit for TwoPhase {
    const RETRY: Timer = Timer::Retry;
    fn decision_msg(d: Decision) -> Msg {
        match d {
            Decision::Commit => Msg::DoCommit,
            Decision::Abort => Msg::DoAbort,
        }
    }
    fn retry(&self) -> Span {
        self.retry
    }
}

impl TwoPhase {
    fn decide(&self, c: &mut Coordinator, d: Decision, why: Why, out: &mut Out<Self>) {
        c.decision = Some(d);
        c.sent = 0;
        let note = Decided { why, decision: d };
        log_decision(d, Timer::Votes, note, out);
        self.send_more(c, out);
    }

    /// Send the decision to the next participant, or to all that remain when there is no gap.
    fn send_more(&self, c: &mut Coordinator, out: &mut Out<Self>) {
        let Some(d) = c.decision else { return };
        let all = participants(out);
        let upto = if self.send_gap == 0 {
            all.len()
        } else {
            (c.sent + 1).min(all.len())
        };
        for p in &all[c.sent..upto] {
            out.send(*p, Self::decision_msg(d));
        }
        c.sent = upto;
        if c.sent < all.len() {
            out.set_timer(Timer::SendNext, self.send_gap, self.send_gap);
        } else {
            out.set_timer(Timer::Retry, self.retry, self.retry);
        }
    }

    fn vote(&self, id: NodeId) -> Vote {
        vote_of(&self.votes, id)
    }
}

impl Protocol for TwoPhase {
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
                votes: BTreeMap::new(),
                sent: 0,
                acked: BTreeSet::new(),
            })
        } else {
            State::Participant(Participant::Idle)
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Participant(p), Msg::CanCommit) => match *p {
                Participant::Idle => match self.vote(id) {
                    Vote::Yes => {
                        *p = Participant::Prepared;
                        out.observe(TxEvent::Locked);
                        out.note(Note::VotesYes);
                        out.send(src, Msg::Vote(Vote::Yes));
                        out.set_timer(Timer::Ask, self.retry, self.retry);
                    }
                    Vote::No => {
                        *p = Participant::VotedNo;
                        out.note(Note::VotesNo);
                        out.send(src, Msg::Vote(Vote::No));
                    }
                },
                Participant::Prepared => out.send(src, Msg::Vote(Vote::Yes)),
                Participant::VotedNo => out.send(src, Msg::Vote(Vote::No)),
                _ => out.note(Note::FinishedIgnoresCanCommit),
            },
            (State::Participant(p), Msg::DoCommit) => match *p {
                Participant::Prepared => {
                    *p = Participant::Committed;
                    out.observe(TxEvent::Finished(Decision::Commit));
                    out.observe(TxEvent::Released);
                    out.cancel_timer(Timer::Ask);
                    out.note(Note::Commits);
                    out.send(src, Msg::HaveCommitted);
                }
                Participant::Committed => out.send(src, Msg::HaveCommitted),
                _ => out.note(Note::NeverVotedYes),
            },
            (State::Participant(p), Msg::DoAbort) => match *p {
                Participant::Prepared | Participant::VotedNo | Participant::Idle => {
                    if *p == Participant::Prepared {
                        out.observe(TxEvent::Released);
                        out.cancel_timer(Timer::Ask);
                        out.note(Note::RollsBack);
                    } else {
                        out.note(Note::NothingToUndo);
                    }
                    *p = Participant::RolledBack;
                    out.observe(TxEvent::Finished(Decision::Abort));
                    out.send(src, Msg::HaveCommitted);
                }
                Participant::RolledBack => out.send(src, Msg::HaveCommitted),
                Participant::Committed => out.note(Note::CommittedIgnoresAbort),
            },
            (State::Participant(p), Msg::Query) if self.cooperative => {
                let known = match *p {
                    Participant::Committed => Some(Decision::Commit),
                    Participant::RolledBack | Participant::VotedNo => Some(Decision::Abort),
                    // Refusing now is as good as a No: the coordinator cannot commit without
                    // this vote, and a late CanCommit finds the participant finished.
                    Participant::Idle => {
                        *p = Participant::RolledBack;
                        out.observe(TxEvent::Finished(Decision::Abort));
                        out.note(Note::AbortsUnvoted { asker: src });
                        Some(Decision::Abort)
                    }
                    Participant::Prepared => None,
                };
                out.send(src, Msg::Known(known));
            }
            (State::Participant(p), Msg::Known(Some(d))) if *p == Participant::Prepared => {
                *p = match d {
                    Decision::Commit => Participant::Committed,
                    Decision::Abort => Participant::RolledBack,
                };
                out.observe(TxEvent::Finished(d));
                out.observe(TxEvent::Released);
                out.cancel_timer(Timer::Ask);
                out.note(Note::LearnsFromPeer {
                    decision: d,
                    from: src,
                });
            }
            (State::Participant(Participant::Prepared), Msg::Known(None)) => {
                out.note(Note::PeerInDoubt { peer: src })
            }
            (State::Coordinator(c), Msg::Vote(v)) if c.began && c.decision.is_none() => {
                c.votes.insert(src, v);
                match tally(&c.votes, out) {
                    Tally::Waiting => {}
                    Tally::Yes => self.decide(c, Decision::Commit, Why::AllYes, out),
                    Tally::No(no) => self.decide(c, Decision::Abort, Why::VotedNo(no), out),
                }
            }
            (State::Coordinator(c), Msg::Query) => match c.decision {
                Some(d) => out.send(src, Self::decision_msg(d)),
                None => out.note(Note::NothingDecided { asker: src }),
            },
            (State::Coordinator(c), Msg::HaveCommitted) if c.decision.is_some() => {
                c.acked.insert(src);
                done_when_all_answered(c.acked.len(), Note::AllAnswered, out);
            }
            (_, msg) => out.note(Note::Stale { msg, from: src }),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        let c = match state {
            State::Coordinator(c) => c,
            State::Participant(p @ Participant::Prepared) if self.abort_when_in_doubt => {
                out.note(Note::GivesUpAndRollsBack);
                out.observe(TxEvent::Released);
                *p = Participant::RolledBack;
                out.observe(TxEvent::Finished(Decision::Abort));
                return;
            }
            State::Participant(Participant::Prepared) => {
                if self.cooperative {
                    out.note(Note::StillInDoubtAsksAll);
                    out.broadcast(id, Msg::Query);
                } else {
                    out.note(Note::StillInDoubt);
                    out.send(COORDINATOR, Msg::Query);
                }
                out.set_timer(Timer::Ask, self.retry, self.retry);
                return;
            }
            State::Participant(_) => return,
        };
        match timer {
            Timer::Votes if c.decision.is_none() => {
                let silent = silent(out, |p| c.votes.contains_key(p));
                self.decide(c, Decision::Abort, Why::NoVote(silent), out);
            }
            Timer::SendNext => self.send_more(c, out),
            Timer::Retry => {
                if let Some(d) = c.decision {
                    tell_again(self, d, Answer::HaveCommitted, |p| c.acked.contains(p), out);
                }
            }
            Timer::Votes | Timer::Ask => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        match state {
            State::Coordinator(c) if !c.began => {
                c.began = true;
                out.observe(TxEvent::Began);
                ask_everyone(
                    Note::Begins,
                    Msg::CanCommit,
                    Timer::Votes,
                    self.vote_timeout,
                    out,
                );
            }
            node => refuse_begin(node, out),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            // The log keeps that the transaction began and what was decided; the votes and
            // answers collected so far are in memory only.
            State::Coordinator(c) => State::Coordinator(Coordinator {
                began: c.began,
                decision: c.decision,
                votes: BTreeMap::new(),
                sent: 0,
                acked: BTreeSet::new(),
            }),
            // A prepared transaction survives a restart in a database: undo, redo and locks.
            State::Participant(_) => state.clone(),
        }
    }

    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Coordinator(c) => match c.decision {
                Some(d) => {
                    retell_from_log(self, d, out);
                    c.sent = participants(out).len();
                }
                None if c.began => self.decide(c, Decision::Abort, Why::NothingLogged, out),
                None => {}
            },
            State::Participant(Participant::Prepared) => {
                out.note(Note::BackInDoubt);
                out.set_timer(Timer::Ask, self.retry, self.retry);
            }
            State::Participant(_) => {}
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_atomicity(nodes)
    }
}

impl Present for TwoPhase {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator(c) => {
                let phase = match (c.began, c.decision) {
                    (false, _) => "not begun".to_string(),
                    (true, None) => format!("voting, {} in", c.votes.len()),
                    (true, Some(d)) => d.key().to_string(),
                };
                let decision = c.decision.map_or("none".into(), |d| d.key().into());
                coordinator_view(
                    "transaction manager (coordinator)",
                    phase,
                    vec![
                        ("votes", votes_field(&c.votes)),
                        ("decision (log)", decision),
                        ("HaveCommitted from", nodes_field(&c.acked)),
                    ],
                )
            }
            State::Participant(_) => {
                let mut view = participant_view(&self.names, id, state, Some(self.vote(id)));
                if self.cooperative {
                    view.fields.push((
                        "asks when in doubt",
                        "the coordinator and the other participants".into(),
                    ));
                }
                view
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

    fn commands(&self, id: NodeId, state: &State) -> Vec<TxCommand> {
        match state {
            State::Coordinator(c) if !c.began && id == COORDINATOR => vec![TxCommand::Begin],
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let decision = run.nodes.iter().find_map(|n| match &n.state {
            State::Coordinator(c) => c.decision,
            State::Participant(_) => None,
        });
        serde_json::to_value(TxOutcome::of(
            run,
            decision,
            named_with_vote(&self.names, &self.votes),
        ))
        .unwrap_or_default()
    }
}
