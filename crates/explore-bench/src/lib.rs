//! The explorer's benchmark lives in `benches/twophase.rs`: states per second on Lamport's
//! TwoPhase.tla with 3 to 7 resource managers, beside stateright's checker on the same spec,
//! each with and without symmetry reduction. `cargo bench -p clusterplay-explore-bench`.

use clusterplay_protocols::transaction::tla_two_phase::TlaTwoPhase;
use clusterplay_sim::explore::{ExploreOptions, Explorer, Progress, Semantics};

/// Explore TwoPhase.tla with `rms` resource managers (and the TM) to the end.
pub fn explore_twophase(rms: usize) -> Progress {
    explore(rms, false)
}

/// The same, keeping one state per renaming of the resource managers.
pub fn explore_twophase_symmetric(rms: usize) -> Progress {
    explore(rms, true)
}

fn explore(rms: usize, symmetry: bool) -> Progress {
    let options = ExploreOptions {
        semantics: Semantics::UnorderedDup,
        max_states: u64::MAX,
        symmetry,
        ..ExploreOptions::default()
    };
    Explorer::new(TlaTwoPhase::default(), rms + 1, Vec::new(), options).run()
}
