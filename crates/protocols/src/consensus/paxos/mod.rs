//! # Single-decree Paxos
//!
//! Paxos chooses one value out of those that several *proposers* put forward, and never two.
//! Seed 002 names three roles: a *proposer* proposes a value, an *acceptor* votes on proposals,
//! a *learner* is told the result. A proposal is a pair [n, v]: a proposal number n, unique
//! across proposers, and a value v. Here every node is a learner, and a node may also be a
//! proposer, an acceptor, or both.
//!
//! **Phase 1, prepare.** A proposer picks a number n and sends Prepare(n) to every acceptor. An
//! acceptor that has promised nothing higher promises n – it will never again accept a proposal
//! numbered below n – and answers with the highest-numbered proposal it has *accepted*, if any.
//! An acceptor that has promised a higher number refuses (this module answers with a Nack naming
//! that number, so the proposer knows at once that it was overtaken).
//!
//! **Phase 2, accept.** A proposer holding promises for n from a majority of acceptors sends
//! Accept [n, v]. The value is not free: if any promise in that majority carried an accepted
//! proposal, v must be the value of the highest-numbered one; only if none did may the proposer
//! use its own. An acceptor accepts [n, v] unless it has promised a number above n, and tells
//! every learner. A value is *chosen* once a majority of acceptors have accepted the same
//! proposal; a learner that hears this learns it.
//!
//! Why only one value: any two majorities share an acceptor. Once [n, v] is chosen, every later
//! proposer's majority of promises includes an acceptor that accepted [n, v] (or a later
//! proposal that itself had to carry v), so the highest accepted proposal it sees has value v.
//!
//! Seed 002 tells this example loosely: its acceptors "set the current proposal" on a prepare and
//! hand the prepared value back, so B adopts 8 although nobody accepted it. In real Paxos a
//! promise carries only an accepted proposal; the `paxos-seed` preset reproduces the example
//! with timings under which one acceptor does accept A's [2, 8] before B's prepare reaches it.
//!
//! Two proposers can pre-empt each other for ever (each new prepare makes the other's accept
//! fail); Paxos guarantees safety, not progress. A proposer that is refused retries after a
//! randomized backoff, so one of them eventually gets through.
//!
//! Proposal numbers stay unique because proposer i only uses numbers with its own residue modulo
//! a stride (A: 2, 12, 22…; B: 4, 14…), each time the next one above anything it has seen. An
//! acceptor's promise and accepted proposal are on stable storage, and so is the last number a
//! proposer used: forgetting either after a crash could let two values be chosen.

use super::majority;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::{AcceptSent, AcceptorOutcome, LearnerOutcome, PaxosOutcome, ProposerOutcome};
use words::Note;

/// A proposer's fixed configuration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProposerConfig {
    pub node: NodeId,
    /// The value it proposes when no acceptor has accepted anything.
    pub value: u64,
    /// Its first proposal number; later ones keep its residue modulo the stride.
    pub first: u64,
    /// When it starts on its own, if it does (it can always be told to by a command).
    pub start: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Paxos {
    pub proposers: Vec<ProposerConfig>,
    /// The acceptors, in node order.
    pub acceptors: Vec<NodeId>,
    pub stride: u64,
    /// How long a refused proposer waits before its next round, drawn from this range.
    pub backoff: (Span, Span),
    /// A round that is neither refused nor finished in this time is started again.
    pub round_timeout: Span,
    /// Display names by node ("A", "B", "X"…); the node number where missing.
    pub names: Vec<String>,
    /// A bug (see [`BUGS`]): an acceptor's promise is not on stable storage.
    pub forget_promise_on_crash: bool,
    /// A bug (see [`BUGS`]): a proposer proposes its own value whatever the promises said.
    pub ignore_accepted_value: bool,
}

/// The rules of Paxos that implementations get wrong, switched on by parameters for the
/// explorer to show what each is for.
///
/// - **Forget the promise on a crash** (`forget_promise_on_crash`): "never accept a proposal
///   numbered below n" holds only if the promise survives. An acceptor that restarts with no
///   promise accepts an older proposal it had refused, and a value can be chosen after another
///   already was: two values chosen.
/// - **Ignore the highest accepted value** (`ignore_accepted_value`): phase 2 must carry the
///   value of the highest-numbered proposal any promise reported. A proposer that sends its own
///   value instead can overwrite a value a majority has already accepted, so two values are
///   chosen.
pub const BUGS: &[crate::algorithm::Bug] = &[
    crate::algorithm::Bug {
        param: "forget_promise_on_crash",
        name: crate::Text::new(
            "an acceptor forgets its promise when it crashes",
            "接受者崩溃重启后忘记了自己的承诺",
        ),
        breaks: crate::Text::new(
            "It accepts an older proposal it had refused: two values can be chosen.",
            "它会接受之前拒绝过的旧提案：可能有两个值被选定。",
        ),
    },
    crate::algorithm::Bug {
        param: "ignore_accepted_value",
        name: crate::Text::new(
            "a proposer ignores the highest accepted value the promises report",
            "提议者不理会承诺中报告的最大编号提案的值",
        ),
        breaks: crate::Text::new(
            "It overwrites a value a majority already accepted: two values chosen.",
            "它覆盖了多数接受者已接受的值：两个值被选定。",
        ),
    },
];

/// A proposal [n, v]: ordered by its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Proposal {
    pub n: u64,
    pub v: u64,
}

impl std::fmt::Display for Proposal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}, {}]", self.n, self.v)
    }
}

/// Where a proposer is in its current round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Round {
    /// No round under way: not started, refused and backing off, or done.
    #[default]
    Idle,
    /// Prepare(n) sent; the promises so far, with what each acceptor had accepted.
    Preparing {
        promises: BTreeMap<NodeId, Option<Proposal>>,
    },
    /// Accept [n, value] sent.
    Accepting { value: u64 },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct State {
    /// Acceptor: the highest number promised (0: none); on stable storage.
    pub promised: u64,
    /// Acceptor: the proposal it last accepted; on stable storage.
    pub accepted: Option<Proposal>,
    /// Proposer: the last proposal number used (0: none yet); on stable storage.
    pub n: u64,
    /// Proposer: the highest number heard of in a refusal.
    pub seen: u64,
    pub round: Round,
    /// Learner: which acceptors said they accepted each proposal.
    pub heard: BTreeMap<Proposal, BTreeSet<NodeId>>,
    /// Learner: the chosen value, once it knows; written down, so kept across a crash.
    pub learned: Option<u64>,
    /// Every proposal this node accepted as an acceptor. Not part of the algorithm: a record
    /// kept so that the invariant sees history, including acceptors that have moved on or
    /// crashed.
    pub history: BTreeSet<Proposal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Prepare {
        n: u64,
    },
    /// "I promise n; the highest proposal I have accepted is `accepted`."
    Promise {
        n: u64,
        accepted: Option<Proposal>,
    },
    /// A refused prepare or accept for n: the acceptor has promised `promised`.
    Nack {
        n: u64,
        promised: u64,
    },
    Accept {
        n: u64,
        v: u64,
    },
    /// An acceptor tells a learner that it accepted [n, v].
    Accepted {
        n: u64,
        v: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Prepare { .. } => "prepare",
            Msg::Promise { .. } => "promise",
            Msg::Nack { .. } => "nack",
            Msg::Accept { .. } => "accept",
            Msg::Accepted { .. } => "accepted",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Prepare { n } => format!("prepare {n}"),
            Msg::Promise { n, accepted: None } => format!("promise {n}"),
            Msg::Promise {
                n,
                accepted: Some(p),
            } => format!("promise {n} {p}"),
            Msg::Nack { n, promised } => format!("no {n} (≥{promised})"),
            Msg::Accept { n, v } => format!("accept [{n}, {v}]"),
            Msg::Accepted { n, v } => format!("accepted [{n}, {v}]"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The proposer's configured start.
    Start,
    /// The end of a backoff or of a round that took too long: try again.
    Retry,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// A proposer starts a new round with a higher number.
    Propose,
}

/// What the outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A proposer sent Prepare(n).
    Round { n: u64 },
    /// A proposer with a majority of promises sent Accept [n, v]; `adopted` when v came from a
    /// promise rather than its own value.
    Propose { n: u64, v: u64, adopted: bool },
    /// A proposer's round n was refused.
    Refused { n: u64 },
    /// An acceptor accepted [n, v].
    Accepted { n: u64, v: u64 },
    /// A learner learned that v is chosen.
    Learned { v: u64 },
}

/// Which (proposal, value) pairs a majority of `acceptors` accepted, according to their
/// histories.
fn chosen_by_history(acceptors: &[NodeId], nodes: &[NodeSlot<State>]) -> BTreeSet<Proposal> {
    let mut count: BTreeMap<Proposal, usize> = BTreeMap::new();
    for a in acceptors {
        if let Some(slot) = nodes.get(a.index()) {
            for p in &slot.state.history {
                *count.entry(*p).or_default() += 1;
            }
        }
    }
    count
        .into_iter()
        .filter(|(_, k)| *k >= majority(acceptors.len()))
        .map(|(p, _)| p)
        .collect()
}

impl Paxos {
    pub fn name(&self, id: NodeId) -> String {
        self.names
            .get(id.index())
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn proposer(&self, id: NodeId) -> Option<&ProposerConfig> {
        self.proposers.iter().find(|p| p.node == id)
    }

    fn is_acceptor(&self, id: NodeId) -> bool {
        self.acceptors.contains(&id)
    }

    fn quorum(&self) -> usize {
        majority(self.acceptors.len())
    }

    /// The next number for a proposer: its first, then the smallest above everything it has
    /// used or seen that keeps its residue.
    fn next_number(&self, config: &ProposerConfig, state: &State) -> u64 {
        if state.n == 0 {
            return config.first;
        }
        let floor = state.n.max(state.seen);
        let residue = config.first % self.stride;
        let mut m = floor - floor % self.stride + residue;
        if m <= floor {
            m += self.stride;
        }
        m
    }

    /// Send `msg` to `to`; to itself it is handled at once, after the current message.
    fn post(&self, id: NodeId, to: NodeId, msg: Msg, local: &mut Local, out: &mut Out<Self>) {
        if to == id {
            local.push_back(msg);
        } else {
            out.send(to, msg);
        }
    }

    fn to_acceptors(&self, id: NodeId, msg: &Msg, local: &mut Local, out: &mut Out<Self>) {
        for a in &self.acceptors {
            self.post(id, *a, msg.clone(), local, out);
        }
    }

    fn start_round(&self, id: NodeId, state: &mut State, local: &mut Local, out: &mut Out<Self>) {
        let Some(config) = self.proposer(id) else {
            out.note(Note::NotProposer);
            return;
        };
        if let Some(v) = state.learned {
            out.note(Note::AlreadyChosen { v });
            return;
        }
        let n = self.next_number(config, state);
        state.n = n;
        state.round = Round::Preparing {
            promises: BTreeMap::new(),
        };
        out.observe(Event::Round { n });
        out.note(Note::Prepares { n });
        out.set_timer(Timer::Retry, self.round_timeout, self.round_timeout);
        self.to_acceptors(id, &Msg::Prepare { n }, local, out);
    }

    fn handle(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        msg: Msg,
        local: &mut Local,
        out: &mut Out<Self>,
    ) {
        match msg {
            Msg::Prepare { n } if self.is_acceptor(id) => {
                if n >= state.promised {
                    state.promised = n;
                    let accepted = state.accepted;
                    self.post(id, src, Msg::Promise { n, accepted }, local, out);
                } else {
                    out.note(Note::RefusesPrepare {
                        n,
                        promised: state.promised,
                    });
                    let promised = state.promised;
                    self.post(id, src, Msg::Nack { n, promised }, local, out);
                }
            }
            Msg::Accept { n, v } if self.is_acceptor(id) => {
                if n >= state.promised {
                    state.promised = n;
                    let p = Proposal { n, v };
                    state.accepted = Some(p);
                    state.history.insert(p);
                    out.observe(Event::Accepted { n, v });
                    for learner in out.all().collect::<Vec<_>>() {
                        self.post(id, learner, Msg::Accepted { n, v }, local, out);
                    }
                } else {
                    out.note(Note::RefusesAccept {
                        n,
                        v,
                        promised: state.promised,
                    });
                    let promised = state.promised;
                    self.post(id, src, Msg::Nack { n, promised }, local, out);
                }
            }
            Msg::Promise { n, accepted } if n == state.n => {
                let Round::Preparing { promises } = &mut state.round else {
                    return;
                };
                promises.insert(src, accepted);
                if promises.len() < self.quorum() {
                    return;
                }
                let highest = promises.values().flatten().max().copied();
                let own = self.proposer(id).map_or(0, |c| c.value);
                let v = if self.ignore_accepted_value {
                    own
                } else {
                    highest.map_or(own, |p| p.v)
                };
                out.note(match highest {
                    Some(highest) => Note::MustPropose { n, highest, v },
                    None => Note::ProposesOwn { n, v },
                });
                state.round = Round::Accepting { value: v };
                out.observe(Event::Propose {
                    n,
                    v,
                    adopted: highest.is_some(),
                });
                self.to_acceptors(id, &Msg::Accept { n, v }, local, out);
            }
            Msg::Nack { n, promised } => {
                state.seen = state.seen.max(promised);
                if n == state.n && state.round != Round::Idle {
                    state.round = Round::Idle;
                    out.observe(Event::Refused { n });
                    out.note(Note::Refused {
                        n,
                        by: src,
                        promised,
                    });
                    out.set_timer(Timer::Retry, self.backoff.0, self.backoff.1);
                }
            }
            Msg::Accepted { n, v } => {
                let p = Proposal { n, v };
                let by = state.heard.entry(p).or_default();
                by.insert(src);
                if by.len() >= self.quorum() && state.learned.is_none() {
                    state.learned = Some(v);
                    state.round = Round::Idle;
                    out.observe(Event::Learned { v });
                    out.note(Note::Chosen { p, v });
                    out.cancel_timer(Timer::Retry);
                }
            }
            _ => {}
        }
    }

    /// Run `first` and then whatever the node sent itself meanwhile.
    fn run(
        &self,
        id: NodeId,
        state: &mut State,
        out: &mut Out<Self>,
        first: impl FnOnce(&mut State, &mut Local, &mut Out<Self>),
    ) {
        let mut local = Local::new();
        first(state, &mut local, out);
        while let Some(msg) = local.pop_front() {
            self.handle(id, state, id, msg, &mut local, out);
        }
    }
}

/// Messages a node has sent to itself, handled without the network.
type Local = VecDeque<Msg>;

impl Protocol for Paxos {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        if let Some(at) = self.proposer(id).and_then(|c| c.start) {
            out.set_timer(Timer::Start, at, at);
        }
        State::default()
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        self.run(id, state, out, |state, local, out| {
            self.handle(id, state, src, msg, local, out)
        });
    }

    fn on_timer(&self, id: NodeId, state: &mut State, _timer: Timer, out: &mut Out<Self>) {
        self.run(id, state, out, |state, local, out| {
            self.start_round(id, state, local, out)
        });
    }

    fn on_command(&self, id: NodeId, state: &mut State, _cmd: Command, out: &mut Out<Self>) {
        self.run(id, state, out, |state, local, out| {
            self.start_round(id, state, local, out)
        });
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            seen: 0,
            round: Round::Idle,
            heard: BTreeMap::new(),
            ..state.clone()
        }
    }

    /// A proposer that had work to do and has not learned the outcome tries again after a
    /// backoff.
    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if self.forget_promise_on_crash {
            state.promised = 0;
        }
        if let Some(config) = self.proposer(id) {
            if state.learned.is_none() && (state.n > 0 || config.start.is_some()) {
                out.set_timer(Timer::Retry, self.backoff.0, self.backoff.1);
            }
        }
    }

    /// At most one value is chosen: among the proposals a majority of acceptors ever accepted,
    /// and among the values learners learned.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        let chosen = chosen_by_history(&self.acceptors, nodes);
        let values: BTreeSet<u64> = chosen.iter().map(|p| p.v).collect();
        if values.len() > 1 {
            found.push(Violation {
                invariant: "one-value-chosen",
                text: format!(
                    "a majority of acceptors accepted each of {}",
                    chosen
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                nodes: self.acceptors.clone(),
            });
        }
        let learned: Vec<(NodeId, u64)> = nodes
            .iter()
            .filter_map(|n| n.state.learned.map(|v| (n.id, v)))
            .collect();
        if let Some(w) = learned.windows(2).find(|w| w[0].1 != w[1].1) {
            found.push(Violation {
                invariant: "one-value-learned",
                text: format!(
                    "{} learned {} but {} learned {}",
                    self.name(w[0].0),
                    w[0].1,
                    self.name(w[1].0),
                    w[1].1
                ),
                nodes: vec![w[0].0, w[1].0],
            });
        }
        found
    }
}

impl Present for Paxos {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        let name = self.name(id);
        let accepted = state.accepted.map_or("none".into(), |p| p.to_string());
        let mut fields = vec![("name", name.clone())];
        let mut label = name;
        let role = if let Some(config) = self.proposer(id) {
            let round = match &state.round {
                Round::Idle if state.learned.is_some() => "done".to_string(),
                Round::Idle if state.n == 0 => "not started".to_string(),
                Round::Idle => "waiting to retry".to_string(),
                Round::Preparing { promises } => format!(
                    "prepare {}: {} of {} promises",
                    state.n,
                    promises.len(),
                    self.quorum()
                ),
                Round::Accepting { value } => format!("accept [{}, {value}] sent", state.n),
            };
            fields.push(("own value", config.value.to_string()));
            fields.push(("proposal number", state.n.to_string()));
            fields.push(("round", round));
            if state.n > 0 {
                label = format!("{label} · proposal {}", state.n);
            }
            "proposer"
        } else if self.is_acceptor(id) {
            "acceptor"
        } else {
            "learner"
        };
        if self.is_acceptor(id) {
            fields.push(("promised n", state.promised.to_string()));
            fields.push(("accepted [n, v]", accepted.clone()));
            if role == "acceptor" {
                label = format!("{label} · promised {}", state.promised);
                if let Some(p) = state.accepted {
                    label = format!("{label} · accepted {p}");
                }
            }
        }
        fields.push((
            "learned",
            state
                .learned
                .map_or("nothing yet".into(), |v| format!("{v} is chosen")),
        ));
        if let Some(v) = state.learned {
            label = format!("{label} · chosen: {v}");
        }
        NodeView {
            role,
            label,
            badges: Vec::new(),
            fields,
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("proposer", "proposer", "提议者"),
            ("acceptor", "acceptor", "接受者"),
            ("learner", "learner", "告知者"),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, id: NodeId, state: &State) -> Vec<Command> {
        if self.proposer(id).is_some() && state.learned.is_none() {
            vec![Command::Propose]
        } else {
            Vec::new()
        }
    }

    /// `chosen` and `chosen_proposal` (the first proposal a majority of acceptors accepted),
    /// `chosen_at_ms`, each acceptor's promise and accepted proposal, each proposer's rounds,
    /// and what every learner learned.
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(PaxosOutcome::of(self, run)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paxos() -> Paxos {
        let node = |k| NodeId::from_number(k).unwrap();
        Paxos {
            proposers: vec![
                ProposerConfig {
                    node: node(1),
                    value: 8,
                    first: 2,
                    start: None,
                },
                ProposerConfig {
                    node: node(2),
                    value: 5,
                    first: 4,
                    start: None,
                },
            ],
            acceptors: vec![node(3), node(4), node(5)],
            stride: 10,
            backoff: (1, 2),
            round_timeout: 100,
            names: Vec::new(),
            forget_promise_on_crash: false,
            ignore_accepted_value: false,
        }
    }

    #[test]
    fn proposal_numbers_keep_their_residue_and_climb_above_what_was_seen() {
        let p = paxos();
        let mut s = State::default();
        let a = &p.proposers[0];
        assert_eq!(p.next_number(a, &s), 2);
        s.n = 2;
        s.seen = 4;
        assert_eq!(p.next_number(a, &s), 12);
        s.n = 12;
        s.seen = 14;
        assert_eq!(p.next_number(a, &s), 22);
        let b = &p.proposers[1];
        s.n = 4;
        s.seen = 2;
        assert_eq!(p.next_number(b, &s), 14);
    }
}
