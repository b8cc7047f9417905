//! # Raft leader election ("democratic vote")
//!
//! Every node starts as a *follower*. A follower that hears nothing from a leader for its
//! *election timeout* (randomized, 150–300 ms by default, as seed 002 says) becomes a
//! *candidate*: it starts a new *term*, votes for itself and asks every other node for its vote
//! with RequestVote. A node grants at most one vote per term, first come first served, and only
//! to a candidate whose log is at least as up to date as its own. A candidate that collects
//! votes from a majority becomes *leader* and sends heartbeats (empty AppendEntries) so that the
//! others stay followers. Whoever sees a higher term than its own adopts it and steps down.
//!
//! If two candidates split the votes so that neither has a majority (four nodes, two votes
//! each), nobody wins that term; their randomized timeouts make it unlikely that they collide
//! again, and the next term usually has a winner. A majority needs more than half of *all*
//! nodes, which is why clusters have an odd size: with an even count a tie is possible.
//!
//! Term and vote are on stable storage: a node that crashes and comes back must not vote twice
//! in a term. The log fields are here so that log replication can extend this same protocol.

use super::{outcome, ElectionEvent};
use crate::Text;
use clusterplay_sim::{
    Layout, Message, NodeId, NodeSlot, NodeView, Out, Protocol, RunView, Span, Violation,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Raft {
    /// Election timeout range, drawn afresh each time the timer is set.
    pub election_timeout: (Span, Span),
    /// How often a leader sends heartbeats.
    pub heartbeat: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Follower { leader: Option<NodeId> },
    Candidate { votes: BTreeSet<NodeId> },
    Leader,
}

/// A log entry: the term it was created in, and the command it carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub term: u64,
    pub command: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub role: Role,
    pub log: Vec<Entry>,
}

impl State {
    fn last_log(&self) -> (u64, u64) {
        (self.log.len() as u64, self.log.last().map_or(0, |e| e.term))
    }

    pub fn is_leader(&self) -> bool {
        self.role == Role::Leader
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    RequestVote {
        term: u64,
        last_log_index: u64,
        last_log_term: u64,
    },
    Vote {
        term: u64,
        granted: bool,
    },
    /// A heartbeat while it carries no entries.
    AppendEntries {
        term: u64,
    },
    AppendReply {
        term: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::RequestVote { .. } => "request-vote",
            Msg::Vote { .. } => "vote",
            Msg::AppendEntries { .. } => "heartbeat",
            Msg::AppendReply { .. } => "heartbeat-reply",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::RequestVote { term, .. } => format!("vote for me? t{term}"),
            Msg::Vote {
                granted: true,
                term,
            } => format!("yes t{term}"),
            Msg::Vote {
                granted: false,
                term,
            } => format!("no t{term}"),
            Msg::AppendEntries { term } => format!("♥ t{term}"),
            Msg::AppendReply { term } => format!("ok t{term}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Election,
    Heartbeat,
}

/// What a learner can ask of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Let the election timer fire now: start an election.
    Timeout,
}

pub const HOW: Text = Text::new(
    "A follower that hears no leader for a random 150–300 ms becomes a candidate, starts a new \
     term and asks for votes. Each node votes once per term; a majority makes a leader, whose \
     heartbeats keep the others followers. A higher term always wins.",
    "跟随者在随机的 150–300 毫秒内没有收到领导者的消息，就成为候选者，开始新的任期并请求投票。\
     每个节点每个任期只投一票；获得多数票者成为领导者，用心跳让其他节点保持跟随。任期大者为准。",
);

impl Raft {
    fn reset_election_timer(&self, out: &mut Out<Self>) {
        out.set_timer(
            Timer::Election,
            self.election_timeout.0,
            self.election_timeout.1,
        );
    }

    /// Adopt a higher term seen in any message: the node becomes a follower of nobody yet.
    fn observe_term(&self, state: &mut State, term: u64, out: &mut Out<Self>) {
        if term > state.term {
            if state.is_leader() {
                out.observe(ElectionEvent::SteppedDown { term: state.term });
                out.cancel_timer(Timer::Heartbeat);
                self.reset_election_timer(out);
                out.note(format!("sees term {term}: steps down"));
            }
            state.term = term;
            state.voted_for = None;
            state.role = Role::Follower { leader: None };
        }
    }

    fn campaign(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        state.term += 1;
        state.voted_for = Some(id);
        state.role = Role::Candidate {
            votes: BTreeSet::from([id]),
        };
        out.observe(ElectionEvent::Campaign { term: state.term });
        out.note(format!("times out: candidate in term {}", state.term));
        let (last_log_index, last_log_term) = state.last_log();
        out.broadcast(
            id,
            Msg::RequestVote {
                term: state.term,
                last_log_index,
                last_log_term,
            },
        );
        self.reset_election_timer(out);
        self.maybe_win(id, state, out);
    }

    fn maybe_win(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let Role::Candidate { votes } = &state.role else {
            return;
        };
        if votes.len() * 2 > out.cluster_size() {
            out.note(format!(
                "has {} of {} votes: leader of term {}",
                votes.len(),
                out.cluster_size(),
                state.term
            ));
            state.role = Role::Leader;
            out.observe(ElectionEvent::Elected { term: state.term });
            out.cancel_timer(Timer::Election);
            out.broadcast(id, Msg::AppendEntries { term: state.term });
            out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
        }
    }
}

impl Protocol for Raft {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = ElectionEvent;

    fn init(&self, _id: NodeId, out: &mut Out<Self>) -> State {
        self.reset_election_timer(out);
        State {
            term: 0,
            voted_for: None,
            role: Role::Follower { leader: None },
            log: Vec::new(),
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::RequestVote {
                term,
                last_log_index,
                last_log_term,
            } => {
                self.observe_term(state, term, out);
                let (my_index, my_term) = state.last_log();
                let up_to_date = (last_log_term, last_log_index) >= (my_term, my_index);
                let granted =
                    term == state.term && state.voted_for.is_none_or(|v| v == src) && up_to_date;
                if granted {
                    state.voted_for = Some(src);
                    self.reset_election_timer(out);
                    out.note(format!("votes for {src} in term {term}"));
                } else if term == state.term {
                    out.note(format!(
                        "refuses {src}: already voted for {} in term {term}",
                        state.voted_for.map_or("—".into(), |v| v.to_string())
                    ));
                }
                out.send(
                    src,
                    Msg::Vote {
                        term: state.term,
                        granted,
                    },
                );
            }
            Msg::Vote { term, granted } => {
                self.observe_term(state, term, out);
                if let Role::Candidate { votes } = &mut state.role {
                    if granted && term == state.term {
                        votes.insert(src);
                        self.maybe_win(id, state, out);
                    }
                }
            }
            Msg::AppendEntries { term } => {
                self.observe_term(state, term, out);
                if term == state.term {
                    if state.is_leader() {
                        out.note(format!("another leader, {src}, in my term {term}"));
                    } else {
                        state.role = Role::Follower { leader: Some(src) };
                        self.reset_election_timer(out);
                    }
                }
                out.send(src, Msg::AppendReply { term: state.term });
            }
            Msg::AppendReply { term } => self.observe_term(state, term, out),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match timer {
            Timer::Election if !state.is_leader() => self.campaign(id, state, out),
            Timer::Heartbeat if state.is_leader() => {
                out.broadcast(id, Msg::AppendEntries { term: state.term });
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        match cmd {
            Command::Timeout if !state.is_leader() => self.campaign(id, state, out),
            Command::Timeout => out.note("already the leader"),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            term: state.term,
            voted_for: state.voted_for,
            role: Role::Follower { leader: None },
            log: state.log.clone(),
        }
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, out: &mut Out<Self>) {
        self.reset_election_timer(out);
    }

    /// Election safety, as far as the live states show it: two leaders of the same term.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut leaders: Vec<(u64, NodeId)> = nodes
            .iter()
            .filter(|n| n.up && n.state.is_leader())
            .map(|n| (n.state.term, n.id))
            .collect();
        leaders.sort();
        leaders
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| Violation {
                invariant: "election-safety",
                text: format!("nodes {} and {} both lead term {}", w[0].1, w[1].1, w[0].0),
                nodes: vec![w[0].1, w[1].1],
            })
            .collect()
    }

    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        let (role, extra) = match &state.role {
            Role::Follower { leader } => (
                "follower",
                leader.map_or("no leader".into(), |l| format!("follows {l}")),
            ),
            Role::Candidate { votes } => ("candidate", format!("{} votes", votes.len())),
            Role::Leader => ("leader", "leads".into()),
        };
        NodeView {
            role,
            label: format!("t{}", state.term),
            badges: if state.is_leader() {
                vec!["crown"]
            } else {
                Vec::new()
            },
            fields: vec![
                ("role", format!("{role} ({extra})")),
                ("term", state.term.to_string()),
                (
                    "voted for",
                    state.voted_for.map_or("nobody".into(), |v| v.to_string()),
                ),
                ("log length", state.log.len().to_string()),
            ],
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("follower", "follower", "跟随者"),
            ("candidate", "candidate", "候选者"),
            ("leader", "leader", "领导者"),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<Command> {
        if state.is_leader() {
            Vec::new()
        } else {
            vec![Command::Timeout]
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let leader = run
            .nodes
            .iter()
            .filter(|n| n.up && n.state.is_leader())
            .map(|n| (n.id, n.state.term))
            .max_by_key(|(_, t)| *t);
        let mut value = outcome(run, leader);
        value["split_votes"] = split_votes(run).into();
        value
    }
}

/// Terms in which somebody stood and nobody won: a split vote, or candidates cut off from a
/// majority.
fn split_votes(run: &RunView<'_, Raft>) -> usize {
    let mut stood = BTreeSet::new();
    let mut won = BTreeSet::new();
    for o in run.observations {
        match o.what {
            ElectionEvent::Campaign { term } => {
                stood.insert(term);
            }
            ElectionEvent::Elected { term } => {
                won.insert(term);
            }
            ElectionEvent::SteppedDown { .. } => {}
        }
    }
    stood.difference(&won).count()
}
