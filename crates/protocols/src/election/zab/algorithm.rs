//! ZAB's election in the catalogue: its names, its parameters, its presets.

use super::Zab;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::election::{default_heartbeat, default_leader_timeout};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZabParams {
    /// Each node's data id (last transaction id); 0 for nodes not listed.
    #[serde(default)]
    data_ids: Vec<u64>,
    #[serde(default = "default_finalize_wait")]
    finalize_wait_ms: f64,
    #[serde(default = "default_resend")]
    resend_ms: f64,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: f64,
}

fn default_finalize_wait() -> f64 {
    30.0
}

fn default_resend() -> f64 {
    200.0
}

impl Algorithm for Entry {
    type Protocol = Zab;
    const ID: &'static str = "zab";
    const FAMILY: &'static str = "election";
    const NAME: Text = Text::new(
        "ZAB (vote with priority)",
        "ZAB 算法（具有优先级的民主投票）",
    );
    const HOW: Text = Text::new(
        "Every node votes for itself as (data id, node id) and broadcasts the vote; a node that \
         hears a better vote – newer data, then a bigger id – adopts it and broadcasts again. \
         When a quorum agrees, the winner leads. Newest data wins, and a node that comes back \
         joins the current leader instead of taking over.",
        "每个节点先投自己一票，选票为（数据 ID，节点 ID）并广播；收到更好的选票（数据更新，其次 ID 更大）\
         就改投并再次广播。过半数选票一致时，胜者成为主节点。数据最新者当选；恢复的节点会加入现任主节点，\
         而不是夺权。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/zab-newest-data-wins.json"),
        include_str!("presets/zab-rejoin-keeps-leader.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/zab-newest-data.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Zab, ParamError> {
        let p: ZabParams = read(params)?;
        if p.data_ids.len() > cluster.nodes {
            return Err(ParamError::new(
                "params.data_ids",
                format!(
                    "has {} data ids for {} nodes",
                    p.data_ids.len(),
                    cluster.nodes
                ),
                format!(
                    "给出了 {} 个数据 ID，但只有 {} 个节点",
                    p.data_ids.len(),
                    cluster.nodes
                ),
            ));
        }
        Ok(Zab {
            data_ids: p.data_ids,
            finalize_wait: span("params.finalize_wait_ms", p.finalize_wait_ms)?,
            resend: span("params.resend_ms", p.resend_ms)?,
            heartbeat: span("params.heartbeat_ms", p.heartbeat_ms)?,
            leader_timeout: span("params.leader_timeout_ms", p.leader_timeout_ms)?,
        })
    }
}
