//! # A replicated register under CAP
//!
//! Seed 003 keeps one piece of data on several replicas and asks what clients can see. With a
//! *primary* and *backups*, every write goes to the primary, which applies it and passes it on,
//! in one of three modes:
//!
//! - **synchronous** ("maximum protection"): the primary answers the client only once every
//!   backup has confirmed. What was acknowledged is on every replica, so a backup promoted after
//!   the primary fails has it: strong consistency. But "只要任意一个副本写失败，写请求将执行失败":
//!   one unreachable backup and every write fails. Under a partition this mode picks C over A.
//! - **asynchronous** ("maximum performance"): the primary answers at once and ships its data to
//!   the backups in the background, here on every heartbeat. Writes never wait, but a read from
//!   a backup may return an old value (eventual consistency only), and a primary that fails
//!   after acknowledging and before shipping takes the write with it: promoted, the backup never
//!   heard of it. A over C.
//! - **maximum availability**: synchronous while every backup answers; a backup that does not
//!   confirm in time is dropped to asynchronous so that writes go on, and taken back once it has
//!   caught up. It costs exactly what asynchronous mode costs while it lasts.
//!
//! Failover promotes a backup (by command, or on its own when the primary's heartbeats stop):
//! it takes a higher *epoch*, tells everyone, and a primary of an older epoch that comes back
//! steps down and takes the new primary's data, overwriting whatever it alone had.
//!
//! The **leaderless quorum** variant has no primary. A client writes to all N replicas and waits
//! for W answers, reads from all and waits for R. It first asks R replicas for their version so
//! that its write gets a higher one, and a read writes back the newest value it saw to W
//! replicas before returning it (ABD). When R + W > N every read quorum meets every write
//! quorum and the register is linearizable; a client that cannot reach enough replicas gets no
//! answer (C over A). With R + W ≤ N a client answers from whatever replicas it reaches,
//! possibly with an old value (A over C). Each client may use its own R and W, as Dynamo and
//! Cassandra allow per request.
//!
//! Every client operation is recorded as an invocation and a response at virtual times; the
//! outcome runs the linearizability checker over that history and counts what was answered,
//! what was stale and which acknowledged writes the final value no longer reflects.

use super::linearizability::{self, Kind, Operation, Reason, Value};
use super::list_in;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Observed, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

mod outcome;
mod words;
use words::{Note, Takeover};

pub use outcome::{
    CarriedOperation, ClientOutcome, ModeSwitch, OffendingOutcome, OperationOutcome,
    PromotionOutcome, QuorumSizes, RegisterOutcome, ReplicaOutcome,
};

/// How the primary replicates, or no primary at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Sync,
    Async,
    MaxAvailability,
    Quorum,
}

impl Mode {
    pub fn key(self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
            Mode::MaxAvailability => "max-availability",
            Mode::Quorum => "quorum",
        }
    }
}

/// Where a client's plain `read` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadFrom {
    Primary,
    /// Each read goes to the next replica in turn, the client's own first.
    Any,
}

/// Operations each client issues by itself: writes and reads in turn, `every` apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Workload {
    pub ops: u32,
    pub every: (Span, Span),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Register {
    /// Nodes 1 to `servers` are replicas (node 1 the first primary); the rest are clients.
    pub servers: usize,
    pub mode: Mode,
    pub read_from: ReadFrom,
    /// How long a primary waits for its backups before a write fails (synchronous) or the
    /// silent backups are dropped to asynchronous (maximum availability).
    pub sync_timeout: Span,
    /// The primary's heartbeat, which also carries its data to the backups.
    pub heartbeat: Span,
    /// How long a client waits for an answer.
    pub client_timeout: Span,
    /// The first backup promotes itself after this much silence from the primary.
    pub failover: Option<Span>,
    /// Quorum sizes; `levels` overrides them per client, first client first.
    pub r: usize,
    pub w: usize,
    pub levels: Vec<(usize, usize)>,
    pub workload: Option<Workload>,
}

/// The version of the stored value: (epoch, write number) under a primary, (counter, writer)
/// under quorums. Compared as a pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Stamp(pub u64, pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Primary,
    Backup,
    Replica,
}

/// A write the synchronous primary has applied and is waiting to acknowledge.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pending {
    pub client: NodeId,
    pub op: u32,
    pub waiting: BTreeSet<NodeId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Server {
    pub role: Role,
    pub epoch: u64,
    pub primary: NodeId,
    pub stamp: Stamp,
    pub value: Value,
    /// The epoch whose primary this replica last took data from: the first data from a newer
    /// primary replaces whatever it had, even a higher version from an older epoch.
    pub synced: u64,
    /// Primary only, lost on a crash: writes waiting for backups, by write number.
    pub pending: BTreeMap<u64, Pending>,
    /// Maximum availability: backups dropped to asynchronous replication.
    pub degraded: BTreeSet<NodeId>,
    /// Ghost, never read by the algorithm and kept through a crash: the newest version this
    /// replica acknowledged to a client as primary. What it promised cannot be taken back, so
    /// the invariant `acknowledged-writes-survive` holds every later primary to it.
    pub acked: Stamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Waiting for the server (primary–backup).
    Sent,
    /// Quorum: collecting versions.
    Query,
    /// Quorum: storing `(stamp, value)` on W replicas.
    Store(Stamp, Value),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Current {
    pub op: u32,
    pub kind: Kind,
    pub value: Value,
    pub phase: Phase,
    pub replies: BTreeSet<NodeId>,
    pub best: (Stamp, Value),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    pub next_op: u32,
    pub reads: u32,
    pub primary: NodeId,
    pub epoch: u64,
    pub current: Option<Current>,
    pub workload_left: u32,
    pub answered: u32,
    pub failed: u32,
    pub last_read: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Server(Server),
    Client(Client),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Write {
        op: u32,
        value: Value,
    },
    /// `any`: answer even if not the primary.
    Read {
        op: u32,
        any: bool,
    },
    Written {
        op: u32,
    },
    ReadOk {
        op: u32,
        value: Value,
    },
    Refused {
        op: u32,
        primary: NodeId,
    },
    Replicate {
        epoch: u64,
        stamp: Stamp,
        value: Value,
    },
    Ack {
        epoch: u64,
        stamp: Stamp,
    },
    NewPrimary {
        epoch: u64,
        primary: NodeId,
    },
    Query {
        op: u32,
    },
    Version {
        op: u32,
        stamp: Stamp,
        value: Value,
    },
    Store {
        op: u32,
        stamp: Stamp,
        value: Value,
    },
    Stored {
        op: u32,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Write { .. } => "write",
            Msg::Read { .. } => "read",
            Msg::Written { .. } => "written",
            Msg::ReadOk { .. } => "read-ok",
            Msg::Refused { .. } => "refused",
            Msg::Replicate { .. } => "replicate",
            Msg::Ack { .. } => "ack",
            Msg::NewPrimary { .. } => "new-primary",
            Msg::Query { .. } => "query",
            Msg::Version { .. } => "version",
            Msg::Store { .. } => "store",
            Msg::Stored { .. } => "stored",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Write { value, .. } => format!("write {value}"),
            Msg::Read { .. } => "read".into(),
            Msg::Written { .. } => "ok".into(),
            Msg::ReadOk { value, .. } => format!("= {value}"),
            Msg::Refused { .. } => "refused".into(),
            Msg::Replicate { value, .. } => format!("replicate {value}"),
            Msg::Ack { .. } => "ack".into(),
            Msg::NewPrimary { epoch, .. } => format!("new primary e{epoch}"),
            Msg::Query { .. } => "version?".into(),
            Msg::Version { value, .. } => format!("has {value}"),
            Msg::Store { value, .. } => format!("store {value}"),
            Msg::Stored { .. } => "stored".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    Heartbeat,
    /// The primary's wait for backups on write number `n`.
    Sync(u64),
    /// A backup's patience with a silent primary.
    Failover,
    /// A client's wait for operation `op`.
    Timeout(u32),
    /// The client's next workload operation.
    Next,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Write a value (clients).
    Write(Value),
    /// Read, from where `read_from` says (clients).
    Read,
    /// Read from this replica (clients).
    ReadFrom(NodeId),
    /// Become the primary in a new epoch (backups).
    Promote,
}

/// What the outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    Invoke { op: u32, kind: Kind, value: Value },
    Answered { op: u32, value: Value },
    Failed { op: u32, timed_out: bool },
    Promoted { epoch: u64 },
    Degraded { backup: NodeId },
    CaughtUp { backup: NodeId },
}

static ROLES: [(&str, &str, &str); 4] = [
    ("primary", "primary", "主副本"),
    ("backup", "backup", "备副本"),
    ("replica", "replica (leaderless)", "副本（无主）"),
    ("client", "client", "客户端"),
];

const FIRST_PRIMARY: NodeId = NodeId::from_index(0);

impl Register {
    fn is_server(&self, id: NodeId) -> bool {
        id.index() < self.servers
    }

    fn servers(&self) -> impl Iterator<Item = NodeId> {
        (0..self.servers).map(NodeId::from_index)
    }

    /// The client's quorum sizes.
    fn quorum(&self, client: NodeId) -> (usize, usize) {
        let k = client.index().saturating_sub(self.servers);
        self.levels.get(k).copied().unwrap_or((self.r, self.w))
    }

    /// The backup that promotes itself when the primary `primary` falls silent.
    fn successor(&self, primary: NodeId) -> Option<NodeId> {
        self.servers().find(|s| *s != primary)
    }

    fn arm_failover(&self, id: NodeId, s: &Server, out: &mut Out<Self>) {
        if let Some(after) = self.failover {
            if s.role == Role::Backup && self.successor(s.primary) == Some(id) {
                out.set_timer(Timer::Failover, after, after);
            }
        }
    }

    fn promote(&self, id: NodeId, s: &mut Server, why: Takeover, out: &mut Out<Self>) {
        s.epoch += 1;
        s.role = Role::Primary;
        s.primary = id;
        s.synced = s.epoch;
        s.pending.clear();
        s.degraded.clear();
        out.cancel_timer(Timer::Failover);
        out.observe(Event::Promoted { epoch: s.epoch });
        out.note(Note::Promoted {
            why,
            epoch: s.epoch,
            value: s.value,
        });
        out.broadcast(
            id,
            Msg::NewPrimary {
                epoch: s.epoch,
                primary: id,
            },
        );
        out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
    }

    fn replicate(&self, id: NodeId, s: &Server, out: &mut Out<Self>) {
        for b in self.servers().filter(|b| *b != id) {
            out.send(
                b,
                Msg::Replicate {
                    epoch: s.epoch,
                    stamp: s.stamp,
                    value: s.value,
                },
            );
        }
    }

    /// Answer every pending write that waits for nobody any more.
    fn release(&self, s: &mut Server, out: &mut Out<Self>) {
        let ready: Vec<u64> = s
            .pending
            .iter()
            .filter(|(_, p)| p.waiting.is_empty())
            .map(|(n, _)| *n)
            .collect();
        for n in ready {
            if let Some(p) = s.pending.remove(&n) {
                out.cancel_timer(Timer::Sync(n));
                s.acked = s.acked.max(Stamp(s.epoch, n));
                out.send(p.client, Msg::Written { op: p.op });
            }
        }
    }

    fn on_server_msg(
        &self,
        id: NodeId,
        s: &mut Server,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Self>,
    ) {
        match msg {
            Msg::Write { op, value } if s.role == Role::Primary => {
                let n = s.stamp.1 + 1;
                s.stamp = Stamp(s.epoch, n);
                s.value = value;
                let waiting: BTreeSet<NodeId> = match self.mode {
                    Mode::Async | Mode::Quorum => BTreeSet::new(),
                    Mode::Sync => self.servers().filter(|b| *b != id).collect(),
                    Mode::MaxAvailability => self
                        .servers()
                        .filter(|b| *b != id && !s.degraded.contains(b))
                        .collect(),
                };
                if waiting.is_empty() {
                    out.note(Note::AppliesAtOnce { value });
                    s.acked = s.acked.max(s.stamp);
                    out.send(src, Msg::Written { op });
                    return;
                }
                out.note(Note::AppliesAndWaits {
                    value,
                    waiting: waiting.clone(),
                });
                s.pending.insert(
                    n,
                    Pending {
                        client: src,
                        op,
                        waiting,
                    },
                );
                self.replicate(id, s, out);
                out.set_timer(Timer::Sync(n), self.sync_timeout, self.sync_timeout);
            }
            Msg::Write { op, .. } => {
                out.note(Note::NotPrimary { primary: s.primary });
                out.send(
                    src,
                    Msg::Refused {
                        op,
                        primary: s.primary,
                    },
                );
            }
            Msg::Read { op, any } if any || s.role != Role::Backup => {
                out.send(src, Msg::ReadOk { op, value: s.value });
            }
            Msg::Read { op, .. } => {
                out.send(
                    src,
                    Msg::Refused {
                        op,
                        primary: s.primary,
                    },
                );
            }
            Msg::Replicate {
                epoch,
                stamp,
                value,
            } => {
                if epoch < s.epoch || (epoch == s.epoch && s.role == Role::Primary) {
                    out.note(Note::StalePrimary {
                        from: src,
                        epoch,
                        primary: s.primary,
                        current: s.epoch,
                    });
                    out.send(
                        src,
                        Msg::NewPrimary {
                            epoch: s.epoch,
                            primary: s.primary,
                        },
                    );
                    return;
                }
                if epoch > s.epoch || s.role == Role::Primary {
                    if s.role == Role::Primary {
                        out.note(Note::NewerEpochStepsDown { from: src });
                        out.cancel_timer(Timer::Heartbeat);
                    }
                    s.role = Role::Backup;
                    s.pending.clear();
                    s.degraded.clear();
                }
                s.epoch = epoch;
                s.primary = src;
                if epoch > s.synced || stamp > s.stamp {
                    if s.value != value {
                        out.note(Note::TakesValue { value });
                    }
                    s.stamp = stamp;
                    s.value = value;
                }
                s.synced = epoch;
                out.send(
                    src,
                    Msg::Ack {
                        epoch,
                        stamp: s.stamp,
                    },
                );
                self.arm_failover(id, s, out);
            }
            Msg::Ack { epoch, stamp } if s.role == Role::Primary && epoch == s.epoch => {
                for (n, p) in s.pending.iter_mut() {
                    if stamp >= Stamp(s.epoch, *n) {
                        p.waiting.remove(&src);
                    }
                }
                if stamp == s.stamp && s.degraded.remove(&src) {
                    out.observe(Event::CaughtUp { backup: src });
                    out.note(Note::CaughtUp { backup: src });
                }
                self.release(s, out);
            }
            Msg::NewPrimary { epoch, primary } if epoch > s.epoch => {
                if s.role == Role::Primary {
                    out.note(Note::StepsDown { primary, epoch });
                    out.cancel_timer(Timer::Heartbeat);
                }
                s.epoch = epoch;
                s.primary = primary;
                s.role = Role::Backup;
                s.pending.clear();
                s.degraded.clear();
                self.arm_failover(id, s, out);
            }
            Msg::Query { op } => out.send(
                src,
                Msg::Version {
                    op,
                    stamp: s.stamp,
                    value: s.value,
                },
            ),
            Msg::Store { op, stamp, value } => {
                if stamp > s.stamp {
                    s.stamp = stamp;
                    s.value = value;
                }
                out.send(src, Msg::Stored { op });
            }
            _ => {}
        }
    }

    /// Start the client's next operation: a write or a read.
    fn invoke(&self, id: NodeId, c: &mut Client, cmd: Command, out: &mut Out<Self>) {
        if c.current.is_some() {
            out.note(Note::StillWaiting);
            return;
        }
        let op = c.next_op;
        c.next_op += 1;
        let (kind, value) = match cmd {
            Command::Write(v) => (Kind::Write, v),
            _ => (Kind::Read, 0),
        };
        out.observe(Event::Invoke { op, kind, value });
        let phase = if self.mode == Mode::Quorum {
            for s in self.servers() {
                out.send(s, Msg::Query { op });
            }
            Phase::Query
        } else {
            let (to, msg) = match cmd {
                Command::Write(value) => (c.primary, Msg::Write { op, value }),
                Command::ReadFrom(n) => (n, Msg::Read { op, any: true }),
                _ if self.read_from == ReadFrom::Any => {
                    let k = id.index().saturating_sub(self.servers) + c.reads as usize;
                    c.reads += 1;
                    let to = NodeId::from_index(self.servers - 1 - k % self.servers);
                    (to, Msg::Read { op, any: true })
                }
                _ => (c.primary, Msg::Read { op, any: false }),
            };
            out.send(to, msg);
            Phase::Sent
        };
        c.current = Some(Current {
            op,
            kind,
            value,
            phase,
            replies: BTreeSet::new(),
            best: (Stamp::default(), 0),
        });
        out.set_timer(Timer::Timeout(op), self.client_timeout, self.client_timeout);
    }

    fn finish(&self, c: &mut Client, result: Option<Value>, timed_out: bool, out: &mut Out<Self>) {
        let Some(cur) = c.current.take() else { return };
        out.cancel_timer(Timer::Timeout(cur.op));
        match result {
            Some(value) => {
                c.answered += 1;
                if cur.kind == Kind::Read {
                    c.last_read = Some(value);
                }
                out.observe(Event::Answered { op: cur.op, value });
            }
            None => {
                c.failed += 1;
                out.observe(Event::Failed {
                    op: cur.op,
                    timed_out,
                });
            }
        }
        if let Some(wl) = self.workload {
            if c.workload_left > 0 {
                out.set_timer(Timer::Next, wl.every.0, wl.every.1);
            }
        }
    }

    fn on_client_msg(
        &self,
        id: NodeId,
        c: &mut Client,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Self>,
    ) {
        let (r, w) = self.quorum(id);
        let mine = |op: u32, c: &Client| c.current.as_ref().is_some_and(|cur| cur.op == op);
        match msg {
            Msg::Written { op } if mine(op, c) => {
                let v = c.current.as_ref().map_or(0, |cur| cur.value);
                out.note(Note::WriteAcknowledged { value: v });
                self.finish(c, Some(v), false, out);
            }
            Msg::ReadOk { op, value } if mine(op, c) => {
                out.note(Note::Reads { value, from: src });
                self.finish(c, Some(value), false, out);
            }
            Msg::Refused { op, primary } if mine(op, c) => {
                out.note(Note::Refused { by: src, primary });
                c.primary = primary;
                self.finish(c, None, false, out);
            }
            Msg::NewPrimary { epoch, primary } if epoch > c.epoch => {
                c.epoch = epoch;
                c.primary = primary;
            }
            Msg::Version { op, stamp, value } if mine(op, c) => {
                let Some(cur) = c.current.as_mut() else {
                    return;
                };
                if cur.phase != Phase::Query || !cur.replies.insert(src) {
                    return;
                }
                cur.best = cur.best.max((stamp, value));
                if cur.replies.len() < r {
                    return;
                }
                let (stamp, value) = match cur.kind {
                    Kind::Write => (Stamp(cur.best.0 .0 + 1, u64::from(id.number())), cur.value),
                    Kind::Read => cur.best,
                };
                out.note(Note::Stores {
                    versions: r,
                    value,
                    stamp,
                    needs: w,
                });
                cur.phase = Phase::Store(stamp, value);
                cur.replies.clear();
                for s in self.servers() {
                    out.send(s, Msg::Store { op, stamp, value });
                }
            }
            Msg::Stored { op } if mine(op, c) => {
                let Some(cur) = c.current.as_mut() else {
                    return;
                };
                let Phase::Store(_, value) = cur.phase else {
                    return;
                };
                if cur.replies.insert(src) && cur.replies.len() >= w {
                    self.finish(c, Some(value), false, out);
                }
            }
            _ => {}
        }
    }
}

impl Protocol for Register {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        if self.is_server(id) {
            let role = match (self.mode, id == FIRST_PRIMARY) {
                (Mode::Quorum, _) => Role::Replica,
                (_, true) => Role::Primary,
                (_, false) => Role::Backup,
            };
            let s = Server {
                role,
                epoch: 1,
                primary: FIRST_PRIMARY,
                stamp: Stamp::default(),
                value: 0,
                synced: 1,
                pending: BTreeMap::new(),
                degraded: BTreeSet::new(),
                acked: Stamp::default(),
            };
            if role == Role::Primary {
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            self.arm_failover(id, &s, out);
            State::Server(s)
        } else {
            let left = self.workload.map_or(0, |w| w.ops);
            if let Some(w) = self.workload {
                out.set_timer(Timer::Next, w.every.0, w.every.1);
            }
            State::Client(Client {
                next_op: 1,
                reads: 0,
                primary: FIRST_PRIMARY,
                epoch: 1,
                current: None,
                workload_left: left,
                answered: 0,
                failed: 0,
                last_read: None,
            })
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match state {
            State::Server(s) => self.on_server_msg(id, s, src, msg, out),
            State::Client(c) => self.on_client_msg(id, c, src, msg, out),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            (State::Server(s), Timer::Heartbeat) if s.role == Role::Primary => {
                self.replicate(id, s, out);
                out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
            }
            (State::Server(s), Timer::Sync(n)) if s.role == Role::Primary => {
                let Some(p) = s.pending.get(&n) else { return };
                let silent = p.waiting.clone();
                if self.mode == Mode::MaxAvailability {
                    out.note(Note::DroppedToAsync {
                        silent: silent.clone(),
                    });
                    for b in &silent {
                        s.degraded.insert(*b);
                        out.observe(Event::Degraded { backup: *b });
                    }
                    for p in s.pending.values_mut() {
                        p.waiting.retain(|b| !silent.contains(b));
                    }
                    self.release(s, out);
                } else if let Some(p) = s.pending.remove(&n) {
                    out.note(Note::WriteFails { silent });
                    out.send(
                        p.client,
                        Msg::Refused {
                            op: p.op,
                            primary: id,
                        },
                    );
                }
            }
            (State::Server(s), Timer::Failover) if s.role == Role::Backup => {
                let why = Takeover::Silence { primary: s.primary };
                self.promote(id, s, why, out);
            }
            (State::Client(c), Timer::Timeout(op))
                if c.current.as_ref().is_some_and(|cur| cur.op == op) =>
            {
                out.note(Note::NoAnswer);
                self.finish(c, None, true, out);
            }
            (State::Client(c), Timer::Next) if c.workload_left > 0 => {
                if c.current.is_some() {
                    return;
                }
                c.workload_left -= 1;
                let cmd = if c.next_op % 2 == 1 {
                    Command::Write(fresh_value(id, c.next_op))
                } else {
                    Command::Read
                };
                self.invoke(id, c, cmd, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        match (state, cmd) {
            (State::Server(s), Command::Promote) if s.role == Role::Backup => {
                self.promote(id, s, Takeover::Told, out);
            }
            (State::Server(_), _) => out.note(Note::NoClientCommands),
            (State::Client(_), Command::Promote) => out.note(Note::OnlyBackupPromoted),
            (State::Client(_), Command::ReadFrom(n)) if !self.is_server(n) => {
                out.note(Note::NotAReplica { node: n });
            }
            (State::Client(c), cmd) => self.invoke(id, c, cmd, out),
        }
    }

    /// A replica's data, epoch and role are on disk; what it was waiting for is not. A client
    /// forgets its operation in flight, which stays unanswered in the history.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            State::Server(s) => State::Server(Server {
                pending: BTreeMap::new(),
                degraded: BTreeSet::new(),
                ..s.clone()
            }),
            State::Client(c) => State::Client(Client {
                current: None,
                ..c.clone()
            }),
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Server(s) => {
                if s.role == Role::Primary {
                    out.set_timer(Timer::Heartbeat, self.heartbeat, self.heartbeat);
                }
                self.arm_failover(id, s, out);
            }
            State::Client(c) => {
                if let (Some(w), true) = (self.workload, c.workload_left > 0) {
                    out.set_timer(Timer::Next, w.every.0, w.every.1);
                }
            }
        }
    }

    /// Two primaries of one epoch would mean two histories with the same versions. And a
    /// write once acknowledged must survive: a primary of a later epoch whose data is older
    /// than the newest acknowledged version of an earlier epoch has lost it (asynchronous
    /// replication, or maximum availability while degraded, when the primary fails over).
    /// Both cheap passes, one node at a time.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut leaders: BTreeMap<u64, NodeId> = BTreeMap::new();
        let mut found = Vec::new();
        let acked = nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Server(s) => Some((s.acked, n.id)),
                State::Client(_) => None,
            })
            .max();
        if let Some((acked, by)) = acked.filter(|(a, _)| *a > Stamp::default()) {
            for n in nodes.iter().filter(|n| n.up) {
                let State::Server(s) = &n.state else { continue };
                if s.role == Role::Primary && s.epoch > acked.0 && s.stamp < acked {
                    found.push(Violation {
                        invariant: "acknowledged-writes-survive",
                        text: format!(
                            "{by} acknowledged version {}.{} but {} leads epoch {} with version \
                             {}.{}: the acknowledged write is lost",
                            acked.0, acked.1, n.id, s.epoch, s.stamp.0, s.stamp.1
                        ),
                        nodes: vec![by, n.id],
                    });
                }
            }
        }
        for n in nodes {
            if let State::Server(s) = &n.state {
                if s.role == Role::Primary {
                    if let Some(other) = leaders.insert(s.epoch, n.id) {
                        found.push(Violation {
                            invariant: "one-primary-per-epoch",
                            text: format!(
                                "{other} and {} are both primary in epoch {}",
                                n.id, s.epoch
                            ),
                            nodes: vec![other, n.id],
                        });
                    }
                }
            }
        }
        found
    }

    fn keeps_history(&self) -> bool {
        true
    }

    /// Every read explained by one order of the operations that respects real time: the
    /// linearizability checker over the history so far, after every invocation and answer.
    /// Once a prefix cannot be explained no longer history can, so a violation, once found,
    /// stands.
    fn check_history(&self, observations: &[Observed<Event>]) -> Vec<Violation> {
        let h = history(observations);
        let ops: Vec<Operation> = h.iter().map(|e| e.op.clone()).collect();
        let linearizability::Verdict::NotLinearizable(c) = linearizability::check(&ops, 0) else {
            return Vec::new();
        };
        let read = &h[c.op];
        let other = c.conflict.map(|i| &h[i]);
        let what = format!("client {} read {}", read.node, read.op.value);
        let text = match (c.reason, other) {
            (Reason::Stale, Some(w)) => format!(
                "{what} after client {}'s write of {} was acknowledged: a stale read",
                w.node, w.op.value
            ),
            (Reason::WentBack, Some(r)) => format!(
                "{what} after client {}'s read had returned the newer {}: the value went back",
                r.node, r.op.value
            ),
            (Reason::FromTheFuture, Some(w)) => {
                format!("{what} before client {} began to write it", w.node)
            }
            (Reason::NeverWritten, _) => format!("{what}, a value nobody wrote"),
            _ => format!("{what}: no order of the overlapping operations explains it"),
        };
        vec![Violation {
            invariant: "linearizable",
            text,
            nodes: std::iter::once(read.node)
                .chain(other.map(|o| o.node).filter(|&n| n != read.node))
                .collect(),
        }]
    }
}

impl Present for Register {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        match state {
            State::Server(s) => {
                let role = match s.role {
                    Role::Primary => "primary",
                    Role::Backup => "backup",
                    Role::Replica => "replica",
                };
                let mut fields = vec![
                    ("role", role.to_string()),
                    ("value", s.value.to_string()),
                    ("version", format!("{}.{}", s.stamp.0, s.stamp.1)),
                ];
                if s.role != Role::Replica {
                    fields.push(("epoch", s.epoch.to_string()));
                    fields.push(("primary", s.primary.to_string()));
                }
                if !s.pending.is_empty() {
                    let waits: Vec<String> = s
                        .pending
                        .iter()
                        .map(|(n, p)| format!("#{n} waits for {}", super::list(&p.waiting)))
                        .collect();
                    fields.push(("unacknowledged writes", waits.join("; ")));
                }
                if !s.degraded.is_empty() {
                    fields.push(("asynchronous to", super::list(&s.degraded)));
                }
                NodeView {
                    role,
                    label: match s.role {
                        Role::Replica => format!("v={} @{}.{}", s.value, s.stamp.0, s.stamp.1),
                        _ => format!("v={} · e{}", s.value, s.epoch),
                    },
                    badges: Vec::new(),
                    fields,
                }
            }
            State::Client(c) => {
                let doing = match &c.current {
                    Some(cur) if cur.kind == Kind::Write => format!("writing {}", cur.value),
                    Some(_) => "reading".to_string(),
                    None => "idle".to_string(),
                };
                let mut fields = vec![
                    ("doing", doing.clone()),
                    ("answered", c.answered.to_string()),
                    ("failed", c.failed.to_string()),
                ];
                if let Some(v) = c.last_read {
                    fields.push(("last read", v.to_string()));
                }
                if self.mode != Mode::Quorum {
                    fields.push(("believed primary", c.primary.to_string()));
                }
                NodeView {
                    role: "client",
                    label: doing,
                    badges: Vec::new(),
                    fields,
                }
            }
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ROLES
    }

    fn commands(&self, id: NodeId, state: &State) -> Vec<Command> {
        match state {
            State::Server(s) if s.role == Role::Backup => vec![Command::Promote],
            State::Server(_) => Vec::new(),
            State::Client(c) if c.current.is_none() => {
                let mut cmds = vec![Command::Write(fresh_value(id, c.next_op)), Command::Read];
                if self.mode != Mode::Quorum {
                    cmds.extend(self.servers().map(Command::ReadFrom));
                }
                cmds
            }
            State::Client(_) => Vec::new(),
        }
    }

    /// A [`RegisterOutcome`]: the linearizability checker's verdict over the clients'
    /// history, what was answered, stale or lost, and every replica's value.
    fn outcome(&self, run: &RunView<'_, Self>) -> Json {
        serde_json::to_value(RegisterOutcome::of(self, run)).unwrap_or_default()
    }
}

/// A value nobody else writes, so that the outcome can tell whose write a read saw: the
/// client's number and the operation's ("4003"), and once a client has made a thousand
/// operations, a form with room for a million.
pub fn fresh_value(client: NodeId, op: u32) -> Value {
    let n = u64::from(client.number());
    if op < 1000 {
        n * 1000 + u64::from(op)
    } else {
        n * 1_000_000 + u64::from(op)
    }
}

/// One operation of the history with where it happened, for the outcome and the page.
#[derive(Clone, Debug)]
pub struct Entry {
    pub node: NodeId,
    pub id: u32,
    pub op: Operation,
    pub invoke_event: u64,
    pub response_event: Option<u64>,
    pub failed: bool,
}

/// The clients' operations in invocation order, from their observations.
pub fn history(observations: &[Observed<Event>]) -> Vec<Entry> {
    let mut h: Vec<Entry> = Vec::new();
    let mut at: BTreeMap<(NodeId, u32), usize> = BTreeMap::new();
    for o in observations {
        match o.what {
            Event::Invoke { op, kind, value } => {
                at.insert((o.node, op), h.len());
                h.push(Entry {
                    node: o.node,
                    id: op,
                    op: Operation {
                        client: o.node.number(),
                        kind,
                        value,
                        invoke: o.time,
                        response: None,
                    },
                    invoke_event: o.event,
                    response_event: None,
                    failed: false,
                });
            }
            Event::Answered { op, value } => {
                if let Some(e) = at.get(&(o.node, op)).and_then(|&i| h.get_mut(i)) {
                    e.op.value = value;
                    e.op.response = Some(o.time);
                    e.response_event = Some(o.event);
                }
            }
            Event::Failed { op, .. } => {
                if let Some(e) = at.get(&(o.node, op)).and_then(|&i| h.get_mut(i)) {
                    e.failed = true;
                    e.response_event = Some(o.event);
                }
            }
            _ => {}
        }
    }
    h
}
