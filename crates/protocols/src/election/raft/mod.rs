//! # Raft: leader election ("democratic vote") and log replication
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
//! ## Log replication
//!
//! A client sends its write to the leader, which appends it to its log as an entry stamped with
//! the current term and sends it to every follower in AppendEntries. Each AppendEntries names
//! the entry just before the new ones (its index and term); a follower whose log does not hold
//! that entry refuses, and the leader steps back one entry at a time until the logs agree, then
//! overwrites whatever the follower had after that point. So a follower's divergent tail (writes
//! taken by a leader that lost its majority) is repaired, and those writes fail.
//!
//! Once a majority holds an entry *of the leader's own term*, the leader marks it committed, with
//! everything before it, and applies it to its key-value state; followers learn the commit index
//! from the next AppendEntries and apply too. An entry of an earlier term is never committed by
//! counting its replicas (Figure 8 of the Raft paper shows how such an entry can still be
//! overwritten); it becomes committed when an entry of the current term above it does.
//!
//! Term, vote and log are on stable storage: a node that crashes and comes back must not vote
//! twice in a term nor forget what it acknowledged. The commit index and the key-value state are
//! rebuilt after a restart, from the leader.
//!
//! The invariants are the Raft paper's Figure 3: election safety, log matching, leader
//! completeness and state-machine safety. To see history rather than a single moment, each node
//! keeps a record, outside the algorithm, of the terms it led and of the entries it saw
//! committed.

use super::ElectionEvent;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, LogCell, LogView, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub mod algorithm;
mod outcome;
#[cfg(test)]
mod tests;
mod words;
pub use outcome::{NodeLog, RaftOutcome, ReplicationOutcome, WriteOutcome};
use words::Note;

/// AppendEntries carries at most this many entries, so a far-behind follower is repaired in
/// visible steps rather than by one enormous message.
const MAX_BATCH: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Raft {
    /// Election timeout range, drawn afresh each time the timer is set.
    pub election_timeout: (Span, Span),
    /// How often a leader sends heartbeats.
    pub heartbeat: Span,
    /// The broken rule of Figure 8, for showing what it breaks: commit any entry a majority
    /// holds, whatever its term.
    pub commit_by_counting: bool,
    /// The course text's account (000): a node that comes back calls an election at once. In
    /// the paper it waits for its election timer like any follower, and so normally hears the
    /// leader first; standing at once can depose a healthy leader, which is why real
    /// implementations add a pre-vote (the Raft thesis, 9.6).
    pub rejoin_election: bool,
    /// A bug: grant a vote without comparing logs (see [`BUGS`]).
    pub vote_without_log_check: bool,
    /// A bug: forget `votedFor` on a crash, as if it were not on disk (see [`BUGS`]).
    pub forget_vote_on_crash: bool,
}

/// The rules of Figure 2 that implementations have got wrong, each switched on by a parameter,
/// for the explorer to show what the rule is for.
///
/// - **Commit by counting** (`commit_by_counting`): Figure 8. A leader marks an entry of an
///   earlier term committed once a majority holds it. A candidate whose last entry has a newer
///   term can still win a majority without it (the up-to-date check compares last terms first),
///   and as leader it overwrites the "committed" entry on everyone: leader completeness and
///   state-machine safety break.
/// - **Vote without the log check** (`vote_without_log_check`): section 5.4.1's restriction
///   dropped. A node votes for a candidate whose log is behind its own; a leader elected so lacks
///   committed entries and its AppendEntries overwrite them: leader completeness breaks.
/// - **Forget `votedFor` on a crash** (`forget_vote_on_crash`): the vote is not on stable
///   storage. A node that votes, crashes and comes back in the same term votes again, for
///   another candidate; two candidates each count a majority and two leaders share a term:
///   election safety breaks.
pub const BUGS: &[crate::algorithm::Bug] = &[
    crate::algorithm::Bug {
        param: "commit_by_counting",
        name: crate::Text::new(
            "commit an old term's entry by counting replicas (Figure 8)",
            "按副本数提交旧任期的日志（图 8）",
        ),
        breaks: crate::Text::new(
            "A later leader that never had the entry can still be elected and overwrites it: a \
             committed entry is lost.",
            "一个从未拥有该日志的后任领导者仍可能当选并把它覆盖：已提交的日志丢失了。",
        ),
    },
    crate::algorithm::Bug {
        param: "vote_without_log_check",
        name: crate::Text::new(
            "vote without checking that the candidate's log is up to date",
            "投票时不检查候选者的日志是否足够新",
        ),
        breaks: crate::Text::new(
            "A candidate missing committed entries can win; as leader it overwrites them.",
            "缺少已提交日志的候选者也能当选；成为领导者后会把这些日志覆盖。",
        ),
    },
    crate::algorithm::Bug {
        param: "forget_vote_on_crash",
        name: crate::Text::new(
            "forget whom it voted for when it crashes",
            "崩溃重启后忘记本任期投给了谁",
        ),
        breaks: crate::Text::new(
            "Back in the same term it votes again: two leaders in one term.",
            "重启后在同一任期再次投票：同一任期出现两个领导者。",
        ),
    },
];

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Follower {
        leader: Option<NodeId>,
    },
    Candidate {
        votes: BTreeSet<NodeId>,
    },
    /// `next` and `matched`: for each follower, the next index to send and the highest index
    /// known to be replicated there.
    Leader {
        next: BTreeMap<NodeId, u64>,
        matched: BTreeMap<NodeId, u64>,
    },
}

/// A log entry: the term it was created in, and the write it carries. The write is shared,
/// not copied, between the logs, the messages and the state machines that hold it: an
/// AppendEntries carries every entry a follower lacks, and the run keeps every message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub term: u64,
    pub key: Arc<str>,
    pub value: Arc<str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub term: u64,
    pub voted_for: Option<NodeId>,
    pub role: Role,
    /// Entry `i` (1-based, as in the paper) is `log[i - 1]`.
    pub log: Vec<Entry>,
    pub commit: u64,
    /// The state machine: every committed write applied in log order.
    pub kv: BTreeMap<Arc<str>, Arc<str>>,
    /// Record kept for the invariants only: the terms this node led.
    pub led: BTreeSet<u64>,
    /// Record kept for the invariants only: for each index this node has applied, the entry's
    /// term and the term in which the node first learned it was committed. Survives crashes.
    pub applied: Vec<(u64, u64)>,
    /// For the invariants only: a running hash of the terms of each prefix of `applied`.
    pub applied_terms: Vec<u64>,
    /// For the invariants only: a running hash of each prefix of `log`, so that nodes with equal
    /// logs are recognised without reading them.
    pub prefix: Vec<u64>,
    /// For the invariants only: a running hash of the terms alone of each prefix of `log`,
    /// comparable with `applied_terms`.
    pub log_terms: Vec<u64>,
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

impl State {
    /// A node as it first starts: term 0, a follower of nobody, an empty log.
    fn new() -> State {
        State {
            term: 0,
            voted_for: None,
            role: Role::Follower { leader: None },
            log: Vec::new(),
            commit: 0,
            kv: BTreeMap::new(),
            led: BTreeSet::new(),
            applied: Vec::new(),
            applied_terms: Vec::new(),
            prefix: Vec::new(),
            log_terms: Vec::new(),
        }
    }

    fn append(&mut self, entry: Entry) {
        let before = self.prefix.last().copied().unwrap_or(FNV_START);
        self.prefix.push(fold(before, &entry));
        let before = self.log_terms.last().copied().unwrap_or(FNV_START);
        self.log_terms.push(fold_term(before, entry.term));
        self.log.push(entry);
    }

    fn truncate(&mut self, len: usize) {
        self.log.truncate(len);
        self.prefix.truncate(len);
        self.log_terms.truncate(len);
    }

    /// Record that the entry of `term` at the next index is applied, learned committed in
    /// `learned`.
    fn record_applied(&mut self, term: u64, learned: u64) {
        let before = self.applied_terms.last().copied().unwrap_or(FNV_START);
        self.applied_terms.push(fold_term(before, term));
        self.applied.push((term, learned));
    }

    fn last_log(&self) -> (u64, u64) {
        (self.log.len() as u64, self.log.last().map_or(0, |e| e.term))
    }

    fn term_at(&self, index: u64) -> u64 {
        match index {
            0 => 0,
            i => self.log.get(i as usize - 1).map_or(0, |e| e.term),
        }
    }

    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader { .. })
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
    /// A heartbeat when it carries no entries.
    AppendEntries {
        term: u64,
        prev_index: u64,
        prev_term: u64,
        entries: Vec<Entry>,
        leader_commit: u64,
    },
    /// `matched` is the follower's last index that agrees with the leader when `success`, and
    /// otherwise a hint of where to try next.
    AppendReply {
        term: u64,
        success: bool,
        matched: u64,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::RequestVote { .. } => "request-vote",
            Msg::Vote { .. } => "vote",
            Msg::AppendEntries { entries, .. } if entries.is_empty() => "heartbeat",
            Msg::AppendEntries { .. } => "append-entries",
            Msg::AppendReply { .. } => "heartbeat-reply",
        }
    }
    fn label(&self) -> String {
        match self {
            // Words a newcomer reads without a key (issue 17): the term spelled out, a log
            // position as #index.
            Msg::RequestVote { term, .. } => format!("vote for me, term {term}"),
            Msg::Vote {
                granted: true,
                term,
            } => format!("yes, term {term}"),
            Msg::Vote {
                granted: false,
                term,
            } => format!("no, term {term}"),
            Msg::AppendEntries { term, entries, .. } if entries.is_empty() => {
                format!("♥ term {term}")
            }
            Msg::AppendEntries {
                term,
                prev_index,
                entries,
                ..
            } if entries.len() == 1 => format!("entry #{}, term {term}", prev_index + 1),
            Msg::AppendEntries {
                term,
                prev_index,
                entries,
                ..
            } => format!(
                "entries #{}–#{}, term {term}",
                prev_index + 1,
                *prev_index + entries.len() as u64
            ),
            Msg::AppendReply {
                success: true,
                matched: 0,
                ..
            } => "ok".into(),
            Msg::AppendReply {
                success: true,
                matched,
                ..
            } => format!("ok, up to #{matched}"),
            Msg::AppendReply { success: false, .. } => "no match".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Election,
    Heartbeat,
}

/// What a learner can ask of a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Let the election timer fire now: start an election.
    Timeout,
    /// A client's write, `key=value`, sent to this node.
    Put(String),
}

/// Keys the page offers for a write, in turn.
const KEYS: [&str; 3] = ["x", "y", "z"];

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
                out.note(Note::StepsDown { term });
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
        out.note(Note::Campaigns { term: state.term });
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
            out.note(Note::Wins {
                votes: votes.len(),
                of: out.cluster_size(),
                term: state.term,
            });
            let next = state.log.len() as u64 + 1;
            state.role = Role::Leader {
                next: out.all().filter(|n| *n != id).map(|n| (n, next)).collect(),
                matched: out.all().filter(|n| *n != id).map(|n| (n, 0)).collect(),
            };
            state.led.insert(state.term);
            out.observe(ElectionEvent::Elected { term: state.term });
            out.cancel_timer(Timer::Election);
            self.replicate_all(id, state, out);
            out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
        }
    }

    /// Send `to` what it lacks from its next index on (nothing, as a heartbeat, if up to date).
    fn replicate(&self, state: &State, to: NodeId, out: &mut Out<Self>) {
        let Role::Leader { next, .. } = &state.role else {
            return;
        };
        let next = next.get(&to).copied().unwrap_or(1).max(1);
        let prev_index = next - 1;
        let entries: Vec<Entry> = state
            .log
            .iter()
            .skip(prev_index as usize)
            .take(MAX_BATCH)
            .cloned()
            .collect();
        out.send(
            to,
            Msg::AppendEntries {
                term: state.term,
                prev_index,
                prev_term: state.term_at(prev_index),
                entries,
                leader_commit: state.commit,
            },
        );
    }

    fn replicate_all(&self, id: NodeId, state: &State, out: &mut Out<Self>) {
        for n in out.all().filter(|n| *n != id).collect::<Vec<_>>() {
            self.replicate(state, n, out);
        }
    }

    /// The leader commits the highest index that a majority holds, if its entry is of the
    /// current term.
    fn advance_commit(&self, state: &mut State, out: &mut Out<Self>) {
        let Role::Leader { matched, .. } = &state.role else {
            return;
        };
        let mut held: Vec<u64> = matched.values().copied().collect();
        held.push(state.log.len() as u64);
        held.sort_unstable_by(|a, b| b.cmp(a));
        let majority = out.cluster_size() / 2 + 1;
        let candidate = held[majority - 1];
        let own_term = state.term_at(candidate) == state.term;
        if candidate > state.commit && (own_term || self.commit_by_counting) {
            out.note(Note::Commits { index: candidate });
            self.commit_to(state, candidate, out);
        }
    }

    fn commit_to(&self, state: &mut State, index: u64, out: &mut Out<Self>) {
        while state.commit < index {
            state.commit += 1;
            let e = &state.log[state.commit as usize - 1];
            state.kv.insert(e.key.clone(), e.value.clone());
            if state.applied.len() < state.commit as usize {
                let (term, learned) = (e.term, state.term);
                state.record_applied(term, learned);
            }
        }
        out.note(Note::Applies { index });
    }

    fn on_append(
        &self,
        state: &mut State,
        src: NodeId,
        msg: (u64, u64, u64, Vec<Entry>, u64),
        out: &mut Out<Self>,
    ) {
        let (term, prev_index, prev_term, entries, leader_commit) = msg;
        self.observe_term(state, term, out);
        let reply = |state: &State, success: bool, matched: u64| Msg::AppendReply {
            term: state.term,
            success,
            matched,
        };
        if term < state.term {
            out.send(src, reply(state, false, 0));
            return;
        }
        if state.is_leader() {
            out.note(Note::AnotherLeader { leader: src, term });
            return;
        }
        state.role = Role::Follower { leader: Some(src) };
        self.reset_election_timer(out);
        if prev_index > state.log.len() as u64 || state.term_at(prev_index) != prev_term {
            let hint = (state.log.len() as u64).min(prev_index.saturating_sub(1));
            out.note(Note::NoEntry {
                index: prev_index,
                term: prev_term,
            });
            out.send(src, reply(state, false, hint));
            return;
        }
        let mut index = prev_index;
        for entry in entries {
            index += 1;
            let at = index as usize - 1;
            match state.log.get(at) {
                Some(mine) if mine.term == entry.term => {}
                Some(mine) => {
                    out.note(Note::DropsConflict {
                        index,
                        term: mine.term,
                    });
                    state.truncate(at);
                    state.append(entry);
                }
                None => state.append(entry),
            }
        }
        let commit = leader_commit.min(index);
        if commit > state.commit {
            self.commit_to(state, commit, out);
        }
        out.send(src, reply(state, true, index));
    }

    fn on_append_reply(
        &self,
        state: &mut State,
        src: NodeId,
        (term, success, matched): (u64, bool, u64),
        out: &mut Out<Self>,
    ) {
        self.observe_term(state, term, out);
        if term != state.term {
            return;
        }
        let Role::Leader {
            next,
            matched: held,
        } = &mut state.role
        else {
            return;
        };
        if success {
            let m = held.entry(src).or_insert(0);
            *m = (*m).max(matched);
            next.insert(src, *m + 1);
            let behind = *m < state.log.len() as u64;
            self.advance_commit(state, out);
            if behind {
                self.replicate(state, src, out);
            }
        } else {
            let n = next.entry(src).or_insert(1);
            *n = (*n - 1).min(matched + 1).max(1);
            self.replicate(state, src, out);
        }
    }

    fn put(&self, id: NodeId, state: &mut State, write: &str, out: &mut Out<Self>) {
        let Some((key, value)) = write
            .split_once('=')
            .filter(|(k, v)| !k.is_empty() && k.len() <= 16 && v.len() <= 16)
        else {
            out.note(Note::BadWrite {
                write: write.to_owned(),
            });
            return;
        };
        let leader = match &state.role {
            Role::Leader { .. } => None,
            Role::Follower { leader } => Some(*leader),
            Role::Candidate { .. } => Some(None),
        };
        if let Some(leader) = leader {
            let (key, value) = (key.to_owned(), value.to_owned());
            out.note(match leader {
                Some(leader) => Note::NotLeader { key, value, leader },
                None => Note::NoLeader { key, value },
            });
            return;
        }
        state.append(Entry {
            term: state.term,
            key: key.into(),
            value: value.into(),
        });
        let index = state.log.len() as u64;
        out.observe(ElectionEvent::Write {
            index,
            term: state.term,
            write: format!("{key}={value}"),
        });
        out.note(Note::Appends {
            key: key.to_owned(),
            value: value.to_owned(),
            index,
        });
        self.replicate_all(id, state, out);
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
        State::new()
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
                let up_to_date = self.vote_without_log_check
                    || (last_log_term, last_log_index) >= (my_term, my_index);
                let granted =
                    term == state.term && state.voted_for.is_none_or(|v| v == src) && up_to_date;
                if granted {
                    state.voted_for = Some(src);
                    self.reset_election_timer(out);
                    out.note(Note::VotesFor { to: src, term });
                } else if term == state.term && !up_to_date {
                    out.note(Note::RefusesOlderLog { to: src });
                } else if term == state.term {
                    out.note(Note::AlreadyVoted {
                        to: src,
                        voted: state.voted_for,
                        term,
                    });
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
            Msg::AppendEntries {
                term,
                prev_index,
                prev_term,
                entries,
                leader_commit,
            } => self.on_append(
                state,
                src,
                (term, prev_index, prev_term, entries, leader_commit),
                out,
            ),
            Msg::AppendReply {
                term,
                success,
                matched,
            } => self.on_append_reply(state, src, (term, success, matched), out),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match timer {
            Timer::Election if !state.is_leader() => self.campaign(id, state, out),
            Timer::Heartbeat if state.is_leader() => {
                self.replicate_all(id, state, out);
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        match cmd {
            Command::Timeout if !state.is_leader() => self.campaign(id, state, out),
            Command::Timeout => out.note(Note::AlreadyLeader),
            Command::Put(write) => self.put(id, state, &write, out),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        State {
            term: state.term,
            voted_for: state.voted_for,
            role: Role::Follower { leader: None },
            log: state.log.clone(),
            commit: 0,
            kv: BTreeMap::new(),
            led: state.led.clone(),
            applied: state.applied.clone(),
            applied_terms: state.applied_terms.clone(),
            prefix: state.prefix.clone(),
            log_terms: state.log_terms.clone(),
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        if self.forget_vote_on_crash {
            state.voted_for = None;
        }
        if self.rejoin_election {
            self.campaign(id, state, out);
        } else {
            self.reset_election_timer(out);
        }
    }

    /// Figure 3 of the Raft paper, over every node, crashed ones included.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        election_safety(nodes, &mut found);
        log_matching(nodes, &mut found);
        committed_entries(nodes, &mut found);
        found
    }
}

impl Present for Raft {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        let (role, extra) = match &state.role {
            Role::Follower { leader } => (
                "follower",
                leader.map_or("no leader".into(), |l| format!("follows {l}")),
            ),
            Role::Candidate { votes } => ("candidate", format!("{} votes", votes.len())),
            Role::Leader { .. } => ("leader", "leads".into()),
        };
        let kv: Vec<String> = state.kv.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut fields = vec![
            ("role", format!("{role} ({extra})")),
            ("term", state.term.to_string()),
            (
                "voted for",
                state.voted_for.map_or("nobody".into(), |v| v.to_string()),
            ),
            ("log length", state.log.len().to_string()),
            ("commit index", state.commit.to_string()),
        ];
        if !state.log.is_empty() {
            fields.push(("state", kv.join(", ")));
        }
        if let Role::Leader { matched, .. } = &state.role {
            let m: Vec<String> = matched.iter().map(|(n, i)| format!("{n}:{i}")).collect();
            fields.push(("match index", m.join(" ")));
        }
        NodeView {
            role,
            label: if state.log.is_empty() {
                format!("term {}", state.term)
            } else {
                format!(
                    "term {} · {} of {} committed",
                    state.term,
                    state.commit,
                    state.log.len()
                )
            },
            badges: if state.is_leader() {
                vec!["crown"]
            } else {
                Vec::new()
            },
            fields,
        }
    }

    fn log_view(&self, _id: NodeId, state: &State) -> Option<LogView> {
        Some(LogView {
            cells: state
                .log
                .iter()
                .map(|e| LogCell {
                    term: e.term,
                    text: format!("{}={}", e.key, e.value),
                })
                .collect(),
            committed: state.commit as usize,
        })
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
            let n = state.log.len();
            vec![Command::Put(format!("{}={}", KEYS[n % KEYS.len()], n + 1))]
        } else {
            vec![Command::Timeout]
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(RaftOutcome::of(run)).unwrap_or_default()
    }
}

fn violation(invariant: &'static str, text: String, nodes: Vec<NodeId>) -> Violation {
    Violation {
        invariant,
        text,
        nodes,
    }
}

/// At most one leader is ever elected in a term.
fn election_safety(nodes: &[NodeSlot<State>], found: &mut Vec<Violation>) {
    // Few nodes ever lead, each in few terms: a scan of the earlier leaders beats building a
    // map on every event.
    for (i, n) in nodes.iter().enumerate() {
        for term in &n.state.led {
            if let Some(other) = nodes[..i].iter().find(|o| o.state.led.contains(term)) {
                found.push(violation(
                    "election-safety",
                    format!("nodes {} and {} both led term {term}", other.id, n.id),
                    vec![other.id, n.id],
                ));
                return;
            }
        }
    }
}

/// FNV-1a: `h` with `bytes` folded in.
fn fnv<'a>(mut h: u64, bytes: impl IntoIterator<Item = &'a u8>) -> u64 {
    for b in bytes {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// FNV-1a, folded over each entry of a log so that equal prefixes give equal values.
fn fold(h: u64, e: &Entry) -> u64 {
    let term = e.term.to_le_bytes();
    fnv(
        h,
        term.iter()
            .chain(e.key.as_bytes())
            .chain([0xff].iter())
            .chain(e.value.as_bytes()),
    )
}

/// FNV-1a over a term alone: the running hash of a sequence of terms.
fn fold_term(h: u64, term: u64) -> u64 {
    fnv(h, &term.to_le_bytes())
}

/// The first index at which two sequences part, given the running hashes of their prefixes
/// (binary search: equal hashes at an index mean equal prefixes up to it); the shorter length
/// if neither parts from the other.
fn parting(a: &[u64], b: &[u64]) -> usize {
    let (mut agree, mut parted) = (0, a.len().min(b.len()));
    while agree < parted {
        let mid = (agree + parted) / 2;
        if a[mid] == b[mid] {
            agree = mid + 1;
        } else {
            parted = mid;
        }
    }
    agree
}

/// Two logs with an entry of the same index and term are identical up to it. Each log carries
/// the running hash of its prefixes, so two logs agree exactly up to the first index where
/// those hashes part, found by binary search; past it, no index may hold the same term in both.
/// Logs equal to one already read are skipped, so a cluster in agreement costs a comparison
/// per node and a search per distinct log.
fn log_matching(nodes: &[NodeSlot<State>], found: &mut Vec<Violation>) {
    let mut distinct: Vec<&NodeSlot<State>> = Vec::new();
    for n in nodes {
        let whole = |s: &State| (s.log.len(), s.prefix.last().copied());
        if distinct.iter().any(|d| whole(&d.state) == whole(&n.state)) {
            continue;
        }
        for d in &distinct {
            let (a, b) = (&d.state, &n.state);
            let common = a.prefix.len().min(b.prefix.len());
            let agree = parting(&a.prefix, &b.prefix);
            let clash = (agree..common).find(|&i| a.log[i].term == b.log[i].term);
            if let Some(i) = clash {
                found.push(violation(
                    "log-matching",
                    format!(
                        "nodes {} and {} both hold #{} of term {} but their logs differ up to it",
                        d.id,
                        n.id,
                        i + 1,
                        a.log[i].term
                    ),
                    vec![d.id, n.id],
                ));
                return;
            }
        }
        distinct.push(n);
    }
}

/// What every node applied agrees index by index (state-machine safety), and an entry committed
/// in a term is in the log of every leader of a later term (leader completeness).
///
/// Both read the running hashes of terms that each node keeps beside what it applied and its
/// log, so an event costs a binary search per pair of different records, not a pass over every
/// entry ever applied. A node's record only grows, each entry learned committed in the node's
/// term at the time, so the entries learned before a term form a prefix of it.
fn committed_entries(nodes: &[NodeSlot<State>], found: &mut Vec<Violation>) {
    let mut distinct: Vec<&NodeSlot<State>> = Vec::new();
    for n in nodes {
        let a = &n.state;
        let whole = |s: &State| (s.applied.len(), s.applied_terms.last().copied());
        if distinct.iter().any(|d| whole(&d.state) == whole(a)) {
            continue;
        }
        // The first index where this record parts from any earlier one; the earlier records
        // agree among themselves, so the first of them to reach that index names the entry.
        let clash = distinct
            .iter()
            .filter_map(|d| {
                let i = parting(&d.state.applied_terms, &a.applied_terms);
                (i < d.state.applied.len().min(a.applied.len())).then_some(i)
            })
            .min();
        if let Some(i) = clash {
            let other = distinct
                .iter()
                .find(|d| d.state.applied.len() > i)
                .map_or(n.id, |d| d.id);
            found.push(violation(
                "state-machine-safety",
                format!(
                    "nodes {other} and {} applied different entries at #{}",
                    n.id,
                    i + 1
                ),
                vec![other, n.id],
            ));
            return;
        }
        distinct.push(n);
    }
    for leader in nodes.iter().filter(|n| n.up && n.state.is_leader()) {
        let term = leader.state.term;
        // The longest prefix anyone learned committed before this leader's term.
        let Some((known, record)) = nodes
            .iter()
            .map(|n| {
                let k = n
                    .state
                    .applied
                    .partition_point(|(_, learned)| *learned < term);
                (k, &n.state)
            })
            .filter(|(k, _)| *k > 0)
            .max_by_key(|(k, _)| *k)
        else {
            continue;
        };
        let log = &leader.state.log_terms;
        let i = parting(&log[..log.len().min(known)], &record.applied_terms[..known]);
        if i < known {
            found.push(violation(
                "leader-completeness",
                format!(
                    "leader {} of term {term} lacks the committed entry #{} of term {}",
                    leader.id,
                    i + 1,
                    record.applied[i].0
                ),
                vec![leader.id],
            ));
        }
    }
}
