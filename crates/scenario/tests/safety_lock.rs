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

mod common;

use clusterplay_scenario::model::{Act, ClockSettings, Scenario, Step};
use common::faults::{self, checked, node, Mix, BASE};
use proptest::prelude::*;
use serde_json::json;

/// Faults in the first 300 ms of an 800 ms run: crashes and recoveries twice as likely as any
/// one network fault, pauses of up to 300 ms three times, clock jumps of up to 100 ms either
/// way twice, clients asking for the lock five times; messages held back up to 100 ms, no
/// restored links and no early deliveries. Latency from 1 ms up to 20 ms, loss and duplication
/// below 20% each.
const LOCK: Mix = Mix {
    until_ms: 800.0,
    latency_ms: 0..1,
    spread_ms: 1..20,
    latency_floor_ms: 1.0,
    loss_permille: 0..200,
    duplicate_permille: 0..200,
    faults: 10..60,
    window_ms: 300,
    crash: 2,
    recover: 2,
    pause: 3,
    pause_ms: 300,
    jump: 2,
    jump_ms: 100,
    restore: 0,
    delay_ms: 100,
    deliver: 0,
    command: 5,
    commands: &["acquire"],
    ..BASE
};

/// The lock mix on `base` + 1 to `base` + 3 nodes, with up to six clocks skewed by up to 50 ms
/// and drifting up to 20% either way, a fenced resource and 30 ms of work per holder.
fn scenario(protocol: &'static str, base: u32) -> impl Strategy<Value = Scenario> {
    (
        faults::scenario(protocol, base + 1..base + 4, LOCK),
        prop::collection::vec((-50i32..50, -200_000i32..200_000), 0..6),
    )
        .prop_map(move |(mut s, clocks)| {
            s.clocks = clocks
                .into_iter()
                .take(s.nodes as usize)
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
            s
        })
}

/// No violations, and the resource accepted no write from a holder whose lock had passed on.
fn no_two_writers(s: &Scenario) -> Result<(), TestCaseError> {
    let r = checked(s)?;
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
    #![proptest_config(ProptestConfig { cases: common::cases(1_000), ..ProptestConfig::default() })]

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
