//! Distributed locks under random faults: crashes and recoveries of clients and servers,
//! process pauses, clock jumps both ways, skewed and drifting clocks, partitions, one-way cuts,
//! loss, duplication and dropped or delayed messages, with clients asking for the lock at
//! random moments. Two promises are checked over 1 000 scenarios each:
//!
//! - a ZooKeeper lock whose resource checks the child's sequence number as a fencing token
//!   never lets two holders' writes interleave;
//! - a RedLock whose resource checks its instances' grant numbers never does either;
//! - nor does a database lock whose resource checks the database's grant numbers, inserted
//!   row or `SELECT … FOR UPDATE`, with or without a re-entrancy count, holders asking again
//!   at random moments.
//!
//! Without fencing neither promise holds under pauses and clock jumps (see the
//! `redlock-process-pause` and `redlock-clock-jump` presets), which is the texts' point; the
//! `FOR UPDATE` lock's connection timeout is such a lease too.

use clusterplay_scenario::model::{Act, ClockSettings, Scenario, Step};
use clusterplay_scenario::run;
use clusterplay_sim::NodeId;
use proptest::prelude::*;
use serde_json::json;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn fault(nodes: u32) -> impl Strategy<Value = Step> {
    (0u32..300_000, 1..=nodes, 1..=nodes, 0u8..20, 0u64..200).prop_map(
        move |(us, a, b, kind, msg)| {
            let act = match kind {
                0 | 1 => Act::Crash { node: node(a) },
                2 | 3 => Act::Recover { node: node(a) },
                4..=6 => Act::Pause {
                    node: node(a),
                    for_ms: f64::from(us % 300_000) / 1000.0,
                },
                7 | 8 => Act::Jump {
                    node: node(a),
                    by_ms: f64::from(us % 200_000) / 1000.0 - 100.0,
                },
                9 => Act::Partition {
                    groups: vec![(1..=a).map(node).collect()],
                },
                10 => Act::Heal,
                11 => Act::Cut {
                    from: node(a),
                    to: node(b),
                },
                12 => Act::Drop { msg },
                13 => Act::Delay {
                    msg,
                    by_ms: f64::from(us % 100_000) / 1000.0,
                },
                14 => Act::Duplicate { msg },
                _ => Act::Command {
                    node: node(a),
                    command: json!("acquire"),
                },
            };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act,
            }
        },
    )
}

fn scenario(protocol: &'static str, base: u32) -> impl Strategy<Value = Scenario> {
    (
        base + 1..base + 4,
        any::<u64>(),
        (1u32..20, 0u32..200, 0u32..200, any::<bool>()),
        prop::collection::vec((-50i32..50, -200_000i32..200_000), 0..6),
    )
        .prop_flat_map(move |(nodes, seed, net, clocks)| {
            (
                Just((nodes, seed, net, clocks)),
                prop::collection::vec(fault(nodes), 10..60),
            )
        })
        .prop_map(
            move |((nodes, seed, (lat, loss, dup, reorder), clocks), timeline)| {
                let mut s = Scenario::new(protocol, nodes);
                s.seed = seed;
                s.until_ms = 800.0;
                s.network.latency_ms = [1.0, 1.0 + f64::from(lat)];
                s.network.loss = f64::from(loss) / 1000.0;
                s.network.duplicate = f64::from(dup) / 1000.0;
                s.network.reorder = reorder;
                s.clocks = clocks
                    .into_iter()
                    .take(nodes as usize)
                    .map(|(offset, drift)| ClockSettings {
                        offset_ms: f64::from(offset),
                        drift_ppm: f64::from(drift),
                    })
                    .collect();
                s.params.insert("fencing".into(), json!(true));
                s.params.insert("work_ms".into(), json!(30));
                if protocol == "redlock" {
                    s.params.insert("instances".into(), json!(3));
                }
                s.timeline = timeline;
                s
            },
        )
}

fn no_two_writers(s: &Scenario) -> Result<(), TestCaseError> {
    let r = run(s).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        r.violations.is_empty(),
        "{:?}\n{}",
        r.violations,
        serde_json::to_string(s).unwrap_or_default()
    );
    prop_assert_eq!(&r.outcome["stale_writes_accepted"], &json!(0));
    Ok(())
}

/// A database lock in one of its three shapes, with a connection timeout from 10 to 300 ms
/// and more clients asking (holders again, too) than the faults alone bring.
fn db_scenario() -> impl Strategy<Value = Scenario> {
    (
        scenario("db-lock", 2),
        0u8..4,
        10u32..300,
        prop::collection::vec((0u32..400_000, 3u32..6), 5..25),
    )
        .prop_map(|(mut s, shape, timeout, asks)| {
            for (us, k) in asks {
                s.timeline.push(Step {
                    at_ms: f64::from(us) / 1000.0,
                    act: Act::Command {
                        node: node(k.min(s.nodes)),
                        command: json!("acquire"),
                    },
                });
            }
            if shape & 1 == 1 {
                s.params.insert("mode".into(), json!("for-update"));
            }
            if shape & 2 == 2 {
                s.params.insert("reentrant".into(), json!(true));
            }
            s.params
                .insert("connection_timeout_ms".into(), json!(timeout));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn zookeeper_with_fencing_never_lets_two_writers_through(s in scenario("zk-lock", 2)) {
        no_two_writers(&s)?;
    }

    #[test]
    fn redlock_with_fencing_never_lets_two_writers_through(s in scenario("redlock", 4)) {
        no_two_writers(&s)?;
    }

    #[test]
    fn db_lock_with_fencing_never_lets_two_writers_through(s in db_scenario()) {
        no_two_writers(&s)?;
    }
}
