//! Distributed transactions under random faults: crashes, recoveries, partitions, one-way cuts,
//! loss, duplication, reordering, and dropped, delayed, duplicated or early messages.
//!
//! Two-phase commit keeps atomicity whatever happens (it may block, which is not checked).
//! TCC and the message-queue schemes may disagree while faults go on, but once they stop, the
//! network heals, every node is back and the retries have gone through, every participant
//! agrees and nothing was done twice.

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::{link, run, Report};
use clusterplay_sim::NodeId;
use proptest::prelude::*;
use serde_json::json;

fn node(k: u32) -> NodeId {
    NodeId::from_number(k).unwrap()
}

fn fault(nodes: u32) -> impl Strategy<Value = Step> {
    (0u32..400_000, 1..=nodes, 1..=nodes, 0u8..11, 0u64..60).prop_map(
        move |(us, a, b, kind, msg)| {
            let act = match kind {
                0 | 1 => Act::Crash { node: node(a) },
                2 => Act::Recover { node: node(a) },
                3 => Act::Partition {
                    groups: vec![(1..=a).map(node).collect()],
                },
                4 => Act::Heal,
                5 => Act::Cut {
                    from: node(a),
                    to: node(b),
                },
                6 => Act::Restore {
                    from: node(a),
                    to: node(b),
                },
                7 => Act::Drop { msg },
                8 => Act::Delay {
                    msg,
                    by_ms: f64::from(us % 50_000) / 1000.0,
                },
                9 => Act::Duplicate { msg },
                _ => Act::Deliver { msg },
            };
            Step {
                at_ms: f64::from(us) / 1000.0,
                act,
            }
        },
    )
}

fn scenario(
    protocol: &'static str,
    nodes: std::ops::Range<u32>,
) -> impl Strategy<Value = Scenario> {
    (
        nodes,
        any::<u64>(),
        (0u32..20, 0u32..20),
        (0u32..300, 0u32..300, any::<bool>()),
    )
        .prop_flat_map(|(nodes, seed, lat, net)| {
            (
                Just((nodes, seed, lat, net)),
                prop::collection::vec(fault(nodes), 3..30),
            )
        })
        .prop_map(
            move |((nodes, seed, (lo, extra), (loss, dup, reorder)), faults)| {
                let mut s = Scenario::new(protocol, nodes);
                s.seed = seed;
                s.until_ms = 600.0;
                s.network.latency_ms = [f64::from(lo) + 0.5, f64::from(lo + extra) + 0.5];
                s.network.loss = f64::from(loss) / 1000.0;
                s.network.duplicate = f64::from(dup) / 1000.0;
                s.network.reorder = reorder;
                s.timeline.push(Step {
                    at_ms: 0.0,
                    act: Act::Command {
                        node: node(1),
                        command: json!("begin"),
                    },
                });
                s.timeline.extend(faults);
                s
            },
        )
}

fn replay(s: &Scenario) -> String {
    link::link("http://127.0.0.1:8080/", s)
}

fn checked(s: &Scenario) -> Result<Report, TestCaseError> {
    let r = run(s).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        r.violations.is_empty(),
        "{:?}\nreplay: {}",
        r.violations,
        replay(s)
    );
    Ok(r)
}

/// Faults stop at 400 ms: from 450 ms the network is whole and reliable and every node is up,
/// and the run goes on long enough for the retries to finish.
fn then_faults_stop(mut s: Scenario) -> Scenario {
    s.network.loss = 0.0;
    s.network.duplicate = 0.0;
    s.timeline.push(Step {
        at_ms: 450.0,
        act: Act::Heal,
    });
    for a in 1..=s.nodes {
        for b in 1..=s.nodes {
            s.timeline.push(Step {
                at_ms: 450.0,
                act: Act::Restore {
                    from: node(a),
                    to: node(b),
                },
            });
        }
        s.timeline.push(Step {
            at_ms: 450.0,
            act: Act::Recover { node: node(a) },
        });
    }
    s.until_ms = 3000.0;
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// 2PC never lets one participant commit while another rolls back, whatever the votes.
    #[test]
    fn two_phase_commit_keeps_agreement(
        s in scenario("2pc", 2..8),
        votes in prop::collection::vec(prop::bool::weighted(0.8), 7),
    ) {
        let mut s = s;
        let votes: Vec<&str> = votes[..s.nodes as usize - 1]
            .iter()
            .map(|yes| if *yes { "yes" } else { "no" })
            .collect();
        s.params.insert("votes".into(), json!(votes));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["agreement"], &json!(true));
    }

    /// TCC: once faults stop, everyone confirmed or everyone cancelled, nothing is left
    /// reserved, and nothing was used twice.
    #[test]
    fn tcc_agrees_once_faults_stop(s in scenario("tcc", 2..8), short in any::<bool>()) {
        let mut s = then_faults_stop(s);
        if short {
            s.params.insert("available".into(), json!([0]));
        }
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    /// The half-message scheme: once faults stop, order, payment and warehouse agree (paid and
    /// shipped exactly when the order is complete), and nobody was charged twice.
    #[test]
    fn message_queue_agrees_once_faults_stop(s in scenario("mq", 4..5), stock in 0u64..2) {
        let mut s = then_faults_stop(s);
        s.params.insert("stock".into(), json!(stock));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }

    #[test]
    fn local_message_table_agrees_once_faults_stop(
        s in scenario("mq-local-table", 4..5),
        stock in 0u64..2,
    ) {
        let mut s = then_faults_stop(s);
        s.params.insert("stock".into(), json!(stock));
        let r = checked(&s)?;
        prop_assert_eq!(&r.outcome["consistent"], &json!(true), "{}\nreplay: {}", r.outcome, replay(&s));
    }
}
