//! Every replication preset does what its caption says, as `clusterplay run` reports it.

use clusterplay_scenario::{preset, run, Report};
use serde_json::{json, Value};

fn report(id: &str) -> Report {
    let r = run(&preset(id).unwrap().scenario).unwrap();
    assert!(r.violations.is_empty(), "{id}: {:?}", r.violations);
    r
}

/// A preset that breaks an invariant, as it reports it.
fn report_breaking(id: &str) -> Report {
    let r = run(&preset(id).unwrap().scenario).unwrap();
    assert!(!r.violations.is_empty(), "{id} breaks nothing");
    r
}

/// (client, kind, value, answered) of every operation in order.
fn history(r: &Report) -> Vec<(u64, String, Value, bool)> {
    r.outcome["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["client"].as_u64().unwrap(),
                o["kind"].as_str().unwrap().to_string(),
                o["value"].clone(),
                o["result"] == "ok",
            )
        })
        .collect()
}

fn op(client: u64, kind: &str, value: Value, ok: bool) -> (u64, String, Value, bool) {
    (client, kind.to_string(), value, ok)
}

fn lost(r: &Report) -> Vec<u64> {
    r.outcome["lost_writes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["value"].as_u64().unwrap())
        .collect()
}

fn replica_values(r: &Report) -> Vec<(u64, Value)> {
    r.outcome["replicas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["node"].as_u64().unwrap(), x["value"].clone()))
        .collect()
}

#[test]
fn replication_sync_partition_writes_fail_while_a_backup_is_cut_off() {
    let r = report("replication-sync-partition");
    assert_eq!(
        history(&r),
        vec![
            op(4, "write", json!(1), true),
            op(4, "write", json!(2), false),
            op(4, "write", json!(3), false),
            op(4, "write", json!(4), true),
            op(4, "read", json!(4), true),
        ]
    );
    assert_eq!(r.outcome["availability"], json!(0.6));
    assert_eq!(r.outcome["linearizable"], json!(true));
    assert_eq!(r.outcome["offending"], Value::Null);
    assert!(lost(&r).is_empty());
    assert_eq!(r.outcome["stale_reads"], json!(0));
    // The failed writes waited the 50 ms sync timeout.
    let failed = &r.outcome["history"][1];
    assert_eq!(failed["response_ms"], Value::Null);
    assert_eq!(r.messages.by_type["refused"], 2);
}

#[test]
fn replication_async_lost_write_the_promoted_backup_never_had_it() {
    let r = report_breaking("replication-async-lost-write");
    // The moment it breaks: node 2 is promoted at 120 ms holding version 1.1, while node 1
    // (down) had acknowledged version 1.2.
    let v = &r.violations[..];
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0].invariant, "acknowledged-writes-survive");
    assert_eq!((v[0].index, v[0].time_ms), (16, 120.0));
    assert_eq!(v[0].nodes, vec![1, 2]);
    // And the moment a client sees it: its read, answered by the new primary, returns 1
    // after its own write of 2 was acknowledged.
    assert_eq!(v[1].invariant, "linearizable");
    assert_eq!((v[1].index, v[1].time_ms), (23, 173.383));
    assert_eq!(
        v[1].text,
        "client 4 read 1 after client 4's write of 2 was acknowledged: a stale read"
    );
    assert_eq!(v[1].nodes, vec![4]);
    assert_eq!(
        history(&r),
        vec![
            op(4, "write", json!(1), true),
            op(4, "write", json!(2), true),
            op(4, "read", json!(1), true),
        ]
    );
    assert_eq!(r.outcome["history"][1]["response_ms"], json!(73.068));
    assert_eq!(lost(&r), vec![2]);
    assert_eq!(r.outcome["availability"], json!(1.0));
    assert_eq!(r.outcome["linearizable"], json!(false));
    let off = &r.outcome["offending"];
    assert_eq!(off["reason"], json!("stale"));
    assert_eq!(off["operation"]["kind"], json!("read"));
    assert_eq!(off["conflict"]["value"], json!(2));
    assert!(off["operation"]["invoke_event"].is_u64());
    assert!(off["conflict"]["response_event"].is_u64());
    // The request and the answer of each, for the diagram to highlight.
    assert_eq!(off["operation"]["messages"].as_array().unwrap().len(), 2);
    assert_eq!(off["conflict"]["messages"].as_array().unwrap().len(), 2);
    assert_eq!(
        r.outcome["promotions"],
        json!([{"node": 2, "epoch": 2, "at_ms": 120.0}])
    );
    // Node 1 came back, stepped down and took 1 from the new primary.
    let replicas = r.outcome["replicas"].as_array().unwrap();
    assert_eq!(replicas[0]["role"], json!("backup"));
    assert_eq!(
        replica_values(&r),
        vec![(1, json!(1)), (2, json!(1)), (3, json!(1))]
    );
}

#[test]
fn replication_max_availability_switches_to_async_and_then_loses_writes() {
    let r = report_breaking("replication-max-availability");
    // Node 2 is promoted at 240 ms holding version 1.1; node 1 had acknowledged 1.3.
    let v = &r.violations[..];
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0].invariant, "acknowledged-writes-survive");
    assert_eq!((v[0].index, v[0].time_ms), (27, 240.0));
    assert_eq!(v[1].invariant, "linearizable");
    assert_eq!((v[1].index, v[1].time_ms), (34, 319.518));
    assert_eq!(
        history(&r),
        vec![
            op(3, "write", json!(1), true),
            op(3, "write", json!(2), true),
            op(3, "write", json!(3), true),
            op(3, "read", json!(1), true),
        ]
    );
    assert_eq!(r.outcome["availability"], json!(1.0));
    let switched = r.outcome["switched_to_async"].as_array().unwrap();
    assert_eq!(switched.len(), 1);
    assert_eq!(switched[0]["backup"], json!(2));
    assert_eq!(r.outcome["history"][1]["response_ms"], json!(117.927));
    assert_eq!(lost(&r), vec![2, 3]);
    assert_eq!(r.outcome["linearizable"], json!(false));
}

#[test]
fn async_replication_under_an_outage_keeps_a_backup_behind_until_the_heal() {
    let r = report_breaking("replication-async-outage");
    assert_eq!(
        history(&r),
        vec![
            op(4, "write", json!(1), true),
            op(4, "write", json!(2), true),
            op(4, "write", json!(3), true),
            op(5, "read", json!(1), true),
            op(5, "read", json!(3), true),
            op(5, "read", json!(3), true),
        ]
    );
    assert_eq!(r.outcome["availability"], json!(1.0));
    assert_eq!(r.outcome["stale_reads"], json!(1));
    assert_eq!(r.outcome["linearizable"], json!(false));
    assert_eq!(r.outcome["eventually_consistent"], json!(true));
    assert!(lost(&r).is_empty());
    // Just before the network is back, backup 3 still holds 1 while the others hold 3.
    let mut s = preset("replication-async-outage").unwrap().scenario.clone();
    s.until_ms = 399.0;
    let before = run(&s).unwrap();
    let values: Vec<&serde_json::Value> = before.outcome["replicas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["value"])
        .collect();
    assert_eq!(values, [&json!(3), &json!(3), &json!(1)]);
    assert_eq!(before.outcome["eventually_consistent"], json!(false));
}

#[test]
fn replica_stale_read_is_not_linearizable_but_eventually_consistent() {
    let r = report_breaking("replica-stale-read");
    // Flagged when the stale answer arrives, not at the end of the run.
    let v = &r.violations[..];
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].invariant, "linearizable");
    assert_eq!((v[0].index, v[0].time_ms), (10, 44.079));
    assert_eq!(
        v[0].text,
        "client 5 read 0 after client 4's write of 1 was acknowledged: a stale read"
    );
    assert_eq!(v[0].nodes, vec![5, 4]);
    assert_eq!(
        history(&r),
        vec![
            op(4, "write", json!(1), true),
            op(5, "read", json!(0), true),
            op(5, "read", json!(1), true),
        ]
    );
    assert_eq!(r.outcome["stale_reads"], json!(1));
    assert_eq!(r.outcome["linearizable"], json!(false));
    assert_eq!(r.outcome["offending"]["reason"], json!("stale"));
    assert_eq!(r.outcome["offending"]["operation"]["client"], json!(5));
    assert_eq!(r.outcome["offending"]["conflict"]["client"], json!(4));
    assert_eq!(r.outcome["eventually_consistent"], json!(true));
    assert!(lost(&r).is_empty());
    assert_eq!(
        replica_values(&r),
        vec![(1, json!(1)), (2, json!(1)), (3, json!(1))]
    );
}

#[test]
fn quorum_r_w_majority_quorums_refuse_single_replicas_answer_stale() {
    let r = report_breaking("quorum-r-w");
    // Client 5, whose read quorum is a single replica, reads the old 1 after client 6's
    // write of 2 was acknowledged by a majority.
    let v = &r.violations[..];
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].invariant, "linearizable");
    assert_eq!((v[0].index, v[0].time_ms), (36, 149.221));
    assert_eq!(v[0].nodes, vec![5, 6]);
    assert_eq!(
        history(&r),
        vec![
            op(6, "write", json!(1), true),
            op(6, "write", json!(2), true),
            op(4, "read", Value::Null, false),
            op(5, "read", json!(1), true),
            op(5, "read", json!(2), true),
        ]
    );
    let clients = r.outcome["clients"].as_array().unwrap();
    let c = |n: u64| clients.iter().find(|c| c["node"] == n).unwrap();
    assert_eq!((c(4)["r"].clone(), c(4)["w"].clone()), (json!(2), json!(2)));
    assert_eq!(c(4)["answered"], json!(0));
    assert_eq!((c(5)["r"].clone(), c(5)["w"].clone()), (json!(1), json!(1)));
    assert_eq!(c(5)["stale_reads"], json!(1));
    assert_eq!(c(6)["answered"], json!(2));
    assert_eq!(r.outcome["availability"], json!(0.8));
    assert_eq!(r.outcome["linearizable"], json!(false));
    assert_eq!(r.outcome["offending"]["operation"]["client"], json!(5));
    assert_eq!(r.outcome["eventually_consistent"], json!(true));
    assert_eq!(
        replica_values(&r),
        vec![(1, json!(2)), (2, json!(2)), (3, json!(2))]
    );
}

#[test]
fn absurd_params_are_refused_with_a_clear_message() {
    use clusterplay_scenario::Scenario;
    let refused = |protocol: &str, nodes: u32, params: Value| {
        let mut s = Scenario::new(protocol, nodes);
        s.params = params.as_object().unwrap().clone();
        run(&s).err().map(|e| e.to_string())
    };
    let cases = [
        ("primary-backup", 3, json!({"servers": 3})),
        ("primary-backup", 3, json!({"servers": 1})),
        ("primary-backup", 4, json!({"mode": "quorum"})),
        ("primary-backup", 4, json!({"mode": "eventual"})),
        ("primary-backup", 4, json!({"sync_timeout_ms": 0})),
        (
            "primary-backup",
            4,
            json!({"workload": {"ops": 100000, "every_ms": [1, 2]}}),
        ),
        (
            "primary-backup",
            4,
            json!({"workload": {"ops": 1, "every_ms": [5, 2]}}),
        ),
        ("quorum", 4, json!({"r": 4})),
        ("quorum", 4, json!({"w": 0})),
        ("quorum", 4, json!({"levels": [[1, 1], [2, 2]]})),
        ("snowflake", 3, json!({"generators": 3})),
        ("snowflake", 3, json!({"machines": [[32, 1]]})),
        ("auto-increment", 3, json!({"step": 0})),
        (
            "redis-incr",
            3,
            json!({"persistence": ["rdb", "aof", "aof"]}),
        ),
        ("uuid", 3, json!({"every_ms": [0, 0]})),
    ];
    for (protocol, nodes, params) in cases {
        let e = refused(protocol, nodes, params.clone());
        assert!(e.is_some(), "{protocol} accepted {params}");
        assert!(e.unwrap().contains("params"), "{protocol} {params}");
    }
    // A command for a thousand ids too many is noted and ignored, not obeyed.
    let mut s = Scenario::new("snowflake", 2);
    s.until_ms = 5.0;
    s.params = json!({"every_ms": [100, 100]}).as_object().unwrap().clone();
    s.timeline = serde_json::from_value(json!([
        {"at_ms": 1, "do": "command", "node": 1, "command": {"generate": 4000000000u32}},
        {"at_ms": 2, "do": "command", "node": 1, "command": {"generate": 5000}},
    ]))
    .unwrap();
    assert_eq!(run(&s).unwrap().outcome["issued"], json!(5000));
}

/// Four clients, 250 operations each, against synchronous replication: a 1 000-operation
/// history the outcome checks, linearizable.
#[test]
fn a_thousand_operation_workload_is_checked_linearizable() {
    let mut s = clusterplay_scenario::Scenario::new("primary-backup", 7);
    s.seed = 3;
    s.until_ms = 20_000.0;
    s.params = json!({"mode": "sync", "read_from": "primary",
                      "workload": {"ops": 250, "every_ms": [0.5, 5]}})
    .as_object()
    .unwrap()
    .clone();
    let r = run(&s).unwrap();
    assert_eq!(r.outcome["requests"], json!(1000));
    assert_eq!(r.outcome["answered"], json!(1000));
    assert_eq!(r.outcome["linearizable"], json!(true));
}

/// Maximum availability drops a crashed backup to asynchronous replication and takes it back
/// once its heartbeat acknowledgement shows it caught up; later writes wait for it again.
#[test]
fn max_availability_takes_a_caught_up_backup_back_to_synchronous() {
    let s: clusterplay_scenario::Scenario = serde_json::from_value(json!({
        "v": 1, "protocol": "primary-backup", "nodes": 4, "seed": 1, "until_ms": 400,
        "network": { "latency_ms": [5, 10] },
        "params": { "servers": 3, "mode": "max-availability", "sync_timeout_ms": 40 },
        "timeline": [
            { "at_ms": 0, "do": "command", "node": 4, "command": { "write": 1 } },
            { "at_ms": 50, "do": "crash", "node": 3 },
            { "at_ms": 60, "do": "command", "node": 4, "command": { "write": 2 } },
            { "at_ms": 150, "do": "recover", "node": 3 },
            { "at_ms": 250, "do": "command", "node": 4, "command": { "write": 3 } },
            { "at_ms": 300, "do": "command", "node": 4, "command": { "read-from": 3 } }
        ]
    }))
    .unwrap();
    let r = run(&s).unwrap();
    assert_eq!(r.outcome["switched_to_async"][0]["backup"], json!(3));
    assert_eq!(r.outcome["back_to_sync"][0]["backup"], json!(3));
    assert!(r.outcome["back_to_sync"][0]["at_ms"].as_f64().unwrap() > 150.0);
    assert_eq!(r.outcome["linearizable"], json!(true));
    assert_eq!(r.outcome["availability"], json!(1.0));
    assert_eq!(r.outcome["history"][3]["value"], json!(3));
}

#[test]
fn the_stale_read_and_the_write_it_contradicts_are_marked_for_the_diagram() {
    use clusterplay_scenario::{load, run_to};
    use clusterplay_sim::{ms, NodeId};

    let scenario = &preset("replica-stale-read").unwrap().scenario;
    let mut sim = load(scenario).unwrap();
    let r = run_to(sim.as_mut(), (scenario.until_ms * 1000.0) as u64);
    let marks: Vec<(u32, u64, Option<u64>, &str)> = r
        .highlights
        .iter()
        .map(|h| (h.node.number(), h.from, h.to, h.label.as_str()))
        .collect();
    assert_eq!(
        marks,
        vec![
            (5, ms(30), Some(44_079), "read 0"),
            (4, 0, Some(12_413), "write 1")
        ],
        "the offending read first, then the write it cannot have missed"
    );
    for h in &r.highlights {
        let ends: Vec<(u32, u32)> = h
            .messages
            .iter()
            .map(|&id| {
                let m = sim.message(id).expect("a message of the run");
                (m.from, m.to)
            })
            .collect();
        assert_eq!(ends.len(), 2, "the request and its answer");
        assert_eq!(ends[0].0, h.node.number(), "the client sends the request");
        assert_eq!(ends[1].1, h.node.number(), "and is answered");
        assert!(NodeId::from_number(ends[0].1).is_some());
    }
    assert!(
        r.outcome.get("highlight").is_none(),
        "lifted out of the outcome"
    );
    let linearizable = report("replication-sync-partition");
    assert!(linearizable.highlights.is_empty());
}

/// CAP, measured over the replication presets: under its partition synchronous replication
/// keeps consistency and refuses writes; every asynchronous variant stays available and gives
/// up consistency; the quorum preset, whose reads and writes overlap too little, keeps neither.
#[test]
fn cap_over_the_replication_presets_is_what_each_run_kept() {
    use clusterplay_scenario::cap::{rows, Fault, Kept};
    let rows = rows();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r.preset == id)
            .unwrap_or_else(|| panic!("{id} in the CAP table"))
    };
    let sync = row("replication-sync-partition");
    assert_eq!(
        (sync.fault, sync.kept, sync.answered, sync.requests),
        (Fault::Partition, Kept::Consistency, 3, 5)
    );
    for id in [
        "replica-stale-read",
        "replication-async-lost-write",
        "replication-async-outage",
        "replication-max-availability",
    ] {
        let r = row(id);
        assert_eq!(r.kept, Kept::Availability, "{id}");
        assert_eq!(r.answered, r.requests, "{id}");
        assert_eq!(r.linearizable, Some(false), "{id}");
    }
    let quorum = row("quorum-r-w");
    assert_eq!(
        (quorum.kept, quorum.answered, quorum.requests),
        (Kept::Neither, 4, 5)
    );
    // Every row is the preset's own run, not a copy: it agrees with the preset's report.
    for r in &rows {
        let o = run(&preset(r.preset).unwrap().scenario).unwrap().outcome;
        assert_eq!(o["answered"], json!(r.answered), "{}", r.preset);
        assert_eq!(o["linearizable"], json!(r.linearizable), "{}", r.preset);
    }
    assert_eq!(rows.len(), 6);
}
