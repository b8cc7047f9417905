//! Replication and ids under random faults: crashes, recoveries, partitions, one-way cuts,
//! loss, duplication, reordering, dropped, delayed and duplicated messages, backups promoted at
//! random, clock jumps and pauses.
//!
//! - Synchronous primary–backup never loses an acknowledged write: what the primary
//!   acknowledged is on every replica, so whoever is promoted has it.
//! - Quorums with R + W > N keep the register linearizable, whatever answers in time.
//! - Snowflake with the guard never issues an id twice however its clock jumps; auto-increment
//!   with distinct offsets below the step and Redis with AOF never do under crashes.
//!
//! Faults fall in the first 200 ms of the run (300 ms for replication, 200 ms for ids), while
//! clients are busy.

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::{run, Report};
use clusterplay_sim::NodeId;
use proptest::prelude::*;
use serde_json::json;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

/// Which clock faults and crashes a property allows.
#[derive(Clone, Copy)]
struct Faults {
    crashes: bool,
    clocks: bool,
    /// Nodes 1 to this many are servers or generators: crashes and clock faults only hit them
    /// when allowed, commands go to everyone.
    commands: &'static [&'static str],
}

fn fault(nodes: u32, f: Faults) -> impl Strategy<Value = Step> {
    (0u32..200_000, 1..=nodes, 1..=nodes, 0u8..18, 0u64..200).prop_map(
        move |(us, a, b, kind, msg)| {
            let act = match kind {
                0..=2 if f.crashes => Act::Crash { node: node(a) },
                3..=4 if f.crashes => Act::Recover { node: node(a) },
                0..=4 if f.clocks => Act::Jump {
                    node: node(a),
                    by_ms: f64::from(us % 20_000) / 1000.0 - 10.0,
                },
                5 if f.clocks => Act::Pause {
                    node: node(a),
                    for_ms: f64::from(us % 15_000) / 1000.0,
                },
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
                _ if f.commands.is_empty() => Act::Heal,
                _ => Act::Command {
                    node: node(a),
                    command: command(f.commands[msg as usize % f.commands.len()], us, a),
                },
            };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act,
            }
        },
    )
}

/// A command by name; every write's value is unique, so lost writes can be told apart.
fn command(name: &str, us: u32, node: u32) -> serde_json::Value {
    match name {
        "write" => json!({ "write": u64::from(us) * 100 + u64::from(node) + 1 }),
        "generate" => json!({ "generate": 1 + us % 5 }),
        _ => json!(name),
    }
}

fn scenario(
    protocol: &'static str,
    nodes: std::ops::Range<u32>,
    f: Faults,
) -> impl Strategy<Value = Scenario> {
    (
        nodes,
        any::<u64>(),
        (0u32..10, 0u32..15),
        (0u32..200, 0u32..200, any::<bool>()),
    )
        .prop_flat_map(move |(nodes, seed, lat, net)| {
            (
                Just((nodes, seed, lat, net)),
                prop::collection::vec(fault(nodes, f), 5..40),
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

fn report(s: &Scenario) -> Result<Report, TestCaseError> {
    run(s).map_err(|e| TestCaseError::fail(e.to_string()))
}

fn replay(s: &Scenario) -> String {
    clusterplay_scenario::link::link("http://127.0.0.1:8080/", s)
}

const PB: Faults = Faults {
    crashes: true,
    clocks: false,
    commands: &["write", "write", "read", "promote"],
};

const IDS: Faults = Faults {
    crashes: true,
    clocks: false,
    commands: &["generate"],
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Three replicas and two clients writing, reading and promoting backups at random, with
    /// a workload and automatic failover on top: no acknowledged write is ever lost.
    #[test]
    fn synchronous_replication_never_loses_an_acknowledged_write(
        s in scenario("primary-backup", 5..6, PB)
    ) {
        let mut s = s;
        s.params.insert("mode".into(), json!("sync"));
        s.params.insert("sync_timeout_ms".into(), json!(30));
        s.params.insert("failover_ms".into(), json!(80));
        s.params.insert("workload".into(), json!({"ops": 20, "every_ms": [1, 10]}));
        let r = report(&s)?;
        prop_assert_eq!(
            &r.outcome["lost_writes"], &json!([]),
            "{}\nreplay: {}", r.outcome["history"], replay(&s)
        );
    }

    /// Three replicas, three clients with R = W = 2, writes and reads at random: whatever
    /// answered is linearizable.
    #[test]
    fn quorums_with_r_plus_w_above_n_are_linearizable(
        s in scenario("quorum", 6..7, Faults { commands: &["write", "read"], ..PB })
    ) {
        let mut s = s;
        s.params.insert("workload".into(), json!({"ops": 15, "every_ms": [1, 10]}));
        s.params.insert("client_timeout_ms".into(), json!(60));
        let r = report(&s)?;
        prop_assert_eq!(
            &r.outcome["linearizable"], &json!(true),
            "{}\nreplay: {}", r.outcome["offending"], replay(&s)
        );
    }

    /// Two guarded Snowflake workers whose clocks jump back and forth and pause, never
    /// crashed: no id twice.
    #[test]
    fn snowflake_with_the_guard_never_repeats_an_id(
        s in scenario("snowflake", 3..6, Faults { crashes: false, clocks: true, ..IDS })
    ) {
        let mut s = s;
        s.until_ms = 200.0;
        s.params.insert("generators".into(), json!(2));
        s.params.insert("every_ms".into(), json!([0.5, 2]));
        let r = report(&s)?;
        prop_assert!(r.violations.is_empty(), "{:?}\nreplay: {}", r.violations, replay(&s));
        prop_assert_eq!(&r.outcome["duplicate_ids"], &json!([]));
    }

    /// Auto-increment instances with offsets 1, 2, 3 and step 3, and Redis with AOF, crashed
    /// and restarted at random: no id twice.
    #[test]
    fn auto_increment_and_redis_aof_never_repeat_an_id(
        s in scenario("auto-increment", 4..7, IDS),
        aof in any::<bool>(),
    ) {
        let mut s = s;
        if aof {
            s.protocol = "redis-incr".into();
            s.params.insert("persistence".into(), json!(["aof", "aof", "aof"]));
            s.params.insert("snapshot_ms".into(), json!(20));
        }
        s.until_ms = 200.0;
        s.params.insert("generators".into(), json!(3));
        s.params.insert("every_ms".into(), json!([1, 5]));
        let r = report(&s)?;
        prop_assert!(r.violations.is_empty(), "{:?}\nreplay: {}", r.violations, replay(&s));
        prop_assert_eq!(&r.outcome["duplicate_ids"], &json!([]));
    }
}
