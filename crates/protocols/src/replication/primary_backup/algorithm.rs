//! Primary–backup replication in the catalogue: its names, its parameters, its presets.

use super::{Mode, PrimaryBackup, ReadFrom};
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::replication::register::Register;
use crate::replication::{
    default_client_timeout, default_servers, servers, workload, WorkloadParams,
};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

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

impl Algorithm for Entry {
    type Protocol = Register<PrimaryBackup>;
    const ID: &'static str = "primary-backup";
    const FAMILY: &'static str = "replication";
    const NAME: Text = Text::new(
        "Primary–backup replication (sync, async, max availability)",
        "主从复制（同步、异步、最高可用性）",
    );
    const HOW: Text = Text::new(
        "Clients write to the primary, which passes each write on to its backups. Synchronous: it \
         answers once every backup confirmed, so one unreachable backup stops every write (C over \
         A). Asynchronous: it answers at once and ships the data on its heartbeat, so backups lag and \
         a primary that fails first loses acknowledged writes (A over C). Maximum availability: \
         synchronous until a backup fails, then asynchronous. The outcome checks the clients' \
         history for linearizability.",
        "客户端向主副本写入，主副本再把写操作传给备副本。同步复制：所有备副本确认后才答复，\
         一个备副本不可达，所有写入都失败（选 C 舍 A）。异步复制：立即答复，随心跳把数据发给备副本，\
         所以备副本落后，主副本先宕机就会丢失已确认的写入（选 A 舍 C）。最高可用性模式：平时同步，\
         备副本故障后切换为异步。结果会检查客户端看到的历史是否线性一致。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/replication-sync-partition.json"),
        include_str!("presets/replication-async-lost-write.json"),
        include_str!("presets/replication-max-availability.json"),
        include_str!("presets/replica-stale-read.json"),
        include_str!("presets/replication-async-outage.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/async-replication-loss.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Self::Protocol, ParamError> {
        // Leaderless quorums are a way to replicate too, but not a primary's mode: point to
        // the protocol that runs them rather than list the modes.
        if params.get("mode").and_then(serde_json::Value::as_str) == Some("quorum") {
            return Err(ParamError::new(
                "params.mode",
                "is \"quorum\"; the leaderless variant is the protocol \"quorum\"",
                "为“quorum”；无主节点的变体是另一个算法“quorum”",
            ));
        }
        let p: PrimaryBackupParams = read(params)?;
        let servers = servers(p.servers, cluster)?;
        if servers < 2 {
            return Err(ParamError::new(
                "params.servers",
                "is 1; a primary needs at least one backup",
                "为 1；主节点之外至少还要有一个备份节点",
            ));
        }
        let sync_timeout = span("params.sync_timeout_ms", p.sync_timeout_ms)?;
        let heartbeat = span("params.heartbeat_ms", p.heartbeat_ms)?;
        let client_timeout = span("params.client_timeout_ms", p.client_timeout_ms)?;
        let failover = p
            .failover_ms
            .map(|ms| span("params.failover_ms", ms))
            .transpose()?;
        Ok(Register {
            scheme: PrimaryBackup {
                mode: p.mode,
                read_from: p.read_from,
                sync_timeout,
                heartbeat,
                failover,
            },
            servers,
            client_timeout,
            workload: workload(p.workload)?,
        })
    }
}
