//! # Distributed locks: leases, clocks and pauses
//!
//! Seeds 001 and 002 give most of their pages to distributed locks. On one machine a mutex is
//! enough; across machines the processes that want the lock need a shared place that says
//! who holds it. Every design in the texts is the same idea, a record that only one client
//! can create, with different answers to the question what happens when its holder goes quiet:
//!
//! - [`db`] – a **database row** under a unique index (insert to lock, delete to unlock, poll
//!   while the insert fails). Nothing ever removes the row of a holder that died, so everyone
//!   polls forever; a holder that asks again is refused by its own row unless the row keeps a
//!   re-entrancy count (001). With **`SELECT … FOR UPDATE`** the lock is the row lock of the
//!   holder's open transaction instead: waiters block inside the database, and when the
//!   holder's connection goes silent for the connection timeout the database rolls the
//!   transaction back and the next waiter gets the row.
//! - [`kv`] – **Redis** `SET key token NX PX ttl` is the database row's record with a lease:
//!   the key expires on its own. The lease brings new ways to fail: the holder may still be
//!   working when it expires, so releasing with a plain `DEL` can delete the next holder's
//!   key (001's compare-and-delete Lua script prevents that), a watchdog must renew it while
//!   the work goes on, and a primary that grants the lock and dies before its asynchronous
//!   replica has heard of it lets the promoted replica grant it again.
//! - [`redlock`] – **RedLock** asks 2N+1 independent Redis instances at once, with a short
//!   timeout for each, and holds the lock when a majority said yes within the lease's
//!   validity time; otherwise it releases everywhere. No single failure loses the lock, but
//!   every instance measures the lease on its own clock and the client on another.
//! - [`zookeeper`] – a **ZooKeeper** client creates an ephemeral sequential child of `/lock`;
//!   the lowest child holds the lock and every other waiter watches its predecessor, so one
//!   release wakes exactly one waiter (watching all children instead wakes all of them: the
//!   herd effect). A holder that dies loses its node when its session times out.
//!
//! Every lease is measured on a clock, and clocks lie: they run fast or slow, they jump when
//! someone sets them, and a process can stop for a while (a garbage-collection pause) and go on
//! without noticing that time passed. The engine provides all three, and a lock that depends on
//! timing breaks under them. The fix the texts' readers meet next is the *fencing token*: each
//! grant carries a number that only ever grows (a counter at the lock service, ZooKeeper's
//! sequence number), every write to the protected resource carries it, and the resource
//! refuses a write whose token is older than one it has already seen. The lock may still have
//! two believers; the data has only one writer.
//!
//! Node 1 is that protected resource (a storage service). The lock service comes next (one
//! database or Redis server, optionally a replica, or the RedLock instances, or the ZooKeeper
//! service), and the clients after it. A client told to `acquire` takes the lock, writes to the
//! resource, works, checks that its lease still runs, writes again, and releases.
//!
//! The invariant, checked after every event: the resource's writes never interleave between
//! two holdings (once a newer holding has written, an older one never writes again) – at most
//! one client that believes it holds the lock writes at a time. The outcome reports the most
//! clients that believed they held the lock at once, stale writes accepted and rejected,
//! polling requests against watch notifications, and how long the lock stood free while
//! someone waited.
//!
//! Each lock is a type of its own, implementing [`LockKind`]: its settings, what its service
//! keeps and does, and how its clients ask for the lock and give it back live in its module.
//! What the four do alike is here once: the resource and its fencing, the client's cycle of
//! write, work, check, write and release, and the invariant. [`Lock`] joins the two.

pub mod db;
pub mod kv;
pub mod redlock;
pub mod zookeeper;

mod outcome;
pub use outcome::LockOutcome;

use crate::algorithm::{span, Cluster, ParamError};
use clusterplay_sim::{
    say, to_ms, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::hash::Hash;

/// The protected resource.
pub const RESOURCE: NodeId = NodeId::from_index(0);

/// A fencing token: for each lock server that granted the holding, its grant number. One
/// entry for a single server; a RedLock holding carries one per instance of its majority, and
/// the resource compares them instance by instance.
pub type Fence = Vec<(u32, u64)>;

/// One lock of the family: its settings, and what of the protocol is its own. The shared code
/// runs the resource and the client's cycle around the lock; a kind says what its service
/// nodes keep and do, how a client asks for the lock and gives it back, and what of that the
/// page shows.
pub trait LockKind: Clone + Debug + Eq + Hash + 'static {
    /// What a node of the lock service keeps.
    type Server: Clone + Debug + Eq + Hash + 'static;
    /// What a client keeps beyond the holding every client tracks.
    type Client: Clone + Debug + Default + Eq + Hash + 'static;
    /// The lock's own figures, flattened into the family's outcome.
    type Figures: Serialize;

    /// How many lock-service nodes follow the resource.
    fn servers(&self) -> usize;

    /// Server `id` as the run starts, with its start-up timers.
    fn start_server(lock: &Lock<Self>, id: NodeId, out: &mut Out<Lock<Self>>) -> Self::Server;

    fn server_msg(
        lock: &Lock<Self>,
        id: NodeId,
        s: &mut Self::Server,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    );

    fn server_timer(
        lock: &Lock<Self>,
        s: &mut Self::Server,
        timer: Timer,
        out: &mut Out<Lock<Self>>,
    );

    /// What a server keeps through a crash: what it has on disk.
    fn server_crash(lock: &Lock<Self>, s: &Self::Server) -> Self::Server;

    /// A server back from a crash re-arms the timers its data needs.
    fn server_recover(lock: &Lock<Self>, s: &Self::Server, out: &mut Out<Lock<Self>>);

    /// Ask the service for the lock for the client's new holding.
    fn attempt(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>);

    /// Give the lock back to the service; the client has already stopped believing it holds it.
    fn release(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>);

    fn client_msg(
        lock: &Lock<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    );

    /// A client timer other than the shared cycle's (work, write, lease end).
    fn client_timer(
        lock: &Lock<Self>,
        c: &mut Client<Self>,
        timer: Timer,
        out: &mut Out<Lock<Self>>,
    );

    /// How a lock-service node is drawn.
    fn server_view(s: &Self::Server) -> ServerView;

    /// The lock's own figures of a run.
    fn figures(lock: &Lock<Self>, run: &RunView<'_, Lock<Self>>) -> Self::Figures;

    /// The client took the lock and works until local time `work_until`.
    fn entered(_c: &mut Client<Self>, _work_until: u64) {}

    /// Whether the client, holding the lock, may ask for it again now (a nested call): only
    /// the database lock plays out what a nested `lock()` does.
    fn can_reenter(_c: &Client<Self>) -> bool {
        false
    }

    /// The holder asks again; only called when [`can_reenter`](Self::can_reenter) allowed it.
    fn reenter(_lock: &Lock<Self>, _c: &mut Client<Self>, _out: &mut Out<Lock<Self>>) {}

    /// A lock held more than once gives back one hold and returns true; the last hold is
    /// given back by the shared release.
    fn unwind(_lock: &Lock<Self>, _c: &mut Client<Self>, _out: &mut Out<Lock<Self>>) -> bool {
        false
    }

    /// What the lock adds to a client's view, built by the shared code.
    fn client_view(_lock: &Lock<Self>, _c: &Client<Self>, _view: &mut NodeView) {}
}

/// What a kind says of one of its service nodes; the shared code draws it.
pub struct ServerView {
    /// What the node is (`database`, `redis replica`), in its label and its first field.
    pub name: &'static str,
    /// Its key in the legend.
    pub role: &'static str,
    /// The lock as this node sees it: free, or whose.
    pub lock: String,
    /// Grants so far: the newest fencing token it gave.
    pub grants: u64,
    /// What else this kind of node keeps.
    pub fields: Vec<(&'static str, String)>,
}

/// The lock family's protocol for the lock `K`: the kind runs the service, the rest is shared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Lock<K> {
    pub kind: K,
    /// How long a holder works between its two writes.
    pub work: Span,
    /// Per client (first client first), a different work time: a slow client.
    pub works: Vec<Span>,
    /// The gap between checking the lease and the final write (where a pause hurts most).
    pub write_gap: Span,
    /// Polling interval of a client whose attempt failed.
    pub retry: Span,
    /// The resource refuses writes with stale fencing tokens.
    pub fencing: bool,
}

/// The one command: take the lock, use the resource, release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockCommand {
    Acquire,
}

/// Who wrote the lock record: a client and which of its holdings (the "uuid" of 001).
pub type Owner = (NodeId, u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    /// To the resource: a write under a holding, with its fencing token.
    Write {
        serial: u32,
        token: Fence,
    },
    /// `SET NX` (`INSERT` for the database) with the lease, if any.
    Set {
        serial: u32,
        ttl: Option<Span>,
    },
    SetReply {
        serial: u32,
        ok: bool,
        token: u64,
    },
    /// Release: compare-and-delete, or a plain `DEL`.
    Del {
        serial: u32,
        compare: bool,
    },
    /// The watchdog's renewal (`PEXPIRE` if the value is still ours).
    Renew {
        serial: u32,
        ttl: Span,
    },
    RenewReply {
        serial: u32,
        ok: bool,
    },
    /// A database connection's keep-alive, with what its client is doing: waiting for the
    /// row lock of holding `serial`, or holding it.
    KeepAlive {
        serial: u32,
        holding: bool,
    },
    /// `SELECT … FOR UPDATE` on the lock row, in a new transaction.
    SelectForUpdate {
        serial: u32,
    },
    /// End the transaction: the row lock goes with it.
    Commit {
        serial: u32,
    },
    /// The database closed the connection: its transaction was rolled back.
    RolledBack {
        serial: u32,
    },
    /// The holder asks for the lock again (a nested call); `step` numbers the holding's
    /// changes to its row, so a duplicate changes nothing.
    Reenter {
        serial: u32,
        step: u32,
    },
    /// One release of a re-entered lock: the row's count goes down by one.
    Unlock {
        serial: u32,
        step: u32,
    },
    /// The row's count after change `step`.
    Count {
        serial: u32,
        step: u32,
        count: u32,
    },
    /// Primary to replica: the data as it is now.
    Replicate {
        entry: Option<(Owner, u64, Option<Span>)>,
        counter: u64,
    },
    /// The promoted replica tells the clients.
    NewPrimary,
    /// ZooKeeper: create an ephemeral sequential child of `/lock`.
    Create {
        serial: u32,
    },
    /// The child's sequence number and the children as they are.
    Created {
        serial: u32,
        seq: u64,
        children: Vec<u64>,
    },
    /// Watch a child's deletion (`Some`) or every change of `/lock`'s children (`None`).
    Watch {
        on: Option<u64>,
    },
    /// A watch fired (or the watched child was already gone).
    Notify,
    GetChildren,
    Children {
        children: Vec<u64>,
    },
    /// Delete one's own child: release.
    Delete {
        seq: u64,
    },
    /// Session heartbeat and its answer.
    Ping,
    Pong,
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Write { .. } => "write",
            Msg::Set { .. } => "set-nx",
            Msg::SetReply { .. } => "set-reply",
            Msg::Del { compare: true, .. } => "compare-and-delete",
            Msg::Del { compare: false, .. } => "del",
            Msg::Renew { .. } => "renew",
            Msg::RenewReply { .. } => "renew-reply",
            Msg::KeepAlive { .. } => "keep-alive",
            Msg::SelectForUpdate { .. } => "select-for-update",
            Msg::Commit { .. } => "commit",
            Msg::RolledBack { .. } => "rolled-back",
            Msg::Reenter { .. } => "reenter",
            Msg::Unlock { .. } => "unlock",
            Msg::Count { .. } => "count",
            Msg::Replicate { .. } => "replicate",
            Msg::NewPrimary => "new-primary",
            Msg::Create { .. } => "create",
            Msg::Created { .. } => "created",
            Msg::Watch { .. } => "watch",
            Msg::Notify => "notify",
            Msg::GetChildren => "get-children",
            Msg::Children { .. } => "children",
            Msg::Delete { .. } => "delete",
            Msg::Ping => "ping",
            Msg::Pong => "pong",
        }
    }

    fn label(&self) -> String {
        match self {
            Msg::Write { token, .. } => match token.as_slice() {
                [] => "write".into(),
                [(_, t)] => format!("write #{t}"),
                many => format!("write #{}", max_token(many)),
            },
            Msg::Set { ttl: Some(_), .. } => "SET NX PX".into(),
            Msg::Set { ttl: None, .. } => "INSERT".into(),
            Msg::SetReply {
                ok: true, token, ..
            } => format!("OK #{token}"),
            Msg::SetReply { ok: false, .. } => "taken".into(),
            Msg::Del { compare: true, .. } => "CAD".into(),
            Msg::Del { compare: false, .. } => "DEL".into(),
            Msg::Renew { .. } => "PEXPIRE".into(),
            Msg::RenewReply { ok, .. } => if *ok { "renewed" } else { "not ours" }.into(),
            Msg::Created { seq, .. } => format!("created {seq}"),
            Msg::Watch { on: Some(seq) } => format!("watch {seq}"),
            Msg::Watch { on: None } => "watch all".into(),
            Msg::Delete { seq } => format!("delete {seq}"),
            Msg::SelectForUpdate { .. } => "SELECT … FOR UPDATE".into(),
            Msg::Commit { .. } => "COMMIT".into(),
            Msg::RolledBack { .. } => "rolled back".into(),
            Msg::Reenter { .. } => "lock again".into(),
            Msg::Count { count, .. } => format!("count {count}"),
            other => other.kind().into(),
        }
    }
}

fn max_token(token: &[(u32, u64)]) -> u64 {
    token.iter().map(|(_, t)| *t).max().unwrap_or(0)
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// Client: the work between the two writes is done.
    Work,
    /// Client: the final write goes out.
    Write,
    /// Client: its lease (or session) has run out on its own clock.
    LeaseEnd,
    /// Client: poll again, or retry after a failed RedLock round.
    Retry,
    /// Client: the watchdog renews.
    Renew,
    /// Client: RedLock stops waiting for the instances.
    Attempt,
    /// Client: session heartbeat (ZooKeeper) or connection keep-alive (database).
    Heartbeat,
    /// Server: the key expires.
    Expire,
    /// Server: a client's session has been silent too long.
    Session(NodeId),
    /// Primary: ship the data to the replica.
    Replicate,
    /// Replica: the primary has been silent too long.
    Failover,
    /// Database: a connection (its client's holding) has been silent too long.
    Connection(Owner),
}

/// What the outcome is built from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LockEvent {
    /// A client starts wanting the lock.
    Wants,
    /// A client believes it holds the lock, with this token.
    Acquired(Fence),
    /// A client stops believing: it released.
    Released,
    /// A client stops believing: it found its lease or session gone.
    Lost,
    /// A client asked again after a refusal.
    Poll,
    /// The resource took a write; `stale` if its token was older than one already seen.
    WriteAccepted { stale: bool },
    /// The resource refused a stale write.
    WriteRejected,
    /// A holder took its lock again: the row's count is now `count`.
    Reentered { count: u32 },
    /// Database, re-entrant: the lock row of `owner` now counts `count` (0: it is gone).
    Row { owner: NodeId, count: u32 },
    /// Database, `FOR UPDATE`: a request waits inside the database for the row lock.
    Blocked,
    /// Database, `FOR UPDATE`: the holder's silent connection was closed and its transaction
    /// rolled back, releasing the lock.
    TimedOut,
    /// RedLock: a majority said yes, but asking them took `elapsed` of the `ttl`-long lease,
    /// leaving no validity: the client does not hold the lock and unlocks everywhere.
    LateMajority { elapsed: Span, ttl: Span },
}

/// The protected resource: it records writes and, with fencing, refuses stale tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Resource {
    /// Highest token seen per lock server.
    pub seen: BTreeMap<u32, u64>,
    pub accepted: u32,
    pub rejected: u32,
    pub stale_accepted: u32,
    /// Ghost: the holding that wrote last, the holdings that ever wrote, and the first two
    /// holdings whose writes interleaved.
    pub last: Option<Owner>,
    pub wrote: BTreeSet<Owner>,
    pub interleaved: Option<(NodeId, NodeId)>,
}

/// Where a client stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Idle,
    /// Trying to take the lock.
    Acquiring,
    /// Holding (or believing so), between the writes.
    Working,
    /// Checked the lease; the final write is about to go out.
    Writing,
    /// Wrote; releasing a re-entered lock one hold at a time.
    Releasing,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client<K: LockKind> {
    pub phase: Phase,
    /// Which holding this is (the lock value's uniqueness).
    pub serial: u32,
    /// Believes it holds the lock.
    pub holding: bool,
    pub token: Fence,
    /// Local time at which the current attempt (or renewal) was sent.
    pub sent_at: u64,
    /// Local time until which the lease runs, as the client reckons it.
    pub lease_until: Option<u64>,
    /// Where requests go (the database, the Redis primary).
    pub server: NodeId,
    pub polls: u32,
    /// What the lock's own client code keeps.
    pub own: K::Client,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State<K: LockKind> {
    Resource(Resource),
    Server(K::Server),
    Client(Client<K>),
}

/// What every lock's `params` share: the client's work and the resource's fencing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Common {
    #[serde(default = "default_work")]
    work_ms: f64,
    #[serde(default = "default_write_gap")]
    write_gap_ms: f64,
    #[serde(default = "default_retry")]
    retry_ms: f64,
    /// Work times of particular clients, first client first: a slow one.
    #[serde(default)]
    works_ms: Vec<f64>,
    #[serde(default)]
    fencing: bool,
}

fn default_work() -> f64 {
    40.0
}
fn default_write_gap() -> f64 {
    2.0
}
fn default_retry() -> f64 {
    20.0
}
pub(crate) fn default_ttl() -> f64 {
    100.0
}

/// The lock `kind` with the shared parameters, checked against the cluster.
pub(crate) fn build<K: LockKind>(
    common: Common,
    kind: K,
    cluster: Cluster,
) -> Result<Lock<K>, ParamError> {
    let lock = Lock {
        kind,
        work: span("params.work_ms", common.work_ms)?,
        works: common
            .works_ms
            .iter()
            .map(|w| span("params.works_ms", *w))
            .collect::<Result<_, _>>()?,
        write_gap: span("params.write_gap_ms", common.write_gap_ms)?,
        retry: span("params.retry_ms", common.retry_ms)?,
        fencing: common.fencing,
    };
    if cluster.nodes <= lock.first_client() {
        return Err(ParamError::new(
            "nodes",
            format!(
                "is {}; node 1 is the resource, nodes 2 to {} the lock service, and at least one \
                 client must follow",
                cluster.nodes,
                lock.first_client()
            ),
            format!(
                "为 {}；节点 1 是资源，节点 2 到 {} 是锁服务，其后至少还要有一个客户端",
                cluster.nodes,
                lock.first_client()
            ),
        ));
    }
    Ok(lock)
}

/// What the code every lock shares says in the event log: the client's holding, the
/// resource's writes, and what no lock handles.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Note {
    LeaseRanOut,
    LeaseRanOutWhileWorking,
    LeaseStillValid,
    SkipsFinalWrite,
    RefusesStaleWrite { from: NodeId, token: u64 },
    AcceptsStaleWrite { from: NodeId },
    AcceptsWrite { from: NodeId },
    Ignores { label: String },
    AlreadyBusy,
    OnlyClients,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::LeaseRanOut => say!(
                lang,
                out,
                "its lease ran out on its own clock: it no longer holds the lock",
                "按自己的时钟租约已到期：不再持有锁"
            ),
            Note::LeaseRanOutWhileWorking => say!(
                lang,
                out,
                "its lease ran out while it worked: it no longer holds the lock",
                "工作期间租约已到期：不再持有锁"
            ),
            Note::LeaseStillValid => say!(
                lang,
                out,
                "checks its lease: still valid, writes",
                "检查租约：仍然有效，写入"
            ),
            Note::SkipsFinalWrite => say!(
                lang,
                out,
                "skips its final write and releases anyway",
                "跳过最后的写入，照样解锁"
            ),
            Note::RefusesStaleWrite { from, token } => say!(
                lang,
                out,
                "refuses the write of {from}: token #{token} is older than one it has seen",
                "拒绝 {from} 的写入：令牌 #{token} 比见过的更旧"
            ),
            Note::AcceptsStaleWrite { from } => say!(
                lang,
                out,
                "accepts a stale write of {from}",
                "接受了 {from} 的过期写入"
            ),
            Note::AcceptsWrite { from } => {
                say!(
                    lang,
                    out,
                    "accepts the write of {from}",
                    "接受 {from} 的写入"
                )
            }
            Note::Ignores { label } => say!(lang, out, "ignores {label}", "忽略 {label}"),
            Note::AlreadyBusy => say!(
                lang,
                out,
                "already busy with the lock",
                "已经在加锁或持有锁"
            ),
            Note::OnlyClients => say!(
                lang,
                out,
                "only clients take the lock",
                "只有客户端才能加锁"
            ),
        }
    }
}

impl<K: LockKind> Lock<K> {
    /// How many lock-service nodes follow the resource.
    pub fn servers(&self) -> usize {
        self.kind.servers()
    }

    /// The first client's index: resource and servers come first.
    pub fn first_client(&self) -> usize {
        1 + self.servers()
    }

    fn is_server(&self, id: NodeId) -> bool {
        (1..self.first_client()).contains(&id.index())
    }

    fn work_of(&self, id: NodeId) -> Span {
        id.index()
            .checked_sub(self.first_client())
            .and_then(|i| self.works.get(i))
            .copied()
            .unwrap_or(self.work)
    }

    /// The client took the lock: first write, then work.
    fn enter(&self, id: NodeId, c: &mut Client<K>, token: Fence, out: &mut Out<Self>) {
        c.holding = true;
        c.phase = Phase::Working;
        c.token = token.clone();
        out.observe(LockEvent::Acquired(token.clone()));
        out.send(
            RESOURCE,
            Msg::Write {
                serial: c.serial,
                token,
            },
        );
        let work = self.work_of(id);
        K::entered(c, out.local_now().saturating_add(work));
        out.set_timer(Timer::Work, work, work);
        out.cancel_timer(Timer::Retry);
    }

    /// The client stops believing it holds the lock, and says why.
    fn lose(&self, c: &mut Client<K>, why: impl Words, out: &mut Out<Self>) {
        if c.holding {
            c.holding = false;
            out.observe(LockEvent::Lost);
            out.note(why);
        }
        out.cancel_timer(Timer::Renew);
    }

    /// Work is done: check the lease, then write after the gap (or skip the write if the
    /// lease is gone, and release all the same, as `finally` would).
    fn work_done(&self, c: &mut Client<K>, out: &mut Out<Self>) {
        if let Some(until) = c.lease_until {
            if out.local_now() >= until {
                self.lose(c, Note::LeaseRanOutWhileWorking, out);
            }
        }
        if c.holding {
            c.phase = Phase::Writing;
            out.note(Note::LeaseStillValid);
            out.set_timer(Timer::Write, self.write_gap, self.write_gap);
        } else {
            out.note(Note::SkipsFinalWrite);
            self.release(c, out);
        }
    }

    fn final_write(&self, c: &mut Client<K>, out: &mut Out<Self>) {
        out.send(
            RESOURCE,
            Msg::Write {
                serial: c.serial,
                token: c.token.clone(),
            },
        );
        self.release(c, out);
    }

    fn release(&self, c: &mut Client<K>, out: &mut Out<Self>) {
        if K::unwind(self, c, out) {
            return;
        }
        if c.holding {
            c.holding = false;
            out.observe(LockEvent::Released);
        }
        c.phase = Phase::Idle;
        for t in [
            Timer::LeaseEnd,
            Timer::Renew,
            Timer::Heartbeat,
            Timer::Retry,
        ] {
            out.cancel_timer(t);
        }
        K::release(self, c, out);
    }

    fn start(&self, c: &mut Client<K>, out: &mut Out<Self>) {
        c.phase = Phase::Acquiring;
        c.serial += 1;
        c.token.clear();
        c.lease_until = None;
        out.observe(LockEvent::Wants);
        K::attempt(self, c, out);
    }

    fn server_view(&self, id: NodeId, s: &K::Server) -> NodeView {
        let ServerView {
            name,
            role,
            lock,
            grants,
            fields,
        } = K::server_view(s);
        NodeView {
            role,
            label: format!("{name} {} · {lock}", id.index()),
            badges: Vec::new(),
            fields: [
                ("role", name.into()),
                ("lock", lock),
                ("grants so far", grants.to_string()),
            ]
            .into_iter()
            .chain(fields)
            .collect(),
        }
    }
}

fn write<K: LockKind>(
    fencing: bool,
    r: &mut Resource,
    src: NodeId,
    serial: u32,
    token: Fence,
    out: &mut Out<Lock<K>>,
) {
    let stale = token
        .iter()
        .any(|(server, t)| r.seen.get(server).is_some_and(|seen| t < seen));
    if stale && fencing {
        r.rejected += 1;
        out.observe(LockEvent::WriteRejected);
        out.note(Note::RefusesStaleWrite {
            from: src,
            token: max_token(&token),
        });
        return;
    }
    r.accepted += 1;
    if stale {
        r.stale_accepted += 1;
    }
    out.observe(LockEvent::WriteAccepted { stale });
    for (server, t) in token {
        let seen = r.seen.entry(server).or_default();
        *seen = (*seen).max(t);
    }
    let holding = (src, serial);
    if let Some(last) = r.last.filter(|last| *last != holding) {
        if r.wrote.contains(&holding) && r.interleaved.is_none() {
            r.interleaved = Some((last.0, src));
        }
    }
    r.wrote.insert(holding);
    r.last = Some(holding);
    out.note(if stale {
        Note::AcceptsStaleWrite { from: src }
    } else {
        Note::AcceptsWrite { from: src }
    });
}

impl<K: LockKind> Protocol for Lock<K> {
    type State = State<K>;
    type Msg = Msg;
    type Timer = Timer;
    type Command = LockCommand;
    type Observation = LockEvent;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State<K> {
        if id == RESOURCE {
            return State::Resource(Resource::default());
        }
        if self.is_server(id) {
            return State::Server(K::start_server(self, id, out));
        }
        State::Client(Client::new(NodeId::from_index(1)))
    }

    fn on_msg(&self, id: NodeId, state: &mut State<K>, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Resource(r), Msg::Write { serial, token }) => {
                write(self.fencing, r, src, serial, token, out)
            }
            (State::Server(s), msg) => K::server_msg(self, id, s, src, msg, out),
            (State::Client(c), msg) => K::client_msg(self, id, c, src, msg, out),
            (_, msg) => out.note(Note::Ignores { label: msg.label() }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State<K>, timer: Timer, out: &mut Out<Self>) {
        match state {
            State::Resource(_) => {}
            State::Server(s) => K::server_timer(self, s, timer, out),
            State::Client(c) => match (timer, c.phase) {
                (Timer::Work, Phase::Working) => self.work_done(c, out),
                (Timer::Write, Phase::Writing) => self.final_write(c, out),
                (Timer::LeaseEnd, _) => self.lose(c, Note::LeaseRanOut, out),
                (timer, _) => K::client_timer(self, c, timer, out),
            },
        }
    }

    fn on_command(
        &self,
        _id: NodeId,
        state: &mut State<K>,
        _cmd: LockCommand,
        out: &mut Out<Self>,
    ) {
        match state {
            State::Client(c) if c.phase == Phase::Idle => self.start(c, out),
            State::Client(c) if K::can_reenter(c) => K::reenter(self, c, out),
            State::Client(_) => out.note(Note::AlreadyBusy),
            _ => out.note(Note::OnlyClients),
        }
    }

    /// The resource keeps its records; a server keeps what its kind has on disk; a client
    /// forgets everything but how many holdings it has had.
    fn on_crash(&self, _id: NodeId, state: &State<K>) -> State<K> {
        match state {
            State::Resource(_) => state.clone(),
            State::Server(s) => State::Server(K::server_crash(self, s)),
            State::Client(c) => State::Client(Client {
                serial: c.serial,
                ..Client::new(c.server)
            }),
        }
    }

    fn on_recover(&self, _id: NodeId, state: &mut State<K>, out: &mut Out<Self>) {
        if let State::Server(s) = state {
            K::server_recover(self, s, out);
        }
    }

    /// Leases, lock timeouts and the time a client takes to ask: every lock here runs on the
    /// node's own clock, which is where they break.
    fn reads_clock(&self) -> bool {
        true
    }

    fn check(&self, nodes: &[NodeSlot<State<K>>]) -> Vec<Violation> {
        let Some(State::Resource(r)) = nodes.first().map(|n| &n.state) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if let Some((newer, older)) = r.interleaved {
            found.push(Violation {
                invariant: "one-writer",
                text: format!(
                    "client {older} wrote after client {newer} had written under a newer \
                     holding: two holders wrote to the resource at once"
                ),
                nodes: vec![older, newer],
            });
        }
        if self.fencing && r.stale_accepted > 0 {
            found.push(Violation {
                invariant: "fencing",
                text: "the resource accepted a write with an older token after a newer one".into(),
                nodes: vec![RESOURCE],
            });
        }
        found
    }
}

/// One legend for the four locks: the page colours a role by its place in the legend, so a
/// shared legend keeps each role's colour the same from one lock to the next.
static ROLES: [(&str, &str, &str); 7] = [
    ("resource", "protected resource", "受保护的资源"),
    ("server", "lock service", "锁服务"),
    ("replica", "replica", "副本"),
    ("idle", "client", "客户端"),
    ("waiting", "waiting for the lock", "等待锁"),
    ("holder", "believes it holds the lock", "认为自己持有锁"),
    ("stale", "writing on an expired lease", "租约已过期仍在写"),
];

impl<K: LockKind> Present for Lock<K> {
    fn view(&self, id: NodeId, state: &State<K>) -> NodeView {
        match state {
            State::Resource(r) => NodeView {
                role: "resource",
                label: format!("storage · {} writes", r.accepted),
                badges: if r.interleaved.is_some() {
                    vec!["conflict"]
                } else {
                    Vec::new()
                },
                fields: vec![
                    ("fencing", if self.fencing { "on" } else { "off" }.into()),
                    ("writes accepted", r.accepted.to_string()),
                    ("stale writes accepted", r.stale_accepted.to_string()),
                    ("stale writes rejected", r.rejected.to_string()),
                    (
                        "highest tokens",
                        r.seen
                            .iter()
                            .map(|(s, t)| format!("{s}:#{t}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                ],
            },
            State::Server(s) => self.server_view(id, s),
            State::Client(c) => {
                let role = match (c.holding, c.phase) {
                    (true, _) => "holder",
                    (false, Phase::Writing) => "stale",
                    (false, Phase::Acquiring) => "waiting",
                    _ => "idle",
                };
                let mut badges = Vec::new();
                if c.holding {
                    badges.push("lock");
                }
                let token = match c.token.as_slice() {
                    [] => String::new(),
                    t => format!(" #{}", max_token(t)),
                };
                let fields = vec![
                    ("believes it holds", c.holding.to_string()),
                    ("phase", format!("{:?}", c.phase).to_lowercase()),
                    ("holding", c.serial.to_string()),
                    ("token", token.trim().to_string()),
                    (
                        "lease until (local ms)",
                        c.lease_until
                            .map_or("-".into(), |t| format!("{}", to_ms(t))),
                    ),
                    ("polls", c.polls.to_string()),
                ];
                let mut view = NodeView {
                    role,
                    label: match role {
                        "holder" => format!("holds{token}"),
                        "stale" => format!("expired{token}"),
                        "waiting" if c.polls == 1 => "waits · 1 poll".into(),
                        "waiting" => format!("waits · {} polls", c.polls),
                        _ => "idle".into(),
                    },
                    badges,
                    fields,
                };
                K::client_view(self, c, &mut view);
                view
            }
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Circle
    }

    fn commands(&self, _id: NodeId, state: &State<K>) -> Vec<LockCommand> {
        match state {
            State::Client(c) if c.phase == Phase::Idle || K::can_reenter(c) => {
                vec![LockCommand::Acquire]
            }
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        serde_json::to_value(LockOutcome::of(self, run)).unwrap_or_default()
    }
}

impl<K: LockKind> Client<K> {
    pub fn new(server: NodeId) -> Self {
        Client {
            phase: Phase::Idle,
            serial: 0,
            holding: false,
            token: Vec::new(),
            sent_at: 0,
            lease_until: None,
            server,
            polls: 0,
            own: K::Client::default(),
        }
    }
}
