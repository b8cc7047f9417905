//! The engine in the browser: the runs `crates/scenario/benches/engine.rs` measures natively
//! (`events/…`), played here by the page's own engine (type-erased, compiled to WebAssembly)
//! inside headless Chromium (in a worker). `cargo xtask bench` runs both; alone:
//! `cargo bench -p clusterplay-web --target wasm32-unknown-unknown` (with `CHROMEDRIVER` set).
//! Events per second: the events of a run (printed) over the time per iteration.
#![cfg(target_arch = "wasm32")]

use clusterplay_scenario::model::Scenario;
use clusterplay_scenario::workloads::{busy, replicating};
use clusterplay_scenario::{load, simulation::MAX_EVENTS};
use clusterplay_sim::ms;
use std::hint::black_box;
use wasm_bindgen_test::{console_log, wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

// In a dedicated worker, so that a long measurement never blocks the page the runner polls.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn play(s: &Scenario) -> u64 {
    let mut sim = load(s).expect("the workload loads");
    sim.run_until(ms(s.until_ms as u64), MAX_EVENTS);
    sim.events()
}

fn measure(c: &mut Criterion, name: &str, s: &Scenario) {
    console_log!("{name}: {} events per run", play(s));
    // Ten samples, as the native benchmark takes: a 51-node run lasts a tenth of a second.
    *c = std::mem::take(c).sample_size(10);
    c.bench_function(name, |b| b.iter(|| black_box(play(s))));
}

#[wasm_bindgen_bench]
fn raft_log(c: &mut Criterion) {
    measure(c, "events/raft-log/5", &replicating(5));
    measure(c, "events/raft-log/51", &replicating(51));
}

#[wasm_bindgen_bench]
fn coffee_machine(c: &mut Criterion) {
    measure(c, "events/mutex-ra/5", &busy("mutex-ra", 5));
    measure(
        c,
        "events/mutex-token-ring/50",
        &busy("mutex-token-ring", 50),
    );
}
