//! Safety under random faults: whatever the network and the learner do (crashes, recoveries,
//! partitions, one-way cuts, loss, duplication, reordering, dropped, delayed and duplicated
//! messages), no mutex variant ever lets two programs at the coffee machine at once, Raft never
//! has two leaders in one term and keeps its logs safe (Figure 3 of the paper), and ZAB never
//! establishes two leaders in one epoch. A crash may stall
//! everyone; that is the algorithm, not a bug, and it is not checked here.

mod common;

use clusterplay_scenario::model::{Act, Scenario, Step};
use clusterplay_scenario::run;
use common::faults::{self, checked, node, Mix, BASE};
use proptest::prelude::*;

/// The base mix on three to eight nodes, with the learner's `commands` twice as likely as any
/// one fault.
fn scenario_with(
    protocol: &'static str,
    commands: &'static [&'static str],
) -> impl Strategy<Value = Scenario> {
    faults::scenario(
        protocol,
        3..9,
        Mix {
            command: 2,
            commands,
            ..BASE
        },
    )
}

/// A mutex variant's scenario: programs ask for the machine and use it for 15 ms.
fn scenario(protocol: &'static str) -> impl Strategy<Value = Scenario> {
    scenario_with(protocol, &["request"]).prop_map(|mut s| {
        s.params.insert("use_ms".into(), serde_json::json!(15));
        s
    })
}

/// Programs ask for the machine while nodes crash and recover, on a network that loses nothing
/// and is never split: the faults a timeout-based remedy is built to survive.
const CRASHES_ONLY: Mix = Mix {
    command: 2,
    commands: &["request"],
    loss_permille: 0..1,
    partition: 0,
    heal: 0,
    cut: 0,
    restore: 0,
    drop: 0,
    delay: 0,
    ..BASE
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(1_000)))]

    #[test]
    fn central_never_admits_two(s in scenario("mutex-central")) {
        checked(&s)?;
    }

    #[test]
    fn ricart_agrawala_never_admits_two(s in scenario("mutex-ra")) {
        checked(&s)?;
    }

    /// With a failure detector Ricart–Agrawala is safe only while the detector is right: under
    /// crashes and recoveries, on a network that loses nothing and answers well within the
    /// timeout, it skips only programs that are down. (A partition fools it: presets.rs shows
    /// two programs at the machine.)
    #[test]
    fn ricart_agrawala_with_a_failure_detector_never_admits_two_after_crashes(
        s in faults::scenario(
            "mutex-ra",
            3..9,
            CRASHES_ONLY,
        )
    ) {
        let mut s = s;
        s.params.insert("use_ms".into(), serde_json::json!(15));
        s.params.insert("failure_timeout_ms".into(), serde_json::json!(100));
        checked(&s)?;
    }

    /// With a backup coordinator the central algorithm stays safe under crashes and
    /// recoveries of anyone, the primary and the backup included, as long as the primary's
    /// heartbeats reach the backup well within the takeover timeout (nothing lost, no
    /// partition): the backup takes over only from a primary that is down, and a primary that
    /// comes back asks before it grants.
    #[test]
    fn central_with_a_backup_never_admits_two_after_crashes(
        s in faults::scenario(
            "mutex-central",
            3..9,
            CRASHES_ONLY,
        )
    ) {
        let mut s = s;
        // Longer than the takeover, so that a holder can still be at the machine when the
        // backup takes over.
        s.params.insert("use_ms".into(), serde_json::json!(150));
        s.params.insert("backup".into(), serde_json::json!(2));
        checked(&s)?;
    }

    #[test]
    fn token_ring_never_admits_two(s in scenario("mutex-token-ring")) {
        checked(&s)?;
    }

    /// With token recovery the ring stays safe under crashes and recoveries as long as every
    /// hand-off is acknowledged within the timeout (nothing lost, links well under it), however
    /// early programs start regeneration rounds: here long before a token could have gone
    /// round, so rounds meet a live token all the time.
    #[test]
    fn token_ring_with_recovery_never_admits_two_after_crashes(
        s in faults::scenario(
            "mutex-token-ring",
            3..9,
            CRASHES_ONLY,
        )
    ) {
        let mut s = s;
        s.params.insert("use_ms".into(), serde_json::json!(15));
        s.params.insert("recovery_ms".into(), serde_json::json!(100));
        s.params.insert("regenerate_ms".into(), serde_json::json!(40));
        checked(&s)?;
    }

    /// Raft under the same faults, with learners forcing elections: never two leaders in one
    /// term.
    #[test]
    fn raft_never_elects_two_leaders_in_a_term(s in scenario_with("raft", &["timeout"])) {
        let mut s = s;
        s.params.insert("election_timeout_ms".into(), serde_json::json!([20, 60]));
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        checked(&s)?;
    }

    /// Raft log replication under the same faults, with clients writing to any node and
    /// learners forcing elections: Figure 3's four properties hold after every event.
    #[test]
    fn raft_log_keeps_figure_3(
        s in scenario_with("raft-log", &["timeout"]),
        puts in prop::collection::vec((0u32..400_000, 1u32..=8, 0u8..3), 1..25),
    ) {
        let mut s = s;
        s.params.insert("election_timeout_ms".into(), serde_json::json!([20, 60]));
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        for (us, n, key) in puts {
            s.timeline.push(Step {
                at_ms: f64::from(us) / 1000.0,
                act: Act::Command {
                    node: node(1 + (n - 1) % s.nodes),
                    command: serde_json::json!({"put": format!("{}={us}", ["x", "y", "z"][key as usize])}),
                },
            });
        }
        checked(&s)?;
    }

    /// ZAB under the same faults, with learners forcing new elections: never two leaders
    /// established in one epoch.
    #[test]
    fn zab_never_establishes_two_leaders_in_an_epoch(s in scenario_with("zab", &["look"])) {
        let mut s = s;
        s.params.insert("heartbeat_ms".into(), serde_json::json!(10));
        s.params.insert("leader_timeout_ms".into(), serde_json::json!(40));
        s.params.insert("resend_ms".into(), serde_json::json!(60));
        let data_ids: Vec<u32> = (0..s.nodes).map(|k| k * 7 % 5).collect();
        s.params.insert("data_ids".into(), serde_json::json!(data_ids));
        checked(&s)?;
    }

    #[test]
    fn two_layer_ring_never_admits_two(s in scenario("mutex-two-layer")) {
        let mut s = s;
        let groups = if s.nodes >= 4 { 2 } else { 1 };
        s.params.insert("groups".into(), serde_json::json!(groups));
        checked(&s)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(1_000)))]

    /// Bully promises no safety under faults (a returning node or a partition briefly gives two
    /// leaders: the presets show it), but once faults stop and the network heals, every live
    /// node follows the highest live node.
    #[test]
    fn bully_settles_on_the_highest_live_node(s in scenario_with("bully", &["elect"])) {
        let mut s = s;
        s.network.loss = 0.0;
        s.network.duplicate = 0.0;
        s.timeline.push(Step { at_ms: 450.0, act: Act::Heal });
        s.until_ms = 1500.0;
        let mut sim = clusterplay_scenario::load(&s).unwrap();
        sim.run_until(clusterplay_sim::ms(1500), 1_000_000);
        let cluster = sim.cluster();
        let highest = cluster.nodes.iter().filter(|n| n.up).map(|n| n.id).max();
        for n in cluster.nodes.iter().filter(|n| n.up) {
            let follows = n.fields.iter().find(|(k, _)| *k == "leader").map(|(_, v)| v.clone());
            prop_assert_eq!(follows, highest.map(|h| h.to_string()), "node {}", n.id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(100)))]

    /// Same scenario, same run: the trace hashes of two runs agree.
    #[test]
    fn runs_are_reproducible(s in scenario("mutex-ra")) {
        prop_assert_eq!(run(&s).unwrap().trace_hash, run(&s).unwrap().trace_hash);
    }
}
