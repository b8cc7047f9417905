//! Consensus under random faults: whatever the network and the learner do (crashes,
//! recoveries, partitions, one-way cuts, loss, duplication, reordering, dropped, delayed and
//! duplicated messages, proposers told to start again at any moment), Paxos never chooses two
//! values and Multi-Paxos never two in one slot. Progress is not promised and not checked.
//!
//! Faults fall in the first 150 ms, where proposers race, and crashes, recoveries and commands
//! are drawn more often than in `safety.rs`: an acceptor that forgets its promise on a crash
//! is caught within the 1 000 cases this way, and was not with the mutex tests' mix.

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::run;
use clusterplay_sim::NodeId;
use proptest::prelude::*;
use serde_json::json;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn fault(nodes: u32, commands: &'static [&'static str]) -> impl Strategy<Value = Step> {
    (0u32..150_000, 1..=nodes, 1..=nodes, 0u8..16, 0u64..200).prop_map(
        move |(us, a, b, kind, msg)| {
            let act = match kind {
                0..=2 => Act::Crash { node: node(a) },
                3..=5 => Act::Recover { node: node(a) },
                6 => Act::Partition {
                    groups: vec![(1..=a).map(node).collect()],
                },
                7 => Act::Heal,
                8 => Act::Cut {
                    from: node(a),
                    to: node(b),
                },
                9 => Act::Restore {
                    from: node(a),
                    to: node(b),
                },
                10 => Act::Drop { msg },
                11 => Act::Delay {
                    msg,
                    by_ms: f64::from(us % 50_000) / 1000.0,
                },
                12 => Act::Duplicate { msg },
                13 => Act::Deliver { msg },
                _ => Act::Command {
                    node: node(a),
                    command: command(commands[msg as usize % commands.len()], us),
                },
            };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act,
            }
        },
    )
}

/// A command by name; `propose-value` is Multi-Paxos's client value, unique per moment.
fn command(name: &str, us: u32) -> serde_json::Value {
    match name {
        "propose-value" => json!({ "propose": format!("v{us}") }),
        _ => json!(name),
    }
}

fn scenario(
    protocol: &'static str,
    commands: &'static [&'static str],
) -> impl Strategy<Value = Scenario> {
    (
        3u32..6,
        any::<u64>(),
        (0u32..20, 0u32..20),
        (0u32..300, 0u32..300, any::<bool>()),
    )
        .prop_flat_map(move |(nodes, seed, lat, net)| {
            (
                Just((nodes, seed, lat, net)),
                prop::collection::vec(fault(nodes, commands), 5..40),
            )
        })
        .prop_map(
            move |((nodes, seed, (lo, extra), (loss, dup, reorder)), timeline)| {
                let mut s = Scenario::new(protocol, nodes);
                s.seed = seed;
                s.until_ms = 300.0;
                s.network.latency_ms = [f64::from(lo) + 0.5, f64::from(lo + extra) + 0.5];
                s.network.loss = f64::from(loss) / 1000.0;
                s.network.duplicate = f64::from(dup) / 1000.0;
                s.network.reorder = reorder;
                s.timeline = timeline;
                s
            },
        )
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

    /// Three proposers with different values start close together, retry quickly and are told
    /// to start again at random: never two values chosen, by acceptors' histories or learners.
    #[test]
    fn paxos_never_chooses_two_values(s in scenario("paxos", &["propose"])) {
        let mut s = s;
        s.params.insert("proposers".into(), json!([
            {"node": 1, "value": 10, "n": 1, "start_ms": 0},
            {"node": 2, "value": 20, "n": 2, "start_ms": 3},
            {"node": 3, "value": 30, "n": 3, "start_ms": 6},
        ]));
        s.params.insert("backoff_ms".into(), json!([0, 20]));
        s.params.insert("round_timeout_ms".into(), json!(60));
        assert_safe(&s)?;
    }

    /// Multi-Paxos with clients writing to whoever they pick and nodes told to take over at
    /// random, on top of short leader timeouts: never two values chosen in one slot.
    #[test]
    fn multi_paxos_never_chooses_two_values_in_a_slot(
        s in scenario("multi-paxos", &["propose-value", "propose-value", "take-over"])
    ) {
        let mut s = s;
        s.params.insert("heartbeat_ms".into(), json!(10));
        s.params.insert("leader_timeout_ms".into(), json!([20, 60]));
        assert_safe(&s)?;
    }
}
