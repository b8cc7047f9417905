//! # The two-layer token ring
//!
//! For large or wide-area systems the texts organise the programs in two layers. Each local
//! network is a ring of local programs plus one *coordinator*; a local token travels round it.
//! The coordinators form the global ring, on which a global token travels. Here the coordinator
//! that holds the global token releases its local token for one lap of its ring, during which
//! each local program that wants the coffee machine uses it in turn; when the local token comes
//! back, the coordinator passes the global token on. So at any moment only one local ring has a
//! live token, and at most one program in the whole system uses the machine.
//!
//! Nodes are split into `groups` consecutive blocks; the first node of each block is its
//! coordinator. Coordinators route tokens and do not use the machine themselves.

use super::token_ring::{HoldsToken, Member};
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
pub struct TwoLayer {
    pub usage: Usage,
    /// Number of local rings.
    pub groups: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Coordinator {
        has_global: bool,
        last_global: u64,
        /// The local token is out on the local ring.
        local_out: bool,
        last_local: u64,
    },
    Member(Member),
}

impl Program for State {
    fn phase(&self) -> Phase {
        match self {
            State::Coordinator { .. } => Phase::Idle,
            State::Member(m) => m.phase,
        }
    }
}

impl HoldsToken for State {
    fn holds_token(&self) -> bool {
        match self {
            State::Coordinator { has_global, .. } => *has_global,
            State::Member(m) => m.has_token,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Global { hop: u64 },
    Local { hop: u64 },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Global { .. } => "global token",
            Msg::Local { .. } => "local token",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Done,
}

pub const FORMULA: Text = Text::new(
    "from 1 to ∞ messages per use: a local lap per global visit, the tokens never rest",
    "每次访问 1 到 ∞ 条消息：全局令牌每到一处，局部令牌走一圈，令牌从不停歇",
);

/// The local rings: `groups` consecutive blocks of nearly equal size.
pub fn rings(nodes: usize, groups: usize) -> Vec<Vec<NodeId>> {
    let groups = groups.clamp(1, nodes.max(1));
    let (base, extra) = (nodes / groups, nodes % groups);
    let mut start = 0;
    (0..groups)
        .map(|g| {
            let len = base + usize::from(g < extra);
            let ring = (start..start + len).map(NodeId::from_index).collect();
            start += len;
            ring
        })
        .collect()
}

impl TwoLayer {
    /// (ring index, ring members) of `id`.
    fn ring_of(&self, id: NodeId, nodes: usize) -> (usize, Vec<NodeId>) {
        let all = rings(nodes, self.groups);
        let g = all.iter().position(|r| r.contains(&id)).unwrap_or(0);
        (g, all[g].clone())
    }

    fn pass_global(&self, id: NodeId, last_global: u64, out: &mut Out<Self>) {
        let all = rings(out.cluster_size(), self.groups);
        let (g, _) = self.ring_of(id, out.cluster_size());
        let next = all[(g + 1) % all.len()][0];
        out.send(
            next,
            Msg::Global {
                hop: last_global + 1,
            },
        );
    }

    fn pass_local(&self, id: NodeId, hop: u64, out: &mut Out<Self>) {
        let (_, ring) = self.ring_of(id, out.cluster_size());
        let at = ring.iter().position(|n| *n == id).unwrap_or(0);
        out.send(ring[(at + 1) % ring.len()], Msg::Local { hop });
    }

    /// A coordinator got the global token: open its local ring for one lap.
    fn open_ring(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if let State::Coordinator {
            has_global,
            last_global,
            local_out,
            last_local,
        } = state
        {
            *has_global = true;
            let (_, ring) = self.ring_of(id, out.cluster_size());
            if ring.len() > 1 {
                *local_out = true;
                out.note(Note::OpensRing);
                self.pass_local(id, *last_local + 1, out);
            } else {
                *has_global = false;
                self.pass_global(id, *last_global, out);
            }
        }
    }

    fn take(&self, member: &mut Member, out: &mut Out<Self>) {
        start_using(
            &mut member.phase,
            self.usage,
            Timer::Done,
            Note::HoldsLocal,
            out,
        );
    }
}

impl Protocol for TwoLayer {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let (g, ring) = self.ring_of(id, out.cluster_size());
        if ring[0] != id {
            return State::Member(Member::default());
        }
        let mut state = State::Coordinator {
            has_global: false,
            last_global: 0,
            local_out: false,
            last_local: 0,
        };
        if g == 0 {
            self.open_ring(id, &mut state, out);
        }
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (state @ State::Coordinator { .. }, Msg::Global { hop }) => {
                if let State::Coordinator { last_global, .. } = state {
                    if hop <= *last_global {
                        out.note(Note::StaleGlobal { hop });
                        return;
                    }
                    *last_global = hop;
                }
                self.open_ring(id, state, out);
            }
            (
                State::Coordinator {
                    has_global,
                    last_global,
                    local_out,
                    last_local,
                },
                Msg::Local { hop },
            ) => {
                if !*local_out || hop <= *last_local {
                    out.note(Note::StaleLocal { hop });
                    return;
                }
                *last_local = hop;
                *local_out = false;
                *has_global = false;
                out.note(Note::LocalBack);
                self.pass_global(id, *last_global, out);
            }
            (State::Member(m), Msg::Local { hop }) => {
                if !m.accept(hop, src, out) {
                    return;
                }
                if m.phase == Phase::Waiting {
                    self.take(m, out);
                } else {
                    m.has_token = false;
                    self.pass_local(id, hop + 1, out);
                }
            }
            (State::Member(_), msg) => out.note(Note::NotCoordinator { msg }),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, _timer: Timer, out: &mut Out<Self>) {
        if let State::Member(m) = state {
            if m.phase == Phase::Using {
                m.phase = Phase::Idle;
                m.has_token = false;
                out.observe(MutexEvent::Left);
                self.pass_local(id, m.last_hop + 1, out);
            }
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        match state {
            State::Member(m) if m.phase == Phase::Idle => {
                m.phase = Phase::Waiting;
                out.observe(MutexEvent::Requested);
                out.note(Note::WaitsForLocal);
            }
            State::Member(_) => out.note(Note::AlreadyAsked),
            State::Coordinator { .. } => out.note(Note::CoordinatorsRoute),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            State::Coordinator {
                last_global,
                last_local,
                ..
            } => State::Coordinator {
                has_global: false,
                last_global: *last_global,
                local_out: false,
                last_local: *last_local,
            },
            State::Member(m) => State::Member(m.after_crash()),
        }
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, _out: &mut Out<Self>) {}

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

impl Present for TwoLayer {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator {
                has_global,
                local_out,
                last_global,
                last_local,
            } => NodeView {
                role: "coordinator",
                label: String::new(),
                badges: if *has_global {
                    vec!["global-token"]
                } else {
                    Vec::new()
                },
                fields: vec![
                    ("holds the global token", has_global.to_string()),
                    ("local token out", local_out.to_string()),
                    ("last global hop", last_global.to_string()),
                    ("last local hop", last_local.to_string()),
                ],
            },
            State::Member(m) => m.view(),
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("coordinator", "ring coordinator", "环协调者"),
            ("idle", "idle", "空闲"),
            ("waiting", "waiting for the machine", "等待咖啡机"),
            ("using", "using the machine", "正在使用咖啡机"),
        ]
    }

    fn layout(&self, nodes: usize) -> Layout {
        Layout::TwoRings {
            groups: rings(nodes, self.groups),
        }
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<MutexCommand> {
        match state {
            State::Member(m) => offer_request(m.phase),
            State::Coordinator { .. } => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let formula = Formula {
            text: FORMULA,
            value: None,
        };
        let outcome = MutexOutcome {
            global_tokens: Some(super::token_ring::tokens(run, "global token")),
            ..MutexOutcome::of(run, formula)
        };
        serde_json::to_value(outcome).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_split_evenly_and_cover_everyone() {
        let r = rings(10, 3);
        let sizes: Vec<usize> = r.iter().map(Vec::len).collect();
        assert_eq!(sizes, [4, 3, 3]);
        assert_eq!(r.concat().len(), 10);
        assert_eq!(rings(3, 9).len(), 3, "never more rings than nodes");
    }
}
