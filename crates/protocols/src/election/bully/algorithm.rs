//! The Bully algorithm in the catalogue: its names, its parameters, its presets.

use super::Bully;
use crate::algorithm::{micros, read, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS};
use crate::election::{default_heartbeat, default_leader_timeout};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BullyParams {
    #[serde(default = "default_answer")]
    answer_timeout_ms: f64,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: f64,
    /// Election ids (e.g. last-operation timestamps); node numbers when absent.
    #[serde(default)]
    ids: Vec<u64>,
}

fn default_answer() -> f64 {
    50.0
}

impl Algorithm for Entry {
    type Protocol = Bully;
    const ID: &'static str = "bully";
    const FAMILY: &'static str = "election";
    const NAME: Text = Text::new("Bully (the eldest wins)", "Bully 算法（长者为大）");
    const HOW: Text = Text::new(
        "The live node with the highest id leads. A node that misses the leader sends Election to \
         every higher node; a live higher node answers Alive and takes over the election. Whoever \
         hears no Alive announces Victory. A higher node that returns simply takes over.",
        "活着的节点中 ID 最大者为主。发现主节点失联的节点向所有 ID 更大的节点发送 Election；\
         活着的更大节点回复 Alive 并接手选举。收不到 Alive 的节点宣布 Victory。\
         ID 更大的节点恢复后会直接夺回主节点。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/bully-seed.json"),
        include_str!("presets/bully-flapping.json"),
        include_str!("presets/bully-vs-raft-rejoin.json"),
        include_str!("presets/bully-partition.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/bully-highest-wins.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Bully, ParamError> {
        let p: BullyParams = read(params)?;
        if p.ids.len() > cluster.nodes {
            return Err(ParamError::new(
                "params.ids",
                format!("has {} ids for {} nodes", p.ids.len(), cluster.nodes),
                format!(
                    "给出了 {} 个 ID，但只有 {} 个节点",
                    p.ids.len(),
                    cluster.nodes
                ),
            ));
        }
        let answer = micros("params.answer_timeout_ms", p.answer_timeout_ms, MAX_SPAN_MS)?;
        let heartbeat = micros("params.heartbeat_ms", p.heartbeat_ms, MAX_SPAN_MS)?;
        let leader_timeout = micros("params.leader_timeout_ms", p.leader_timeout_ms, MAX_SPAN_MS)?;
        if answer == 0 || heartbeat == 0 || leader_timeout == 0 {
            return Err(ParamError::new(
                "params",
                "timeouts must be above 0 ms",
                "中的各项超时都必须大于 0 毫秒",
            ));
        }
        Ok(Bully {
            answer_timeout: answer,
            victory_timeout: 2 * answer,
            heartbeat,
            leader_timeout,
            priorities: p.ids,
        })
    }
}
