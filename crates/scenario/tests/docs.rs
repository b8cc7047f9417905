//! README stays true to the catalogue: every algorithm and every preset a learner can open is
//! listed there.

use clusterplay_scenario::{algorithms, presets};

const README: &str = include_str!("../../../README.md");

#[test]
fn readme_lists_every_algorithm_and_preset() {
    let missing: Vec<&str> = algorithms()
        .iter()
        .map(|a| a.id)
        .chain(presets().iter().map(|p| p.id.as_str()))
        .filter(|id| !README.contains(&format!("| `{id}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "README's tables lack {missing:?}: regenerate them from `clusterplay algorithms` and \
         `clusterplay presets`"
    );
}
