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

use super::{
    check_exclusion, offer_request, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome,
    Phase, Program, Usage,
};
use crate::Text;
use clusterplay_sim::{say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Violation, Words};
use clusterplay_view::{Layout, NodeView, Present, RunView};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TokenRing {
    pub usage: Usage,
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
    Token { hop: u64 },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        "token"
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Done,
}

pub const FORMULA: Text = Text::new(
    "from 1 to ∞ messages per use: the token keeps moving even when nobody wants the machine",
    "每次访问 1 到 ∞ 条消息：即使没人要用，令牌也一直在传递",
);

fn next(id: NodeId, n: usize) -> NodeId {
    NodeId::from_index((id.index() + 1) % n)
}

impl TokenRing {
    fn pass(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        state.has_token = false;
        let to = next(id, out.cluster_size());
        out.send(
            to,
            Msg::Token {
                hop: state.last_hop + 1,
            },
        );
    }

    fn take(&self, state: &mut State, out: &mut Out<Self>) {
        start_using(
            &mut state.phase,
            self.usage,
            Timer::Done,
            Note::HoldsToken,
            out,
        );
    }
}

pub type State = Member;

impl Protocol for TokenRing {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    /// Program 1 starts with the token and, wanting nothing yet, passes it on.
    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let mut state = Member::default();
        if id.index() == 0 && out.cluster_size() > 1 {
            self.pass(id, &mut state, out);
        } else if id.index() == 0 {
            state.has_token = true;
        }
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        let Msg::Token { hop } = msg;
        if !state.accept(hop, src, out) {
            return;
        }
        if state.phase == Phase::Waiting {
            self.take(state, out);
        } else {
            // Its own hop count is what the next program must see exceeded.
            self.pass(id, state, out);
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, _timer: Timer, out: &mut Out<Self>) {
        if state.phase == Phase::Using {
            state.phase = Phase::Idle;
            out.observe(MutexEvent::Left);
            if out.cluster_size() > 1 {
                self.pass(id, state, out);
            }
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        if state.phase != Phase::Idle {
            out.note(Note::AlreadyAsked);
            return;
        }
        state.phase = Phase::Waiting;
        out.observe(MutexEvent::Requested);
        if state.has_token {
            self.take(state, out);
        } else {
            out.note(Note::WaitsForToken);
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        state.after_crash()
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, _out: &mut Out<Self>) {}

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

impl Present for TokenRing {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        state.view()
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &super::PROGRAM_ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Ring
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<MutexCommand> {
        offer_request(state.phase)
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
