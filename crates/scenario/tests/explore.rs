//! Exhaustive exploration of scenarios: the TwoPhase.tla calibration, failures found without a
//! script, blocking without disagreement, and found paths replayed from their share links.

use clusterplay_scenario::explore::{explore, parse_faults, ExploreOptions, Semantics};
use clusterplay_scenario::{link, preset, run, Act, Scenario};

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
