//! Every consensus preset does what its caption says, as `clusterplay run` reports it.

use clusterplay_scenario::{preset, run, Report};
use serde_json::{json, Value};

fn report(id: &str) -> Report {
    let r = run(&preset(id).unwrap().scenario).unwrap();
    assert!(r.violations.is_empty(), "{id}: {:?}", r.violations);
    r
}

fn proposer<'a>(r: &'a Report, name: &str) -> &'a Value {
    r.outcome["proposers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
}

#[test]
fn paxos_seed_b_adopts_8_and_4_8_is_chosen() {
    let r = report("paxos-seed");
    assert_eq!(r.outcome["chosen"], json!(8));
    assert_eq!(r.outcome["chosen_proposal"], json!({"n": 4, "v": 8}));
    // A got promises from X and Y and sent Accept [2, 8]; it was refused and never retried.
    let a = proposer(&r, "A");
    assert_eq!(a["numbers"], json!([2]));
    assert_eq!(
        a["accepts_sent"],
        json!([{"n": 2, "v": 8, "adopted": false}])
    );
    assert_eq!(a["refused"], json!(1));
    // B proposed 5 but had to adopt 8 from X's promise.
    let b = proposer(&r, "B");
    assert_eq!(b["value"], json!(5));
    assert_eq!(
        b["accepts_sent"],
        json!([{"n": 4, "v": 8, "adopted": true}])
    );
    // Z refused A's prepare; Y and Z refused A's accept.
    assert_eq!(r.messages.by_type["nack"], 3);
    for acceptor in r.outcome["acceptors"].as_array().unwrap() {
        assert_eq!(acceptor["promised"], json!(4));
        assert_eq!(acceptor["accepted"], json!({"n": 4, "v": 8}));
    }
    let learned = r.outcome["learned"].as_array().unwrap();
    assert_eq!(learned.len(), 5);
    assert!(learned.iter().all(|l| l["value"] == json!(8)));
}

#[test]
fn paxos_duelling_proposers_refuse_each_other_until_one_gets_through() {
    let r = report("paxos-duelling-proposers");
    let refused = r.outcome["refused_rounds"].as_u64().unwrap();
    assert!(refused >= 3, "only {refused} refused rounds");
    assert_eq!(refused, 10);
    for name in ["A", "B"] {
        assert!(
            proposer(&r, name)["refused"].as_u64().unwrap() >= 2,
            "{name}"
        );
    }
    assert_eq!(r.outcome["chosen"], json!(1));
    assert_eq!(r.outcome["chosen_proposal"], json!({"n": 51, "v": 1}));
    assert!(r.outcome["chosen_at_ms"].as_f64().unwrap() > 150.0);
}

#[test]
fn paxos_minority_down_two_down_nothing_one_down_chosen() {
    let r = report("paxos-minority-down");
    // Rounds 1, 11 and 21 ran while Y and Z were down; round 31 after Y came back.
    assert_eq!(proposer(&r, "A")["numbers"], json!([1, 11, 21, 31]));
    assert_eq!(r.outcome["chosen"], json!(8));
    assert_eq!(r.outcome["chosen_proposal"], json!({"n": 31, "v": 8}));
    assert!(r.outcome["chosen_at_ms"].as_f64().unwrap() > 250.0);
    let z = &r.outcome["acceptors"][2];
    assert_eq!(z["name"], json!("Z"));
    assert_eq!(z["up"], json!(false));
    assert_eq!(z["accepted"], Value::Null);
}

#[test]
fn multi_paxos_steady_one_round_trip_per_value_after_one_phase_1() {
    let r = report("multi-paxos-steady");
    assert_eq!(r.outcome["phase1_runs"], json!(1));
    assert_eq!(r.messages.by_type["prepare"], 4);
    assert_eq!(r.messages.by_type["promise"], 4);
    assert_eq!(r.outcome["client_values"], json!(5));
    // One Accept to each of the four others and four Accepted back per value: 2(n−1) = 8.
    assert_eq!(r.messages.by_type["accept"], 5 * 4);
    assert_eq!(r.messages.by_type["accepted"], 5 * 4);
    assert_eq!(r.outcome["messages_per_value"], json!(8.0));
    assert_eq!(r.outcome["formula_value"], json!(8));
    let log = json!(["x=1", "y=2", "z=3", "x=4", "y=5"]);
    assert_eq!(r.outcome["log"], log);
    let chosen = r.outcome["chosen"].as_array().unwrap();
    let slots: Vec<u64> = chosen.iter().map(|c| c["slot"].as_u64().unwrap()).collect();
    assert_eq!(slots, [1, 2, 3, 4, 5]);
    let times: Vec<f64> = chosen
        .iter()
        .map(|c| c["at_ms"].as_f64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    assert!(chosen.iter().all(|c| c["ballot"] == json!("1.1")));
    for node in r.outcome["logs"].as_array().unwrap() {
        assert_eq!(node["chosen"], log, "node {}", node["node"]);
    }
}

#[test]
fn multi_paxos_takeover_re_proposes_the_value_one_acceptor_held() {
    let r = report("multi-paxos-takeover");
    assert_eq!(r.outcome["phase1_runs"], json!(2));
    assert_eq!(r.outcome["leader"], json!(2));
    assert_eq!(r.outcome["ballot"], json!("2.2"));
    assert_eq!(r.outcome["log"], json!(["x=1", "y=2", "z=3", "x=4"]));
    let chosen = r.outcome["chosen"].as_array().unwrap();
    // z=3 reached only node 2 before node 1 crashed: it was chosen only under the new ballot,
    // after the takeover at 150 ms.
    assert_eq!(chosen[2]["value"], json!("z=3"));
    assert_eq!(chosen[2]["ballot"], json!("2.2"));
    assert!(chosen[2]["at_ms"].as_f64().unwrap() > 150.0);
    assert_eq!(chosen[3]["slot"], json!(4));
    assert_eq!(chosen[3]["value"], json!("x=4"));
    for node in r.outcome["logs"].as_array().unwrap().iter().skip(1) {
        assert_eq!(node["chosen"], r.outcome["log"], "node {}", node["node"]);
    }
}
