//! What the preset tests of the texts' remedies share.

use clusterplay_scenario::{preset, run, Report};
use serde_json::Value;

/// A remedy preset is its failure preset's scenario with `param` set and nothing else
/// changed; the two runs, failure first.
pub fn failure_and_remedy(
    failure: &str,
    remedy: &str,
    param: &str,
    value: Value,
) -> (Report, Report) {
    let mut s = preset(failure).unwrap().scenario.clone();
    assert!(
        !s.params.contains_key(param),
        "{failure} already sets {param}"
    );
    s.params.insert(param.into(), value);
    assert_eq!(
        s,
        preset(remedy).unwrap().scenario,
        "{remedy} is {failure} with {param}"
    );
    let report = |id: &str| run(&preset(id).unwrap().scenario).unwrap();
    (report(failure), report(remedy))
}
