//! The workloads the engine benchmarks run, natively (`crates/scenario/benches/engine.rs`) and
//! in headless Chromium (`web/benches/engine.rs`), so that both measure the same runs.

use crate::model::{Act, Scenario, Step};
use clusterplay_sim::NodeId;

/// Every program asks for the machine every 40 ms for a virtual second.
pub fn busy(protocol: &str, nodes: u32) -> Scenario {
    busy_for(protocol, nodes, 25)
}

/// [`busy`] with `rounds` rounds of requests, one every 40 ms.
pub fn busy_for(protocol: &str, nodes: u32, rounds: u32) -> Scenario {
    let mut s = Scenario::new(protocol, nodes);
    s.seed = 7;
    s.until_ms = 1_000.0;
    s.network.latency_ms = [1.0, 5.0];
    s.params.insert("use_ms".into(), serde_json::json!(2));
    if protocol == "mutex-two-layer" {
        s.params
            .insert("groups".into(), serde_json::json!((nodes / 5).max(1)));
    }
    for round in 0..rounds {
        for k in 1..=nodes {
            s.timeline.push(Step {
                at_ms: f64::from(round * 40) + f64::from(k) * 0.01,
                act: Act::Command {
                    node: NodeId::from_number(k).unwrap(),
                    command: serde_json::json!("request"),
                },
            });
        }
    }
    s
}

/// Node 1 leads; a client writes to it every 10 ms for a virtual second.
pub fn replicating(nodes: u32) -> Scenario {
    let mut s = Scenario::new("raft-log", nodes);
    s.seed = 7;
    s.until_ms = 1_000.0;
    s.network.latency_ms = [1.0, 5.0];
    let leader = NodeId::from_number(1).unwrap();
    s.timeline.push(Step {
        at_ms: 0.0,
        act: Act::Command {
            node: leader,
            command: serde_json::json!("timeout"),
        },
    });
    for k in 0..90 {
        s.timeline.push(Step {
            at_ms: 100.0 + f64::from(k) * 10.0,
            act: Act::Command {
                node: leader,
                command: serde_json::json!({ "put": format!("k{}={k}", k % 7) }),
            },
        });
    }
    s
}
