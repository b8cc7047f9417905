//! Exhaustive exploration of scenarios: the TwoPhase.tla calibration, failures found without a
//! script, blocking without disagreement, found paths replayed from their share links, and
//! symmetry reduction checked against orbits counted by brute force.

use clusterplay_protocols::transaction::tla_two_phase::{self as tla, TlaTwoPhase};
use clusterplay_scenario::explore::{explore, parse_faults, ExploreOptions, Finding, Semantics};
use clusterplay_scenario::{link, preset, run, Act, Scenario, Step};
use clusterplay_sim::explore::{Explorer, Snapshot};
use clusterplay_sim::NodeId;
use std::collections::HashSet;

fn options(faults: &str) -> ExploreOptions {
    ExploreOptions {
        semantics: Semantics::UnorderedDup,
        faults: parse_faults(faults).expect("faults"),
        ..ExploreOptions::default()
    }
}

fn scenario(id: &str) -> Scenario {
    preset(id).expect("preset").scenario.clone()
}

#[test]
fn the_tla_two_phase_preset_has_tlc_s_288_states() {
    let mut e = explore(&scenario("2pc-tla-twophase"), options("")).expect("explores");
    let p = e.run_for(u64::MAX);
    assert_eq!(p.unique_states, 288, "{p:?}");
    assert!(p.exhausted);
    let r = e.report();
    assert!(r.violations.is_empty());
    assert_eq!(r.depth + 1, 11, "TLC's depth counts the initial state");
}

#[test]
fn three_pc_without_its_scripted_partition_finds_the_disagreement_itself() {
    let mut s = scenario("3pc-partition-divergence");
    s.timeline
        .retain(|step| !matches!(step.act, Act::Partition { .. } | Act::Heal));
    let mut e = explore(&s, options("partition:1")).expect("explores");
    e.run_for(u64::MAX);
    let r = e.report();
    let v = r
        .violations
        .iter()
        .find(|v| v.invariant.as_deref() == Some("atomicity"))
        .unwrap_or_else(|| panic!("no disagreement found: {r:#?}"));
    let found = v.scenario.clone().unwrap_or_else(|| panic!("{v:#?}"));
    // The share link replays exactly the found interleaving, violation included.
    let replayed = link::decode(&link::fragment(&found)).expect("link");
    assert_eq!(replayed, found);
    let report = run(&replayed).expect("runs");
    assert!(
        report.violations.iter().any(|x| x.invariant == "atomicity"),
        "{report:#?}"
    );
}

#[test]
fn two_pc_with_crashes_blocks_but_never_disagrees_and_the_space_is_exhausted() {
    let mut e = explore(&scenario("2pc-commit"), options("crash:1")).expect("explores");
    let p = e.run_for(u64::MAX);
    assert!(p.exhausted, "{p:?}");
    let r = e.report();
    assert!(r.violations.is_empty(), "{:#?}", r.violations);
    assert!(r.blocked.states > 0, "{r:#?}");
    let first = r.blocked.first.expect("a blocked state");
    let s = first.scenario.expect("replays");
    let report = run(&link::decode(&link::fragment(&s)).expect("link")).expect("runs");
    assert!(report.violations.is_empty());
    println!("{}", serde_json::to_string_pretty(&report.outcome).unwrap());
}

#[test]
fn preset_2pc_tla_twophase_commits_with_six_messages() {
    let r = run(&scenario("2pc-tla-twophase")).expect("runs");
    assert!(r.violations.is_empty());
    assert_eq!(r.messages.total, 6);
    assert_eq!(r.messages.by_type.get("prepared"), Some(&3));
    assert_eq!(r.messages.by_type.get("commit"), Some(&3));
    assert_eq!(r.outcome["tm_state"], "committed");
    assert_eq!(r.outcome["committed"], serde_json::json!([2, 3, 4]));
    assert_eq!(r.outcome["consistent"], true);
}

fn symmetric(faults: &str) -> ExploreOptions {
    ExploreOptions {
        symmetry: true,
        ..options(faults)
    }
}

/// A TwoPhase state as TLC tells states apart: each node's state, the set of messages, the
/// armed timers (the spec's enabled spontaneous steps), all written out.
type TwoPhaseKey = (Vec<String>, Vec<String>, Vec<String>);

/// `s` with its RMs renamed by `p` (node `i` becomes node `p[i]`; the TM, node 0, stays),
/// renamed by hand here rather than by the protocol's `rename_state`.
fn two_phase_key(s: &Snapshot<TlaTwoPhase>, p: &[usize]) -> TwoPhaseKey {
    let mut nodes = vec![String::new(); s.nodes.len()];
    for (i, slot) in s.nodes.iter().enumerate() {
        let state = match slot.state {
            tla::State::Tm { state, prepared } => {
                let mut moved = 0u128;
                for (j, to) in p.iter().enumerate() {
                    if prepared & (1 << j) != 0 {
                        moved |= 1 << to;
                    }
                }
                tla::State::Tm {
                    state,
                    prepared: moved,
                }
            }
            rm => rm,
        };
        nodes[p[i]] = format!("{} {state:?}", slot.up);
    }
    let mut net: Vec<String> = s
        .messages
        .iter()
        .map(|(from, to, m)| format!("{} {} {m:?}", p[from.index()], p[to.index()]))
        .collect();
    net.sort();
    let mut timers: Vec<String> = s
        .timers
        .iter()
        .map(|(n, t)| format!("{} {t:?}", p[n.index()]))
        .collect();
    timers.sort();
    (nodes, net, timers)
}

#[test]
fn symmetry_keeps_one_of_tlc_s_288_states_per_renaming_of_the_rms() {
    // Every state of TwoPhase with three RMs, from the explorer without symmetry...
    let mut plain = Explorer::new(TlaTwoPhase::default(), 4, Vec::new(), options(""));
    assert_eq!(plain.run().unique_states, 288);
    let states: Vec<Snapshot<TlaTwoPhase>> = (0..288)
        .map(|id| plain.state_along(&plain.path(id)).expect("a path it took"))
        .collect();
    let identity = [0, 1, 2, 3];
    let distinct: HashSet<TwoPhaseKey> =
        states.iter().map(|s| two_phase_key(s, &identity)).collect();
    assert_eq!(distinct.len(), 288);
    // ...grouped into orbits by trying all six renamings of the RMs on each.
    let renamings: Vec<[usize; 4]> = vec![
        [0, 1, 2, 3],
        [0, 1, 3, 2],
        [0, 2, 1, 3],
        [0, 2, 3, 1],
        [0, 3, 1, 2],
        [0, 3, 2, 1],
    ];
    let orbits: HashSet<TwoPhaseKey> = states
        .iter()
        .map(|s| {
            renamings
                .iter()
                .map(|p| two_phase_key(s, p))
                .min()
                .expect("six")
        })
        .collect();
    assert_eq!(orbits.len(), 80);

    let mut e = explore(&scenario("2pc-tla-twophase"), symmetric("")).expect("explores");
    let p = e.run_for(u64::MAX);
    assert_eq!(p.unique_states, orbits.len() as u64, "{p:?}");
    assert!(p.exhausted);
    let r = e.report();
    assert_eq!(r.symmetry, [[2, 3, 4]]);
    assert!(r.violations.is_empty());
    assert_eq!(
        r.depth, 10,
        "the same distances: one state of each orbit is as near as any"
    );
}

#[test]
fn three_pc_with_symmetry_still_finds_the_disagreement_and_its_link_replays_it() {
    let mut s = scenario("3pc-partition-divergence");
    s.timeline
        .retain(|step| !matches!(step.act, Act::Partition { .. } | Act::Heal));
    let mut plain = explore(&s, options("partition:1")).expect("explores");
    let all = plain.run_for(u64::MAX);
    let mut e = explore(&s, symmetric("partition:1")).expect("explores");
    let reduced = e.run_for(u64::MAX);
    assert!(
        reduced.unique_states * 3 < all.unique_states,
        "{reduced:?} {all:?}"
    );
    let r = e.report();
    assert_eq!(
        r.symmetry,
        [[2, 3, 4]],
        "the timeline names only the coordinator"
    );
    let v = r
        .violations
        .iter()
        .find(|v| v.invariant.as_deref() == Some("atomicity"))
        .unwrap_or_else(|| panic!("no disagreement found: {r:#?}"));
    let shortest = plain.report().violations[0].depth;
    assert_eq!(v.depth, shortest, "as near as without symmetry");
    let found = v.scenario.clone().unwrap_or_else(|| panic!("{v:#?}"));
    let replayed = link::decode(&link::fragment(&found)).expect("link");
    let report = run(&replayed).expect("runs");
    assert!(
        report.violations.iter().any(|x| x.invariant == "atomicity"),
        "{report:#?}"
    );
}

#[test]
fn symmetry_is_refused_where_no_nodes_are_interchangeable() {
    let err = explore(&scenario("2pc-commit"), symmetric(""))
        .err()
        .expect("refused")
        .to_string();
    assert!(err.starts_with("2pc has no interchangeable nodes"), "{err}");
    // A timeline step for a resource manager tells it apart from the others.
    let mut s = scenario("2pc-tla-twophase");
    let crash = |n: u32| Step {
        at_ms: 1.0,
        act: Act::Crash {
            node: NodeId::from_number(n).expect("a node"),
        },
    };
    s.timeline = vec![crash(2)];
    let mut e = explore(&s, symmetric("")).expect("two RMs are left");
    e.run_for(u64::MAX);
    assert_eq!(e.report().symmetry, [[3, 4]]);
    s.timeline = vec![crash(2), crash(3)];
    let err = explore(&s, symmetric(""))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.starts_with("the timeline tells apart every node"),
        "{err}"
    );
}

/// Primary–backup with a failover timer and one write, nothing else scripted: the crash,
/// the failover and the order of everything are the explorer's to choose.
fn failover_scenario(mode: &str) -> Scenario {
    let mut s = scenario("replication-async-lost-write");
    s.timeline
        .retain(|step| matches!(step.act, Act::Command { .. }) && step.at_ms == 0.0);
    s.params.insert("mode".into(), mode.into());
    s.params.insert("failover_ms".into(), 100.0.into());
    s
}

#[test]
fn asynchronous_replication_loses_an_acknowledged_write_and_the_explorer_finds_it() {
    let s = failover_scenario("async");
    assert_eq!(s.timeline.len(), 1, "one write: {:?}", s.timeline);
    // Breadth first, the loss is a few steps deep: a small bound finds it.
    let mut o = options("crash:1");
    o.max_states = 20_000;
    found_and_replayed(&s, o, "acknowledged-writes-survive");
}

/// Explore `s` to the end, find a break of `invariant`, check that its share link replays it,
/// and return the finding.
fn found_and_replayed(s: &Scenario, o: ExploreOptions, invariant: &str) -> Finding {
    let mut e = explore(s, o).expect("explores");
    e.run_for(u64::MAX);
    let r = e.report();
    let v = r
        .violations
        .iter()
        .find(|v| v.invariant.as_deref() == Some(invariant))
        .unwrap_or_else(|| panic!("no {invariant} found: {r:#?}"))
        .clone();
    let found = v.scenario.clone().unwrap_or_else(|| panic!("{v:#?}"));
    let report = run(&link::decode(&link::fragment(&found)).expect("link")).expect("runs");
    assert!(
        report.violations.iter().any(|x| x.invariant == invariant),
        "{report:#?}"
    );
    v
}

/// A read that no order of the operations explains is a property of the history, not of a
/// state: the explorer keeps what each path observed and finds the stale read of a backup a
/// few steps deep, and its link replays it.
#[test]
fn a_stale_read_from_a_backup_is_found_by_the_explorer() {
    let mut o = options("");
    o.max_states = 20_000;
    let v = found_and_replayed(&scenario("replica-stale-read"), o, "linearizable");
    assert_eq!(v.depth, 6, "{v:#?}");
}

#[test]
fn synchronous_replication_keeps_every_acknowledged_write_in_a_bounded_search() {
    let mut o = options("crash:1");
    o.max_states = 20_000;
    let mut e = explore(&failover_scenario("sync"), o).expect("explores");
    let p = e.run_for(u64::MAX);
    assert_eq!(p.unique_states, 20_000, "the bound is reached: {p:?}");
    let r = e.report();
    assert!(r.violations.is_empty(), "{:#?}", r.violations);
}

/// An algorithm that decides by its clock is refused in one line, not explored with a clock
/// that never moves; one that does not is explored.
#[test]
fn an_algorithm_that_reads_its_clock_is_refused_by_the_explorer() {
    for id in [
        "redlock-majority",
        "pow-seed-transfer",
        "snowflake-clock-rollback",
    ] {
        let Err(e) = explore(&scenario(id), options("")) else {
            panic!("{id} explored");
        };
        let text = e.to_string();
        assert!(
            text.contains("decides by its clock") && text.contains("play it instead"),
            "{id}: {text}"
        );
    }
    assert!(explore(&scenario("auto-increment-step"), options("")).is_ok());
}
