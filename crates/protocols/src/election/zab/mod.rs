//! # ZAB-style election ("vote with priority")
//!
//! ZooKeeper's leader election is a vote, like Raft's, but a vote that can change its mind. A
//! node that has no leader is *looking*: it proposes itself, as the pair (data id, node id), and
//! broadcasts that vote. The data id is the id of the last transaction the node holds (its
//! *zxid*), so a bigger data id means newer data. A looking node that receives a better vote –
//! newer data, or the same data and a bigger node id – adopts it and broadcasts again. Once a
//! quorum of the votes it has heard agree with its own, it waits a moment for anything better
//! (the *finalize wait*) and then the election is over: the winner leads, everyone else follows.
//! So the node with the newest data wins even when its node id is not the highest, which is
//! what seed 000 means by "ZAB tries hard to keep the data newest".
//!
//! The price, as the text says, is the broadcast: when all n nodes start at once each sends its
//! vote to the n−1 others, n(n−1) notifications, and every change of mind sends n−1 more.
//!
//! A vote alone does not make a leader. The winner collects a quorum of followers, proposes a new
//! *epoch* above any they have accepted, and leads only once a quorum has acknowledged it
//! (ZAB's discovery phase). A follower never accepts an epoch lower than one it has accepted,
//! so two leaders can never be established in the same epoch: this module's invariant. A leader
//! that stops hearing from a quorum gives up, so a leader cut off with a minority steps down.
//!
//! A node that comes back, or joins, is looking; the nodes that already follow a leader answer
//! its votes with the leader they follow, and it joins them. It does not take over, even with the
//! best data and the biggest id: unlike Bully, leadership changes only when the leader is lost.

use super::ElectionEvent;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::ZabOutcome;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Zab {
    /// Each node's data id (the zxid of its last transaction); 0 for nodes not listed.
    pub data_ids: Vec<u64>,
    /// How long a node with a quorum for its vote waits for a better one before deciding.
    pub finalize_wait: Span,
    /// How often a looking node that has not decided broadcasts its vote again.
    pub resend: Span,
    pub heartbeat: Span,
    /// Silence after which a follower looks again, and a leader without a quorum gives up.
    pub leader_timeout: Span,
}

/// A vote for a leader, ordered as ZAB orders them: newer data first, then the bigger node id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vote {
    pub data_id: u64,
    pub leader: NodeId,
}

/// What a node tells others about itself alongside its vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    Looking,
    Following,
    Leading,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// In an election. `votes` holds the latest vote heard from each looking node this round,
    /// its own included; `settled` the leader reported by nodes already out of the election.
    Looking {
        vote: Vote,
        votes: BTreeMap<NodeId, Vote>,
        settled: BTreeMap<NodeId, (NodeId, Standing)>,
    },
    /// Voted for `leader`; `epoch` once it has accepted the leader's new epoch.
    Following { leader: NodeId, epoch: Option<u64> },
    /// Won the vote. `joined` followers and their accepted epochs; `proposed` the new epoch once
    /// a quorum joined; `acked` the followers that accepted it; `heard` who answered since the
    /// last quorum check.
    Leading {
        joined: BTreeMap<NodeId, u64>,
        proposed: Option<u64>,
        acked: BTreeSet<NodeId>,
        established: bool,
        heard: BTreeSet<NodeId>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// The election round (ZooKeeper's logical clock); forgotten on a crash.
    pub round: u64,
    /// The highest epoch this node has promised to follow; on stable storage.
    pub accepted_epoch: u64,
    /// The epoch of the leader it last followed or led; on stable storage.
    pub current_epoch: u64,
    pub phase: Phase,
    /// Every epoch this node has led. Not part of the algorithm: a record kept so that the
    /// invariant sees history, including leaders that have since crashed or stepped down.
    pub led: BTreeSet<u64>,
}

impl State {
    fn established_leader(&self) -> bool {
        matches!(
            self.phase,
            Phase::Leading {
                established: true,
                ..
            }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    /// "In round `round` I vote for `vote`, and I am `standing`."
    Notification {
        round: u64,
        vote: Vote,
        standing: Standing,
    },
    /// A follower joins its leader, telling the highest epoch it has accepted.
    FollowerInfo {
        accepted_epoch: u64,
    },
    /// The leader proposes the epoch it will lead.
    NewEpoch {
        epoch: u64,
    },
    AckEpoch {
        epoch: u64,
    },
    Ping {
        epoch: u64,
    },
    Pong {
        epoch: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Notification { .. } => "notification",
            Msg::FollowerInfo { .. } => "follower-info",
            Msg::NewEpoch { .. } => "new-epoch",
            Msg::AckEpoch { .. } => "ack-epoch",
            Msg::Ping { .. } => "ping",
            Msg::Pong { .. } => "pong",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Notification { vote, .. } => format!("vote {} (d{})", vote.leader, vote.data_id),
            Msg::FollowerInfo { accepted_epoch } => format!("join e{accepted_epoch}"),
            Msg::NewEpoch { epoch } => format!("epoch {epoch}?"),
            Msg::AckEpoch { epoch } => format!("ok e{epoch}"),
            Msg::Ping { epoch } => format!("♥ e{epoch}"),
            Msg::Pong { epoch } => format!("ok e{epoch}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Resend,
    Finalize,
    Heartbeat,
    /// Leader: is a quorum still with me? Follower: is the leader still there?
    Check,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Leave the current leader and look for one again.
    Look,
}

impl Zab {
    fn data_id(&self, id: NodeId) -> u64 {
        self.data_ids.get(id.index()).copied().unwrap_or(0)
    }

    fn own_vote(&self, id: NodeId) -> Vote {
        Vote {
            data_id: self.data_id(id),
            leader: id,
        }
    }

    fn quorum(out: &Out<Self>) -> usize {
        out.cluster_size() / 2 + 1
    }

    /// Start (or restart) an election in the next round, voting for itself.
    fn look(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if state.established_leader() {
            out.observe(ElectionEvent::SteppedDown {
                term: state.current_epoch,
            });
        }
        state.round += 1;
        let vote = self.own_vote(id);
        state.phase = Phase::Looking {
            vote,
            votes: BTreeMap::from([(id, vote)]),
            settled: BTreeMap::new(),
        };
        out.observe(ElectionEvent::Campaign { term: state.round });
        out.cancel_timer(Timer::Heartbeat);
        out.cancel_timer(Timer::Check);
        out.cancel_timer(Timer::Finalize);
        out.set_timer(Timer::Resend, self.resend, self.resend);
        self.announce(id, state, out);
    }

    /// The vote a node tells others: its own while looking, else the leader it has.
    fn notification(&self, id: NodeId, state: &State) -> Msg {
        let (leader, standing) = match &state.phase {
            Phase::Looking { vote, .. } => (vote.leader, Standing::Looking),
            Phase::Following { leader, .. } => (*leader, Standing::Following),
            Phase::Leading { .. } => (id, Standing::Leading),
        };
        Msg::Notification {
            round: state.round,
            vote: Vote {
                data_id: self.data_id(leader),
                leader,
            },
            standing,
        }
    }

    fn announce(&self, id: NodeId, state: &State, out: &mut Out<Self>) {
        out.broadcast(id, self.notification(id, state));
    }

    /// A looking node hears a vote from another looking node.
    fn hear_vote(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        round: u64,
        theirs: Vote,
        out: &mut Out<Self>,
    ) {
        let Phase::Looking { vote, votes, .. } = &mut state.phase else {
            return;
        };
        if round < state.round {
            // A node behind us: tell it where the election stands.
            out.send(src, self.notification(id, state));
            return;
        }
        let mut changed = false;
        if round > state.round {
            state.round = round;
            votes.clear();
            *vote = self.own_vote(id);
            changed = true;
        }
        if theirs > *vote {
            out.note(Note::Adopts {
                from: src,
                leader: theirs.leader,
                data: theirs.data_id,
                over: vote.data_id,
            });
            *vote = theirs;
            changed = true;
        }
        votes.insert(src, theirs);
        votes.insert(id, *vote);
        if changed {
            self.announce(id, state, out);
        }
        self.maybe_settle(state, out);
    }

    /// With a quorum behind its vote, wait for anything better before deciding.
    fn maybe_settle(&self, state: &State, out: &mut Out<Self>) {
        let Phase::Looking { vote, votes, .. } = &state.phase else {
            return;
        };
        if votes.values().filter(|v| *v == vote).count() >= Self::quorum(out) {
            out.set_timer(Timer::Finalize, self.finalize_wait, self.finalize_wait);
        }
    }

    fn decide(&self, id: NodeId, state: &mut State, leader: NodeId, out: &mut Out<Self>) {
        out.cancel_timer(Timer::Resend);
        out.cancel_timer(Timer::Finalize);
        out.set_timer(Timer::Check, self.leader_timeout, self.leader_timeout);
        if leader == id {
            out.note(Note::QuorumForMe { round: state.round });
            state.phase = Phase::Leading {
                joined: BTreeMap::from([(id, state.accepted_epoch)]),
                proposed: None,
                acked: BTreeSet::from([id]),
                established: false,
                heard: BTreeSet::new(),
            };
        } else {
            out.note(Note::Follows { leader });
            state.phase = Phase::Following {
                leader,
                epoch: None,
            };
            out.send(
                leader,
                Msg::FollowerInfo {
                    accepted_epoch: state.accepted_epoch,
                },
            );
        }
    }

    /// Nodes already out of the election report their leader; a quorum of them, the leader's
    /// own word included, lets a latecomer join without an election.
    fn maybe_join(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        let Phase::Looking { settled, .. } = &state.phase else {
            return;
        };
        let leader = settled
            .iter()
            .find_map(|(n, (l, s))| (*s == Standing::Leading && n == l).then_some(*l));
        let Some(leader) = leader else { return };
        let backers = settled.values().filter(|(l, _)| *l == leader).count();
        if backers >= Self::quorum(out) {
            out.note(Note::JoinsLeader { leader });
            self.decide(id, state, leader, out);
        }
    }

    fn on_follower_info(
        &self,
        state: &mut State,
        src: NodeId,
        accepted_epoch: u64,
        out: &mut Out<Self>,
    ) {
        let Phase::Leading {
            joined, proposed, ..
        } = &mut state.phase
        else {
            return;
        };
        joined.insert(src, accepted_epoch);
        if let Some(epoch) = *proposed {
            out.send(src, Msg::NewEpoch { epoch });
            return;
        }
        if joined.len() >= Self::quorum(out) {
            let epoch = joined.values().max().copied().unwrap_or(0) + 1;
            *proposed = Some(epoch);
            state.accepted_epoch = epoch;
            out.note(Note::ProposesEpoch {
                joined: joined.len(),
                epoch,
            });
            for n in joined.keys() {
                out.send(*n, Msg::NewEpoch { epoch });
            }
        }
    }

    fn on_new_epoch(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        epoch: u64,
        out: &mut Out<Self>,
    ) {
        let Phase::Following {
            leader,
            epoch: mine,
        } = &mut state.phase
        else {
            return;
        };
        if *leader != src {
            return;
        }
        let repeat = *mine == Some(epoch);
        if epoch > state.accepted_epoch || repeat {
            *mine = Some(epoch);
            state.accepted_epoch = epoch;
            state.current_epoch = epoch;
            out.send(src, Msg::AckEpoch { epoch });
            out.set_timer(Timer::Check, self.leader_timeout, self.leader_timeout);
        } else {
            out.note(Note::RefusesEpoch {
                epoch,
                promised: state.accepted_epoch,
            });
            self.look(id, state, out);
        }
    }

    fn on_ack_epoch(
        &self,
        id: NodeId,
        state: &mut State,
        src: NodeId,
        epoch: u64,
        out: &mut Out<Self>,
    ) {
        let Phase::Leading {
            proposed,
            acked,
            established,
            ..
        } = &mut state.phase
        else {
            return;
        };
        if *proposed != Some(epoch) {
            return;
        }
        acked.insert(src);
        if *established {
            out.send(src, Msg::Ping { epoch });
        } else if acked.len() >= Self::quorum(out) {
            *established = true;
            state.current_epoch = epoch;
            state.led.insert(epoch);
            out.observe(ElectionEvent::Elected { term: epoch });
            out.note(Note::Leads {
                epoch,
                followers: acked.len() - 1,
            });
            for n in acked.iter().filter(|n| **n != id) {
                out.send(*n, Msg::Ping { epoch });
            }
            out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
        }
    }
}

impl Protocol for Zab {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = ElectionEvent;

    /// Nobody leads yet: every node looks at once, which is the n(n−1) broadcast.
    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        let mut state = State {
            round: 0,
            accepted_epoch: 0,
            current_epoch: 0,
            phase: Phase::Following {
                leader: id,
                epoch: None,
            },
            led: BTreeSet::new(),
        };
        self.look(id, &mut state, out);
        state
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Notification {
                round,
                vote,
                standing,
            } => match (&mut state.phase, standing) {
                (Phase::Looking { .. }, Standing::Looking) => {
                    self.hear_vote(id, state, src, round, vote, out)
                }
                (Phase::Looking { settled, .. }, _) => {
                    settled.insert(src, (vote.leader, standing));
                    self.maybe_join(id, state, out);
                }
                // Someone is looking while we have a leader: tell it who leads.
                (_, Standing::Looking) => out.send(src, self.notification(id, state)),
                _ => {}
            },
            Msg::FollowerInfo { accepted_epoch } => {
                self.on_follower_info(state, src, accepted_epoch, out)
            }
            Msg::NewEpoch { epoch } => self.on_new_epoch(id, state, src, epoch, out),
            Msg::AckEpoch { epoch } => self.on_ack_epoch(id, state, src, epoch, out),
            Msg::Ping { epoch } => {
                if let Phase::Following {
                    leader,
                    epoch: Some(mine),
                } = state.phase
                {
                    if leader == src && mine == epoch {
                        out.send(src, Msg::Pong { epoch });
                        out.set_timer(Timer::Check, self.leader_timeout, self.leader_timeout);
                    }
                }
            }
            Msg::Pong { epoch } => {
                if let Phase::Leading {
                    proposed, heard, ..
                } = &mut state.phase
                {
                    if *proposed == Some(epoch) {
                        heard.insert(src);
                    }
                }
            }
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (timer, &mut state.phase) {
            (Timer::Resend, Phase::Looking { .. }) => {
                self.announce(id, state, out);
                out.set_timer(Timer::Resend, self.resend, self.resend);
            }
            (Timer::Finalize, Phase::Looking { vote, votes, .. }) => {
                let vote = *vote;
                if votes.values().filter(|v| **v == vote).count() >= Self::quorum(out) {
                    self.decide(id, state, vote.leader, out);
                }
            }
            (
                Timer::Heartbeat,
                Phase::Leading {
                    established: true,
                    acked,
                    proposed: Some(epoch),
                    ..
                },
            ) => {
                let epoch = *epoch;
                for n in acked.iter().filter(|n| **n != id) {
                    out.send(*n, Msg::Ping { epoch });
                }
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            (
                Timer::Check,
                Phase::Leading {
                    established, heard, ..
                },
            ) => {
                if *established && heard.len() + 1 >= Self::quorum(out) {
                    heard.clear();
                    out.set_timer(Timer::Check, self.leader_timeout, self.leader_timeout);
                } else {
                    out.note(Note::LostQuorum);
                    self.look(id, state, out);
                }
            }
            (Timer::Check, Phase::Following { .. }) => {
                out.note(Note::LeaderSilent);
                self.look(id, state, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, _cmd: Command, out: &mut Out<Self>) {
        self.look(id, state, out);
    }

    fn on_crash(&self, id: NodeId, state: &State) -> State {
        State {
            round: 0,
            accepted_epoch: state.accepted_epoch,
            current_epoch: state.current_epoch,
            phase: Phase::Following {
                leader: id,
                epoch: None,
            },
            led: state.led.clone(),
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        self.look(id, state, out);
    }

    /// Two leaders established in the same epoch, ever, would mean two quorums accepted it.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut led: Vec<(u64, NodeId)> = nodes
            .iter()
            .flat_map(|n| n.state.led.iter().map(move |e| (*e, n.id)))
            .collect();
        led.sort();
        led.windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| Violation {
                invariant: "one-leader-per-epoch",
                text: format!("nodes {} and {} both led epoch {}", w[0].1, w[1].1, w[0].0),
                nodes: vec![w[0].1, w[1].1],
            })
            .collect()
    }
}

impl Present for Zab {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        let (role, detail) = match &state.phase {
            Phase::Looking { vote, votes, .. } => (
                "looking",
                format!(
                    "votes for {} (data {}), {} of {} agree",
                    vote.leader,
                    vote.data_id,
                    votes.values().filter(|v| *v == vote).count(),
                    votes.len()
                ),
            ),
            Phase::Following { leader, epoch } => (
                "following",
                match epoch {
                    Some(e) => format!("follows {leader} in epoch {e}"),
                    None => format!("joining {leader}"),
                },
            ),
            Phase::Leading {
                established: true,
                acked,
                ..
            } => ("leading", format!("leads {} followers", acked.len() - 1)),
            Phase::Leading { joined, .. } => (
                "leading",
                format!("gathering followers ({} joined)", joined.len() - 1),
            ),
        };
        NodeView {
            role,
            label: format!("data id {}", self.data_id(id)),
            badges: if state.established_leader() {
                vec!["crown"]
            } else {
                Vec::new()
            },
            fields: vec![
                ("role", detail),
                ("data id", self.data_id(id).to_string()),
                ("election round", state.round.to_string()),
                ("accepted epoch", state.accepted_epoch.to_string()),
                ("current epoch", state.current_epoch.to_string()),
            ],
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &[
            ("looking", "looking (voting)", "选举中"),
            ("following", "follower", "跟随者"),
            ("leading", "leader", "主节点"),
        ]
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, _id: NodeId, _state: &State) -> Vec<Command> {
        vec![Command::Look]
    }

    /// The shared election outcome, the epoch as its term, and the notification count beside
    /// the text's n(n−1).
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(ZabOutcome::of(run)).unwrap_or_default()
    }
}
