//! Distributed transactions under random faults: crashes, recoveries, partitions, one-way cuts,
//! loss, duplication, reordering, and dropped, delayed, duplicated or early messages.
//!
//! Two-phase commit keeps atomicity whatever happens (it may block, which is not checked).
//! TCC and the message-queue schemes may disagree while faults go on, but once they stop, the
//! network heals, every node is back and the retries have gone through, every participant
//! agrees and nothing was done twice. A Saga, likewise, finishes with every step done or every
//! done step compensated.

mod common;

use clusterplay_scenario::model::{Act, Scenario, Step};
use common::faults::{self, checked, node, replay, Mix, BASE};
use proptest::prelude::*;
use serde_json::json;

/// Faults in the first 400 ms of a 600 ms run, crashes twice as likely as any other fault and
/// message ids below 60; no commands drawn (the one transaction begins at the start).
const TRANSACTION: Mix = Mix {
    until_ms: 600.0,
    faults: 3..30,
    crash: 2,
    msgs: 60,
    ..BASE
};

/// Faults stop at 400 ms: from 450 ms the network is whole and every node is up, and the run
/// goes on long enough for the retries to finish.
const FAULTS_STOP: Mix = Mix {
    until_ms: 3000.0,
    all_clear_ms: Some(450.0),
    ..TRANSACTION
};

/// A transaction begun at node 1 at the start, on a node count from `nodes`, under `mix`.
fn scenario(
    protocol: &'static str,
    nodes: std::ops::Range<u32>,
    mix: Mix,
) -> impl Strategy<Value = Scenario> {
    faults::scenario(protocol, nodes, mix).prop_map(|mut s| {
        let begin = Step {
            at_ms: 0.0,
            act: Act::Command {
                node: node(1),
                command: json!("begin"),
            },
        };
        s.timeline.insert(0, begin);
        s
    })
}

/// Under [`FAULTS_STOP`], on a network that loses and duplicates nothing.
fn then_faults_stop(
    protocol: &'static str,
    nodes: std::ops::Range<u32>,
) -> impl Strategy<Value = Scenario> {
    scenario(protocol, nodes, FAULTS_STOP).prop_map(|mut s| {
        s.network.loss = 0.0;
        s.network.duplicate = 0.0;
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(1_000)))]

    /// 2PC never lets one participant commit while another rolls back, whatever the votes, with
    /// or without cooperative termination.
    #[test]
    fn two_phase_commit_keeps_agreement(
        s in scenario("2pc", 2..8, TRANSACTION),
        votes in prop::collection::vec(prop::bool::weighted(0.8), 7),
        cooperative in any::<bool>(),
    ) {
        let mut s = s;
        let votes: Vec<&str> = votes[..s.nodes as usize - 1]
            .iter()
            .map(|yes| if *yes { "yes" } else { "no" })
            .collect();
        s.params.insert("votes".into(), json!(votes));
        s.params.insert("cooperative_termination".into(), json!(cooperative));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["agreement"], &json!(true));
    }

    /// TCC: once faults stop, everyone confirmed or everyone cancelled, nothing is left
    /// reserved, and nothing was used twice.
    #[test]
    fn tcc_agrees_once_faults_stop(s in then_faults_stop("tcc", 2..8), short in any::<bool>()) {
        let mut s = s;
        if short {
            s.params.insert("available".into(), json!([0]));
        }
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    /// The half-message scheme: once faults stop, order, payment and warehouse agree (paid and
    /// shipped exactly when the order is complete), and nobody was charged twice.
    #[test]
    fn message_queue_agrees_once_faults_stop(s in then_faults_stop("mq", 4..5), stock in 0u64..2) {
        let mut s = s;
        s.params.insert("stock".into(), json!(stock));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    #[test]
    fn local_message_table_agrees_once_faults_stop(
        s in then_faults_stop("mq-local-table", 4..5),
        stock in 0u64..2,
    ) {
        let mut s = s;
        s.params.insert("stock".into(), json!(stock));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    /// Saga: no step and no compensation runs twice and a finished saga leaves no step half
    /// undone, whatever happens; once faults stop it finishes, every step done or every done
    /// step compensated.
    #[test]
    fn saga_finishes_consistent_once_faults_stop(
        s in then_faults_stop("saga", 2..6),
        fails in prop::option::of(2u32..6),
    ) {
        let mut s = s;
        if let Some(n) = fails.filter(|n| *n <= s.nodes) {
            s.params.insert("fails".into(), json!(n));
        }
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    /// Under faults that never stop (loss and duplication too), the invariants still hold.
    #[test]
    fn saga_keeps_its_invariants_under_faults(s in scenario("saga", 2..6, TRANSACTION)) {
        checked(&s)?;
    }
}
