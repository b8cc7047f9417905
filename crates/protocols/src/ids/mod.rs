//! # Distributed IDs, and how each scheme repeats one
//!
//! Seed 001 lists four ways for many machines to hand out unique ids, and for each the way it
//! fails. Nodes 1 to `generators` are generators; the rest are clients that ask one generator
//! each (client k the k-th, round the generators) for an id every few milliseconds.
//!
//! - **Snowflake**: a 64-bit number, 1 sign bit (0), 41 bits of milliseconds, 10 bits of
//!   machine (5 of datacenter, 5 of worker) and 12 bits of sequence, so one worker issues up to
//!   4 096 ids per millisecond and two workers never collide. It trusts the clock: "服务器时钟
//!   回拨时可能会生成重复 id". Here the timestamp is the node's *local* clock; when it jumps back,
//!   a generator without the guard goes on from the earlier millisecond with sequence 0 and
//!   issues again ids it already issued. The guard remembers the last timestamp used and, when
//!   the clock reads less, waits until it has caught up.
//! - **Database auto-increment** with an offset and a step per instance ("集群就设置不同的
//!   起始值和步长，奇数偶数"): instance i issues offset, offset + step, offset + 2·step… Offsets
//!   1 and 2 with step 2 never collide; a wrong step or offset does.
//! - **Redis INCR**: atomic, but the counter lives in memory. With RDB the instance saves a
//!   snapshot now and then, and a crash restores the last snapshot: every id issued since is
//!   issued again ("重启 Redis 后会出现 ID 重复"). With AOF every INCR is logged first, and the
//!   counter comes back exactly. Each Redis instance is its own counter: ids repeat only within
//!   one.
//! - **UUID** for contrast: 128 bits, 122 of them random, meaningless as an order number but
//!   never repeated in practice. Here the "random" bits are a hash of the seed, the node and a
//!   counter kept on disk, so that runs replay exactly.
//!
//! Each scheme is a catalogue entry of its own, with its presets in a folder here
//! ([`snowflake`], [`auto_increment`], [`redis_incr`], [`mod@uuid`]); all four run the one
//! state machine below, [`Ids`] with their [`Scheme`], and read the same parameters.
//!
//! The invariant, checked after every event: no id is issued twice. Each generator keeps a
//! ghost record of what it issued.

pub mod auto_increment;
pub mod redis_incr;
pub mod snowflake;
pub mod uuid;

use crate::algorithm::{micros, read, Cluster, ParamError, Params, MAX_SPAN_MS};
use crate::Text;
use clusterplay_sim::{
    ms, say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{NodeView, Present, RunView};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeSet;

mod outcome;
mod words;
use words::Note;

pub use outcome::{
    AutoIncrementStep, DuplicateId, GeneratorOutcome, GuardWait, IdValue, IdsOutcome, Issuance,
    RedisCounter, Restart, SnowflakeFields, SnowflakeMachine,
};

pub const SEQUENCE_BITS: u32 = 12;
pub const WORKER_BITS: u32 = 5;
pub const DATACENTER_BITS: u32 = 5;
pub const TIMESTAMP_BITS: u32 = 41;
pub const MAX_SEQUENCE: u64 = (1 << SEQUENCE_BITS) - 1;
pub const MAX_MACHINE: u64 = (1 << WORKER_BITS) - 1;
/// Most ids one command asks for: two milliseconds' worth of Snowflake sequence.
pub const MAX_BURST: u32 = 8_192;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Persistence {
    Rdb,
    Aof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    Snowflake,
    AutoIncrement,
    RedisIncr,
    Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ids {
    pub scheme: Scheme,
    pub generators: usize,
    /// Snowflake: `(datacenter, worker)` per generator.
    pub machines: Vec<(u64, u64)>,
    /// Snowflake: whether each generator guards against its clock going back.
    pub guard: Vec<bool>,
    /// Auto-increment: each instance's first id, and the common step.
    pub offsets: Vec<u64>,
    pub step: u64,
    /// Redis: each instance's persistence, and how often RDB saves a snapshot.
    pub persistence: Vec<Persistence>,
    pub snapshot: Span,
    /// Redis AOF: how long replaying one logged INCR takes when an instance restarts.
    pub aof_replay: Span,
    /// UUID: what stands in for randomness.
    pub seed: u64,
    /// How long a client waits between requests, and how many it makes (0: until the end).
    pub every: (Span, Span),
    pub requests: u32,
}

/// One issued id with where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Issued {
    /// Which counter it belongs to: 0 for schemes whose ids are unique cluster-wide, the
    /// instance's number for Redis.
    pub space: u32,
    pub id: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Generator {
    /// Snowflake: last timestamp used and the sequence within it.
    pub last_ms: u64,
    pub sequence: u64,
    /// Requests waiting for the clock (Snowflake's guard) or the next millisecond.
    pub queue: Vec<Option<NodeId>>,
    /// Auto-increment and Redis: the next value, and Redis's last saved one.
    pub counter: u64,
    pub saved: u64,
    pub last: Option<u128>,
    /// Ghosts: everything issued, the ids issued by the last event, and repeats.
    pub issued: BTreeSet<Issued>,
    pub recent: Vec<Issued>,
    pub repeats: Vec<u128>,
    /// Redis AOF: replaying its log after a restart; requests wait in the queue.
    pub loading: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    pub sent: u32,
    pub received: u32,
    pub last: Option<u128>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Generator(Generator),
    Client(Client),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Request,
    Id(u128),
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request => "request",
            Msg::Id(_) => "id",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Request => "next id?".into(),
            Msg::Id(id) if *id > u128::from(u64::MAX) => uuid(*id)[..8].to_string(),
            Msg::Id(id) => id.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// A client's next request.
    Tick,
    /// A Snowflake generator tries its queue again.
    Resume,
    /// Redis saves an RDB snapshot.
    Snapshot,
    /// Redis has replayed its AOF and serves again.
    Loaded,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// Issue (generators) or ask for (clients) this many ids at once.
    Generate(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    Issued {
        space: u32,
        id: u128,
        client: Option<NodeId>,
    },
    /// The guard saw the clock behind its last timestamp and waits this long.
    Waits { behind_us: u64 },
    /// Redis came back from its snapshot or log with this counter, after `loading` spent
    /// replaying its log.
    Restored {
        counter: u64,
        was: u64,
        loading: Span,
    },
}

pub const HOW: Text = Text::new(
    "Clients ask generators for ids. Snowflake packs the local clock's milliseconds, a \
     datacenter and worker id and a 12-bit sequence into 64 bits: unique until the clock steps \
     back, unless a guard waits for it. Auto-increment instances count from their offset by a \
     common step. Redis INCR counts in memory: restored from an RDB snapshot after a crash it \
     repeats ids, with AOF it does not. UUIDs never repeat but mean nothing.",
    "客户端向生成器申请 ID。雪花算法把本地时钟的毫秒数、数据中心与机器 ID 和 12 位序列号拼成 64 \
     位：时钟不回拨就唯一，回拨时要靠保护逻辑等待。数据库自增的各实例从不同起始值按相同步长递增。\
     Redis INCR 在内存中计数：崩溃后从 RDB 快照恢复会重复发号，用 AOF 则不会。UUID 不会重复，\
     但没有业务含义。",
);

static ROLES: [(&str, &str, &str); 2] = [
    ("generator", "id generator", "ID 生成器"),
    ("client", "client", "客户端"),
];

/// A 128-bit id as a version-4 UUID.
pub fn uuid(id: u128) -> String {
    let h = format!("{id:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A Snowflake id's fields: (timestamp ms, datacenter, worker, sequence).
pub fn snowflake_fields(id: u64) -> (u64, u64, u64, u64) {
    (
        id >> (SEQUENCE_BITS + WORKER_BITS + DATACENTER_BITS),
        (id >> (SEQUENCE_BITS + WORKER_BITS)) & MAX_MACHINE,
        (id >> SEQUENCE_BITS) & MAX_MACHINE,
        id & MAX_SEQUENCE,
    )
}

/// Largest auto-increment offset or step: far beyond any lesson, far from overflow.
const MAX_COUNTER: u64 = 1_000_000_000;

fn default_generators() -> usize {
    1
}

fn default_snapshot() -> f64 {
    100.0
}

fn default_every() -> [f64; 2] {
    [10.0, 10.0]
}

/// The parameters of every scheme: each reads its own and ignores the others'.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdParams {
    /// Nodes 1 to `generators` issue ids; the rest are clients.
    #[serde(default = "default_generators")]
    generators: usize,
    /// Snowflake: `[datacenter, worker]` per generator, each 0 to 31; `[1, node]` otherwise.
    #[serde(default)]
    machines: Vec<[u64; 2]>,
    /// Snowflake: whether each generator waits when its clock goes back; on otherwise.
    #[serde(default)]
    guard: Vec<bool>,
    /// Auto-increment: each instance's first id (its node number otherwise) and the step
    /// (the number of generators otherwise).
    #[serde(default)]
    offsets: Vec<u64>,
    #[serde(default)]
    step: Option<u64>,
    /// Redis: "rdb" or "aof" per instance; "rdb" otherwise.
    #[serde(default)]
    persistence: Vec<Persistence>,
    #[serde(default = "default_snapshot")]
    snapshot_ms: f64,
    /// Redis AOF: milliseconds to replay each logged INCR on a restart; 0 for at once.
    #[serde(default)]
    aof_replay_ms: f64,
    /// Time between a client's requests, `[min, max]` milliseconds.
    #[serde(default = "default_every")]
    every_ms: [f64; 2],
    /// Requests per client; 0 asks until the run ends.
    #[serde(default)]
    requests: u32,
}

fn per_generator<T>(what: &str, items: &[T], generators: usize) -> Result<(), ParamError> {
    if items.len() > generators {
        return Err(ParamError::new(
            what,
            format!("has {} entries for {generators} generators", items.len()),
            format!("有 {} 项，但只有 {generators} 个生成器", items.len()),
        ));
    }
    Ok(())
}

/// The configuration of `scheme` that `params` ask for, checked against the cluster: the four
/// catalogue entries read the same parameters.
pub(crate) fn configure(
    params: &Params,
    cluster: Cluster,
    scheme: Scheme,
) -> Result<Ids, ParamError> {
    let p: IdParams = read(params)?;
    if p.generators < 1 || p.generators >= cluster.nodes {
        return Err(ParamError::new(
            "params.generators",
            format!(
                "is {}; {} nodes hold 1 to {} generators and leave at least one client",
                p.generators,
                cluster.nodes,
                cluster.nodes - 1
            ),
            format!(
                "为 {}；{} 个节点中生成器只能有 1 到 {} 个，且至少要留一个客户端",
                p.generators,
                cluster.nodes,
                cluster.nodes - 1
            ),
        ));
    }
    per_generator("params.machines", &p.machines, p.generators)?;
    per_generator("params.guard", &p.guard, p.generators)?;
    per_generator("params.offsets", &p.offsets, p.generators)?;
    per_generator("params.persistence", &p.persistence, p.generators)?;
    if p.machines.iter().flatten().any(|&m| m > MAX_MACHINE) {
        return Err(ParamError::new(
            "params.machines",
            format!("holds an id above {MAX_MACHINE}: datacenter and worker ids have 5 bits"),
            format!("中有大于 {MAX_MACHINE} 的 ID：数据中心 ID 和机器 ID 都只有 5 位"),
        ));
    }
    let step = p.step.unwrap_or(p.generators as u64);
    if step == 0 || step > MAX_COUNTER || p.offsets.iter().any(|&o| o > MAX_COUNTER) {
        return Err(ParamError::new(
            "params",
            format!("the step must be 1 to {MAX_COUNTER}, and offsets at most {MAX_COUNTER}"),
            format!(
                "中的步长 `step` 必须在 1 到 {MAX_COUNTER} 之间，起始值 `offsets` 至多为 {MAX_COUNTER}"
            ),
        ));
    }
    let snapshot = micros("params.snapshot_ms", p.snapshot_ms, MAX_SPAN_MS)?;
    let aof_replay = micros("params.aof_replay_ms", p.aof_replay_ms, MAX_SPAN_MS)?;
    let lo = micros("params.every_ms", p.every_ms[0], MAX_SPAN_MS)?;
    let hi = micros("params.every_ms", p.every_ms[1], MAX_SPAN_MS)?;
    if snapshot == 0 || lo == 0 || lo > hi {
        return Err(ParamError::new(
            "params",
            "snapshot_ms must be above 0, and every_ms a range [min, max] with 0 < min ≤ max",
            "中的 snapshot_ms 必须大于 0，every_ms 必须是区间 [min, max]，且 0 < min ≤ max",
        ));
    }
    Ok(Ids {
        scheme,
        generators: p.generators,
        machines: p.machines.iter().map(|[d, w]| (*d, *w)).collect(),
        guard: p.guard,
        offsets: p.offsets,
        step,
        persistence: p.persistence,
        snapshot,
        aof_replay,
        seed: cluster.seed,
        every: (lo, hi),
        requests: p.requests,
    })
}

impl Ids {
    fn is_generator(&self, id: NodeId) -> bool {
        id.index() < self.generators
    }

    pub fn machine(&self, id: NodeId) -> (u64, u64) {
        self.machines
            .get(id.index())
            .copied()
            .unwrap_or((1, u64::from(id.number()) & MAX_MACHINE))
    }

    fn guarded(&self, id: NodeId) -> bool {
        self.guard.get(id.index()).copied().unwrap_or(true)
    }

    pub fn offset(&self, id: NodeId) -> u64 {
        self.offsets
            .get(id.index())
            .copied()
            .unwrap_or(u64::from(id.number()))
    }

    pub fn persistence(&self, id: NodeId) -> Persistence {
        self.persistence
            .get(id.index())
            .copied()
            .unwrap_or(Persistence::Rdb)
    }

    fn space(&self, id: NodeId) -> u32 {
        match self.scheme {
            Scheme::RedisIncr => id.number(),
            _ => 0,
        }
    }

    /// Issue ids for everyone queued, as far as the clock allows.
    fn serve(&self, id: NodeId, g: &mut Generator, out: &mut Out<Self>) {
        g.recent.clear();
        if g.loading {
            return;
        }
        while let Some(&client) = g.queue.first() {
            let Some(value) = self.next(id, g, out) else {
                return;
            };
            g.queue.remove(0);
            let issued = Issued {
                space: self.space(id),
                id: value,
            };
            if !g.issued.insert(issued) {
                g.repeats.push(value);
                out.note(Note::IssuesAgain { id: value });
            }
            g.recent.push(issued);
            g.last = Some(value);
            out.observe(Event::Issued {
                space: issued.space,
                id: value,
                client,
            });
            if let Some(c) = client {
                out.send(c, Msg::Id(value));
            }
        }
    }

    /// The next id, or `None` when the generator must wait (a timer is armed).
    fn next(&self, id: NodeId, g: &mut Generator, out: &mut Out<Self>) -> Option<u128> {
        match self.scheme {
            Scheme::Snowflake => {
                let local = out.local_now();
                let now = local / 1000;
                if now < g.last_ms {
                    if self.guarded(id) {
                        let behind = g.last_ms * 1000 - local;
                        out.observe(Event::Waits { behind_us: behind });
                        out.note(Note::ClockBehind {
                            now,
                            last: g.last_ms,
                        });
                        out.set_timer(Timer::Resume, behind, behind);
                        return None;
                    }
                    out.note(Note::ClockWentBack {
                        now,
                        last: g.last_ms,
                    });
                    g.last_ms = now;
                    g.sequence = 0;
                } else if now == g.last_ms && !g.issued.is_empty() {
                    if g.sequence == MAX_SEQUENCE {
                        let wait = (now + 1) * 1000 - local;
                        out.note(Note::SequenceFull);
                        out.set_timer(Timer::Resume, wait, wait);
                        return None;
                    }
                    g.sequence += 1;
                } else {
                    g.last_ms = now;
                    g.sequence = 0;
                }
                let (dc, worker) = self.machine(id);
                let value = ((g.last_ms & ((1 << TIMESTAMP_BITS) - 1))
                    << (SEQUENCE_BITS + WORKER_BITS + DATACENTER_BITS))
                    | (dc << (SEQUENCE_BITS + WORKER_BITS))
                    | (worker << SEQUENCE_BITS)
                    | g.sequence;
                Some(u128::from(value))
            }
            Scheme::AutoIncrement => {
                let value = g.counter;
                g.counter += self.step;
                Some(u128::from(value))
            }
            Scheme::RedisIncr => {
                g.counter += 1;
                if self.persistence(id) == Persistence::Aof {
                    g.saved = g.counter;
                }
                Some(u128::from(g.counter))
            }
            Scheme::Uuid => {
                g.counter += 1;
                let a = mix(self.seed ^ mix(u64::from(id.number())) ^ mix(g.counter));
                let b = mix(a ^ g.counter.rotate_left(17));
                let raw = (u128::from(a) << 64) | u128::from(b);
                // Version 4, variant 10.
                let v4 = (raw & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
                Some(v4)
            }
        }
    }

    fn fields(&self, id: NodeId, g: &Generator) -> Vec<(&'static str, String)> {
        let mut f = Vec::new();
        match self.scheme {
            Scheme::Snowflake => {
                let (dc, worker) = self.machine(id);
                f.push(("datacenter id (5 bits)", dc.to_string()));
                f.push(("worker id (5 bits)", worker.to_string()));
                f.push((
                    "guard against clock going back",
                    if self.guarded(id) { "on" } else { "off" }.into(),
                ));
                if let Some(last) = g.last {
                    let last = last as u64;
                    let (ts, dc, worker, seq) = snowflake_fields(last);
                    f.push(("last id", last.to_string()));
                    f.push(("sign (1 bit)", "0".into()));
                    f.push(("timestamp (41 bits)", format!("{ts} ms")));
                    f.push(("datacenter (5 bits)", dc.to_string()));
                    f.push(("worker (5 bits)", worker.to_string()));
                    f.push(("sequence (12 bits)", seq.to_string()));
                    f.push((
                        "bits",
                        format!("0 {:041b} {:05b} {:05b} {:012b}", ts, dc, worker, seq),
                    ));
                }
                if !g.queue.is_empty() {
                    f.push(("requests waiting", g.queue.len().to_string()));
                }
            }
            Scheme::AutoIncrement => {
                f.push(("offset", self.offset(id).to_string()));
                f.push(("step", self.step.to_string()));
                f.push(("next id", g.counter.to_string()));
            }
            Scheme::RedisIncr => {
                let p = self.persistence(id);
                f.push((
                    "persistence",
                    match p {
                        Persistence::Rdb => "RDB snapshots",
                        Persistence::Aof => "AOF (every INCR logged)",
                    }
                    .into(),
                ));
                f.push(("counter (memory)", g.counter.to_string()));
                f.push(("counter on disk", g.saved.to_string()));
            }
            Scheme::Uuid => {
                if let Some(last) = g.last {
                    f.push(("last id", uuid(last)));
                }
            }
        }
        if self.scheme != Scheme::Snowflake && self.scheme != Scheme::Uuid {
            if let Some(last) = g.last {
                f.push(("last id", last.to_string()));
            }
        }
        f.push(("ids issued", g.issued.len().to_string()));
        if !g.repeats.is_empty() {
            f.push(("issued again", g.repeats.len().to_string()));
        }
        f
    }

    fn target(&self, client: NodeId) -> NodeId {
        NodeId::from_index((client.index() - self.generators) % self.generators)
    }
}

impl Protocol for Ids {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = Command;
    type Observation = Event;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        if self.is_generator(id) {
            if self.scheme == Scheme::RedisIncr && self.persistence(id) == Persistence::Rdb {
                out.set_timer(Timer::Snapshot, self.snapshot, self.snapshot);
            }
            let counter = match self.scheme {
                Scheme::AutoIncrement => self.offset(id),
                _ => 0,
            };
            State::Generator(Generator {
                last_ms: 0,
                sequence: 0,
                queue: Vec::new(),
                counter,
                saved: counter,
                last: None,
                issued: BTreeSet::new(),
                recent: Vec::new(),
                repeats: Vec::new(),
                loading: false,
            })
        } else {
            out.set_timer(Timer::Tick, self.every.0, self.every.1);
            State::Client(Client {
                sent: 0,
                received: 0,
                last: None,
            })
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Generator(g), Msg::Request) => {
                g.queue.push(Some(src));
                self.serve(id, g, out);
            }
            (State::Client(c), Msg::Id(value)) => {
                c.received += 1;
                c.last = Some(value);
            }
            _ => {}
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            (State::Client(c), Timer::Tick) if self.requests == 0 || c.sent < self.requests => {
                c.sent += 1;
                out.send(self.target(id), Msg::Request);
                out.set_timer(Timer::Tick, self.every.0, self.every.1);
            }
            (State::Generator(g), Timer::Resume) => self.serve(id, g, out),
            (State::Generator(g), Timer::Loaded) => {
                g.loading = false;
                out.note(Note::AofLoaded {
                    waiting: g.queue.len(),
                });
                self.serve(id, g, out);
            }
            (State::Generator(g), Timer::Snapshot) => {
                g.recent.clear();
                if g.saved != g.counter {
                    out.note(Note::SavesSnapshot { counter: g.counter });
                }
                g.saved = g.counter;
                out.set_timer(Timer::Snapshot, self.snapshot, self.snapshot);
            }
            _ => {}
        }
    }

    fn on_command(&self, id: NodeId, state: &mut State, cmd: Command, out: &mut Out<Self>) {
        let Command::Generate(k) = cmd;
        if k > MAX_BURST {
            out.note(Note::TooMany { asked: k });
            return;
        }
        match state {
            State::Generator(g) => {
                g.queue.extend((0..k).map(|_| None));
                self.serve(id, g, out);
            }
            State::Client(c) => {
                for _ in 0..k {
                    c.sent += 1;
                    out.send(self.target(id), Msg::Request);
                }
            }
        }
    }

    /// Snowflake keeps nothing (its last timestamp was in memory); auto-increment keeps its
    /// counter in the database; Redis keeps what its snapshot or log holds; UUID's counter
    /// is on disk. The ghost record of issued ids survives everything.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            State::Generator(g) => {
                let mut g = g.clone();
                g.queue.clear();
                g.recent.clear();
                g.loading = false;
                match self.scheme {
                    Scheme::Snowflake => {
                        g.last_ms = 0;
                        g.sequence = 0;
                    }
                    Scheme::RedisIncr => g.counter = g.saved,
                    Scheme::AutoIncrement | Scheme::Uuid => {}
                }
                State::Generator(g)
            }
            State::Client(c) => State::Client(c.clone()),
        }
    }

    fn on_recover(&self, id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Generator(g) => {
                if self.scheme == Scheme::RedisIncr {
                    let was = g.issued.iter().map(|i| i.id).max().unwrap_or(0) as u64;
                    // Replaying the log takes a moment per logged INCR: every one of them.
                    let loading = match self.persistence(id) {
                        Persistence::Aof => self
                            .aof_replay
                            .saturating_mul(g.counter)
                            .min(ms(MAX_SPAN_MS as u64)),
                        Persistence::Rdb => 0,
                    };
                    out.observe(Event::Restored {
                        counter: g.counter,
                        was,
                        loading,
                    });
                    out.note(match self.persistence(id) {
                        Persistence::Rdb => Note::RestartsFromRdb {
                            counter: g.counter,
                            reached: was,
                        },
                        Persistence::Aof if loading > 0 => Note::LoadsAof {
                            counter: g.counter,
                            loading,
                        },
                        Persistence::Aof => Note::ReplaysAof { counter: g.counter },
                    });
                    if loading > 0 {
                        g.loading = true;
                        out.set_timer(Timer::Loaded, loading, loading);
                    }
                    if self.persistence(id) == Persistence::Rdb {
                        out.set_timer(Timer::Snapshot, self.snapshot, self.snapshot);
                    }
                }
            }
            State::Client(_) => out.set_timer(Timer::Tick, self.every.0, self.every.1),
        }
    }

    /// No id twice: a generator's own repeats are found when issued; another generator's
    /// ids of the same space are compared with the ones the last event issued.
    /// Snowflake puts its clock's milliseconds in every id; the other schemes count.
    fn reads_clock(&self) -> bool {
        self.scheme == Scheme::Snowflake
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        for n in nodes {
            let State::Generator(g) = &n.state else {
                continue;
            };
            if let Some(first) = g.repeats.first() {
                found.push(Violation {
                    invariant: "unique-ids",
                    text: format!("generator {} issued {first} twice", n.id),
                    nodes: vec![n.id],
                });
            }
            for m in nodes {
                let State::Generator(h) = &m.state else {
                    continue;
                };
                if m.id == n.id {
                    continue;
                }
                if let Some(i) = g.recent.iter().find(|i| h.issued.contains(i)) {
                    found.push(Violation {
                        invariant: "unique-ids",
                        text: format!("generators {} and {} both issued {}", m.id, n.id, i.id),
                        nodes: vec![m.id, n.id],
                    });
                }
            }
        }
        found
    }
}

impl Present for Ids {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Generator(g) => NodeView {
                role: "generator",
                label: match (self.scheme, g.last) {
                    _ if g.loading => "loading AOF".into(),
                    (_, None) => "no id yet".into(),
                    (Scheme::Uuid, Some(last)) => uuid(last)[..8].to_string(),
                    (_, Some(last)) => format!("last {last}"),
                },
                badges: Vec::new(),
                fields: self.fields(id, g),
            },
            State::Client(c) => NodeView {
                role: "client",
                label: match c.last {
                    None => "no id yet".into(),
                    Some(last) if self.scheme == Scheme::Uuid => uuid(last)[..8].to_string(),
                    Some(last) => format!("got {last}"),
                },
                badges: Vec::new(),
                fields: vec![
                    ("asks generator", self.target(id).to_string()),
                    ("requests sent", c.sent.to_string()),
                    ("ids received", c.received.to_string()),
                ],
            },
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ROLES
    }

    fn commands(&self, _id: NodeId, _state: &State) -> Vec<Command> {
        vec![Command::Generate(1), Command::Generate(10)]
    }

    /// An [`IdsOutcome`]: ids issued, the ones issued twice, and every generator.
    fn outcome(&self, run: &RunView<'_, Self>) -> Json {
        serde_json::to_value(IdsOutcome::of(self, run)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snowflake_id_splits_into_its_fields_and_the_inspector_shows_them() {
        let id = (1234u64 << 22) | (3 << 17) | (17 << 12) | 4095;
        assert_eq!(snowflake_fields(id), (1234, 3, 17, 4095));
        let ids = Ids {
            scheme: Scheme::Snowflake,
            generators: 1,
            machines: vec![(3, 17)],
            guard: Vec::new(),
            offsets: Vec::new(),
            step: 1,
            persistence: Vec::new(),
            snapshot: 1,
            aof_replay: 0,
            seed: 0,
            every: (1, 1),
            requests: 0,
        };
        let g = Generator {
            last_ms: 1234,
            sequence: 4095,
            queue: Vec::new(),
            counter: 0,
            saved: 0,
            last: Some(u128::from(id)),
            issued: BTreeSet::new(),
            recent: Vec::new(),
            repeats: Vec::new(),
            loading: false,
        };
        let view = ids.view(NodeId::from_index(0), &State::Generator(g));
        let field = |k: &str| view.fields.iter().find(|(n, _)| *n == k).unwrap().1.clone();
        assert_eq!(field("timestamp (41 bits)"), "1234 ms");
        assert_eq!(field("datacenter (5 bits)"), "3");
        assert_eq!(field("worker (5 bits)"), "17");
        assert_eq!(field("sequence (12 bits)"), "4095");
        assert_eq!(
            field("bits"),
            format!("0 {:041b} 00011 10001 111111111111", 1234)
        );
    }

    #[test]
    fn uuids_are_version_4_and_formatted() {
        let s = uuid((0x1234u128 << 112) | (0x4 << 76) | (0x2 << 62));
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
        assert_eq!(s.split('-').count(), 5);
    }
}
