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
//!
//! The two ways of keeping the replicas are types of their own, implementing [`Scheme`]:
//! [`PrimaryBackup`](super::primary_backup::PrimaryBackup) (with its three modes) and
//! [`Quorum`](super::quorum::Quorum). What a replica keeps beyond its value, how it answers a
//! write or a read, and how a client gets its operation done (through the primary, or in a
//! query phase and a store phase) live in their modules. What the two do alike is here once:
//! the clients' workload and history, the invariants, the linearizability check and the
//! words. [`Register`] joins the two.

use super::linearizability::{self, Kind, Operation, Reason, Value};
use super::list_in;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Observed, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::hash::Hash;

mod outcome;
mod words;
pub(crate) use words::{Note, Takeover};

pub use outcome::{
    CarriedOperation, ClientOutcome, ModeSwitch, OffendingOutcome, OperationOutcome,
    PromotionOutcome, QuorumSizes, RegisterOutcome, ReplicaOutcome,
};

/// A way of keeping the replicas: with a primary, or by quorums. The shared code runs the
/// clients' workload and records their history; a scheme says what a replica keeps beyond its
/// value and does with what it hears, how a client gets an operation done, and what of that
/// the page and the outcome show.
pub trait Scheme: Clone + Debug + Eq + Hash + 'static {
    /// What a replica keeps beyond its value and version.
    type Server: Clone + Debug + Eq + Hash + 'static;
    /// What a client keeps beyond its operations and their tally.
    type Client: Clone + Debug + Default + Eq + Hash + 'static;
    /// What an operation in flight collects until it can be answered.
    type Round: Clone + Debug + Eq + Hash + 'static;

    /// The outcome's `mode`: `sync`, `async`, `max-availability` or `quorum`.
    fn key(&self) -> &'static str;

    /// Replica `id` as the run starts, with its start-up timers.
    fn start_server(
        reg: &Register<Self>,
        id: NodeId,
        out: &mut Out<Register<Self>>,
    ) -> Self::Server;

    /// A message to a replica: a client's request, or another replica's.
    fn server_msg(
        reg: &Register<Self>,
        id: NodeId,
        s: &mut Server<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Register<Self>>,
    );

    /// A replica's timer; a scheme that sets none has nothing to do here.
    fn server_timer(
        _reg: &Register<Self>,
        _id: NodeId,
        _s: &mut Server<Self>,
        _timer: Timer,
        _out: &mut Out<Register<Self>>,
    ) {
    }

    /// A command given to a replica: unless the scheme says otherwise, replicas take none.
    fn server_command(
        _reg: &Register<Self>,
        _id: NodeId,
        _s: &mut Server<Self>,
        _cmd: Command,
        out: &mut Out<Register<Self>>,
    ) {
        out.note(Note::NoClientCommands);
    }

    /// The commands a replica offers now.
    fn server_commands(_s: &Self::Server) -> Vec<Command> {
        Vec::new()
    }

    /// What the replica keeps through a crash beyond its value, which is on disk: unless the
    /// scheme says otherwise, everything.
    fn server_crash(s: &Self::Server) -> Self::Server {
        s.clone()
    }

    /// A replica back from a crash re-arms the timers its standing needs.
    fn server_recover(
        _reg: &Register<Self>,
        _id: NodeId,
        _s: &Self::Server,
        _out: &mut Out<Register<Self>>,
    ) {
    }

    /// How a replica is drawn; its value and version are drawn for every scheme.
    fn server_view(s: &Server<Self>) -> ServerView;

    /// Send the client's operation `op`, which `cmd` asks for, on its way; what the operation
    /// collects from the replicas starts as returned.
    fn begin(
        reg: &Register<Self>,
        id: NodeId,
        c: &mut Self::Client,
        op: u32,
        cmd: Command,
        out: &mut Out<Register<Self>>,
    ) -> Self::Round;

    /// The replicas' answers to a client: once they are enough, the operation finishes with
    /// its answer, or without one.
    fn client_msg(
        reg: &Register<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Register<Self>>,
    );

    /// What the scheme adds to a client's inspector.
    fn client_fields(_c: &Self::Client, _fields: &mut Vec<(&'static str, String)>) {}

    /// The reads an idle client offers besides the plain `read`.
    fn reads(_reg: &Register<Self>) -> Vec<Command> {
        Vec::new()
    }

    /// The epoch the replica leads as primary, if it is one: the invariants hold primaries to
    /// their epochs, so a scheme without primaries cannot break them.
    fn leads(_s: &Self::Server) -> Option<u64> {
        None
    }

    /// Ghost: the newest version the replica acknowledged to a client as primary, which every
    /// later primary must hold. Without a primary nothing is promised this way.
    fn acknowledged(_s: &Self::Server) -> Stamp {
        Stamp::default()
    }

    /// The newest epoch the replica knows of, for the outcome.
    fn epoch(s: &Self::Server) -> u64;

    /// Of the replicas in `pool`, the one whose value a client would read from now on: what
    /// the outcome holds acknowledged writes against.
    fn latest<'a>(pool: &[&'a Server<Self>]) -> Option<&'a Server<Self>>;

    /// What only this scheme reports, filled into the outcome of a run of `reg`.
    fn outcome(reg: &Register<Self>, outcome: &mut RegisterOutcome);
}

/// What a scheme says of one of its replicas; the shared code draws it with its value and
/// version.
pub struct ServerView {
    /// Its key in the legend, also its first field.
    pub role: &'static str,
    /// A few characters under the node.
    pub label: String,
    /// What else the inspector lists.
    pub fields: Vec<(&'static str, String)>,
}

/// Operations each client issues by itself: writes and reads in turn, `every` apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Workload {
    pub ops: u32,
    pub every: (Span, Span),
}

/// The replicated register kept by the scheme `M`:
/// [`PrimaryBackup`](super::primary_backup::PrimaryBackup) or [`Quorum`](super::quorum::Quorum).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Register<M> {
    pub scheme: M,
    /// Nodes 1 to `servers` are replicas; the rest are clients.
    pub servers: usize,
    /// How long a client waits for an answer.
    pub client_timeout: Span,
    pub workload: Option<Workload>,
}

/// The version of the stored value: (epoch, write number) under a primary, (counter, writer)
/// under quorums. Compared as a pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Stamp(pub u64, pub u64);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Server<M: Scheme> {
    pub stamp: Stamp,
    pub value: Value,
    /// What the scheme keeps besides: a primary's epoch and waiting writes, or nothing.
    pub own: M::Server,
}

/// A client's operation in flight.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Current<M: Scheme> {
    pub op: u32,
    pub kind: Kind,
    pub value: Value,
    /// What the replicas have answered so far, as far as the scheme counts it.
    pub round: M::Round,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client<M: Scheme> {
    pub next_op: u32,
    pub current: Option<Current<M>>,
    pub workload_left: u32,
    pub answered: u32,
    pub failed: u32,
    pub last_read: Option<Value>,
    /// What the scheme keeps besides: the primary the client believes in, or nothing.
    pub own: M::Client,
}

impl<M: Scheme> Client<M> {
    /// Operation `op` is the one the client waits for: answers to earlier ones are late.
    pub fn awaits(&self, op: u32) -> bool {
        self.current.as_ref().is_some_and(|cur| cur.op == op)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State<M: Scheme> {
    Server(Server<M>),
    Client(Client<M>),
}

/// Both schemes' messages, from `Write` to `NewPrimary` primary–backup's and from `Query` on
/// the quorum's: one type, so that the shared handlers can pass any of them to the scheme, which
/// ignores what it never sends.
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

/// What the outcome is built from. Only a primary is promoted or drops backups to
/// asynchronous; the outcome lists those, empty, for quorums too.
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

impl<M: Scheme> Register<M> {
    pub(crate) fn is_server(&self, id: NodeId) -> bool {
        id.index() < self.servers
    }

    pub(crate) fn servers(&self) -> impl Iterator<Item = NodeId> {
        (0..self.servers).map(NodeId::from_index)
    }

    /// Start the client's next operation: a write or a read.
    fn invoke(&self, id: NodeId, c: &mut Client<M>, cmd: Command, out: &mut Out<Self>) {
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
        let round = M::begin(self, id, &mut c.own, op, cmd, out);
        c.current = Some(Current {
            op,
            kind,
            value,
            round,
        });
        out.set_timer(Timer::Timeout(op), self.client_timeout, self.client_timeout);
    }

    /// End the client's operation with its answer, or without one, and schedule the next.
    pub(crate) fn finish(
        &self,
        c: &mut Client<M>,
        result: Option<Value>,
        timed_out: bool,
        out: &mut Out<Self>,
    ) {
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
}

impl<M: Scheme> Protocol for Register<M> {
    type State = State<M>;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State<M> {
        if self.is_server(id) {
            return State::Server(Server {
                stamp: Stamp::default(),
                value: 0,
                own: M::start_server(self, id, out),
            });
        }
        let left = self.workload.map_or(0, |w| w.ops);
        if let Some(w) = self.workload {
            out.set_timer(Timer::Next, w.every.0, w.every.1);
        }
        State::Client(Client {
            next_op: 1,
            current: None,
            workload_left: left,
            answered: 0,
            failed: 0,
            last_read: None,
            own: M::Client::default(),
        })
    }

    fn on_msg(&self, id: NodeId, state: &mut State<M>, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match state {
            State::Server(s) => M::server_msg(self, id, s, src, msg, out),
            State::Client(c) => M::client_msg(self, id, c, src, msg, out),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State<M>, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            (State::Server(s), timer) => M::server_timer(self, id, s, timer, out),
            (State::Client(c), Timer::Timeout(op)) if c.awaits(op) => {
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

    fn on_command(&self, id: NodeId, state: &mut State<M>, cmd: Command, out: &mut Out<Self>) {
        match (state, cmd) {
            (State::Server(s), cmd) => M::server_command(self, id, s, cmd, out),
            (State::Client(_), Command::Promote) => out.note(Note::OnlyBackupPromoted),
            (State::Client(_), Command::ReadFrom(n)) if !self.is_server(n) => {
                out.note(Note::NotAReplica { node: n });
            }
            (State::Client(c), cmd) => self.invoke(id, c, cmd, out),
        }
    }

    /// A replica's value is on disk, and so is what its scheme keeps there. A client forgets
    /// its operation in flight, which stays unanswered in the history.
    fn on_crash(&self, _id: NodeId, state: &State<M>) -> State<M> {
        match state {
            State::Server(s) => State::Server(Server {
                stamp: s.stamp,
                value: s.value,
                own: M::server_crash(&s.own),
            }),
            State::Client(c) => State::Client(Client {
                current: None,
                ..c.clone()
            }),
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State<M>, out: &mut Out<Self>) {
        match state {
            State::Server(s) => M::server_recover(self, id, &s.own, out),
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
    fn check(&self, nodes: &[NodeSlot<State<M>>]) -> Vec<Violation> {
        let mut leaders: BTreeMap<u64, NodeId> = BTreeMap::new();
        let mut found = Vec::new();
        let acked = nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Server(s) => Some((M::acknowledged(&s.own), n.id)),
                State::Client(_) => None,
            })
            .max();
        if let Some((acked, by)) = acked.filter(|(a, _)| *a > Stamp::default()) {
            for n in nodes.iter().filter(|n| n.up) {
                let State::Server(s) = &n.state else { continue };
                let Some(epoch) = M::leads(&s.own) else {
                    continue;
                };
                if epoch > acked.0 && s.stamp < acked {
                    found.push(Violation {
                        invariant: "acknowledged-writes-survive",
                        text: format!(
                            "{by} acknowledged version {}.{} but {} leads epoch {epoch} with \
                             version {}.{}: the acknowledged write is lost",
                            acked.0, acked.1, n.id, s.stamp.0, s.stamp.1
                        ),
                        nodes: vec![by, n.id],
                    });
                }
            }
        }
        for n in nodes {
            let State::Server(s) = &n.state else { continue };
            if let Some(epoch) = M::leads(&s.own) {
                if let Some(other) = leaders.insert(epoch, n.id) {
                    found.push(Violation {
                        invariant: "one-primary-per-epoch",
                        text: format!("{other} and {} are both primary in epoch {epoch}", n.id),
                        nodes: vec![other, n.id],
                    });
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

impl<M: Scheme> Present for Register<M> {
    fn view(&self, _id: NodeId, state: &State<M>) -> NodeView {
        match state {
            State::Server(s) => {
                let ServerView {
                    role,
                    label,
                    fields,
                } = M::server_view(s);
                NodeView {
                    role,
                    label,
                    badges: Vec::new(),
                    fields: [
                        ("role", role.to_string()),
                        ("value", s.value.to_string()),
                        ("version", format!("{}.{}", s.stamp.0, s.stamp.1)),
                    ]
                    .into_iter()
                    .chain(fields)
                    .collect(),
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
                M::client_fields(&c.own, &mut fields);
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

    fn commands(&self, id: NodeId, state: &State<M>) -> Vec<Command> {
        match state {
            State::Server(s) => M::server_commands(&s.own),
            State::Client(c) if c.current.is_none() => {
                let mut cmds = vec![Command::Write(fresh_value(id, c.next_op)), Command::Read];
                cmds.extend(M::reads(self));
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
                        kind,
                        ..Operation::write(o.node.number(), value, o.time, None)
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
