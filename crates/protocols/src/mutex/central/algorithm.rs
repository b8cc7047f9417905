//! The central coordinator in the catalogue: its names, its parameters, its presets.

use super::{Backup, Central};
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::mutex::{default_use_ms, usage};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CentralParams {
    #[serde(default = "default_use_ms")]
    use_ms: f64,
    /// The coordinator's node number; 1 unless given.
    #[serde(default)]
    coordinator: Option<NodeId>,
    /// The texts' remedy: this node is a backup coordinator. Absent: the coordinator alone.
    #[serde(default)]
    backup: Option<NodeId>,
    /// With `backup`: how long the backup hears nothing from the primary before it takes over.
    #[serde(default)]
    takeover_ms: Option<f64>,
}

/// How long a backup waits for the primary unless a scenario says otherwise.
const DEFAULT_TAKEOVER_MS: f64 = 100.0;

impl Algorithm for Entry {
    type Protocol = Central;
    const ID: &'static str = "mutex-central";
    const FAMILY: &'static str = "mutex";
    const NAME: Text = Text::new("Central coordinator", "集中式算法");
    const HOW: Text = Text::new(
        "Programs ask a coordinator for the coffee machine; it grants it to one at a time and \
         queues the rest, first come first served. Three messages per use, but if the \
         coordinator fails nobody gets the machine again.",
        "程序向协调者申请咖啡机，协调者一次只授权一个程序，其余按先来后到排队。每次使用 3 条消息，\
         但协调者一旦故障，再也没人能用咖啡机。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/mutex-central-queue.json"),
        include_str!("presets/mutex-central-coordinator-crash.json"),
        include_str!("presets/mutex-central-backup-takes-over.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/central-coordinator.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Central, ParamError> {
        let p: CentralParams = read(params)?;
        let coordinator = p.coordinator.unwrap_or(NodeId::from_index(0));
        if coordinator.index() >= cluster.nodes {
            return Err(ParamError::new(
                "params.coordinator",
                format!(
                    "is node {coordinator}, but the cluster has {} nodes",
                    cluster.nodes
                ),
                format!("是节点 {coordinator}，但集群只有 {} 个节点", cluster.nodes),
            ));
        }
        let backup = match (p.backup, p.takeover_ms) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(ParamError::new(
                    "params.takeover_ms",
                    "needs params.backup: only a backup coordinator takes over",
                    "需要同时设置 params.backup：只有备用协调者才会接管",
                ))
            }
            (Some(node), ms) => {
                if node.index() >= cluster.nodes || node == coordinator {
                    return Err(ParamError::new(
                        "params.backup",
                        format!(
                            "is node {node}: it must be another node of the {} in the cluster than the coordinator",
                            cluster.nodes
                        ),
                        format!("是节点 {node}：必须是集群 {} 个节点中协调者以外的节点", cluster.nodes),
                    ));
                }
                Some(Backup {
                    node,
                    takeover: span("params.takeover_ms", ms.unwrap_or(DEFAULT_TAKEOVER_MS))?,
                })
            }
        };
        Ok(Central {
            coordinator,
            usage: usage(p.use_ms)?,
            backup,
        })
    }
}
