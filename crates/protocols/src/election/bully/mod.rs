//! # The Bully algorithm ("the eldest wins")
//!
//! Every node knows every other node's id, and the live node with the highest id leads. A node
//! that notices the leader is gone (its heartbeats stop) holds an election: it sends *Election*
//! to every node with a higher id and waits. A higher node that is alive answers *Alive* ("I am
//! bigger than you") and holds its own election. If nobody answers in time, the node has the
//! highest live id: it announces *Victory* to everyone, and they follow it. A node with a
//! higher id that comes back, or joins, starts an election and simply takes over.
//!
//! MongoDB's replica sets use the idea with the last operation's timestamp as the id, so the
//! node with the newest data wins; the `priorities` parameter models that.
//!
//! The texts name the drawbacks: every node must know every id, and a high node that keeps
//! crashing and coming back makes leadership flap. Nothing stops two sides of a partition from
//! each electing their own leader: the split brain this module's invariant reports.

use super::{ElectionEvent, ElectionOutcome};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bully {
    /// How long an election waits for an Alive answer (more than a round trip).
    pub answer_timeout: Span,
    /// How long, after an Alive, to wait for the Victory that should follow.
    pub victory_timeout: Span,
    pub heartbeat: Span,
    /// Silence from the leader after which a follower starts an election.
    pub leader_timeout: Span,
    /// Each node's id for the election ("the last operation's timestamp"); node numbers when
    /// empty. Ties go to the higher node number.
    pub priorities: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Following (or being) `leader`.
    Normal,
    /// Holding an election; `answered` once a higher node said Alive.
    Electing { answered: bool },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub leader: Option<NodeId>,
    pub phase: Phase,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Election,
    Alive,
    Victory,
    Heartbeat,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Election => "election",
            Msg::Alive => "alive",
            Msg::Victory => "victory",
            Msg::Heartbeat => "heartbeat",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Answer,
    Victory,
    Heartbeat,
    LeaderCheck,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Hold an election now.
    Elect,
}

impl Bully {
    fn priority(&self, id: NodeId) -> (u64, u32) {
        let p = self
            .priorities
            .get(id.index())
            .copied()
            .unwrap_or(u64::from(id.number()));
        (p, id.number())
    }

    fn elect(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let higher: Vec<NodeId> = out
            .all()
            .filter(|n| self.priority(*n) > self.priority(id))
            .collect();
        out.cancel_timer(Timer::LeaderCheck);
        if higher.is_empty() {
            self.win(id, state, out);
            return;
        }
        state.phase = Phase::Electing { answered: false };
        out.observe(ElectionEvent::Campaign { term: 0 });
        out.note(Note::HoldsElection {
            higher: higher.len(),
        });
        for n in higher {
            out.send(n, Msg::Election);
        }
        out.set_timer(Timer::Answer, self.answer_timeout, self.answer_timeout);
    }

    fn win(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        state.leader = Some(id);
        state.phase = Phase::Normal;
        out.observe(ElectionEvent::Elected { term: 0 });
        out.note(Note::AnnouncesVictory);
        out.broadcast(id, Msg::Victory);
        out.cancel_timer(Timer::Answer);
        out.cancel_timer(Timer::Victory);
        out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
    }

    fn follow(&self, id: NodeId, leader: NodeId, state: &mut State, out: &mut Out<Self>) {
        if state.leader == Some(id) && leader != id {
            out.observe(ElectionEvent::SteppedDown { term: 0 });
            out.cancel_timer(Timer::Heartbeat);
        }
        state.leader = Some(leader);
        state.phase = Phase::Normal;
        out.cancel_timer(Timer::Answer);
        out.cancel_timer(Timer::Victory);
        out.set_timer(Timer::LeaderCheck, self.leader_timeout, self.leader_timeout);
    }
}

impl Protocol for Bully {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = ElectionEvent;

    /// Nobody leads yet: everyone holds an election at once.
    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let mut state = State {
            leader: None,
            phase: Phase::Normal,
        };
        self.elect(id, &mut state, out);
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        let src_is_higher = self.priority(src) > self.priority(id);
        match msg {
            Msg::Election if !src_is_higher => {
                out.send(src, Msg::Alive);
                out.note(Note::AnswersBigger { to: src });
                if state.leader == Some(id) && state.phase == Phase::Normal {
                    out.send(src, Msg::Victory);
                } else if !matches!(state.phase, Phase::Electing { .. }) {
                    self.elect(id, state, out);
                }
            }
            Msg::Election => {}
            Msg::Alive => {
                if let Phase::Electing { answered } = &mut state.phase {
                    *answered = true;
                    out.cancel_timer(Timer::Answer);
                    out.set_timer(Timer::Victory, self.victory_timeout, self.victory_timeout);
                }
            }
            Msg::Victory | Msg::Heartbeat if src_is_higher => {
                if state.leader != Some(src) {
                    out.note(Note::Follows { leader: src });
                }
                self.follow(id, src, state, out);
            }
            // A lower node claims to lead: bully it.
            Msg::Victory | Msg::Heartbeat => {
                if !matches!(state.phase, Phase::Electing { .. }) {
                    out.note(Note::TakesOver { lower: src });
                    self.elect(id, state, out);
                }
            }
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match timer {
            Timer::Answer if state.phase == (Phase::Electing { answered: false }) => {
                self.win(id, state, out)
            }
            Timer::Victory if matches!(state.phase, Phase::Electing { .. }) => {
                out.note(Note::NoVictory);
                self.elect(id, state, out);
            }
            Timer::Heartbeat if state.leader == Some(id) => {
                out.broadcast(id, Msg::Heartbeat);
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            Timer::LeaderCheck if state.leader != Some(id) => {
                out.note(Note::LeaderSilent);
                self.elect(id, state, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, _cmd: Command, out: &mut Out<Self>) {
        self.elect(id, state, out);
    }

    fn on_crash(&self, _id: NodeId, _state: &State) -> State {
        State {
            leader: None,
            phase: Phase::Normal,
        }
    }

    /// A node that comes back holds an election: if it is the highest, it takes over.
    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        self.elect(id, state, out);
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        split_brain(
            nodes
                .iter()
                .filter(|n| n.up && n.state.leader == Some(n.id))
                .map(|n| n.id),
        )
    }
}

impl Present for Bully {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        let role = match (&state.phase, state.leader) {
            (Phase::Electing { .. }, _) => "electing",
            (Phase::Normal, Some(l)) if l == id => "leader",
            (Phase::Normal, Some(_)) => "follower",
            (Phase::Normal, None) => "follower",
        };
        NodeView {
            role,
            label: format!("id {}", self.priority(id).0),
            badges: if role == "leader" {
                vec!["crown"]
            } else {
                Vec::new()
            },
            fields: vec![
                ("role", role.into()),
                ("election id", self.priority(id).0.to_string()),
                (
                    "leader",
                    state.leader.map_or("unknown".into(), |l| l.to_string()),
                ),
            ],
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("follower", "follower", "普通节点"),
            ("electing", "holding an election", "正在选举"),
            ("leader", "leader", "主节点"),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, _id: NodeId, _state: &State) -> Vec<Command> {
        vec![Command::Elect]
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let leader = run
            .nodes
            .iter()
            .filter(|n| n.up && n.state.leader == Some(n.id))
            .map(|n| n.id)
            .max_by_key(|n| self.priority(*n));
        serde_json::to_value(ElectionOutcome::of(run, leader, None)).unwrap_or_default()
    }
}

/// At most one live node acts as leader at a time.
pub fn split_brain(leaders: impl Iterator<Item = NodeId>) -> Vec<Violation> {
    let leaders: Vec<NodeId> = leaders.collect();
    if leaders.len() > 1 {
        let list: Vec<String> = leaders.iter().map(|n| n.to_string()).collect();
        let who = match list.as_slice() {
            [a, b] => format!("nodes {a} and {b} both act"),
            _ => format!("nodes {} all act", list.join(", ")),
        };
        vec![Violation {
            invariant: "single-leader",
            text: format!("{who} as leader (split brain)"),
            nodes: leaders,
        }]
    } else {
        Vec::new()
    }
}
