//! Each distributed-lock preset does what its caption says.

use clusterplay_scenario::{preset, run, Report};
use serde_json::json;

fn report(id: &str) -> Report {
    let p = preset(id).expect("preset");
    assert_eq!(p.family, "lock");
    run(&p.scenario).expect("runs")
}

fn invariants(r: &Report) -> Vec<&'static str> {
    r.violations.iter().map(|v| v.invariant).collect()
}

#[test]
fn db_lock_holder_crash_leaves_everyone_polling() {
    let r = report("db-lock-holder-crash");
    let o = &r.outcome;
    assert_eq!(o["max_simultaneous_holders"], 1);
    assert_eq!(o["acquisitions"], json!([3]));
    assert_eq!(o["still_waiting"], json!([4, 5]));
    assert_eq!(o["polls"], 38);
    assert!(r.violations.is_empty());
}

#[test]
fn db_lock_for_update_crash_times_the_connection_out_and_passes_the_lock_on() {
    let r = report("db-lock-for-update-crash");
    let o = &r.outcome;
    assert_eq!(o["mode"], "for-update");
    assert_eq!(o["max_simultaneous_holders"], 1);
    assert_eq!(o["acquisitions"], json!([3, 4, 5]));
    assert_eq!(o["still_waiting"], json!([]));
    // Nobody polls: 4's and 5's SELECTs block inside the database.
    assert_eq!(o["polls"], 0);
    assert_eq!(o["blocked_waits"], 2);
    assert_eq!(o["connection_timeouts"], 1);
    assert_eq!(r.messages.by_type["rolled-back"], 1);
    assert_eq!(r.messages.by_type["commit"], 2);
    // The lock stood free from the crash (20 ms) until 4 heard of its grant (110 ms), and
    // 10 ms more between 4's commit and 5's grant, besides 3's own first 10 ms.
    assert_eq!(o["free_while_waiting_ms"], 110.0);
    assert!(r.violations.is_empty());

    // The same run with an inserted row: the row stays, 4 and 5 poll for ever.
    let row = report("db-lock-holder-crash");
    assert_eq!(
        preset("db-lock-holder-crash")
            .expect("preset")
            .scenario
            .timeline,
        preset("db-lock-for-update-crash")
            .expect("preset")
            .scenario
            .timeline
    );
    assert_eq!(row.outcome["acquisitions"], json!([3]));
    assert_eq!(row.outcome["still_waiting"], json!([4, 5]));
    assert_eq!(row.outcome["connection_timeouts"], 0);
    assert!(row.outcome["polls"].as_u64().expect("polls") > 0);
}

#[test]
fn db_lock_reentrant_holds_three_times_and_releases_three_times() {
    let r = report("db-lock-reentrant");
    let o = &r.outcome;
    assert_eq!(o["reentrant"], true);
    assert_eq!(o["max_simultaneous_holders"], 1);
    assert_eq!(o["acquisitions"], json!([3, 4]));
    assert_eq!(o["reentries"], 2);
    // The row's count, change by change: up to 3, down to 0 (deleted), and only then 4.
    assert_eq!(
        o["row_counts"],
        json!([
            [3, 1],
            [3, 2],
            [3, 3],
            [3, 2],
            [3, 1],
            [3, 0],
            [4, 1],
            [4, 0]
        ])
    );
    // Three releases by 3 and one by 4; 4 was refused while it polled.
    assert_eq!(r.messages.by_type["unlock"], 4);
    assert!(o["polls"].as_u64().expect("polls") >= 3);
    assert_eq!(o["still_waiting"], json!([]));
    assert!(r.violations.is_empty());

    // Without the count the holder's second acquire meets its own row: it waits for itself,
    // and 4 waits for ever behind it.
    let mut plain = preset("db-lock-reentrant")
        .expect("preset")
        .scenario
        .clone();
    plain.params.insert("reentrant".into(), json!(false));
    let r = run(&plain).expect("runs");
    assert_eq!(r.outcome["acquisitions"], json!([3]));
    assert_eq!(r.outcome["reentries"], 0);
    assert_eq!(r.outcome["still_waiting"], json!([4]));
    assert!(r.violations.is_empty());
}

#[test]
fn redis_lock_basic_takes_turns() {
    let r = report("redis-lock-basic");
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5]));
    assert!(r.outcome["polls"].as_u64().expect("polls") > 0);
    assert!(r.violations.is_empty());
}

#[test]
fn redis_plain_del_makes_two_holders_and_compare_and_delete_does_not() {
    let r = report("redis-lock-wrong-release");
    assert_eq!(r.outcome["max_simultaneous_holders"], 2);
    assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5]));
    assert_eq!(invariants(&r), ["one-writer"]);
    assert_eq!(r.violations[0].nodes, [4, 5]);
    let mut safe = preset("redis-lock-wrong-release")
        .expect("preset")
        .scenario
        .clone();
    safe.params
        .insert("release".into(), json!("compare-and-delete"));
    let r = run(&safe).expect("runs");
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5]));
    assert!(r.violations.is_empty());
}

#[test]
fn redis_watchdog_renews_and_a_crashed_holder_s_lease_frees_the_lock() {
    let r = report("redis-watchdog");
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5]));
    assert!(r.messages.by_type["renew"] >= 9, "{:?}", r.messages.by_type);
    assert!(r.violations.is_empty());
}

#[test]
fn redis_failover_grants_the_lock_twice() {
    let r = report("redis-failover-two-holders");
    assert_eq!(r.outcome["max_simultaneous_holders"], 2);
    assert_eq!(r.outcome["acquisitions"], json!([4, 5]));
    assert_eq!(invariants(&r), ["one-writer"]);
    assert_eq!(r.messages.by_type["new-primary"], 2);
}

#[test]
fn redlock_works_with_two_of_five_instances_down() {
    let r = report("redlock-majority");
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert_eq!(r.outcome["acquisitions"], json!([7, 8]));
    assert!(r.violations.is_empty());
}

#[test]
fn redlock_late_majority_does_not_hold_the_lock() {
    let r = report("redlock-late-majority");
    // All five said yes, the majority's last at 110 ms: more than the 100 ms lease.
    assert_eq!(
        r.outcome["late_majorities"],
        json!([{"client": 7, "at_ms": 110.0, "asking_took_ms": 110.0, "ttl_ms": 100.0}])
    );
    assert_eq!(r.outcome["acquisitions"], json!([8]));
    assert_eq!(r.outcome["still_waiting"], json!([7]));
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert!(r.violations.is_empty());
    // The same scenario with a lease longer than the asking: client 7 holds it first.
    let mut s = preset("redlock-late-majority").unwrap().scenario.clone();
    s.params.insert("ttl_ms".into(), json!(300));
    let r = run(&s).unwrap();
    assert_eq!(r.outcome["acquisitions"].as_array().unwrap()[0], json!(7));
    assert!(r.outcome.get("late_majorities").is_none());
}

#[test]
fn redlock_process_pause_lets_a_stale_write_through() {
    let r = report("redlock-process-pause");
    assert_eq!(r.outcome["max_simultaneous_holders"], 2);
    assert_eq!(r.outcome["stale_writes_accepted"], 1);
    assert_eq!(invariants(&r), ["one-writer"]);
    assert_eq!(r.violations[0].nodes, [7, 8]);
    assert_eq!(r.violations[0].time_ms, 257.0);
}

#[test]
fn redlock_fencing_rejects_the_stale_write() {
    let r = report("redlock-fencing");
    assert_eq!(r.outcome["max_simultaneous_holders"], 2);
    assert_eq!(r.outcome["stale_writes_accepted"], 0);
    assert_eq!(r.outcome["stale_writes_rejected"], 1);
    assert_eq!(r.outcome["fencing"], true);
    assert!(r.violations.is_empty());
}

#[test]
fn redlock_clock_jump_frees_a_key_early() {
    let r = report("redlock-clock-jump");
    assert_eq!(r.outcome["max_simultaneous_holders"], 2);
    assert_eq!(r.outcome["acquisitions"], json!([7, 8]));
    assert_eq!(invariants(&r), ["one-writer"]);
}

#[test]
fn zookeeper_queue_and_herd_compare_notifications() {
    let queue = report("zk-lock-queue");
    let herd = report("zk-herd-effect");
    for r in [&queue, &herd] {
        assert_eq!(r.outcome["max_simultaneous_holders"], 1);
        assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5, 6]));
        assert_eq!(r.outcome["polls"], 0);
        assert!(r.violations.is_empty());
    }
    assert_eq!(queue.outcome["notifications"], 3);
    assert_eq!(herd.outcome["notifications"], 6);
}

#[test]
fn zookeeper_session_timeout_hands_the_lock_on() {
    let r = report("zk-session-timeout");
    assert_eq!(r.outcome["max_simultaneous_holders"], 1);
    assert_eq!(r.outcome["acquisitions"], json!([3, 4, 5]));
    assert!(r.outcome["free_while_waiting_ms"].as_f64().expect("ms") >= 150.0);
    assert!(r.violations.is_empty());
}

#[test]
fn absurd_lock_params_are_refused() {
    let mut s = preset("redlock-majority").expect("preset").scenario.clone();
    s.params.insert("instances".into(), json!(9));
    let e = run(&s).expect_err("refused").to_string();
    assert!(e.contains("params.instances"), "{e}");
    let mut s = preset("redis-lock-basic").expect("preset").scenario.clone();
    s.params.insert("ttl_ms".into(), json!(0));
    assert!(run(&s).expect_err("refused").to_string().contains("ttl_ms"));
    s.params.insert("ttl_ms".into(), json!(100));
    s.params.insert("release".into(), json!("unlink"));
    assert!(run(&s).is_err());
    let mut s = preset("zk-lock-queue").expect("preset").scenario.clone();
    s.nodes = 2;
    s.timeline.clear();
    let e = run(&s).expect_err("refused").to_string();
    assert!(e.contains("at least one client"), "{e}");
    let db = || {
        preset("db-lock-for-update-crash")
            .expect("preset")
            .scenario
            .clone()
    };
    let mut s = db();
    s.params.insert("mode".into(), json!("update"));
    let e = run(&s).expect_err("refused").to_string();
    assert!(e.contains("for-update"), "{e}");
    let mut s = db();
    s.params.insert("connection_timeout_ms".into(), json!(0));
    let e = run(&s).expect_err("refused").to_string();
    assert!(e.contains("params.connection_timeout_ms"), "{e}");
    let mut s = db();
    s.params.insert("mode".into(), json!("insert"));
    s.params.insert("for_update".into(), json!(true));
    let e = run(&s).expect_err("refused").to_string();
    assert!(e.contains("params.for_update"), "{e}");
    let mut s = db();
    s.params.insert("reentrant".into(), json!("yes"));
    assert!(run(&s).is_err());
    // The older spelling still opens old links.
    let mut s = db();
    s.params.remove("mode");
    s.params.insert("for_update".into(), json!(true));
    let r = run(&s).expect("runs");
    assert_eq!(r.outcome["mode"], "for-update");
}
