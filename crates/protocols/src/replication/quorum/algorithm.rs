//! Leaderless quorums in the catalogue: their names, their parameters, their presets.

use super::Quorum;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::replication::register::Register;
use crate::replication::{
    default_client_timeout, default_servers, servers, workload, WorkloadParams,
};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

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

impl Algorithm for Entry {
    type Protocol = Register<Quorum>;
    const ID: &'static str = "quorum";
    const FAMILY: &'static str = "replication";
    const NAME: Text = Text::new("Leaderless quorum (N, R, W)", "无主仲裁（N、R、W）");
    const HOW: Text = Text::new(
        "No primary: a client writes to all N replicas and waits for W answers, reads from all and \
         waits for R, taking the newest version and writing it back. R + W > N: every read meets \
         the last write, and a client that cannot reach enough replicas gets no answer (C over A). \
         R + W ≤ N: clients always get an answer, possibly an old one (A over C).",
        "没有主副本：客户端写全部 N 个副本并等待 W 个确认，读全部副本并等待 R 个答复，\
         取最新版本并写回。R + W > N：每次读都会遇到最近一次写，够不到足够副本的客户端得不到答复\
         （选 C 舍 A）。R + W ≤ N：客户端总能得到答复，但可能是旧值（选 A 舍 C）。",
    );
    const PRESETS: &'static [&'static str] = &[include_str!("presets/quorum-r-w.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Self::Protocol, ParamError> {
        let p: QuorumParams = read(params)?;
        let n = servers(p.servers, cluster)?;
        let size = |what: &str, k: usize| {
            if (1..=n).contains(&k) {
                Ok(k)
            } else {
                Err(ParamError::new(
                    what,
                    format!("is {k}; with N = {n} replicas a quorum has 1 to {n}"),
                    format!("为 {k}；N = {n} 个副本时，法定人数须在 1 到 {n} 之间"),
                ))
            }
        };
        let clients = cluster.nodes - n;
        if p.levels.len() > clients {
            return Err(ParamError::new(
                "params.levels",
                format!("has {} entries for {clients} clients", p.levels.len()),
                format!("有 {} 项，但只有 {clients} 个客户端", p.levels.len()),
            ));
        }
        let mut levels = Vec::with_capacity(p.levels.len());
        for (i, [r, w]) in p.levels.iter().copied().enumerate() {
            let what = format!("params.levels[{i}]");
            levels.push((size(&what, r)?, size(&what, w)?));
        }
        let client_timeout = span("params.client_timeout_ms", p.client_timeout_ms)?;
        Ok(Register {
            scheme: Quorum {
                r: size("params.r", p.r)?,
                w: size("params.w", p.w)?,
                levels,
            },
            servers: n,
            client_timeout,
            workload: workload(p.workload)?,
        })
    }
}
