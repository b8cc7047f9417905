//! # Multi-Paxos
//!
//! A replicated log is a sequence of Paxos instances, one per *slot*. Running both phases for
//! every slot would cost two round trips per value. Multi-Paxos notices that phase 1 does not
//! depend on the value: a *distinguished proposer*, the leader, sends one Prepare(b) that
//! covers every slot at once, and each acceptor that promises ballot b answers with everything
//! it has accepted, slot by slot. From then on, as long as nobody prepares a higher ballot, each
//! client value costs one round trip: Accept(b, slot, v) to the acceptors and Accepted back,
//! 2(n−1) messages when every node accepts and the leader accepts its own proposals. That is
//! the same price as Raft's AppendEntries, which is why the two are compared: Raft is, in
//! effect, Multi-Paxos with a leader elected together with its log.
//!
//! Ballots are pairs (round, node), so no two proposers ever use the same one. A follower that
//! hears nothing from its leader for a randomized timeout (or is told to take over) prepares a
//! ballot above any it has seen. Its majority of promises includes, for each slot that may have
//! been chosen, an acceptor that accepted the chosen value; so the new leader re-proposes, in
//! every slot, the value with the highest ballot among the promises, fills holes with a no-op,
//! and only then takes new values. A leader that hears of a higher ballot steps down.
//!
//! The leader learns that a slot is chosen when a majority has accepted it; it tells the others
//! with the *commit* mark carried by every Accept and heartbeat: a follower learns a slot up to
//! that mark when it holds the leader's value for it, accepted in the leader's ballot.
//!
//! Promises and accepted values are on stable storage, as in single-decree Paxos; so is the log
//! of chosen values. The invariant, checked over every acceptor's history of accepted proposals,
//! is that at most one value is chosen per slot.
//!
//! The saving is also the trap (see [`BUGS`]): it is tempting for a node that takes over to
//! treat phase 1 as a formality, win its ballot and start writing from the end of the log it
//! knows. But the slots it has not learned may already be chosen; only the promises' accepted
//! values tell it what they hold.

use super::majority;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, LogCell, LogView, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::{ChosenSlot, Leadership, MultiPaxosOutcome, NodeLog};
use words::Note;

/// What a new leader puts in a slot no promise had a value for.
pub const NOOP: &str = "no-op";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiPaxos {
    /// The distinguished proposer that runs phase 1 when the run starts.
    pub leader: NodeId,
    pub heartbeat: Span,
    /// Silence after which a follower takes over, drawn from this range.
    pub leader_timeout: (Span, Span),
    /// A bug (see [`BUGS`]): a new leader ignores what the promises say about open slots.
    pub skip_phase_1_for_open_slots: bool,
}

/// The rule of Multi-Paxos that implementations get wrong, switched on by a parameter for the
/// explorer to show what it is for.
///
/// - **Skip phase 1 for open slots** (`skip_phase_1_for_open_slots`): a node that takes over
///   must re-propose, in every slot it has not learned, the value with the highest ballot among
///   the promises. One that wins its ballot and simply writes new values from the end of its
///   own log puts them into slots a majority may already have chosen: two values in one slot.
pub const BUGS: &[crate::algorithm::Bug] = &[crate::algorithm::Bug {
    param: "skip_phase_1_for_open_slots",
    name: crate::Text::new(
        "a new leader skips phase 1's answers for the slots it has not learned",
        "新领导者不理会 Prepare 阶段对它尚未学到的槽位的回答",
    ),
    breaks: crate::Text::new(
        "It writes new values into slots already chosen: two values in one slot.",
        "它把新值写进了已经选定的槽位：同一个槽位有两个值。",
    ),
}];

/// A ballot: a round, with the proposer's node id to break ties, so ballots are unique.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Ballot {
    pub round: u64,
    pub node: u32,
}

impl std::fmt::Display for Ballot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.round, self.node)
    }
}

/// What an acceptor accepted in one slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vote {
    pub ballot: Ballot,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Follower {
        leader: Option<NodeId>,
    },
    /// Phase 1 under way for `ballot`: the promises so far with what each had accepted.
    Candidate {
        ballot: Ballot,
        promises: BTreeMap<NodeId, BTreeMap<u64, Vote>>,
    },
    /// Phase 1 done for `ballot`. `waiting` maps each slot not yet chosen to its value and the
    /// acceptors that accepted it.
    Leader {
        ballot: Ballot,
        next_slot: u64,
        waiting: BTreeMap<u64, (String, BTreeSet<NodeId>)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// Acceptor: the highest ballot promised; on stable storage.
    pub promised: Ballot,
    /// Acceptor: what it accepted, by slot; on stable storage.
    pub accepted: BTreeMap<u64, Vote>,
    /// Learner: the chosen values it knows, by slot; written down, so kept across a crash.
    pub chosen: BTreeMap<u64, String>,
    pub role: Role,
    /// Client values given while phase 1 was still running, proposed once it is done.
    pub queue: Vec<String>,
    /// Every (slot, vote) this node accepted. Not part of the algorithm: a record kept so that
    /// the invariant sees history.
    pub history: BTreeSet<(u64, Vote)>,
}

impl State {
    /// The highest slot such that it and every slot before it are chosen.
    fn commit(&self) -> u64 {
        (1..)
            .take_while(|s| self.chosen.contains_key(s))
            .last()
            .unwrap_or(0)
    }

    fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    /// Phase 1 for every slot at once.
    Prepare {
        ballot: Ballot,
    },
    /// "I promise `ballot`; here is everything I have accepted."
    Promise {
        ballot: Ballot,
        accepted: BTreeMap<u64, Vote>,
    },
    Nack {
        ballot: Ballot,
        promised: Ballot,
    },
    Accept {
        ballot: Ballot,
        slot: u64,
        value: String,
        commit: u64,
    },
    Accepted {
        ballot: Ballot,
        slot: u64,
    },
    Heartbeat {
        ballot: Ballot,
        commit: u64,
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
            Msg::Heartbeat { .. } => "heartbeat",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Prepare { ballot } => format!("prepare {ballot}"),
            Msg::Promise { ballot, accepted } => {
                format!("promise {ballot} ({} slots)", accepted.len())
            }
            Msg::Nack { ballot, promised } => format!("no {ballot} (≥{promised})"),
            Msg::Accept {
                ballot,
                slot,
                value,
                ..
            } => format!("accept {ballot} #{slot} {value}"),
            Msg::Accepted { ballot, slot } => format!("accepted {ballot} #{slot}"),
            Msg::Heartbeat { commit, .. } => format!("♥ ≤#{commit}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Heartbeat,
    /// A follower's patience with a silent leader.
    LeaderSilent,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// A client's value for the next slot, given to the leader.
    Propose(String),
    /// Run phase 1 with a higher ballot and lead.
    TakeOver,
}

/// What the outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// Phase 1 started with `ballot`.
    Prepare { ballot: Ballot },
    /// Phase 1 done: the node leads.
    Leads { ballot: Ballot },
    /// A client value entered the log at `slot`.
    Client { slot: u64 },
    /// An acceptor accepted `value` in `slot` at `ballot`.
    Accepted {
        slot: u64,
        ballot: Ballot,
        value: String,
    },
}

impl MultiPaxos {
    fn quorum(out: &Out<Self>) -> usize {
        majority(out.cluster_size())
    }

    fn others(id: NodeId, out: &Out<Self>) -> Vec<NodeId> {
        out.all().filter(|n| *n != id).collect()
    }

    fn reset_patience(&self, out: &mut Out<Self>) {
        out.set_timer(
            Timer::LeaderSilent,
            self.leader_timeout.0,
            self.leader_timeout.1,
        );
    }

    fn step_down(&self, state: &mut State, leader: Option<NodeId>, out: &mut Out<Self>) {
        if !matches!(state.role, Role::Follower { .. }) {
            out.note(Note::StepsDown);
            out.cancel_timer(Timer::Heartbeat);
        }
        state.role = Role::Follower { leader };
        self.reset_patience(out);
    }

    /// Phase 1 with a ballot above everything seen, covering every slot.
    fn take_over(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let ballot = Ballot {
            round: state.promised.round + 1,
            node: id.number(),
        };
        state.promised = ballot;
        out.observe(Event::Prepare { ballot });
        out.note(Note::Prepares { ballot });
        state.role = Role::Candidate {
            ballot,
            promises: BTreeMap::from([(id, state.accepted.clone())]),
        };
        out.cancel_timer(Timer::Heartbeat);
        self.reset_patience(out);
        for n in Self::others(id, out) {
            out.send(n, Msg::Prepare { ballot });
        }
        self.maybe_lead(id, state, out);
    }

    /// With a majority of promises: re-propose, slot by slot, the value with the highest
    /// ballot among them (a no-op where none had one), then the queued client values.
    fn maybe_lead(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let Role::Candidate { ballot, promises } = &state.role else {
            return;
        };
        if promises.len() < Self::quorum(out) {
            return;
        }
        let ballot = *ballot;
        let mut best: BTreeMap<u64, Vote> = BTreeMap::new();
        let answers = promises
            .values()
            .filter(|_| !self.skip_phase_1_for_open_slots);
        for accepted in answers {
            for (slot, vote) in accepted {
                if best.get(slot).is_none_or(|b| vote.ballot > b.ballot) {
                    best.insert(*slot, vote.clone());
                }
            }
        }
        let top = best
            .keys()
            .chain(state.chosen.keys())
            .max()
            .copied()
            .unwrap_or(0);
        out.observe(Event::Leads { ballot });
        out.note(Note::Leads { ballot, slots: top });
        state.role = Role::Leader {
            ballot,
            next_slot: top + 1,
            waiting: BTreeMap::new(),
        };
        out.cancel_timer(Timer::LeaderSilent);
        out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
        for slot in 1..=top {
            let value = match (state.chosen.get(&slot), best.get(&slot)) {
                (Some(v), _) => v.clone(),
                (None, Some(vote)) => vote.value.clone(),
                (None, None) => NOOP.to_string(),
            };
            self.propose_at(id, state, slot, value, out);
        }
        for value in std::mem::take(&mut state.queue) {
            self.propose(id, state, value, out);
        }
    }

    /// A client value for the next free slot.
    fn propose(&self, id: NodeId, state: &mut State, value: String, out: &mut Out<Self>) {
        let Role::Leader { next_slot, .. } = &mut state.role else {
            return;
        };
        let slot = *next_slot;
        *next_slot += 1;
        out.observe(Event::Client { slot });
        self.propose_at(id, state, slot, value, out);
    }

    /// Phase 2 for one slot: accept it locally and send Accept to everyone else.
    fn propose_at(
        &self,
        id: NodeId,
        state: &mut State,
        slot: u64,
        value: String,
        out: &mut Out<Self>,
    ) {
        let Role::Leader { ballot, .. } = state.role else {
            return;
        };
        self.accept(state, slot, ballot, value.clone(), out);
        if let Role::Leader { waiting, .. } = &mut state.role {
            waiting.insert(slot, (value.clone(), BTreeSet::from([id])));
        }
        let commit = state.commit();
        for n in Self::others(id, out) {
            out.send(
                n,
                Msg::Accept {
                    ballot,
                    slot,
                    value: value.clone(),
                    commit,
                },
            );
        }
        self.maybe_chosen(state, slot, out);
    }

    fn accept(
        &self,
        state: &mut State,
        slot: u64,
        ballot: Ballot,
        value: String,
        out: &mut Out<Self>,
    ) {
        let vote = Vote { ballot, value };
        state.history.insert((slot, vote.clone()));
        out.observe(Event::Accepted {
            slot,
            ballot,
            value: vote.value.clone(),
        });
        state.accepted.insert(slot, vote);
    }

    fn maybe_chosen(&self, state: &mut State, slot: u64, out: &mut Out<Self>) {
        let Role::Leader { waiting, .. } = &mut state.role else {
            return;
        };
        let Some((value, by)) = waiting.get(&slot) else {
            return;
        };
        if by.len() >= Self::quorum(out) {
            let value = value.clone();
            waiting.remove(&slot);
            out.note(Note::Chosen {
                slot,
                value: value.clone(),
            });
            state.chosen.insert(slot, value);
        }
    }

    /// A follower learns every slot up to the leader's commit mark that it accepted in the
    /// leader's ballot: the leader proposed exactly one value per slot in that ballot.
    fn learn(&self, state: &mut State, ballot: Ballot, commit: u64) {
        for slot in 1..=commit {
            if let Some(vote) = state.accepted.get(&slot) {
                if vote.ballot == ballot {
                    state
                        .chosen
                        .entry(slot)
                        .or_insert_with(|| vote.value.clone());
                }
            }
        }
    }

    /// A message from a proposer with `ballot`: refuse it if a higher one was promised, else
    /// follow its sender (ballots are unique, so it is somebody else's at least as high).
    fn follow(&self, state: &mut State, src: NodeId, ballot: Ballot, out: &mut Out<Self>) -> bool {
        if ballot < state.promised {
            out.send(
                src,
                Msg::Nack {
                    ballot,
                    promised: state.promised,
                },
            );
            return false;
        }
        state.promised = ballot;
        self.step_down(state, Some(src), out);
        true
    }
}

impl Protocol for MultiPaxos {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let mut state = State {
            promised: Ballot::default(),
            accepted: BTreeMap::new(),
            chosen: BTreeMap::new(),
            role: Role::Follower { leader: None },
            queue: Vec::new(),
            history: BTreeSet::new(),
        };
        if id == self.leader {
            self.take_over(id, &mut state, out);
        } else {
            self.reset_patience(out);
        }
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Prepare { ballot } => {
                if ballot > state.promised {
                    self.follow(state, src, ballot, out);
                    let accepted = state.accepted.clone();
                    out.send(src, Msg::Promise { ballot, accepted });
                } else {
                    out.send(
                        src,
                        Msg::Nack {
                            ballot,
                            promised: state.promised,
                        },
                    );
                }
            }
            Msg::Promise { ballot, accepted } => {
                if let Role::Candidate {
                    ballot: b,
                    promises,
                } = &mut state.role
                {
                    if *b == ballot {
                        promises.insert(src, accepted);
                        self.maybe_lead(id, state, out);
                    }
                }
            }
            Msg::Nack { ballot, promised } => {
                let mine = match state.role {
                    Role::Candidate { ballot: b, .. } | Role::Leader { ballot: b, .. } => Some(b),
                    Role::Follower { .. } => None,
                };
                if mine == Some(ballot) && promised > ballot {
                    state.promised = state.promised.max(promised);
                    self.step_down(state, None, out);
                }
            }
            Msg::Accept {
                ballot,
                slot,
                value,
                commit,
            } => {
                if self.follow(state, src, ballot, out) {
                    self.accept(state, slot, ballot, value, out);
                    self.learn(state, ballot, commit);
                    out.send(src, Msg::Accepted { ballot, slot });
                }
            }
            Msg::Accepted { ballot, slot } => {
                if let Role::Leader {
                    ballot: b, waiting, ..
                } = &mut state.role
                {
                    if *b == ballot {
                        if let Some((_, by)) = waiting.get_mut(&slot) {
                            by.insert(src);
                        }
                        self.maybe_chosen(state, slot, out);
                    }
                }
            }
            Msg::Heartbeat { ballot, commit } => {
                if self.follow(state, src, ballot, out) {
                    self.learn(state, ballot, commit);
                }
            }
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (timer, &state.role) {
            (Timer::Heartbeat, Role::Leader { ballot, .. }) => {
                let msg = Msg::Heartbeat {
                    ballot: *ballot,
                    commit: state.commit(),
                };
                for n in Self::others(id, out) {
                    out.send(n, msg.clone());
                }
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            (Timer::LeaderSilent, Role::Follower { .. } | Role::Candidate { .. }) => {
                out.note(Note::TakesOver);
                self.take_over(id, state, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        match (cmd, &state.role) {
            (Command::Propose(value), Role::Leader { .. }) => self.propose(id, state, value, out),
            (Command::Propose(value), Role::Candidate { .. }) => {
                out.note(Note::Queues {
                    value: value.clone(),
                });
                state.queue.push(value);
            }
            (Command::Propose(value), Role::Follower { leader }) => out.note(match *leader {
                Some(leader) => Note::NotLeader { leader, value },
                None => Note::NoLeaderKnown { value },
            }),
            (Command::TakeOver, _) => self.take_over(id, state, out),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            role: Role::Follower { leader: None },
            queue: Vec::new(),
            ..state.clone()
        }
    }

    fn on_recover(&self, _id: NodeId, _state: &mut State, out: &mut Out<Self>) {
        self.reset_patience(out);
    }

    /// At most one value per slot: among the votes a majority of acceptors ever accepted, and
    /// among the values learners wrote down.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        let mut count: BTreeMap<&(u64, Vote), usize> = BTreeMap::new();
        for n in nodes {
            for entry in &n.state.history {
                *count.entry(entry).or_default() += 1;
            }
        }
        let mut chosen: BTreeMap<u64, BTreeSet<&str>> = BTreeMap::new();
        for ((slot, vote), k) in count {
            if k >= majority(nodes.len()) {
                chosen.entry(*slot).or_default().insert(&vote.value);
            }
        }
        for (slot, values) in chosen.iter().filter(|(_, v)| v.len() > 1) {
            found.push(Violation {
                invariant: "one-value-per-slot",
                text: format!(
                    "a majority accepted each of {} in slot {slot}",
                    values.iter().copied().collect::<Vec<_>>().join(" and ")
                ),
                nodes: nodes.iter().map(|n| n.id).collect(),
            });
        }
        let mut learned: BTreeMap<u64, (NodeId, &str)> = BTreeMap::new();
        for n in nodes {
            for (slot, value) in &n.state.chosen {
                match learned.get(slot) {
                    Some((other, v)) if *v != value => found.push(Violation {
                        invariant: "one-value-learned-per-slot",
                        text: format!(
                            "node {other} learned {v} in slot {slot} but node {} learned {value}",
                            n.id
                        ),
                        nodes: vec![*other, n.id],
                    }),
                    Some(_) => {}
                    None => {
                        learned.insert(*slot, (n.id, value));
                    }
                }
            }
        }
        found
    }
}

impl Present for MultiPaxos {
    /// Slots in order, coloured by the ballot round of what the acceptor accepted there (or
    /// learned was chosen); a gap shows as an empty cell.
    fn log_view(&self, _id: NodeId, state: &State) -> Option<LogView> {
        let last = state
            .accepted
            .keys()
            .chain(state.chosen.keys())
            .max()
            .copied()
            .unwrap_or(0);
        let cells = (1..=last)
            .map(
                |slot| match (state.accepted.get(&slot), state.chosen.get(&slot)) {
                    (Some(v), chosen) => LogCell {
                        term: v.ballot.round,
                        text: chosen.unwrap_or(&v.value).clone(),
                    },
                    (None, Some(value)) => LogCell {
                        term: 0,
                        text: value.clone(),
                    },
                    (None, None) => LogCell {
                        term: 0,
                        text: "·".into(),
                    },
                },
            )
            .collect();
        Some(LogView {
            cells,
            committed: state.commit() as usize,
        })
    }

    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        let (role, detail) = match &state.role {
            Role::Follower { leader } => (
                "follower",
                leader.map_or("no leader known".into(), |l| format!("follows {l}")),
            ),
            Role::Candidate { ballot, promises } => (
                "candidate",
                format!("prepare {ballot}: {} promises", promises.len()),
            ),
            Role::Leader {
                ballot, waiting, ..
            } => (
                "leader",
                format!(
                    "leads with ballot {ballot}, {} slot(s) in flight",
                    waiting.len()
                ),
            ),
        };
        let log: Vec<String> = state
            .accepted
            .iter()
            .map(|(slot, v)| {
                let mark = if state.chosen.contains_key(slot) {
                    "✓"
                } else {
                    ""
                };
                format!("#{slot} {}:{}{mark}", v.ballot, v.value)
            })
            .collect();
        NodeView {
            role,
            label: format!(
                "ballot {} · chosen up to slot {}",
                state.promised,
                state.commit()
            ),
            badges: if state.is_leader() {
                vec!["crown"]
            } else {
                Vec::new()
            },
            fields: vec![
                ("role", detail),
                ("promised ballot", state.promised.to_string()),
                ("accepted (slot ballot:value)", log.join(" ")),
                ("chosen up to slot", state.commit().to_string()),
            ],
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("follower", "acceptor", "接受者"),
            ("candidate", "preparing (phase 1)", "准备中（阶段一）"),
            (
                "leader",
                "leader (distinguished proposer)",
                "领导者（主提议者）",
            ),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<Command> {
        match &state.role {
            Role::Leader { next_slot, .. } => vec![Command::Propose(format!("v{next_slot}"))],
            _ => vec![Command::TakeOver],
        }
    }

    /// The leader, the chosen log (slot, value, ballot, when a majority had accepted it), phase
    /// 1 runs, and the messages per client value beside the 2(n−1) of one round trip.
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(MultiPaxosOutcome::of(run)).unwrap_or_default()
    }
}
