//! # Replication
//!
//! Seeds 001 and 003 on keeping copies of data on several nodes: what clients can see
//! (strong, weak and eventual consistency), what a partition forces a system to give up (CAP),
//! and how a linearizability checker tells which it was.
//!
//! One state machine, the replicated [`register`], runs two catalogue entries, each with a
//! scheme of its own: [`primary_backup`] (a primary passes writes on to its backups,
//! synchronously, asynchronously or with maximum availability) and [`quorum`] (no primary;
//! clients read and write quorums of replicas). The [`linearizability`] checker judges the
//! clients' history in both.

pub mod availability;
pub mod linearizability;
pub mod primary_backup;
pub mod quorum;
pub mod register;

use crate::algorithm::{span, Cluster, ParamError};
use crate::list_in;
use register::Workload;
use serde::Deserialize;

/// Most operations a workload may ask of each client.
const MAX_OPS: u32 = 10_000;

/// The operations each client issues by itself, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkloadParams {
    ops: u32,
    /// Time from one answer to the client's next operation, `[min, max]` milliseconds.
    every_ms: [f64; 2],
}

/// `params.workload` checked: at most [`MAX_OPS`] operations, a range of spans.
pub(crate) fn workload(w: Option<WorkloadParams>) -> Result<Option<Workload>, ParamError> {
    let Some(w) = w else { return Ok(None) };
    if w.ops > MAX_OPS {
        return Err(ParamError::new(
            "params.workload.ops",
            format!("is {}; at most {MAX_OPS} operations per client", w.ops),
            format!("为 {}；每个客户端至多 {MAX_OPS} 次操作", w.ops),
        ));
    }
    let lo = span("params.workload.every_ms", w.every_ms[0])?;
    let hi = span("params.workload.every_ms", w.every_ms[1])?;
    if lo > hi {
        return Err(ParamError::new(
            "params.workload.every_ms",
            "must be a range [min, max] with min ≤ max",
            "必须是区间 [min, max]，且 min ≤ max",
        ));
    }
    Ok(Some(Workload {
        ops: w.ops,
        every: (lo, hi),
    }))
}

pub(crate) fn default_servers() -> usize {
    3
}

pub(crate) fn default_client_timeout() -> f64 {
    150.0
}

/// `params.servers` checked against the cluster: at least one replica and one client.
pub(crate) fn servers(servers: usize, cluster: Cluster) -> Result<usize, ParamError> {
    if servers < 1 || servers >= cluster.nodes {
        return Err(ParamError::new(
            "params.servers",
            format!(
                "is {servers}; {} nodes hold 1 to {} replicas and leave at least one client",
                cluster.nodes,
                cluster.nodes - 1
            ),
            format!(
                "为 {servers}；{} 个节点中副本只能有 1 到 {} 个，且至少要留一个客户端",
                cluster.nodes,
                cluster.nodes - 1
            ),
        ));
    }
    Ok(servers)
}
