//! Safety under random faults: whatever the network and the learner do (crashes, recoveries,
//! partitions, one-way cuts, loss, duplication, reordering, dropped, delayed and duplicated
//! messages), no mutex variant ever lets two programs at the coffee machine at once, Raft never
//! has two leaders in one term and keeps its logs safe (Figure 3 of the paper), and ZAB never
//! establishes two leaders in one epoch. A crash may stall
//! everyone; that is the algorithm, not a bug, and it is not checked here.

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::run;
use clusterplay_sim::NodeId;
use proptest::prelude::*;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn fault(nodes: u32, command: &'static str) -> impl Strategy<Value = Step> {
    (0u32..400_000, 1..=nodes, 1..=nodes, 0u8..12, 0u64..200).prop_map(
        move |(us, a, b, kind, msg)| {
            let act = match kind {
                0 => Act::Crash { node: node(a) },
                1 => Act::Recover { node: node(a) },
                2 => Act::Partition {
                    groups: vec![(1..=a).map(node).collect()],
                },
                3 => Act::Heal,
                4 => Act::Cut {
                    from: node(a),
                    to: node(b),
                },
                5 => Act::Restore {
                    from: node(a),
                    to: node(b),
                },
                6 => Act::Drop { msg },
                7 => Act::Delay {
                    msg,
                    by_ms: f64::from(us % 50_000) / 1000.0,
                },
                8 => Act::Duplicate { msg },
                9 => Act::Deliver { msg },
                _ => Act::Command {
                    node: node(a),
                    command: serde_json::json!(command),
                },
            };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act,
            }
        },
    )
}

fn scenario_with(protocol: &'static str, command: &'static str) -> impl Strategy<Value = Scenario> {
    (
        3u32..9,
        any::<u64>(),
        (0u32..20, 0u32..20),
        (0u32..300, 0u32..300, any::<bool>()),
    )
        .prop_flat_map(move |(nodes, seed, lat, net)| {
            (
                Just((nodes, seed, lat, net)),
                prop::collection::vec(fault(nodes, command), 5..40),
            )
        })
        .prop_map(
            move |((nodes, seed, (lo, extra), (loss, dup, reorder)), timeline)| {
                let mut s = Scenario::new(protocol, nodes);
                s.seed = seed;
                s.until_ms = 500.0;
                s.network.latency_ms = [f64::from(lo) + 0.5, f64::from(lo + extra) + 0.5];
                s.network.loss = f64::from(loss) / 1000.0;
                s.network.duplicate = f64::from(dup) / 1000.0;
                s.network.reorder = reorder;
                if command == "request" {
                    s.params.insert("use_ms".into(), serde_json::json!(15));
                }
                s.timeline = timeline;
                s
            },
        )
}

fn scenario(protocol: &'static str) -> impl Strategy<Value = Scenario> {
    scenario_with(protocol, "request")
}

fn assert_safe(s: &Scenario) -> Result<(), TestCaseError> {
    let report = run(s).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        report.violations.is_empty(),
        "{:?}\nreplay: {}",
        report.violations,
        clusterplay_scenario::link::link("http://127.0.0.1:8080/", s)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn central_never_admits_two(s in scenario("mutex-central")) {
        assert_safe(&s)?;
    }

    #[test]
    fn ricart_agrawala_never_admits_two(s in scenario("mutex-ra")) {
        assert_safe(&s)?;
    }

    #[test]
    fn token_ring_never_admits_two(s in scenario("mutex-token-ring")) {
        assert_safe(&s)?;
    }

    /// Raft under the same faults, with learners forcing elections: never two leaders in one
    /// term.
    #[test]
    fn raft_never_elects_two_leaders_in_a_term(s in scenario_with("raft", "timeout")) {
        let mut s = s;
        s.params.insert("election_timeout_ms".into(), serde_json::json!([20, 60]));
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        assert_safe(&s)?;
    }

    /// Raft log replication under the same faults, with clients writing to any node and
    /// learners forcing elections: Figure 3's four properties hold after every event.
    #[test]
    fn raft_log_keeps_figure_3(
        s in scenario_with("raft-log", "timeout"),
        puts in prop::collection::vec((0u32..400_000, 1u32..=8, 0u8..3), 1..25),
    ) {
        let mut s = s;
        s.params.insert("election_timeout_ms".into(), serde_json::json!([20, 60]));
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        for (us, n, key) in puts {
            s.timeline.push(Step {
                at_ms: f64::from(us) / 1000.0,
                act: Act::Command {
                    node: node(1 + (n - 1) % s.nodes),
                    command: serde_json::json!({"put": format!("{}={us}", ["x", "y", "z"][key as usize])}),
                },
            });
        }
        assert_safe(&s)?;
    }

    /// ZAB under the same faults, with learners forcing new elections: never two leaders
    /// established in one epoch.
    #[test]
    fn zab_never_establishes_two_leaders_in_an_epoch(s in scenario_with("zab", "look")) {
        let mut s = s;
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        s.params.insert("leader_timeout_ms".into(), serde_json::json!(40));
        s.params.insert("resend_ms".into(), serde_json::json!(60));
        let data_ids: Vec<u32> = (0..s.nodes).map(|k| k * 7 % 5).collect();
        s.params.insert("data_ids".into(), serde_json::json!(data_ids));
        assert_safe(&s)?;
    }

    #[test]
    fn two_layer_ring_never_admits_two(s in scenario("mutex-two-layer")) {
        let mut s = s;
        let groups = if s.nodes >= 4 { 2 } else { 1 };
        s.params.insert("groups".into(), serde_json::json!(groups));
        assert_safe(&s)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Bully promises no safety under faults (a returning node or a partition briefly gives two
    /// leaders: the presets show it), but once faults stop and the network heals, every live
    /// node follows the highest live node.
    #[test]
    fn bully_settles_on_the_highest_live_node(s in scenario_with("bully", "elect")) {
        let mut s = s;
        s.network.loss = 0.0;
        s.network.duplicate = 0.0;
        s.timeline.push(Step { at_ms: 450.0, act: Act::Heal });
        s.until_ms = 1500.0;
        let mut sim = clusterplay_scenario::load(&s).unwrap();
        sim.run_until(clusterplay_sim::ms(1500), 1_000_000);
        let cluster = sim.cluster();
        let highest = cluster.nodes.iter().filter(|n| n.up).map(|n| n.id).max();
        for n in cluster.nodes.iter().filter(|n| n.up) {
            let follows = n.fields.iter().find(|(k, _)| *k == "leader").map(|(_, v)| v.clone());
            prop_assert_eq!(follows, highest.map(|h| h.to_string()), "node {}", n.id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Same scenario, same run: the trace hashes of two runs agree.
    #[test]
    fn runs_are_reproducible(s in scenario("mutex-ra")) {
        prop_assert_eq!(run(&s).unwrap().trace_hash, run(&s).unwrap().trace_hash);
    }
}
