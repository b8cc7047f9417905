//! Every distributed-id preset does what its caption says, as `clusterplay run` reports it.

use clusterplay_scenario::{preset, run, Report};
use serde_json::{json, Value};

fn report(id: &str) -> Report {
    run(&preset(id).unwrap().scenario).unwrap()
}

fn generator(r: &Report, node: u64) -> &Value {
    r.outcome["generators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["node"] == node)
        .unwrap()
}

fn duplicates(r: &Report) -> &Vec<Value> {
    r.outcome["duplicate_ids"].as_array().unwrap()
}

#[test]
fn snowflake_clock_rollback_duplicates_without_the_guard_a_wait_with_it() {
    let r = report("snowflake-clock-rollback");
    let dups = duplicates(&r);
    assert_eq!(dups.len(), 5);
    for (d, ms) in dups.iter().zip(15..) {
        assert_eq!(
            d["fields"],
            json!({"timestamp_ms": ms, "datacenter": 1, "worker": 1, "sequence": 0})
        );
        let by: Vec<&Value> = d["issued"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| &i["generator"])
            .collect();
        assert_eq!(by, vec![&json!(1), &json!(1)]);
    }
    assert_eq!(generator(&r, 1)["repeats"], json!(5));
    assert_eq!(generator(&r, 1)["guard"], json!(false));
    assert_eq!(generator(&r, 2)["repeats"], json!(0));
    let waits = r.outcome["guard_waits"].as_array().unwrap();
    assert_eq!(
        waits[0],
        json!({"generator": 2, "at_ms": 20.1, "behind_ms": 3.9})
    );
    assert!(waits.iter().all(|w| w["generator"] == 2));
    assert_eq!(r.violations.len(), 1);
    assert_eq!(r.violations[0].invariant, "unique-ids");
    assert_eq!(r.violations[0].nodes, vec![1]);
}

#[test]
fn redis_incr_rdb_restart_repeats_ids_aof_does_not() {
    let r = report("redis-incr-rdb-restart");
    let dups = duplicates(&r);
    let ids: Vec<&Value> = dups.iter().map(|d| &d["id"]).collect();
    assert_eq!(
        ids,
        (10..=15)
            .map(|i| json!(i))
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
    assert!(dups.iter().all(|d| d["issued"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["generator"] == 1)));
    assert_eq!(
        r.outcome["restarts"],
        json!([
            {"generator": 1, "at_ms": 175.0, "counter": 9, "had_reached": 15},
            {"generator": 2, "at_ms": 175.0, "counter": 15, "had_reached": 15},
        ])
    );
    assert_eq!(generator(&r, 1)["persistence"], json!("rdb"));
    assert_eq!(generator(&r, 2)["persistence"], json!("aof"));
    assert_eq!(generator(&r, 2)["repeats"], json!(0));
    assert_eq!(r.violations.len(), 1);
    assert_eq!(r.violations[0].nodes, vec![1]);
}

#[test]
fn auto_increment_step_offsets_1_and_2_never_collide() {
    let r = report("auto-increment-step");
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert!(duplicates(&r).is_empty());
    assert_eq!(r.outcome["issued"], json!(19));
    assert_eq!(r.outcome["unique"], json!(19));
    assert_eq!(generator(&r, 1)["last"], json!(19));
    assert_eq!(generator(&r, 2)["last"], json!(18));
    assert_eq!(generator(&r, 1)["issued"], json!(10));
    assert_eq!(generator(&r, 2)["issued"], json!(9));
}

/// Text 001's capacity of the layout, in every Snowflake run's outcome: a 41-bit millisecond
/// timestamp lasts 69.7 years, 10 machine bits name 1 024 machines, and a 12-bit sequence gives
/// each 4 096 ids a millisecond.
#[test]
fn snowflake_reports_the_capacity_of_its_layout() {
    let r = run(&preset("snowflake-clock-rollback").unwrap().scenario).unwrap();
    assert_eq!(
        r.outcome["capacity"],
        serde_json::json!({
            "years": 69.7,
            "machines": 1024,
            "ids_per_ms": 4096,
            "text": "69.7 years, 1024 machines, 4096 ids per ms each",
            "text_zh": "69.7 年，1024 台机器，每台每毫秒 4096 个 ID",
        })
    );
    let r = run(&preset("redis-incr-rdb-restart").unwrap().scenario).unwrap();
    assert!(
        r.outcome.get("capacity").is_none(),
        "only Snowflake has a layout"
    );
}

#[test]
fn uuid_crash_repeats_nothing() {
    let r = report("uuid-never-repeats");
    assert_eq!(
        (r.outcome["issued"].clone(), r.outcome["unique"].clone()),
        (json!(56), json!(56))
    );
    assert!(duplicates(&r).is_empty());
    assert!(r.violations.is_empty());
    // Generator 1 was down from 155 to 175 ms and came back with nothing to restore.
    assert_eq!(generator(&r, 1)["issued"], json!(27));
    assert_eq!(r.outcome["restarts"], json!([]));
    let last = generator(&r, 1)["last"].as_str().unwrap();
    // 32 hex digits in the 8-4-4-4-12 form, version 4.
    assert_eq!(last.len(), 36);
    assert_eq!(&last[14..15], "4");
}

#[test]
fn redis_incr_aof_restarts_slowly_rdb_at_once_with_repeats() {
    let r = report("redis-incr-aof-slow-restart");
    assert_eq!(
        r.outcome["restarts"],
        json!([
            {"generator": 1, "at_ms": 175.0, "counter": 9, "had_reached": 15},
            {"generator": 2, "at_ms": 175.0, "counter": 15, "had_reached": 15, "loading_ms": 120.0},
        ])
    );
    let ids: Vec<&Value> = duplicates(&r).iter().map(|d| &d["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!(10),
            &json!(11),
            &json!(12),
            &json!(13),
            &json!(14),
            &json!(15)
        ]
    );
    assert_eq!(generator(&r, 2)["repeats"], json!(0));
    // Until its replay ends at 295 ms instance 2 issues nothing after the 15 it had; then the
    // waiting requests get 16 onwards. Without replay time it serves at once.
    let mut s = preset("redis-incr-aof-slow-restart")
        .unwrap()
        .scenario
        .clone();
    s.until_ms = 290.0;
    let loading = run(&s).unwrap();
    assert_eq!(generator(&loading, 2)["issued"], json!(15));
    s.params.remove("aof_replay_ms");
    let at_once = run(&s).unwrap();
    assert!(generator(&at_once, 2)["issued"].as_u64() > Some(20));
    assert_eq!(generator(&r, 2)["issued"], generator(&r, 1)["issued"]);
}
