//! Every distributed-transaction preset does what its caption says, as `clusterplay run`
//! reports it.

mod remedy;

use clusterplay_scenario::{preset, run, Act, Report, Scenario, Step};
use clusterplay_sim::NodeId;
use remedy::failure_and_remedy;
use serde_json::{json, Value};

fn report(id: &str) -> Report {
    run(&preset(id).unwrap().scenario).unwrap()
}

fn node(n: u32) -> NodeId {
    NodeId::from_number(n).unwrap()
}

fn participant(r: &Report, node: u32) -> &Value {
    r.outcome["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["node"] == json!(node))
        .unwrap()
}

fn held_ms(r: &Report, node: u32) -> f64 {
    participant(r, node)["locks_held_ms"].as_f64().unwrap()
}

#[test]
fn two_pc_seed_tshirt_aborts_and_every_participant_rolls_back() {
    let r = report("2pc-seed-tshirt");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["rolled_back"], json!([2, 3]));
    assert_eq!(r.outcome["committed"], json!([]));
    assert_eq!(participant(&r, 2)["vote"], json!("yes"));
    assert_eq!(participant(&r, 2)["name"], json!("order system"));
    assert_eq!(participant(&r, 3)["vote"], json!("no"));
    for node in [2, 3] {
        assert_eq!(participant(&r, node)["state"], json!("rolled-back"));
        assert_eq!(participant(&r, node)["holding_locks"], json!(false));
    }
    // The order system locked until DoAbort; the inventory never locked.
    assert!(held_ms(&r, 2) > 0.0);
    assert_eq!(held_ms(&r, 3), 0.0);
    for kind in ["can-commit", "vote", "do-abort", "have-committed"] {
        assert_eq!(r.messages.by_type[kind], 2, "{kind}");
    }
    assert!(!r.messages.by_type.contains_key("do-commit"));
    assert!(r.outcome["time_to_decision_ms"].as_f64().unwrap() > 0.0);
    assert!(r.violations.is_empty());
}

#[test]
fn two_pc_commit_everyone_commits_in_twelve_messages() {
    let r = report("2pc-commit");
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["committed"], json!([2, 3, 4]));
    assert_eq!(r.outcome["all_decided"], json!(true));
    assert_eq!(r.messages.total, 12);
    for node in 2..=4 {
        assert!(held_ms(&r, node) > 0.0);
        assert_eq!(participant(&r, node)["holding_locks"], json!(false));
    }
    assert!(r.violations.is_empty());
}

#[test]
fn two_pc_coordinator_crash_blocks_everyone_holds_locks_forever() {
    let r = report("2pc-coordinator-crash-blocks");
    assert_eq!(r.outcome["decision"], Value::Null);
    assert_eq!(r.outcome["in_doubt"], json!([2, 3, 4]));
    assert_eq!(r.outcome["committed"], json!([]));
    assert_eq!(r.outcome["rolled_back"], json!([]));
    for node in 2..=4 {
        assert_eq!(participant(&r, node)["holding_locks"], json!(true));
        assert!(held_ms(&r, node) > 1800.0);
    }
    assert!(r.messages.by_type["query"] > 0, "they ask in vain");
    assert!(r.violations.is_empty(), "blocking, not inconsistency");
    // Ten times longer changes nothing.
    let mut s = preset("2pc-coordinator-crash-blocks")
        .unwrap()
        .scenario
        .clone();
    s.until_ms *= 10.0;
    let long = run(&s).unwrap();
    assert_eq!(long.outcome["in_doubt"], json!([2, 3, 4]));
    assert!(held_ms(&long, 2) > 18_000.0);
}

#[test]
fn two_pc_partial_commit_some_committed_the_others_in_doubt() {
    let r = report("2pc-partial-commit");
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["committed"], json!([2]));
    assert_eq!(r.outcome["in_doubt"], json!([3, 4]));
    assert_eq!(r.outcome["agreement"], json!(true));
    assert_eq!(r.outcome["all_decided"], json!(false));
    assert_eq!(r.messages.by_type["do-commit"], 1);
    assert_eq!(participant(&r, 2)["holding_locks"], json!(false));
    assert_eq!(participant(&r, 3)["holding_locks"], json!(true));
    assert!(r.violations.is_empty(), "a state, not a violation");
}

#[test]
fn two_pc_extreme_case_leaves_nobody_alive_who_knows() {
    let r = report("2pc-extreme-case");
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["committed"], json!([2]));
    assert_eq!(r.outcome["in_doubt"], json!([3, 4]));
    assert_eq!(r.outcome["all_decided"], json!(false));
    // They asked each other and the dead, in vain, all run long.
    assert!(r.messages.by_type["peer-answer"] > 0);
    for node in [3, 4] {
        assert_eq!(participant(&r, node)["holding_locks"], json!(true));
    }
    assert!(r.violations.is_empty(), "blocking, not disagreement");
    // Without node 2's crash, asking each other ends it: node 2 tells them commit.
    let mut s = preset("2pc-extreme-case").unwrap().scenario.clone();
    s.timeline.retain(|step| step.at_ms != 40.0);
    let r = run(&s).unwrap();
    assert_eq!(r.outcome["committed"], json!([2, 3, 4]));
}

#[test]
fn two_pc_coordinator_recovers_and_finishes_from_its_log() {
    // The partial commit's scenario, with the coordinator back at 500 ms.
    let r = report("2pc-coordinator-recovers");
    let mut partial = preset("2pc-partial-commit").unwrap().scenario.clone();
    partial.timeline.push(clusterplay_scenario::Step {
        at_ms: 500.0,
        act: clusterplay_scenario::Act::Recover {
            node: clusterplay_sim::NodeId::from_number(1).unwrap(),
        },
    });
    assert_eq!(
        preset("2pc-coordinator-recovers").unwrap().scenario,
        partial
    );
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["committed"], json!([2, 3, 4]));
    assert_eq!(r.outcome["in_doubt"], json!([]));
    assert_eq!(r.outcome["all_decided"], json!(true));
    for node in [2, 3, 4] {
        assert_eq!(participant(&r, node)["holding_locks"], json!(false));
    }
    assert!(r.violations.is_empty());
}

#[test]
fn two_pc_cooperative_termination_ends_the_partial_commit() {
    let (without, with) = failure_and_remedy(
        "2pc-partial-commit",
        "2pc-partial-commit-cooperative",
        "cooperative_termination",
        json!(true),
    );
    assert_eq!(without.outcome["in_doubt"], json!([3, 4]));
    assert!(!without.messages.by_type.contains_key("peer-answer"));
    // Nodes 3 and 4 hear "commit" from node 2, the one DoCommit reached.
    assert_eq!(with.outcome["decision"], json!("commit"));
    assert_eq!(with.outcome["committed"], json!([2, 3, 4]));
    assert_eq!(with.outcome["in_doubt"], json!([]));
    assert_eq!(with.outcome["all_decided"], json!(true));
    assert_eq!(
        with.messages.by_type["do-commit"], 1,
        "the coordinator stays down"
    );
    for node in [3, 4] {
        assert_eq!(participant(&with, node)["holding_locks"], json!(false));
        assert!(
            held_ms(&with, node) < 200.0,
            "{node} waits one timeout, not forever"
        );
    }
    assert!(with.violations.is_empty());
}

#[test]
fn two_pc_cooperative_termination_still_blocks_when_everyone_voted_yes() {
    let (without, with) = failure_and_remedy(
        "2pc-coordinator-crash-blocks",
        "2pc-coordinator-crash-cooperative",
        "cooperative_termination",
        json!(true),
    );
    for r in [&without, &with] {
        assert_eq!(r.outcome["in_doubt"], json!([2, 3, 4]));
        assert_eq!(r.outcome["committed"], json!([]));
        assert_eq!(r.outcome["rolled_back"], json!([]));
        assert!(r.violations.is_empty());
    }
    // They do ask each other, and every answer is "don't know".
    assert!(with.messages.by_type["peer-answer"] >= 6);
    assert!(with.messages.by_type["query"] > without.messages.by_type["query"]);
}

/// The other half of the rule: a participant that voted No, or never voted, settles it.
#[test]
fn two_pc_cooperative_termination_aborts_when_someone_voted_no_or_never_voted() {
    let blocked = preset("2pc-coordinator-crash-blocks")
        .unwrap()
        .scenario
        .clone();
    let variant = |cooperative: bool, change: &dyn Fn(&mut Scenario)| {
        let mut s = blocked.clone();
        s.params
            .insert("cooperative_termination".into(), json!(cooperative));
        change(&mut s);
        run(&s).unwrap()
    };
    let voted_no = |s: &mut Scenario| {
        s.params.insert("votes".into(), json!(["yes", "yes", "no"]));
    };
    // Node 4 is down while CanCommit would reach it: it comes back without having voted.
    let never_voted = |s: &mut Scenario| {
        s.timeline.push(Step {
            at_ms: 1.0,
            act: Act::Crash { node: node(4) },
        });
        s.timeline.push(Step {
            at_ms: 50.0,
            act: Act::Recover { node: node(4) },
        });
    };
    for change in [&voted_no as &dyn Fn(&mut Scenario), &never_voted] {
        let alone = variant(false, change);
        assert_eq!(alone.outcome["in_doubt"], json!([2, 3]));
        let together = variant(true, change);
        assert_eq!(together.outcome["rolled_back"], json!([2, 3, 4]));
        assert_eq!(together.outcome["in_doubt"], json!([]));
        assert!(together.violations.is_empty());
    }
}

#[test]
fn three_pc_coordinator_crash_nobody_blocks() {
    let r = report("3pc-coordinator-crash-no-block");
    assert_eq!(
        r.outcome["decision"],
        Value::Null,
        "the coordinator never decided"
    );
    assert_eq!(r.outcome["committed"], json!([2, 3, 4]));
    assert_eq!(r.outcome["in_doubt"], json!([]));
    assert_eq!(r.outcome["finished_ms"], json!(180.0));
    assert!(!r.messages.by_type.contains_key("do-commit"));
    for node in 2..=4 {
        assert_eq!(participant(&r, node)["holding_locks"], json!(false));
    }
    assert!(r.violations.is_empty());
}

/// Issue 18: 3PC disagrees without any partition: one late PreCommit and a crashed
/// coordinator are enough.
#[test]
fn three_pc_one_late_precommit_and_a_crash_make_participants_disagree() {
    let preset = clusterplay_scenario::preset("3pc-slow-precommit-disagree").unwrap();
    assert!(
        preset.scenario.timeline.iter().all(|s| !matches!(
            s.act,
            clusterplay_scenario::Act::Partition { .. } | clusterplay_scenario::Act::Cut { .. }
        )),
        "no partition, no cut link"
    );
    let r = report("3pc-slow-precommit-disagree");
    assert_eq!(
        r.outcome["decision"],
        Value::Null,
        "the coordinator never decided"
    );
    assert_eq!(r.outcome["committed"], json!([3, 4]));
    assert_eq!(r.outcome["rolled_back"], json!([2]));
    assert_eq!(r.outcome["agreement"], json!(false));
    assert_eq!(
        participant(&r, 2)["locks_held_ms"],
        json!(0.0),
        "node 2 never got PreCommit in time"
    );
    let v = &r.violations[0];
    assert_eq!(v.invariant, "atomicity");
    assert_eq!(v.time_ms, 180.0);
    // The same scenario without the delay is 3pc-coordinator-crash-no-block: everyone commits.
    let mut on_time = preset.scenario.clone();
    on_time
        .timeline
        .retain(|s| !matches!(s.act, clusterplay_scenario::Act::Delay { .. }));
    assert_eq!(
        on_time,
        clusterplay_scenario::preset("3pc-coordinator-crash-no-block")
            .unwrap()
            .scenario
    );
}

#[test]
fn three_pc_partition_divergence_reports_the_atomicity_violation() {
    let r = report("3pc-partition-divergence");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["rolled_back"], json!([2]));
    assert_eq!(r.outcome["committed"], json!([3, 4]));
    assert_eq!(r.outcome["agreement"], json!(false));
    assert_eq!(r.outcome["time_to_decision_ms"], json!(120.0));
    let v = &r.violations[0];
    assert_eq!(v.invariant, "atomicity");
    assert_eq!(v.time_ms, 180.0);
    assert!(v.text.contains("rolled back"), "{}", v.text);
    assert!(r.violations.iter().all(|v| v.invariant == "atomicity"));
    let last = r.violations.last().unwrap();
    assert_eq!(last.nodes, vec![3, 4, 2]);
}

#[test]
fn tcc_cancel_one_try_fails_every_reservation_is_cancelled() {
    let r = report("tcc-cancel");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["rolled_back"], json!([2, 3, 4]));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(participant(&r, 3)["try"], json!("failed"));
    for (node, available) in [(2, 100), (3, 30), (4, 500)] {
        let p = participant(&r, node);
        assert_eq!(p["state"], json!("cancelled"));
        assert_eq!(p["available"], json!(available), "node {node}");
        assert_eq!(p["reserved"], json!(0));
        assert_eq!(p["used"], json!(0));
    }
    assert_eq!(r.messages.by_type["cancel"], 3);
    assert!(!r.messages.by_type.contains_key("confirm"));
    assert!(r.violations.is_empty());
}

#[test]
fn tcc_idempotent_confirm_arrives_twice_and_takes_once() {
    let r = report("tcc-idempotent-confirm");
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["committed"], json!([2, 3]));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(r.messages.dropped, 1);
    assert_eq!(r.messages.by_type["confirm"], 3);
    let payment = participant(&r, 3);
    assert_eq!(payment["confirms_received"], json!(2));
    assert_eq!(payment["used"], json!(50));
    assert_eq!(payment["available"], json!(100));
    assert_eq!(participant(&r, 2)["confirms_received"], json!(1));
    assert!(r.violations.is_empty());
}

fn queue_status(r: &Report) -> Vec<(String, String, u64)> {
    r.outcome["queue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["status"].as_str().unwrap().to_string(),
                m["attempts"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn assert_completed_once(r: &Report) {
    assert_eq!(r.outcome["decision"], json!("commit"));
    assert_eq!(r.outcome["order"], json!("completed"));
    assert_eq!(r.outcome["payment"]["balance"], json!(100));
    assert_eq!(r.outcome["warehouse"]["stock"], json!(9));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert!(r.violations.is_empty());
}

#[test]
fn mq_happy_path_pays_50_of_150_and_ships() {
    let r = report("mq-happy-path");
    assert_completed_once(&r);
    assert_eq!(r.outcome["time_to_decision_ms"], json!(120.0));
    assert_eq!(r.messages.by_type["half-message"], 2);
    assert_eq!(r.messages.by_type["confirm"], 2);
    assert_eq!(r.outcome["redeliveries"], json!(0));
    assert!(queue_status(&r)
        .iter()
        .all(|(_, s, n)| s == "consumed" && *n == 1));
}

#[test]
fn mq_half_message_lost_the_order_system_does_nothing() {
    let r = report("mq-half-message-lost");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["order"], json!("abandoned"));
    assert_eq!(r.outcome["payment"]["balance"], json!(150));
    assert_eq!(r.outcome["warehouse"]["stock"], json!(10));
    assert_eq!(r.outcome["queue"], json!([]));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(r.messages.total, 1);
    assert_eq!(r.messages.dropped, 1);
}

#[test]
fn mq_ack_lost_the_queue_delivers_again_and_nothing_is_paid_twice() {
    let r = report("mq-ack-lost");
    assert_completed_once(&r);
    assert_eq!(r.messages.dropped, 1);
    assert_eq!(r.outcome["redeliveries"], json!(1));
    assert_eq!(queue_status(&r)[0], ("m1".into(), "consumed".into(), 2));
    assert_eq!(r.outcome["payment"]["processed"], json!(1));
}

/// Issue 18: the text's own answer to a lost acknowledgement: the queue checks with the
/// payment system, which rolls back; the message is deleted and the order cancelled. The same
/// run without the parameter is mq-ack-lost, which delivers again.
#[test]
fn mq_ack_lost_rolled_back_as_the_text_tells_it() {
    let r = report("mq-ack-lost-rolled-back");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["order"], json!("cancelled"));
    assert_eq!(
        r.outcome["payment"]["balance"],
        json!(150),
        "the payment is rolled back"
    );
    assert_eq!(r.outcome["payment"]["paid"], json!(false));
    assert_eq!(r.outcome["warehouse"]["shipped"], json!(false));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(
        r.outcome["redeliveries"],
        json!(0),
        "the queue asks instead"
    );
    assert_eq!(r.messages.by_type["check-result"], 1);
    assert_eq!(queue_status(&r)[0], ("m1".into(), "deleted".into(), 2));
    assert_eq!(r.outcome["time_to_decision_ms"], json!(110.0));
    let mut redeliver = clusterplay_scenario::preset("mq-ack-lost-rolled-back")
        .unwrap()
        .scenario
        .clone();
    redeliver.params.clear();
    assert_eq!(
        redeliver,
        clusterplay_scenario::preset("mq-ack-lost")
            .unwrap()
            .scenario
    );
}

#[test]
fn mq_confirm_lost_the_queue_checks_back() {
    let r = report("mq-confirm-lost");
    assert_completed_once(&r);
    assert_eq!(r.messages.by_type["check-back"], 1);
    assert_eq!(r.messages.by_type["confirm"], 3);
    assert_eq!(r.outcome["redeliveries"], json!(0));
}

#[test]
fn mq_compensation_refunds_when_the_warehouse_fails() {
    let r = report("mq-compensation");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["order"], json!("cancelled"));
    assert_eq!(r.outcome["payment"]["balance"], json!(150));
    assert_eq!(r.outcome["payment"]["refunded"], json!(true));
    assert_eq!(r.outcome["warehouse"]["shipped"], json!(false));
    assert_eq!(r.outcome["consistent"], json!(true));
    let ids: Vec<String> = queue_status(&r).into_iter().map(|q| q.0).collect();
    assert_eq!(ids, ["m1", "r1", "m2", "r2", "m3"]);
    assert!(r.violations.is_empty());
}

#[test]
fn mq_insufficient_balance_fails_the_payment_and_cancels_the_order() {
    let r = report("mq-insufficient-balance");
    assert_eq!(r.outcome["decision"], json!("abort"));
    assert_eq!(r.outcome["order"], json!("cancelled"));
    assert_eq!(
        r.outcome["payment"],
        json!({"balance": 30, "paid": false, "processed": 1, "refunded": false})
    );
    assert_eq!(r.outcome["warehouse"]["processed"], json!(0));
    assert_eq!(r.outcome["warehouse"]["shipped"], json!(false));
    assert_eq!(r.outcome["consistent"], json!(true));
    let queue: Vec<(String, String)> = r.outcome["queue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["body"].as_str().unwrap().into(),
                m["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        queue,
        [
            ("pay".into(), "consumed".into()),
            ("pay failed".into(), "consumed".into())
        ]
    );
    assert!(r.violations.is_empty());
    assert_eq!(r.messages.dropped, 0);
}

#[test]
fn mq_local_table_keeps_the_message_until_the_queue_is_back() {
    let r = report("mq-local-table");
    assert_completed_once(&r);
    assert_eq!(r.messages.by_type["publish"], 5);
    assert_eq!(r.messages.dropped, 3);
    assert!(!r.messages.by_type.contains_key("half-message"));
    assert!(!r.messages.by_type.contains_key("check-back"));
    assert_eq!(r.outcome["local_message_table"], json!([]));
}

#[test]
fn saga_happy_path_does_every_step_in_turn() {
    let r = report("saga-happy-path");
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert_eq!(r.outcome["status"], json!("completed"));
    assert_eq!(r.outcome["completed"], json!(["payment", "warehouse"]));
    assert_eq!(r.outcome["compensated"], json!([]));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(r.messages.total, 4, "Do and Done for each of two steps");
    assert_eq!(r.outcome["finished_ms"], json!(26.492));
}

#[test]
fn saga_compensation_refunds_the_payment_when_the_warehouse_fails() {
    let r = report("saga-compensation");
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert_eq!(r.outcome["status"], json!("compensated"));
    assert_eq!(r.outcome["failed"], json!("warehouse"));
    assert_eq!(r.outcome["completed"], json!(["payment"]));
    assert_eq!(r.outcome["compensated"], json!(["payment"]));
    assert_eq!(r.outcome["consistent"], json!(true));
    assert_eq!(participant(&r, 2)["state"], json!("compensated"));
    assert_eq!(participant(&r, 3)["state"], json!("failed"));
    assert_eq!(
        r.messages.by_type.get("compensate"),
        Some(&1),
        "one compensation: the payment's"
    );
    assert_eq!(r.messages.total, 6);
}
