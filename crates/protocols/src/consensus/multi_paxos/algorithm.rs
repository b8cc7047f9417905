//! Multi-Paxos in the catalogue: its names, its parameters (who leads first, heartbeats and
//! the leader timeout), its presets.

use super::MultiPaxos;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::consensus::{node, range};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MultiPaxosParams {
    /// The distinguished proposer that runs phase 1 at the start; node 1 unless given.
    #[serde(default)]
    leader: Option<NodeId>,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: [f64; 2],
    /// A bug to switch on ([`super::BUGS`]).
    #[serde(default)]
    skip_phase_1_for_open_slots: bool,
}

fn default_heartbeat() -> f64 {
    50.0
}

fn default_leader_timeout() -> [f64; 2] {
    [150.0, 300.0]
}

impl Algorithm for Entry {
    type Protocol = MultiPaxos;
    const ID: &'static str = "multi-paxos";
    const FAMILY: &'static str = "consensus";
    const NAME: Text = Text::new("Multi-Paxos (stable leader)", "Multi-Paxos（稳定的领导者）");
    const HOW: Text = Text::new(
        "A leader runs Paxos's prepare phase once for every log slot; acceptors answer with what \
         they have accepted. After that each client value costs one round trip: Accept(slot, v) to \
         the acceptors and Accepted back, chosen on a majority, just like Raft's AppendEntries. A \
         node that takes over with a higher ballot re-proposes the values the promises carry.",
        "领导者对所有日志槽位只执行一次 Paxos 的 Prepare 阶段，接受者在响应中带上已接受的值。\
         此后每个客户端的值只需一次往返：向接受者发送 Accept(槽位, v)，收到 Accepted，多数接受即选定，\
         与 Raft 的 AppendEntries 一样。用更大的选票号接任的节点，会重新提议这些响应中带来的值。",
    );
    const BUGS: &'static [crate::algorithm::Bug] = super::BUGS;
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/multi-paxos-steady.json"),
        include_str!("presets/multi-paxos-takeover.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<MultiPaxos, ParamError> {
        let p: MultiPaxosParams = read(params)?;
        let leader = node(
            "params.leader",
            p.leader.unwrap_or(NodeId::from_index(0)),
            cluster,
        )?;
        let leader_timeout = range("params.leader_timeout_ms", p.leader_timeout_ms)?;
        if leader_timeout.0 == 0 {
            return Err(ParamError::new(
                "params.leader_timeout_ms",
                "must start above 0 ms",
                "的下限必须大于 0 毫秒",
            ));
        }
        Ok(MultiPaxos {
            leader,
            heartbeat: span("params.heartbeat_ms", p.heartbeat_ms)?,
            leader_timeout,
            skip_phase_1_for_open_slots: p.skip_phase_1_for_open_slots,
        })
    }
}
