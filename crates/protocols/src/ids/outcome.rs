//! What a run of an id generator ends with, the same shape for all four schemes: how many ids
//! were issued, which were issued twice and by whom, and every generator's settings.

use super::{snowflake_fields, uuid, Event, Ids, Persistence, Scheme, State};
use clusterplay_sim::{to_ms, NodeId};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeMap;

/// What `clusterplay run` prints of an id generator and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdsOutcome {
    /// `snowflake`, `auto-increment`, `redis-incr` or `uuid`.
    pub scheme: Scheme,
    /// Ids handed out, repeats included.
    pub issued: usize,
    /// Distinct ids handed out (per Redis instance: each counts on its own).
    pub unique: usize,
    /// Every id handed out more than once, with each time it was.
    pub duplicate_ids: Vec<DuplicateId>,
    /// Every generator at the end, in node order.
    pub generators: Vec<GeneratorOutcome>,
    /// Snowflake: each time a guard saw its clock behind and waited.
    pub guard_waits: Vec<GuardWait>,
    /// Redis: each time an instance came back and restored its counter.
    pub restarts: Vec<Restart>,
    /// Snowflake: what its layout allows (the text's 69 years, 1 024 machines, 4 096 ids per
    /// millisecond per machine), computed from the bit widths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<SnowflakeCapacity>,
}

/// What a 41-bit timestamp, 5 + 5 machine bits and a 12-bit sequence allow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnowflakeCapacity {
    /// Years of milliseconds the timestamp counts before it wraps (365-day years, as the text).
    pub years: f64,
    /// Datacenters × workers.
    pub machines: u64,
    /// Ids one machine can issue in one millisecond.
    pub ids_per_ms: u64,
    /// The three in a line, as the metrics panel shows them.
    pub text: String,
    pub text_zh: String,
}

impl SnowflakeCapacity {
    pub fn of_layout() -> SnowflakeCapacity {
        let ms = (1u64 << super::TIMESTAMP_BITS) as f64;
        let years = (ms / (1000.0 * 3600.0 * 24.0 * 365.0) * 10.0).round() / 10.0;
        let machines: u64 = 1 << (super::DATACENTER_BITS + super::WORKER_BITS);
        let ids_per_ms: u64 = 1 << super::SEQUENCE_BITS;
        SnowflakeCapacity {
            years,
            machines,
            ids_per_ms,
            text: format!("{years} years, {machines} machines, {ids_per_ms} ids per ms each"),
            text_zh: format!("{years} 年，{machines} 台机器，每台每毫秒 {ids_per_ms} 个 ID"),
        }
    }
}

/// An id as the scheme shows it: a number, or a UUID's text.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum IdValue {
    /// Snowflake, auto-increment and Redis: a 64-bit number.
    Number(u64),
    /// A version-4 UUID, `xxxxxxxx-xxxx-4xxx-…`.
    Uuid(String),
}

/// An id issued more than once.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DuplicateId {
    /// The id.
    pub id: IdValue,
    /// Each time it was issued, in order.
    pub issued: Vec<Issuance>,
    /// Snowflake: the id taken apart, showing which millisecond repeated; absent for the other
    /// schemes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<SnowflakeFields>,
}

/// One time an id was issued.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Issuance {
    /// The generator that issued it.
    pub generator: NodeId,
    /// The client it went to; `null` for an id the generator made by command.
    pub client: Option<NodeId>,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
    /// The event that issued it.
    pub event: u64,
}

/// A Snowflake id's parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnowflakeFields {
    /// The 41 bits of milliseconds: the generator's clock when it issued the id.
    pub timestamp_ms: u64,
    /// The 5 bits of datacenter.
    pub datacenter: u64,
    /// The 5 bits of worker.
    pub worker: u64,
    /// The 12 bits of sequence within the millisecond.
    pub sequence: u64,
}

/// One generator at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneratorOutcome {
    /// The generator.
    pub node: NodeId,
    /// It is running.
    pub up: bool,
    /// Ids it handed out, repeats included.
    pub issued: usize,
    /// Ids it handed out that it had already handed out.
    pub repeats: usize,
    /// The last id it handed out; `null` before the first.
    pub last: Option<IdValue>,
    /// Snowflake: its machine id and guard; absent for the other schemes.
    #[serde(flatten)]
    pub snowflake: Option<SnowflakeMachine>,
    /// Auto-increment: where it counts from and by how much; absent for the other schemes.
    #[serde(flatten)]
    pub auto_increment: Option<AutoIncrementStep>,
    /// Redis: how it persists its counter, and the counter; absent for the other schemes.
    #[serde(flatten)]
    pub redis: Option<RedisCounter>,
}

/// Snowflake: a generator's machine id and whether it guards against its clock going back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SnowflakeMachine {
    /// Its datacenter id.
    pub datacenter: u64,
    /// Its worker id.
    pub worker: u64,
    /// It waits for its clock to catch up when the clock reads less than its last timestamp.
    pub guard: bool,
}

/// Auto-increment: an instance's first id and the common step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AutoIncrementStep {
    /// Its first id.
    pub offset: u64,
    /// What every instance adds for its next id.
    pub step: u64,
}

/// Redis: an instance's persistence and counter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedisCounter {
    /// `rdb` (a snapshot now and then) or `aof` (every INCR logged).
    pub persistence: Persistence,
    /// The next value it counts from.
    pub counter: u64,
}

/// Snowflake: a guard that saw its clock behind its last timestamp.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GuardWait {
    /// The generator.
    pub generator: NodeId,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
    /// How far the clock was behind: how long it waits, in milliseconds.
    pub behind_ms: f64,
}

/// Redis: an instance back from a crash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Restart {
    /// The instance.
    pub generator: NodeId,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
    /// The counter it came back with, from its snapshot or its log.
    pub counter: u64,
    /// The counter it had reached before the crash: everything between is issued again.
    pub had_reached: u64,
    /// AOF: how long replaying its log kept it from serving; absent when it served at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loading_ms: Option<f64>,
}

impl IdsOutcome {
    /// The outcome of `run`.
    pub(super) fn of(p: &Ids, run: &RunView<'_, Ids>) -> IdsOutcome {
        let mut seen: BTreeMap<(u32, u128), Vec<Issuance>> = BTreeMap::new();
        let mut issued = 0usize;
        let mut waits = Vec::new();
        let mut restores = Vec::new();
        for o in run.observations {
            match &o.what {
                Event::Issued { space, id, client } => {
                    issued += 1;
                    seen.entry((*space, *id)).or_default().push(Issuance {
                        generator: o.node,
                        client: *client,
                        at_ms: to_ms(o.time),
                        event: o.event,
                    });
                }
                Event::Waits { behind_us } => waits.push(GuardWait {
                    generator: o.node,
                    at_ms: to_ms(o.time),
                    behind_ms: to_ms(*behind_us),
                }),
                Event::Restored {
                    counter,
                    was,
                    loading,
                } => restores.push(Restart {
                    generator: o.node,
                    at_ms: to_ms(o.time),
                    counter: *counter,
                    had_reached: *was,
                    loading_ms: (*loading > 0).then(|| to_ms(*loading)),
                }),
            }
        }
        let show = |id: u128| match p.scheme {
            Scheme::Uuid => IdValue::Uuid(uuid(id)),
            _ => IdValue::Number(id as u64),
        };
        let unique = seen.len();
        let duplicates = seen
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|((_, id), v)| DuplicateId {
                id: show(id),
                issued: v,
                fields: (p.scheme == Scheme::Snowflake).then(|| {
                    let (timestamp_ms, datacenter, worker, sequence) = snowflake_fields(id as u64);
                    SnowflakeFields {
                        timestamp_ms,
                        datacenter,
                        worker,
                        sequence,
                    }
                }),
            })
            .collect();
        let generators = run
            .nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Generator(g) => Some(GeneratorOutcome {
                    node: n.id,
                    up: n.up,
                    issued: g.issued.len() + g.repeats.len(),
                    repeats: g.repeats.len(),
                    last: g.last.map(show),
                    snowflake: (p.scheme == Scheme::Snowflake).then(|| {
                        let (datacenter, worker) = p.machine(n.id);
                        SnowflakeMachine {
                            datacenter,
                            worker,
                            guard: p.guarded(n.id),
                        }
                    }),
                    auto_increment: (p.scheme == Scheme::AutoIncrement).then(|| {
                        AutoIncrementStep {
                            offset: p.offset(n.id),
                            step: p.step,
                        }
                    }),
                    redis: (p.scheme == Scheme::RedisIncr).then(|| RedisCounter {
                        persistence: p.persistence(n.id),
                        counter: g.counter,
                    }),
                }),
                State::Client(_) => None,
            })
            .collect();
        IdsOutcome {
            scheme: p.scheme,
            issued,
            unique,
            duplicate_ids: duplicates,
            generators,
            guard_waits: waits,
            restarts: restores,
            capacity: (p.scheme == Scheme::Snowflake).then(SnowflakeCapacity::of_layout),
        }
    }
}
