//! The distributed-lock family's parameters: leases, timeouts, release style, watchdog,
//! replica, RedLock's instances, ZooKeeper's herd variant and fencing, checked before
//! anything runs.

use super::params;
use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::lock::{Db, DbMode, Kind, Lock, Replica};
use clusterplay_sim::Span;
use serde::Deserialize;

fn span(what: &str, ms: f64) -> Result<Span, ScenarioError> {
    let us = micros(what, ms, MAX_LATENCY_MS)?;
    if us == 0 {
        return Err(ScenarioError::invalid(what, "must be above 0 ms"));
    }
    Ok(us)
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
fn default_ttl() -> f64 {
    100.0
}
fn default_connection_timeout() -> f64 {
    100.0
}
fn default_replication() -> f64 {
    50.0
}
fn default_failover() -> f64 {
    150.0
}
fn default_instances() -> usize {
    5
}
fn default_instance_timeout() -> f64 {
    30.0
}
fn default_drift() -> f64 {
    2.0
}
fn default_session() -> f64 {
    150.0
}

/// What every lock shares: the client's work and the resource's fencing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Common {
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

fn build(
    s: &Scenario,
    c: Checked,
    common: Common,
    kind: Kind,
) -> Result<Box<dyn Simulation>, ScenarioError> {
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
    if c.nodes <= lock.first_client() {
        return Err(ScenarioError::invalid(
            "nodes",
            format!(
                "is {}; node 1 is the resource, nodes 2 to {} the lock service, and at least one \
                 client must follow",
                c.nodes,
                lock.first_client()
            ),
        ));
    }
    start(s, c, lock)
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    /// `INSERT` under a unique index; waiters poll.
    Insert,
    /// `SELECT … FOR UPDATE`; waiters block in the database.
    ForUpdate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DbParams {
    #[serde(flatten)]
    common: Common,
    /// "insert" (the default) or "for-update": the lock lives as long as the holder's
    /// transaction and connection.
    mode: Option<Mode>,
    /// The older spelling of `"mode": "for-update"`, still read from old links.
    for_update: Option<bool>,
    /// The row keeps a re-entrancy count: its holder may acquire again.
    #[serde(default)]
    reentrant: bool,
    /// How long the database waits on a silent connection (`FOR UPDATE`).
    #[serde(default = "default_connection_timeout")]
    connection_timeout_ms: f64,
}

pub(super) fn db(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: DbParams = params(s)?;
    let mode = match (p.mode, p.for_update) {
        (Some(Mode::Insert), Some(true)) => {
            return Err(ScenarioError::invalid(
                "params.for_update",
                "is true but params.mode is \"insert\"; give only \"mode\": \"for-update\"",
            ))
        }
        (Some(mode), _) => mode,
        (None, Some(true)) => Mode::ForUpdate,
        (None, _) => Mode::Insert,
    };
    let connection_timeout = span("params.connection_timeout_ms", p.connection_timeout_ms)?;
    if connection_timeout < 3 {
        return Err(ScenarioError::invalid(
            "params.connection_timeout_ms",
            "must be at least 0.003 ms (keep-alives go every third of it)",
        ));
    }
    let kind = Kind::Db(Db {
        mode: match mode {
            Mode::Insert => DbMode::Insert,
            Mode::ForUpdate => DbMode::ForUpdate,
        },
        reentrant: p.reentrant,
        connection_timeout,
    });
    build(s, c, p.common, kind)
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Release {
    #[default]
    CompareAndDelete,
    Del,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedisParams {
    #[serde(flatten)]
    common: Common,
    #[serde(default = "default_ttl")]
    ttl_ms: f64,
    /// "compare-and-delete" (001's Lua script) or "del".
    #[serde(default)]
    release: Release,
    #[serde(default)]
    watchdog: bool,
    /// An asynchronously replicated replica as node 3.
    #[serde(default)]
    replica: bool,
    #[serde(default = "default_replication")]
    replication_ms: f64,
    #[serde(default = "default_failover")]
    failover_ms: f64,
}

pub(super) fn redis(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: RedisParams = params(s)?;
    let ttl = span("params.ttl_ms", p.ttl_ms)?;
    if ttl < 3 {
        return Err(ScenarioError::invalid(
            "params.ttl_ms",
            "must be at least 0.003 ms",
        ));
    }
    let replica = if p.replica {
        Some(Replica {
            replication: span("params.replication_ms", p.replication_ms)?,
            failover: span("params.failover_ms", p.failover_ms)?,
        })
    } else {
        None
    };
    let kind = Kind::Redis {
        ttl,
        compare_and_delete: p.release == Release::CompareAndDelete,
        watchdog: p.watchdog,
        replica,
    };
    build(s, c, p.common, kind)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedLockParams {
    #[serde(flatten)]
    common: Common,
    /// 2N+1 instances, nodes 2 onwards.
    #[serde(default = "default_instances")]
    instances: usize,
    #[serde(default = "default_ttl")]
    ttl_ms: f64,
    #[serde(default = "default_instance_timeout")]
    instance_timeout_ms: f64,
    #[serde(default = "default_drift")]
    drift_allowance_ms: f64,
}

pub(super) fn redlock(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: RedLockParams = params(s)?;
    if p.instances == 0 || p.instances + 2 > c.nodes {
        return Err(ScenarioError::invalid(
            "params.instances",
            format!(
                "is {}; {} nodes leave room for 1 to {} instances besides the resource and a client",
                p.instances,
                c.nodes,
                c.nodes.saturating_sub(2)
            ),
        ));
    }
    let kind = Kind::RedLock {
        instances: p.instances,
        ttl: span("params.ttl_ms", p.ttl_ms)?,
        instance_timeout: span("params.instance_timeout_ms", p.instance_timeout_ms)?,
        drift_allowance: micros(
            "params.drift_allowance_ms",
            p.drift_allowance_ms,
            MAX_LATENCY_MS,
        )?,
    };
    build(s, c, p.common, kind)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZkParams {
    #[serde(flatten)]
    common: Common,
    /// Every waiter watches all children (the herd effect).
    #[serde(default)]
    herd: bool,
    #[serde(default = "default_session")]
    session_timeout_ms: f64,
}

pub(super) fn zookeeper(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: ZkParams = params(s)?;
    let session_timeout = span("params.session_timeout_ms", p.session_timeout_ms)?;
    if session_timeout < 3 {
        return Err(ScenarioError::invalid(
            "params.session_timeout_ms",
            "must be at least 0.003 ms",
        ));
    }
    let kind = Kind::ZooKeeper {
        herd: p.herd,
        session_timeout,
    };
    build(s, c, p.common, kind)
}
