//! Random walks (issue 21): deep search, reproducible from its seed, paths shrunk to what
//! matters. Every budget here is a number of walks, never a time: the tests cannot flake.

use clusterplay_scenario::explore::{explore, parse_faults, ExploreOptions, Strategy};
use clusterplay_scenario::{link, preset, run, Scenario};

fn walks(faults: &str, walks: u64, seed: u64) -> ExploreOptions {
    ExploreOptions {
        faults: parse_faults(faults).expect("faults"),
        strategy: Strategy::Random,
        walks,
        seed,
        ..ExploreOptions::default()
    }
}

fn scenario(id: &str) -> Scenario {
    preset(id).expect("preset").scenario.clone()
}

/// 3PC lets participants decide by timeout; with crashes alone they can disagree (issue 18).
/// A random search finds it from a fixed seed, shrinks the walk to the shortest such path
/// breadth-first search knows (10 steps), and the finding's link replays the disagreement.
#[test]
fn walks_find_three_pc_disagreeing_after_crashes_and_the_shrunk_link_replays_it() {
    let s = scenario("3pc-coordinator-crash-no-block");
    let mut e = explore(&s, walks("crash:2", 20_000, 7)).expect("explores");
    let p = e.run_for(u64::MAX);
    assert!(p.done);
    assert_eq!(p.walks, 20_000);
    let r = e.report();
    assert_eq!(r.strategy, "random");
    let v = r
        .violations
        .iter()
        .find(|v| v.invariant.as_deref() == Some("atomicity"))
        .unwrap_or_else(|| panic!("no disagreement found: {r:#?}"));
    assert_eq!(v.found_by.as_deref(), Some("random"));
    let unshrunk = v.unshrunk_depth.expect("a walk's length");
    assert!(v.depth <= unshrunk, "{} after {unshrunk}", v.depth);
    let mut bfs = explore(
        &s,
        ExploreOptions {
            strategy: Strategy::Bfs,
            ..walks("crash:2", 0, 0)
        },
    )
    .expect("explores");
    bfs.run_for(u64::MAX);
    let shortest = bfs.report().violations[0].depth;
    assert_eq!(
        v.depth, shortest,
        "shrunk to the shortest path: {:?}",
        v.path
    );

    let found = v.scenario.clone().unwrap_or_else(|| panic!("{v:#?}"));
    let replayed = link::decode(&link::fragment(&found)).expect("link");
    let report = run(&replayed).expect("runs");
    assert!(
        report.violations.iter().any(|x| x.invariant == "atomicity"),
        "{report:#?}"
    );
}

/// The same seed and budget give the same walks and the same findings, however the search is
/// sliced; another seed walks elsewhere.
#[test]
fn a_random_search_is_reproducible_from_its_seed() {
    let s = scenario("3pc-coordinator-crash-no-block");
    let report = |slice: u64, seed: u64| {
        let mut e = explore(&s, walks("crash:2", 3_000, seed)).expect("explores");
        while !e.run_for(slice).done {}
        e.report()
    };
    let whole = report(u64::MAX, 1);
    assert_eq!(whole, report(997, 1));
    assert_ne!(whole.steps, report(u64::MAX, 2).steps);
}

/// 2PC is safe: with the same crashes and budget the walks find it blocking at worst, never
/// disagreeing; a correct Raft keeps Figure 3's properties under crashes.
#[test]
fn the_same_walks_on_correct_algorithms_find_nothing() {
    for (id, faults) in [("2pc-commit", "crash:2"), ("raft-replication", "crash:2")] {
        let Ok(p) = preset(id) else {
            panic!("preset {id}")
        };
        let mut e = explore(&p.scenario, walks(faults, 5_000, 7)).expect("explores");
        e.run_for(u64::MAX);
        let r = e.report();
        assert!(r.walks == 5_000 && r.violations.is_empty(), "{id}: {r:#?}");
    }
}
