//! The replication family's parameters: how many nodes are replicas, the replication mode,
//! where reads go, quorum sizes, timeouts and an optional workload, checked before anything
//! runs.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::replication::register::{Mode, ReadFrom, Register, Workload};
use clusterplay_sim::Span;
use serde::Deserialize;

/// Most operations a workload may ask of each client.
const MAX_OPS: u32 = 10_000;

fn span(what: &str, ms: f64) -> Result<Span, ScenarioError> {
    let us = micros(what, ms, MAX_LATENCY_MS)?;
    if us == 0 {
        return Err(ScenarioError::invalid(what, "must be above 0 ms"));
    }
    Ok(us)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadParams {
    ops: u32,
    /// Time from one answer to the client's next operation, `[min, max]` milliseconds.
    every_ms: [f64; 2],
}

fn workload(w: Option<WorkloadParams>) -> Result<Option<Workload>, ScenarioError> {
    let Some(w) = w else { return Ok(None) };
    if w.ops > MAX_OPS {
        return Err(ScenarioError::invalid(
            "params.workload.ops",
            format!("is {}; at most {MAX_OPS} operations per client", w.ops),
        ));
    }
    let lo = span("params.workload.every_ms", w.every_ms[0])?;
    let hi = span("params.workload.every_ms", w.every_ms[1])?;
    if lo > hi {
        return Err(ScenarioError::invalid(
            "params.workload.every_ms",
            "must be a range [min, max] with min ≤ max",
        ));
    }
    Ok(Some(Workload {
        ops: w.ops,
        every: (lo, hi),
    }))
}

fn default_servers() -> usize {
    3
}

fn servers(servers: usize, c: &Checked) -> Result<usize, ScenarioError> {
    if servers < 1 || servers >= c.nodes {
        return Err(ScenarioError::invalid(
            "params.servers",
            format!(
                "is {servers}; {} nodes hold 1 to {} replicas and leave at least one client",
                c.nodes,
                c.nodes - 1
            ),
        ));
    }
    Ok(servers)
}

fn default_mode() -> Mode {
    Mode::Sync
}

fn default_read_from() -> ReadFrom {
    ReadFrom::Primary
}

fn default_sync_timeout() -> f64 {
    50.0
}

fn default_heartbeat() -> f64 {
    50.0
}

fn default_client_timeout() -> f64 {
    150.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrimaryBackupParams {
    /// Nodes 1 to `servers` are replicas; the rest are clients.
    #[serde(default = "default_servers")]
    servers: usize,
    /// "sync", "async" or "max-availability".
    #[serde(default = "default_mode")]
    mode: Mode,
    /// "primary" or "any".
    #[serde(default = "default_read_from")]
    read_from: ReadFrom,
    #[serde(default = "default_sync_timeout")]
    sync_timeout_ms: f64,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_client_timeout")]
    client_timeout_ms: f64,
    /// The first backup takes over after this much silence from the primary; none if absent.
    #[serde(default)]
    failover_ms: Option<f64>,
    #[serde(default)]
    workload: Option<WorkloadParams>,
}

pub(super) fn primary_backup(
    s: &Scenario,
    c: Checked,
) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: PrimaryBackupParams = params(s)?;
    if p.mode == Mode::Quorum {
        return Err(ScenarioError::invalid(
            "params.mode",
            "is \"quorum\"; the leaderless variant is the protocol \"quorum\"",
        ));
    }
    let servers = servers(p.servers, &c)?;
    if servers < 2 {
        return Err(ScenarioError::invalid(
            "params.servers",
            "is 1; a primary needs at least one backup",
        ));
    }
    let protocol = Register {
        servers,
        mode: p.mode,
        read_from: p.read_from,
        sync_timeout: span("params.sync_timeout_ms", p.sync_timeout_ms)?,
        heartbeat: span("params.heartbeat_ms", p.heartbeat_ms)?,
        client_timeout: span("params.client_timeout_ms", p.client_timeout_ms)?,
        failover: p
            .failover_ms
            .map(|ms| span("params.failover_ms", ms))
            .transpose()?,
        r: 1,
        w: 1,
        levels: Vec::new(),
        workload: workload(p.workload)?,
    };
    start(s, c, protocol)
}

fn default_quorum() -> usize {
    2
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuorumParams {
    /// N: nodes 1 to N are replicas; the rest are clients.
    #[serde(default = "default_servers")]
    servers: usize,
    #[serde(default = "default_quorum")]
    r: usize,
    #[serde(default = "default_quorum")]
    w: usize,
    /// `[r, w]` for each client, first client first; `r` and `w` for the rest.
    #[serde(default)]
    levels: Vec<[usize; 2]>,
    #[serde(default = "default_client_timeout")]
    client_timeout_ms: f64,
    #[serde(default)]
    workload: Option<WorkloadParams>,
}

pub(super) fn quorum(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: QuorumParams = params(s)?;
    let n = servers(p.servers, &c)?;
    let size = |what: &str, k: usize| {
        if (1..=n).contains(&k) {
            Ok(k)
        } else {
            Err(ScenarioError::invalid(
                what,
                format!("is {k}; with N = {n} replicas a quorum has 1 to {n}"),
            ))
        }
    };
    let clients = c.nodes - n;
    if p.levels.len() > clients {
        return Err(ScenarioError::invalid(
            "params.levels",
            format!("has {} entries for {clients} clients", p.levels.len()),
        ));
    }
    let mut levels = Vec::with_capacity(p.levels.len());
    for (i, [r, w]) in p.levels.iter().copied().enumerate() {
        let what = format!("params.levels[{i}]");
        levels.push((size(&what, r)?, size(&what, w)?));
    }
    let protocol = Register {
        servers: n,
        mode: Mode::Quorum,
        read_from: ReadFrom::Any,
        sync_timeout: 1,
        heartbeat: 1,
        client_timeout: span("params.client_timeout_ms", p.client_timeout_ms)?,
        failover: None,
        r: size("params.r", p.r)?,
        w: size("params.w", p.w)?,
        levels,
        workload: workload(p.workload)?,
    };
    start(s, c, protocol)
}
