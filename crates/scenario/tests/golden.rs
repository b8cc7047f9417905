//! Every preset's trace hash is pinned. The same file is checked inside headless Chromium by
//! the web crate's wasm tests, so a pass on both sides means byte-identical traces natively and
//! in WebAssembly.

use clusterplay_scenario::{presets, run};
use std::collections::BTreeMap;

pub const GOLDEN: &str = include_str!("golden/trace_hashes.json");

#[test]
fn every_preset_replays_its_pinned_trace() {
    let golden: BTreeMap<String, String> = serde_json::from_str(GOLDEN).unwrap();
    let actual: BTreeMap<String, String> = presets()
        .iter()
        .map(|p| (p.id.clone(), run(&p.scenario).unwrap().trace_hash))
        .collect();
    if std::env::var_os("CLUSTERPLAY_BLESS").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/trace_hashes.json"
        );
        std::fs::write(path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
        return;
    }
    assert_eq!(
        actual, golden,
        "a preset's run changed; if that is intended, rerun with CLUSTERPLAY_BLESS=1"
    );
}

#[test]
fn the_same_scenario_gives_the_same_run_twice() {
    for p in presets() {
        let a = run(&p.scenario).unwrap();
        let b = run(&p.scenario).unwrap();
        assert_eq!(a, b, "{}", p.id);
    }
}
