//! Consensus under random faults: whatever the network and the learner do (crashes,
//! recoveries, partitions, one-way cuts, loss, duplication, reordering, dropped, delayed and
//! duplicated messages, proposers told to start again at any moment), Paxos never chooses two
//! values and Multi-Paxos never two in one slot. Progress is not promised and not checked.
//!
//! Faults fall in the first 150 ms, where proposers race, and crashes, recoveries and commands
//! are drawn more often than in `safety.rs`: an acceptor that forgets its promise on a crash
//! is caught within the 1 000 cases this way, and was not with the mutex tests' mix.

mod common;

use clusterplay_scenario::model::Scenario;
use common::faults::{self, checked, Draw, Mix, BASE};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Three to five nodes, faults in the first 150 ms of a 300 ms run: crashes and recoveries
/// three times as likely as any one network fault, `commands` twice as likely.
fn scenario(
    protocol: &'static str,
    commands: &'static [&'static str],
) -> impl Strategy<Value = Scenario> {
    faults::scenario(
        protocol,
        3..6,
        Mix {
            until_ms: 300.0,
            window_ms: 150,
            crash: 3,
            recover: 3,
            command: 2,
            commands,
            write: command,
            ..BASE
        },
    )
}

/// A command by name; `propose-value` is Multi-Paxos's client value, unique per moment.
fn command(name: &str, d: &Draw) -> Value {
    match name {
        "propose-value" => json!({ "propose": format!("v{}", d.us) }),
        _ => json!(name),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(1_000)))]

    /// Three proposers with different values start close together, retry quickly and are told
    /// to start again at random: never two values chosen, by acceptors' histories or learners.
    #[test]
    fn paxos_never_chooses_two_values(s in scenario("paxos", &["propose"])) {
        let mut s = s;
        s.params.insert("proposers".into(), json!([
            {"node": 1, "value": 10, "n": 1, "start_ms": 0},
            {"node": 2, "value": 20, "n": 2, "start_ms": 3},
            {"node": 3, "value": 30, "n": 3, "start_ms": 6},
        ]));
        s.params.insert("backoff_ms".into(), json!([0, 20]));
        s.params.insert("round_timeout_ms".into(), json!(60));
        checked(&s)?;
    }

    /// Multi-Paxos with clients writing to whoever they pick and nodes told to take over at
    /// random, on top of short leader timeouts: never two values chosen in one slot.
    #[test]
    fn multi_paxos_never_chooses_two_values_in_a_slot(
        s in scenario("multi-paxos", &["propose-value", "propose-value", "take-over"])
    ) {
        let mut s = s;
        s.params.insert("heartbeat_ms".into(), json!(10));
        s.params.insert("leader_timeout_ms".into(), json!([20, 60]));
        checked(&s)?;
    }
}
