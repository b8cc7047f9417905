//! # The token ring ("the rotating CEO")
//!
//! The programs form a ring, and one token travels round it, clockwise. Only the program
//! holding the token may use the coffee machine; when it is done, or if it does not want the
//! machine, it passes the token to the next program. Like a rotating chief executive, the post
//! exists once and everyone gets it in turn: the algorithm is fair and needs no coordinator.
//!
//! The texts name the cost: the token moves whether or not anyone wants the machine, and with
//! 100 programs, program 1 that wants the machine again must wait for the token to pass
//! through the 99 others first. If the program holding the token crashes, the token is gone
//! and the ring stops.
//!
//! Each pass carries a hop count. A program only accepts a token with a higher count than the
//! last it saw (it keeps that count on stable storage), so a token that the network delivered
//! twice does not become two tokens.
//!
//! **Recovering a lost token** (`recovery_ms`, off unless a scenario sets it). The texts call
//! the ring very stable "once its single point of failure is improved" and leave the
//! improvement to the reader; this is the usual one, and it is beyond the text. Two things are
//! needed. First, a crashed program must not swallow every token passed to it: each hand-off
//! is acknowledged, and a program whose successor stays silent for `recovery_ms` skips it and
//! hands the token to the next one (until the skipped program says it is back). Second, a
//! token that died with its holder must be made again, exactly once. Tokens carry an *epoch*
//! as well as a hop count, and a program accepts only a token of its epoch or a later one. A
//! program that has not seen the token for `regenerate_ms` proposes a new epoch (one more than
//! its own, tagged with its id so that no two proposals are equal) and sends a *regeneration
//! round* with it round the ring. A program that holds the token ends the round, the token is
//! alive, and moves its token into the proposed epoch, so that the programs the round already
//! passed still take it. Any other program moves into the proposed epoch too, which *fences*
//! the old token (a late copy of it is stale there), and passes the round on; of two rounds
//! the one from the higher id wins, as in a ring election. When a round comes back to its
//! origin, every live program has fenced the old token, so the origin makes a new one safely.
//! What it cannot tell apart is a slow program from a dead one: a
//! successor that answers later than `recovery_ms` is skipped while it still takes the token,
//! and then two tokens circulate. The timeout must be longer than any hand-off takes.

use super::{
    check_exclusion, offer_request, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome,
    Phase, Program, Usage,
};
use crate::Text;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::BTreeSet;

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenRing {
    pub usage: Usage,
    /// Recovering a lost token; `None`: the texts' ring, which stops when its token is lost.
    pub recovery: Option<Recovery>,
}

/// How the ring recovers a lost token (see the module's essay).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Recovery {
    /// A successor that does not acknowledge a hand-off within this long is skipped.
    pub handoff: Span,
    /// A program that has not seen the token for this long starts a regeneration round.
    pub regenerate: Span,
}

/// A program on a ring: also the local programs of the two-layer ring.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Member {
    pub phase: Phase,
    pub has_token: bool,
    /// Hop count of the last token accepted.
    pub last_hop: u64,
}

impl Program for Member {
    fn phase(&self) -> Phase {
        self.phase
    }
}

impl Member {
    /// A token arrived: true when it is fresh (so the member now holds it); a stale copy is
    /// noted in `out` and dropped.
    pub fn accept<P: Protocol>(&mut self, hop: u64, src: NodeId, out: &mut Out<P>) -> bool {
        if hop <= self.last_hop {
            out.note(Note::StaleCopy {
                hop,
                from: src,
                seen: self.last_hop,
            });
            return false;
        }
        self.last_hop = hop;
        self.has_token = true;
        true
    }

    pub fn view(&self) -> NodeView {
        let mut badges = Vec::new();
        if self.has_token {
            badges.push("token");
        }
        if self.phase == Phase::Using {
            badges.push("cup");
        }
        NodeView {
            role: self.phase.role(),
            label: String::new(),
            badges,
            fields: vec![
                ("phase", self.phase.role().into()),
                ("holds the token", self.has_token.to_string()),
                ("last token hop", self.last_hop.to_string()),
            ],
        }
    }

    /// What survives a crash: only the hop count. The token itself is lost with the program.
    pub fn after_crash(&self) -> Member {
        Member {
            last_hop: self.last_hop,
            ..Member::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Token {
        epoch: Epoch,
        hop: u64,
    },
    /// "Received": a hand-off reached a live program (only with [`Recovery`]).
    Received(Handoff),
    /// A regeneration round proposing `epoch`, started by the program `epoch.1`.
    Round {
        epoch: Epoch,
    },
    /// A program back from a crash: stop skipping it.
    Back,
}

/// What a program hands to its successor and waits to hear was received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Handoff {
    Token(Epoch, u64),
    Round(Epoch),
}

impl Handoff {
    fn msg(self) -> Msg {
        match self {
            Handoff::Token(epoch, hop) => Msg::Token { epoch, hop },
            Handoff::Round(epoch) => Msg::Round { epoch },
        }
    }
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Token { .. } => "token",
            Msg::Received(_) => "received",
            Msg::Round { .. } => "regenerate",
            Msg::Back => "rejoin",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Round { epoch } => format!("regenerate, from {}", epoch.1),
            other => other.kind().to_string(),
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Done,
    /// The hand-off to this successor has not been acknowledged yet.
    Handoff(NodeId, Handoff),
    /// The token has not come by for a while.
    Watch,
}

/// As the inspector lists a node's timers: the successor a hand-off waits on, not the epoch
/// and hop it carries.
impl std::fmt::Debug for Timer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Timer::Done => write!(f, "Done"),
            Timer::Handoff(to, Handoff::Token(..)) => write!(f, "Handoff({to})"),
            Timer::Handoff(to, Handoff::Round(..)) => write!(f, "RoundHandoff({to})"),
            Timer::Watch => write!(f, "Watch"),
        }
    }
}

pub const FORMULA: Text = Text::new(
    "from 1 to ∞ messages per use: the token keeps moving even when nobody wants the machine",
    "每次访问 1 到 ∞ 条消息：即使没人要用，令牌也一直在传递",
);

fn next(id: NodeId, n: usize) -> NodeId {
    NodeId::from_index((id.index() + 1) % n)
}

/// A token's epoch: how many times it was made again, and by whom (0 and 1 for the first).
/// Later epochs compare greater; no two programs propose the same one.
pub type Epoch = (u64, NodeId);

/// A program on the token ring.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub member: Member,
    /// The epoch of the tokens this program accepts (with hop counts above `last_hop`).
    pub epoch: Epoch,
    /// Successors that did not acknowledge a hand-off, skipped until they say they are back.
    pub skipped: BTreeSet<NodeId>,
    /// Hand-offs not yet acknowledged.
    pub pending: BTreeSet<(NodeId, Handoff)>,
    /// The epoch of the regeneration round this program started and waits for.
    pub round: Option<Epoch>,
}

impl Default for State {
    fn default() -> Self {
        State {
            member: Member::default(),
            epoch: FIRST_EPOCH,
            skipped: BTreeSet::new(),
            pending: BTreeSet::new(),
            round: None,
        }
    }
}

const FIRST_EPOCH: Epoch = (0, NodeId::from_index(0));

impl Program for State {
    fn phase(&self) -> Phase {
        self.member.phase
    }
}

impl HoldsToken for State {
    fn holds_token(&self) -> bool {
        self.member.has_token
    }
}

impl TokenRing {
    /// The next program round the ring that is not skipped; `None` when every other one is.
    fn successor(&self, id: NodeId, state: &State, n: usize) -> Option<NodeId> {
        (1..n)
            .map(|i| NodeId::from_index((id.index() + i) % n))
            .find(|to| !state.skipped.contains(to))
    }

    /// Hand `what` on; with recovery, wait to hear that it arrived. False when nobody is left
    /// to take it.
    fn hand(&self, id: NodeId, state: &mut State, what: Handoff, out: &mut Out<Self>) -> bool {
        let to = match self.recovery {
            Some(_) => self.successor(id, state, out.cluster_size()),
            None => Some(next(id, out.cluster_size())),
        };
        let Some(to) = to else {
            return false;
        };
        out.send(to, what.msg());
        if let Some(r) = self.recovery {
            state.pending.insert((to, what));
            out.set_timer(Timer::Handoff(to, what), r.handoff, r.handoff);
        }
        true
    }

    /// `src` answered, so it is up: whatever was handed to it and not acknowledged was lost
    /// while it was down (a token lost so is made again later). Waiting on such a hand-off
    /// would take a live program for a crashed one, and skip it while it holds the token.
    fn heard(state: &mut State, src: NodeId, out: &mut Out<Self>) {
        let stale: Vec<(NodeId, Handoff)> = state
            .pending
            .iter()
            .filter(|(to, _)| *to == src)
            .copied()
            .collect();
        for (to, what) in stale {
            state.pending.remove(&(to, what));
            out.cancel_timer(Timer::Handoff(to, what));
        }
    }

    fn pass(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let hop = state.member.last_hop + 1;
        if self.hand(id, state, Handoff::Token(state.epoch, hop), out) {
            state.member.has_token = false;
        } else {
            out.note(Note::AloneKeepsToken);
        }
    }

    fn take(&self, state: &mut State, out: &mut Out<Self>) {
        start_using(
            &mut state.member.phase,
            self.usage,
            Timer::Done,
            Note::HoldsToken,
            out,
        );
    }

    /// The token came by: wait a while longer before suspecting it lost.
    fn watch(&self, out: &mut Out<Self>) {
        if let Some(r) = self.recovery {
            out.set_timer(Timer::Watch, r.regenerate, r.regenerate);
        }
    }

    /// Holding the token: use it if waiting, else pass it on.
    fn holding(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if state.member.phase == Phase::Waiting {
            self.take(state, out);
        } else {
            self.pass(id, state, out);
        }
    }

    /// Move into `epoch`: a token of an earlier one is stale here from now on.
    fn enter(state: &mut State, epoch: Epoch) {
        state.epoch = epoch;
        state.member.last_hop = 0;
    }

    fn on_token(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        epoch: Epoch,
        hop: u64,
        out: &mut Out<Self>,
    ) {
        if (epoch, hop) <= (state.epoch, state.member.last_hop) {
            out.note(Note::StaleToken {
                hop,
                from: src,
                seen: state.member.last_hop,
                epoch: epoch.0,
                now: state.epoch.0,
            });
            return;
        }
        state.epoch = epoch;
        state.member.last_hop = hop;
        state.member.has_token = true;
        // The token is alive: a round this program started is moot.
        state.round = None;
        self.watch(out);
        self.holding(id, state, out);
    }

    fn on_round(&self, id: NodeId, state: &mut State, epoch: Epoch, out: &mut Out<Self>) {
        let origin = epoch.1;
        if origin == id {
            // Back home: every live program has fenced the old token.
            if state.round == Some(epoch) {
                state.round = None;
                Self::enter(state, epoch);
                state.member.has_token = true;
                out.note(Note::Regenerated { epoch: epoch.0 });
                self.watch(out);
                self.holding(id, state, out);
            }
            return;
        }
        if state.member.has_token {
            // Alive here. Moved into the round's epoch, it is still taken where the round
            // has been.
            if epoch > state.epoch {
                Self::enter(state, epoch);
            }
            out.note(Note::RoundEnds { origin });
            return;
        }
        if epoch <= state.epoch || state.round.is_some_and(|mine| mine > epoch) {
            out.note(Note::RoundLoses { origin });
            return;
        }
        state.round = None;
        Self::enter(state, epoch);
        out.note(Note::Fences {
            origin,
            epoch: epoch.0,
        });
        self.watch(out);
        if !self.hand(id, state, Handoff::Round(epoch), out) {
            out.note(Note::RoundStops);
        }
    }
}

impl Protocol for TokenRing {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    /// Program 1 starts with the token and, wanting nothing yet, passes it on.
    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let mut state = State::default();
        if id.index() == 0 && out.cluster_size() > 1 {
            self.pass(id, &mut state, out);
        } else if id.index() == 0 {
            state.member.has_token = true;
        }
        self.watch(out);
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Token { epoch, hop } => {
                if self.recovery.is_some() {
                    out.send(src, Msg::Received(Handoff::Token(epoch, hop)));
                }
                self.on_token(id, state, src, epoch, hop, out);
            }
            Msg::Received(_) => Self::heard(state, src, out),
            Msg::Round { epoch } => {
                out.send(src, Msg::Received(Handoff::Round(epoch)));
                self.on_round(id, state, epoch, out);
            }
            Msg::Back => {
                Self::heard(state, src, out);
                if state.skipped.remove(&src) {
                    out.note(Note::StopsSkipping { node: src });
                }
            }
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match timer {
            Timer::Done => {
                if state.member.phase == Phase::Using {
                    state.member.phase = Phase::Idle;
                    out.observe(MutexEvent::Left);
                    if out.cluster_size() > 1 {
                        self.pass(id, state, out);
                    }
                }
            }
            Timer::Handoff(to, what) => {
                state.pending.remove(&(to, what));
                state.skipped.insert(to);
                out.note(Note::Skips { node: to });
                if self.hand(id, state, what, out) {
                    return;
                }
                match what {
                    Handoff::Token(..) => {
                        state.member.has_token = true;
                        out.note(Note::AloneKeepsToken);
                        self.holding(id, state, out);
                    }
                    Handoff::Round(epoch) if epoch.1 == id => self.on_round(id, state, epoch, out),
                    Handoff::Round(_) => out.note(Note::RoundStops),
                }
            }
            Timer::Watch => {
                if state.member.has_token {
                    self.watch(out);
                    return;
                }
                let epoch = (state.epoch.0 + 1, id);
                state.round = Some(epoch);
                Self::enter(state, epoch);
                out.note(Note::StartsRound { epoch: epoch.0 });
                // If this round dies too, start another when the watch fires again.
                self.watch(out);
                if !self.hand(id, state, Handoff::Round(epoch), out) {
                    self.on_round(id, state, epoch, out);
                }
            }
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        if state.member.phase != Phase::Idle {
            out.note(Note::AlreadyAsked);
            return;
        }
        state.member.phase = Phase::Waiting;
        out.observe(MutexEvent::Requested);
        if state.member.has_token {
            self.take(state, out);
        } else {
            out.note(Note::WaitsForToken);
        }
    }

    /// Only the epoch and hop count survive (on stable storage): the token, the skipped
    /// programs and any round are lost.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            member: state.member.after_crash(),
            epoch: state.epoch,
            ..State::default()
        }
    }

    fn on_recover(&self, id: NodeId, _state: &mut State, out: &mut Out<Self>) {
        if self.recovery.is_some() {
            out.broadcast(id, Msg::Back);
            self.watch(out);
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

impl Present for TokenRing {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        let mut view = state.member.view();
        if self.recovery.is_some() {
            let skipped: Vec<String> = state.skipped.iter().map(|n| n.to_string()).collect();
            view.fields.push(("token epoch", state.epoch.0.to_string()));
            view.fields.push(("skips", skipped.join(", ")));
            if state.round.is_some() {
                view.label = "regenerating the token".into();
            }
        }
        view
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &super::PROGRAM_ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Ring
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<MutexCommand> {
        offer_request(state.member.phase)
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let formula = Formula {
            text: FORMULA,
            value: None,
        };
        let outcome = MutexOutcome {
            tokens: Some(tokens(run, "token")),
            ..MutexOutcome::of(run, formula)
        };
        serde_json::to_value(outcome).unwrap_or_default()
    }
}

/// How many tokens exist at the end: held by a live program or in flight as messages of
/// `kind`. Zero means the token was lost and the ring has stopped.
pub fn tokens<P: Protocol>(run: &RunView<'_, P>, kind: &str) -> usize
where
    P::State: HoldsToken,
{
    let held = run
        .nodes
        .iter()
        .filter(|n| n.up && n.state.holds_token())
        .count();
    let flying = run
        .messages
        .iter()
        .filter(|m| m.fate == clusterplay_sim::Fate::InFlight && m.kind == kind)
        .count();
    held + flying
}

pub trait HoldsToken {
    fn holds_token(&self) -> bool;
}

impl HoldsToken for Member {
    fn holds_token(&self) -> bool {
        self.has_token
    }
}
