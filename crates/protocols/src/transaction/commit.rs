//! # What the coordinators of 2PC, 3PC and TCC do alike
//!
//! The three ask different questions and reach their decision by different paths, but around
//! those paths their coordinators work the same way. A question goes to every participant at
//! once, and the answers get a limited time. The decision goes to the log before anyone hears
//! it, so that a coordinator that crashes and comes back tells the same story. Then the
//! decision is repeated to whoever has not answered until everyone has: a lost message may
//! delay the end but never change it, which is why participants answer a repeat without acting
//! twice. What each protocol asks, when it decides and how it tells the event log stays in its
//! own module.

use super::{list_in, Decision, Node, TxEvent, Vote, COORDINATOR};
use clusterplay_sim::{say, Lang, Message, NodeId, Out, Protocol, Span, Words};
use std::collections::BTreeMap;

/// What the shared coordinator code needs to know of a commit protocol.
pub trait Commit: Protocol<Observation = TxEvent> {
    /// The timer on which the coordinator repeats its decision.
    const RETRY: Self::Timer;
    /// The message that tells a participant decision `d` (DoCommit, Abort, Confirm, …).
    fn decision_msg(d: Decision) -> Self::Msg;
    /// How long the coordinator waits for answers to its decision before it repeats it.
    fn retry(&self) -> Span;
}

/// What a protocol calls a participant's answer to its decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 2PC's HaveCommitted.
    HaveCommitted,
    /// 3PC's Ack of DoCommit or Abort.
    FinalAck,
    /// TCC's Confirmed or Cancelled.
    Any,
}

/// "Why: logs the decision and tells everyone": how 2PC's and 3PC's coordinators announce
/// their decision, after a reason of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided<W> {
    pub why: W,
    pub decision: Decision,
}

impl<W: Words> Words for Decided<W> {
    fn write(&self, lang: Lang, out: &mut String) {
        self.why.write(lang, out);
        let decision = self.decision.word(lang);
        say!(
            lang,
            out,
            ": logs {decision} and tells everyone",
            "：记录{decision}并通知所有参与者"
        )
    }
}

/// What the shared coordinator routine says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Note {
    ReadsLog {
        decision: Decision,
    },
    AlreadyBegun,
    OnlyCoordinatorBegins,
    SendsAgain {
        answer: Answer,
        missing: Vec<NodeId>,
        decision: String,
    },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::ReadsLog { decision } => {
                let decision = decision.word(lang);
                say!(
                    lang,
                    out,
                    "reads {decision} from its log: tells everyone again",
                    "从日志读到决定是{decision}：再次通知所有参与者"
                )
            }
            Note::AlreadyBegun => say!(
                lang,
                out,
                "the transaction has already begun",
                "事务已经开始"
            ),
            Note::OnlyCoordinatorBegins => say!(
                lang,
                out,
                "only the coordinator begins the transaction",
                "只有协调者才能开始事务"
            ),
            Note::SendsAgain {
                answer,
                missing,
                decision,
            } => {
                let missing = list_in(lang, missing);
                match answer {
                    Answer::HaveCommitted => say!(
                        lang,
                        out,
                        "no HaveCommitted from {missing}: sends {decision} again",
                        "{missing} 没有回复 HaveCommitted：再次发送 {decision}"
                    ),
                    Answer::FinalAck => say!(
                        lang,
                        out,
                        "no final Ack from {missing}: sends {decision} again",
                        "{missing} 没有发来最终的 Ack：再次发送 {decision}"
                    ),
                    Answer::Any => say!(
                        lang,
                        out,
                        "no answer from {missing}: sends {decision} again",
                        "{missing} 没有回复：再次发送 {decision}"
                    ),
                }
            }
        }
    }
}

/// Every node but the coordinator, in order.
pub fn participants<P: Protocol>(out: &Out<P>) -> Vec<NodeId> {
    out.all().filter(|n| *n != COORDINATOR).collect()
}

/// The participants for which `answered` is false, in order.
pub fn silent<P: Protocol>(out: &Out<P>, answered: impl Fn(&NodeId) -> bool) -> Vec<NodeId> {
    participants(out)
        .into_iter()
        .filter(|p| !answered(p))
        .collect()
}

/// Put `question` to every participant and give them `timeout` on `timer` to answer.
pub fn ask_everyone<P: Protocol>(
    note: impl Words,
    question: P::Msg,
    timer: P::Timer,
    timeout: Span,
    out: &mut Out<P>,
) {
    out.note(note);
    for p in participants(out) {
        out.send(p, question.clone());
    }
    out.set_timer(timer, timeout, timeout);
}

/// Why a Begin does nothing: it went to a participant, or the transaction is under way.
pub fn refuse_begin<C, Q, P: Protocol>(node: &Node<C, Q>, out: &mut Out<P>) {
    out.note(match node {
        Node::Coordinator(_) => Note::AlreadyBegun,
        Node::Participant(_) => Note::OnlyCoordinatorBegins,
    });
}

/// Where the votes stand.
pub enum Tally {
    /// Some participant has not voted yet.
    Waiting,
    /// Every participant voted Yes.
    Yes,
    /// Every participant voted, and these voted No.
    No(Vec<NodeId>),
}

/// Count the votes in so far against the participants there are.
pub fn tally<P: Protocol>(votes: &BTreeMap<NodeId, Vote>, out: &Out<P>) -> Tally {
    if votes.len() < participants(out).len() {
        return Tally::Waiting;
    }
    let no: Vec<NodeId> = votes
        .iter()
        .filter(|(_, v)| **v == Vote::No)
        .map(|(n, _)| *n)
        .collect();
    if no.is_empty() {
        Tally::Yes
    } else {
        Tally::No(no)
    }
}

/// Write decision `d` to the log and stop waiting, on `waiting`, for the answers that led to
/// it; the caller then tells the participants.
pub fn log_decision<P: Commit>(d: Decision, waiting: P::Timer, note: impl Words, out: &mut Out<P>) {
    out.observe(TxEvent::Decided(d));
    out.cancel_timer(waiting);
    out.note(note);
}

/// Send decision `d` to every participant and start repeating it.
pub fn tell_everyone<P: Commit>(protocol: &P, d: Decision, out: &mut Out<P>) {
    for p in participants(out) {
        out.send(p, P::decision_msg(d));
    }
    out.set_timer(P::RETRY, protocol.retry(), protocol.retry());
}

/// A coordinator back from a crash with decision `d` in its log says so and tells everyone
/// again.
pub fn retell_from_log<P: Commit>(protocol: &P, d: Decision, out: &mut Out<P>) {
    out.note(Note::ReadsLog { decision: d });
    tell_everyone(protocol, d, out);
}

/// The retry timer fired: send `d` again to each participant that has not `answered` (what
/// the protocol calls that answer is `answer`), and keep at it while anyone is missing.
pub fn tell_again<P: Commit>(
    protocol: &P,
    d: Decision,
    answer: Answer,
    answered: impl Fn(&NodeId) -> bool,
    out: &mut Out<P>,
) {
    let missing = silent(out, answered);
    if missing.is_empty() {
        return;
    }
    out.note(Note::SendsAgain {
        answer,
        missing: missing.clone(),
        decision: P::decision_msg(d).label(),
    });
    for p in missing {
        out.send(p, P::decision_msg(d));
    }
    out.set_timer(P::RETRY, protocol.retry(), protocol.retry());
}

/// `answers` participants have answered the decision; once that is all of them there is
/// nothing left to repeat, and `note` says the transaction is over.
pub fn done_when_all_answered<P: Commit>(answers: usize, note: impl Words, out: &mut Out<P>) {
    if answers == participants(out).len() {
        out.cancel_timer(P::RETRY);
        out.note(note);
    }
}
