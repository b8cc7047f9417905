//! Lamport's TwoPhase.tla, explored: the explorer's calibration against TLC.

use clusterplay_protocols::transaction::tla_two_phase::TlaTwoPhase;
use clusterplay_sim::explore::{ExploreOptions, Explorer, Semantics};

fn explore(rms: usize) -> clusterplay_sim::explore::Progress {
    let options = ExploreOptions {
        semantics: Semantics::UnorderedDup,
        ..ExploreOptions::default()
    };
    Explorer::new(TlaTwoPhase::default(), rms + 1, Vec::new(), options).run()
}

#[test]
fn three_rms_have_the_288_states_tlc_finds() {
    let p = explore(3);
    assert_eq!(p.unique_states, 288, "{p:?}");
    assert!(p.exhausted);
    assert_eq!(p.violations, 0, "TCConsistent holds");
    // TLC reports depth 11, counting the initial state as the first.
    assert_eq!(p.depth + 1, 11);
}

#[test]
fn six_rms_have_the_50816_states_of_the_spec_s_comment() {
    let p = explore(6);
    assert_eq!(p.unique_states, 50_816, "{p:?}");
    assert!(p.exhausted);
}
