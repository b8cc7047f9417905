#![no_main]
//! Whatever a link holds, decoding and loading it returns an error or a scenario that runs;
//! it never panics.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(scenario) = clusterplay_scenario::link::decode(&text) {
        if let Ok(mut sim) = clusterplay_scenario::load(&scenario) {
            sim.run_until(200_000, 10_000);
            let _ = sim.report();
        }
    }
    if let Ok(scenario) = clusterplay_scenario::link::from_json(data) {
        let _ = clusterplay_scenario::load(&scenario);
    }
});
