//! The distributed-id family's parameters: how many generators, Snowflake machine ids and
//! guards, auto-increment offsets and step, Redis persistence, and how often clients ask.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::replication::ids::{Ids, Persistence, Scheme, MAX_MACHINE};
use serde::Deserialize;

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
    /// Time between a client's requests, `[min, max]` milliseconds.
    #[serde(default = "default_every")]
    every_ms: [f64; 2],
    /// Requests per client; 0 asks until the run ends.
    #[serde(default)]
    requests: u32,
}

fn per_generator<T>(what: &str, items: &[T], generators: usize) -> Result<(), ScenarioError> {
    if items.len() > generators {
        return Err(ScenarioError::invalid(
            what,
            format!("has {} entries for {generators} generators", items.len()),
        ));
    }
    Ok(())
}

fn build(s: &Scenario, c: Checked, scheme: Scheme) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: IdParams = params(s)?;
    if p.generators < 1 || p.generators >= c.nodes {
        return Err(ScenarioError::invalid(
            "params.generators",
            format!(
                "is {}; {} nodes hold 1 to {} generators and leave at least one client",
                p.generators,
                c.nodes,
                c.nodes - 1
            ),
        ));
    }
    per_generator("params.machines", &p.machines, p.generators)?;
    per_generator("params.guard", &p.guard, p.generators)?;
    per_generator("params.offsets", &p.offsets, p.generators)?;
    per_generator("params.persistence", &p.persistence, p.generators)?;
    if p.machines.iter().flatten().any(|&m| m > MAX_MACHINE) {
        return Err(ScenarioError::invalid(
            "params.machines",
            format!("holds an id above {MAX_MACHINE}: datacenter and worker ids have 5 bits"),
        ));
    }
    let step = p.step.unwrap_or(p.generators as u64);
    if step == 0 || step > MAX_COUNTER || p.offsets.iter().any(|&o| o > MAX_COUNTER) {
        return Err(ScenarioError::invalid(
            "params",
            format!("the step must be 1 to {MAX_COUNTER}, and offsets at most {MAX_COUNTER}"),
        ));
    }
    let snapshot = micros("params.snapshot_ms", p.snapshot_ms, MAX_LATENCY_MS)?;
    let lo = micros("params.every_ms", p.every_ms[0], MAX_LATENCY_MS)?;
    let hi = micros("params.every_ms", p.every_ms[1], MAX_LATENCY_MS)?;
    if snapshot == 0 || lo == 0 || lo > hi {
        return Err(ScenarioError::invalid(
            "params",
            "snapshot_ms must be above 0, and every_ms a range [min, max] with 0 < min ≤ max",
        ));
    }
    let protocol = Ids {
        scheme,
        generators: p.generators,
        machines: p.machines.iter().map(|[d, w]| (*d, *w)).collect(),
        guard: p.guard,
        offsets: p.offsets,
        step,
        persistence: p.persistence,
        snapshot,
        seed: s.seed,
        every: (lo, hi),
        requests: p.requests,
    };
    start(s, c, protocol)
}

pub(super) fn snowflake(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    build(s, c, Scheme::Snowflake)
}

pub(super) fn auto_increment(
    s: &Scenario,
    c: Checked,
) -> Result<Box<dyn Simulation>, ScenarioError> {
    build(s, c, Scheme::AutoIncrement)
}

pub(super) fn redis_incr(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    build(s, c, Scheme::RedisIncr)
}

pub(super) fn uuid(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    build(s, c, Scheme::Uuid)
}
