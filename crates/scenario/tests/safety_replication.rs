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

mod common;

use common::faults::{checked, replay, report, scenario, Draw, Mix, BASE};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Faults in the first 200 ms of a 300 ms run: crashes three times as likely as any one
/// network fault, recoveries twice, clients' commands five times. Latency from 0.5 ms up to
/// 23.5 ms, loss and duplication below 20% each.
const PB: Mix = Mix {
    until_ms: 300.0,
    latency_ms: 0..10,
    spread_ms: 0..15,
    loss_permille: 0..200,
    duplicate_permille: 0..200,
    window_ms: 200,
    crash: 3,
    recover: 2,
    command: 5,
    commands: &["write", "write", "read", "promote"],
    write: command,
    ..BASE
};

/// The same faults for id generators asking for ids, in a 200 ms run.
const IDS: Mix = Mix {
    until_ms: 200.0,
    commands: &["generate"],
    ..PB
};

/// No crashes but clock faults in their place: jumps of up to 10 ms either way five times as
/// likely as any one network fault, pauses of up to 15 ms as likely; commands four times.
const CLOCKS: Mix = Mix {
    crash: 0,
    recover: 0,
    jump: 5,
    jump_ms: 10,
    pause: 1,
    pause_ms: 15,
    command: 4,
    ..IDS
};

/// A command by name; every write's value is unique, so lost writes can be told apart.
fn command(name: &str, d: &Draw) -> Value {
    match name {
        "write" => json!({ "write": u64::from(d.us) * 100 + u64::from(d.a) + 1 }),
        "generate" => json!({ "generate": 1 + d.us % 5 }),
        _ => json!(name),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(1_000)))]

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
        s in scenario("quorum", 6..7, Mix { commands: &["write", "read"], ..PB })
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
        s in scenario("snowflake", 3..6, CLOCKS)
    ) {
        let mut s = s;
        s.params.insert("generators".into(), json!(2));
        s.params.insert("every_ms".into(), json!([0.5, 2]));
        let r = checked(&s)?;
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
        s.params.insert("generators".into(), json!(3));
        s.params.insert("every_ms".into(), json!([1, 5]));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["duplicate_ids"], &json!([]));
    }
}
