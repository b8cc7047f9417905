//! Comparisons: each compare preset's rows as its two runs give them, links that replay both
//! sides bit for bit, and refusals that name the side.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clusterplay_scenario::compare::{
    compare_preset, compare_presets, rows, CompareError, CompareReport, Comparison, Which,
};
use clusterplay_scenario::model::{Act, Step};
use clusterplay_scenario::{link, run, ScenarioError};
use clusterplay_sim::NodeId;
use serde_json::{json, Value};

fn report(id: &str) -> CompareReport {
    compare_preset(id)
        .expect("preset")
        .comparison
        .run()
        .expect("runs")
}

/// The row `key` as (left, right, differs); a missing row fails the test.
fn row(r: &CompareReport, key: &str) -> (Value, Value, bool) {
    let row = r
        .rows
        .iter()
        .find(|row| row.key == key)
        .unwrap_or_else(|| panic!("no row {key} in {:?}", r.rows));
    (row.left.clone(), row.right.clone(), row.differs)
}

fn no_row(r: &CompareReport, key: &str) {
    assert!(r.rows.iter().all(|row| row.key != key), "row {key} appears");
}

/// The top-level fields in which the two sides' scenarios differ, and the parameters.
fn differences(c: &Comparison) -> Vec<String> {
    let l = serde_json::to_value(&c.left.scenario).expect("serializes");
    let r = serde_json::to_value(&c.right.scenario).expect("serializes");
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in l.as_object().expect("object") {
        if k != "params" && r.get(k) != Some(v) {
            keys.push(k.clone());
        }
    }
    let (lp, rp) = (&l["params"], &r["params"]);
    for p in [lp, rp]
        .iter()
        .filter_map(|p| p.as_object())
        .flat_map(|o| o.keys())
    {
        let key = format!("params.{p}");
        if lp.get(p) != rp.get(p) && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

#[test]
fn every_compare_preset_checks_and_its_sides_differ_only_as_its_caption_says() {
    let ids: Vec<&str> = compare_presets().iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        [
            "compare-bully-raft-rejoin",
            "compare-2pc-3pc-coordinator-crash",
            "compare-2pc-3pc-nine-participants",
            "compare-sync-async-failover",
            "compare-mutex-messages",
            "compare-zk-herd",
            "compare-raft-figure-8",
            "compare-even-odd",
        ]
    );
    for p in compare_presets() {
        let c = &p.comparison;
        c.check().unwrap_or_else(|e| panic!("{}: {e}", p.id));
        for words in [&c.title, &c.caption, &c.left.label, &c.right.label] {
            assert!(!words.en.is_empty() && !words.zh.is_empty(), "{}", p.id);
            assert!(
                words
                    .zh
                    .chars()
                    .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                "{}",
                p.id
            );
        }
        let expected: &[&str] = match p.id {
            "compare-bully-raft-rejoin"
            | "compare-2pc-3pc-coordinator-crash"
            | "compare-2pc-3pc-nine-participants" => &["protocol"],
            "compare-sync-async-failover" => &["params.mode"],
            "compare-mutex-messages" => &["protocol", "params.start_clocks", "params.coordinator"],
            "compare-zk-herd" => &["params.herd"],
            "compare-raft-figure-8" => &["params.commit_by_counting"],
            "compare-even-odd" => &["nodes"],
            other => panic!("{other} has no expectation"),
        };
        let mut found = differences(c);
        found.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected, "{}", p.id);
    }
}

#[test]
fn bully_changes_leader_when_the_highest_node_returns_raft_does_not() {
    let r = report("compare-bully-raft-rejoin");
    assert_eq!(row(&r, "leader_changes"), (json!(2), json!(0), true));
    assert_eq!(row(&r, "violations"), (json!(1), json!(0), true));
    assert_eq!(row(&r, "invariants_broken").0, json!(["single-leader"]));
    assert_eq!(row(&r, "leader"), (json!(5), json!(1), true));
    // Bully's outcome has no split votes: the row is left out rather than half empty.
    assert!(r.right.report.outcome.get("split_votes").is_some());
    no_row(&r, "split_votes");
}

#[test]
fn two_phase_commit_blocks_three_phase_finishes() {
    let r = report("compare-2pc-3pc-coordinator-crash");
    assert_eq!(row(&r, "in_doubt"), (json!([2, 3, 4]), json!([]), true));
    assert_eq!(row(&r, "rolled_back"), (json!([]), json!([2, 3, 4]), true));
    let (blocked, finished, differs) = row(&r, "finished_ms");
    assert_eq!(blocked, Value::Null, "2PC never finishes");
    assert!(finished.as_f64().is_some_and(|t| t < 500.0), "{finished}");
    assert!(differs);
    let (held, released, _) = row(&r, "locks_held_ms");
    assert!(
        held.as_f64() > Some(1_500.0),
        "2PC holds its locks to the end: {held}"
    );
    assert_eq!(released, json!(0.0));
    assert_eq!(row(&r, "violations"), (json!(0), json!(0), false));
}

/// Seed 003: nine participants, the ninth cannot commit. 2PC's eight lock for nothing; 3PC's
/// CanCommit locks nobody, at the same cost in messages and time.
#[test]
fn nine_participants_one_no_two_phase_locks_eight_three_phase_none() {
    let r = report("compare-2pc-3pc-nine-participants");
    assert_eq!(row(&r, "decision"), (json!("abort"), json!("abort"), false));
    assert_eq!(row(&r, "participants_locked"), (json!(8), json!(0), true));
    assert_eq!(row(&r, "lock_time_ms"), (json!(160.0), json!(0.0), true));
    assert_eq!(row(&r, "locks_held_ms"), (json!(20.0), json!(0.0), true));
    assert_eq!(row(&r, "messages"), (json!(36), json!(36), false));
    assert_eq!(row(&r, "finished_ms"), (json!(30.0), json!(30.0), false));
    let nine: Vec<u64> = (2..=10).collect();
    assert_eq!(row(&r, "rolled_back"), (json!(nine), json!(nine), false));
}

#[test]
fn asynchronous_replication_loses_the_acknowledged_write_synchronous_does_not() {
    let r = report("compare-sync-async-failover");
    assert_eq!(r.left.report.outcome["mode"], "sync");
    assert_eq!(row(&r, "lost_writes"), (json!(0), json!(1), true));
    assert_eq!(row(&r, "final_value"), (json!(2), json!(1), true));
    assert_eq!(row(&r, "linearizable"), (json!(true), json!(false), true));
    let (_, broken, _) = row(&r, "invariants_broken");
    assert!(
        broken
            .as_array()
            .expect("list")
            .contains(&json!("acknowledged-writes-survive")),
        "{broken}"
    );
}

#[test]
fn three_programs_use_the_machine_for_3_messages_each_centrally_and_4_by_asking_everyone() {
    let r = report("compare-mutex-messages");
    assert_eq!(r.left.report.nodes, 3);
    assert_eq!(
        row(&r, "messages_per_entry"),
        (json!(3.0), json!(4.0), true)
    );
    assert_eq!(row(&r, "formula_value"), (json!(3.0), json!(4.0), true));
    assert_eq!(
        row(&r, "critical_section_order"),
        (json!([1, 3]), json!([1, 3]), false)
    );
    assert_eq!(row(&r, "messages"), (json!(6), json!(8), true));
}

#[test]
fn watching_every_child_wakes_the_herd() {
    let r = report("compare-zk-herd");
    assert_eq!(row(&r, "notifications"), (json!(6), json!(3), true));
    assert_eq!(
        row(&r, "acquisitions"),
        (json!([3, 4, 5, 6]), json!([3, 4, 5, 6]), false)
    );
}

#[test]
fn counting_old_term_replicas_breaks_raft_the_rule_does_not() {
    let r = report("compare-raft-figure-8");
    assert_eq!(row(&r, "violations").0, json!(0));
    assert_eq!(
        row(&r, "invariants_broken"),
        (
            json!([]),
            json!(["leader-completeness", "state-machine-safety"]),
            true
        )
    );
    // The same elections on both sides: only the commit rule differs.
    assert!(!row(&r, "leader_changes").2);
    assert!(!row(&r, "messages").2);
}

#[test]
fn four_nodes_split_more_votes_than_five() {
    let r = report("compare-even-odd");
    assert_eq!(row(&r, "split_votes"), (json!(7), json!(1), true));
    assert_eq!((r.left.report.nodes, r.right.report.nodes), (4, 5));
}

#[test]
fn rows_are_read_from_the_reports_whatever_the_runs() {
    let c = &compare_preset("compare-zk-herd")
        .expect("preset")
        .comparison;
    let left = run(&c.left.scenario).expect("runs");
    let right = run(&c.right.scenario).expect("runs");
    assert_eq!(rows(&left, &right), c.run().expect("runs").rows);
    // A side against itself differs nowhere.
    assert!(rows(&left, &left).iter().all(|r| !r.differs));
}

#[test]
fn a_compare_link_round_trips_and_replays_both_sides_bit_for_bit() {
    for p in compare_presets() {
        let url = link::compare_link("https://example.org/play/", &p.comparison);
        assert!(link::has_compare(&url));
        assert!(!link::has_lesson(&url));
        let back = link::decode_compare(&url).expect("decodes");
        assert_eq!(back, p.comparison, "{}", p.id);
        let both = back.run().expect("runs");
        for (side, alone) in [
            (&both.left, &p.comparison.left.scenario),
            (&both.right, &p.comparison.right.scenario),
        ] {
            assert_eq!(
                side.report.trace_hash,
                run(alone).expect("runs").trace_hash,
                "{}: a side replays as its scenario alone",
                p.id
            );
        }
        // Each side is still a scenario: its own #s= link opens it alone.
        let alone = link::decode(&link::fragment(&p.comparison.left.scenario)).expect("s link");
        assert_eq!(alone, p.comparison.left.scenario);
        assert!(url.len() < 4_000, "{}: {} characters", p.id, url.len());
    }
}

#[test]
fn a_step_one_side_cannot_take_is_refused_naming_the_side_and_the_step() {
    // Bully has no "timeout" command; Raft does.
    let c = &compare_preset("compare-bully-raft-rejoin")
        .expect("preset")
        .comparison;
    let step = Step {
        at_ms: 600.0,
        act: Act::Command {
            node: NodeId::from_number(2).expect("node"),
            command: json!("timeout"),
        },
    };
    let e = c
        .with_step(step)
        .expect_err("bully cannot time out on command");
    match &e {
        CompareError::Side { side, error, .. } => {
            assert_eq!(*side, Which::Left);
            assert!(
                matches!(error, ScenarioError::Invalid { what, .. } if what == "timeline[2].command")
            );
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.starts_with("the left side (Bully): timeline[2].command"),
        "{text}"
    );

    // A node the smaller side does not have.
    let c = &compare_preset("compare-even-odd")
        .expect("preset")
        .comparison;
    let crash5 = Step {
        at_ms: 100.0,
        act: Act::Crash {
            node: NodeId::from_number(5).expect("node"),
        },
    };
    let e = c
        .with_step(crash5)
        .expect_err("4 nodes have no node 5")
        .to_string();
    assert!(e.starts_with("the left side (4 nodes): timeline[0]"), "{e}");

    // What both sides can take goes to both.
    let crash1 = Step {
        at_ms: 100.0,
        act: Act::Crash {
            node: NodeId::from_number(1).expect("node"),
        },
    };
    let both = c.with_step(crash1.clone()).expect("both crash node 1");
    assert_eq!(both.left.scenario.timeline, vec![crash1.clone()]);
    assert_eq!(both.right.scenario.timeline, vec![crash1]);
}

#[test]
fn a_comparison_of_two_families_or_two_lengths_is_refused() {
    let mut c = compare_preset("compare-zk-herd")
        .expect("preset")
        .comparison
        .clone();
    c.right.scenario.until_ms = 400.0;
    assert!(matches!(c.check(), Err(CompareError::Lengths { .. })));
    c.right.scenario = compare_preset("compare-even-odd")
        .expect("preset")
        .comparison
        .left
        .scenario
        .clone();
    c.right.scenario.until_ms = c.left.scenario.until_ms;
    let e = c.check().expect_err("a lock against an election");
    assert!(matches!(e, CompareError::Families { .. }), "{e}");
}

fn pack(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("#c={}", URL_SAFE_NO_PAD.encode(packed))
}

#[test]
fn a_broken_compare_link_is_refused_with_a_reason() {
    let err = |input: &str| link::decode_compare(input).expect_err(input);
    assert_eq!(err("https://example.org/"), CompareError::NoComparison);
    assert_eq!(err("#c="), CompareError::NoComparison);
    assert!(matches!(
        err("#c=@@@"),
        CompareError::Link(ScenarioError::NotBase64(_))
    ));
    assert!(matches!(
        err("#c=AAAA"),
        CompareError::Link(ScenarioError::NotCompressed(_))
    ));
    assert!(matches!(err(&pack("not json")), CompareError::NotJson(_)));
    assert_eq!(err(&pack(r#"{"v":9}"#)), CompareError::UnknownVersion(9));
    let mut value = serde_json::to_value(
        &compare_preset("compare-zk-herd")
            .expect("preset")
            .comparison,
    )
    .expect("serializes");
    value["colour"] = json!("red");
    let e = err(&pack(&value.to_string())).to_string();
    assert!(e.contains("unknown field `colour`"), "{e}");
    // A scenario link is not a comparison, and stays a scenario link.
    let s = &compare_preset("compare-zk-herd")
        .expect("preset")
        .comparison
        .left
        .scenario;
    let s_link = link::link("https://example.org/", s);
    assert_eq!(err(&s_link), CompareError::NoComparison);
    assert_eq!(&link::decode(&s_link).expect("scenario"), s);
    // A bomb stops at the cap.
    let bomb = format!("{{\"v\":1,\"title\":\"{}\"}}", "a".repeat(2_000_000));
    assert!(matches!(
        err(&pack(&bomb)),
        CompareError::Link(ScenarioError::TooLarge { .. })
    ));
    // A link that decodes but whose side does not load names the side.
    value = serde_json::to_value(
        &compare_preset("compare-zk-herd")
            .expect("preset")
            .comparison,
    )
    .expect("serializes");
    value["right"]["scenario"]["nodes"] = json!(10_000);
    let e = link::decode_compare(&pack(&value.to_string()))
        .expect("the format is fine")
        .check()
        .expect_err("10 000 nodes")
        .to_string();
    assert!(
        e.starts_with("the right side (watch the predecessor): nodes is 10000"),
        "{e}"
    );
}
