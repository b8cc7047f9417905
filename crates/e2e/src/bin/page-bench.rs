//! Page benchmark: the release build in headless Chromium over WebDriver on 127.0.0.1.
//!
//! Reports the time from navigation to the first cluster drawn, and p50 / p95 frame times while
//! playing for ten seconds at 5, 9 and 101 nodes and in the compare view with two 9-node
//! clusters, the size of the wasm, raw and gzipped, and the
//! explorer's states per second in its web worker on TwoPhase.tla with 3 to 7 RMs.
//! Run with `cargo xtask bench` (after a release build) or
//! `cargo run --release -p clusterplay-e2e --bin page-bench`; with the argument `slow-link`,
//! only the slow-link loads.

use clusterplay_e2e::fantoccini::wd::TimeoutConfiguration;
use clusterplay_e2e::{preset_fragment, serve_compressed, Browser};
use clusterplay_scenario::{compare_preset, link, model::Scenario, preset, Comparison};
use std::time::Duration;

/// Frame deltas recorded by requestAnimationFrame inside the page for `seconds`.
const FRAMES: &str = r#"
const [seconds, done] = arguments;
const deltas = [];
let last = performance.now();
const start = last;
function tick(now) {
  deltas.push(now - last);
  last = now;
  if (now - start < seconds * 1000) { requestAnimationFrame(tick); } else { done(deltas); }
}
requestAnimationFrame(tick);
"#;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ring_of(nodes: u32) -> Scenario {
    let mut s = Scenario::new("mutex-token-ring", nodes);
    s.until_ms = 60_000.0;
    s.network.latency_ms = [1.0, 3.0];
    s
}

/// Bully against Raft when the old leader returns, on nine nodes a side: the compare view at
/// the size issue 20 asks to keep smooth.
fn compare_of_nine() -> Comparison {
    let mut c = compare_preset("compare-bully-raft-rejoin")
        .expect("compare preset")
        .comparison
        .clone();
    c.left.scenario.nodes = 9;
    c.right.scenario.nodes = 9;
    c.check().expect("nine nodes a side load");
    c
}

/// Size of `bytes` gzipped at level 9: a raw deflate stream plus gzip's 10-byte header and
/// 8-byte trailer.
fn gzipped_len(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

#[tokio::main]
async fn main() {
    let dist = clusterplay_e2e::dist();
    for entry in std::fs::read_dir(&dist).expect("dist") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = std::fs::read(&path).expect("wasm");
            println!(
                "wasm: {} bytes raw, {} bytes gzipped ({})",
                bytes.len(),
                gzipped_len(&bytes),
                path.file_name().unwrap_or_default().to_string_lossy()
            );
        }
    }
    if std::env::args().nth(1).as_deref() == Some("slow-link") {
        slow_link().await;
        return;
    }

    let fragment = |name: &str, s: Scenario| (name.to_owned(), link::fragment(&s));
    let cases: Vec<(String, String)> = vec![
        fragment(
            "5 nodes (mutex-ra-everyone-asks)",
            preset("mutex-ra-everyone-asks")
                .expect("preset")
                .scenario
                .clone(),
        ),
        fragment(
            "9 nodes (mutex-two-layer)",
            preset("mutex-two-layer").expect("preset").scenario.clone(),
        ),
        fragment("101 nodes (token ring)", ring_of(101)),
        (
            "compare view, two 9-node clusters (compare-bully-raft-rejoin at 9 nodes)".into(),
            link::compare_fragment(&compare_of_nine()),
        ),
    ];
    let browser = Browser::start("page-bench", 1280).await;
    let mut first_drawn = Vec::new();
    for (name, fragment) in cases {
        browser
            .client
            .goto("about:blank")
            .await
            .expect("blank page");
        let url = format!("{}#{fragment}", browser.base);
        browser.client.goto(&url).await.expect("navigation");
        let ready_ms = browser
            .client
            .execute_async(
                r#"const done = arguments[0];
                   (function wait() {
                     if (window.clusterplay_ready === true) { done(performance.now()); }
                     else { requestAnimationFrame(wait); }
                   })();"#,
                vec![],
            )
            .await
            .expect("ready")
            .as_f64()
            .unwrap_or(f64::NAN);
        first_drawn.push(ready_ms);
        // Where the wait goes: the page's wasm downloaded (Resource Timing), then compiled,
        // started and drawn.
        let wasm_ms = browser
            .client
            .execute(
                r#"const r = performance.getEntriesByType('resource')
                     .find(e => e.name.endsWith('_bg.wasm') && !e.name.includes('explore'));
                   return r ? r.responseEnd : null;"#,
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_f64());
        browser.click("play").await;
        browser
            .client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(30)),
                None,
                None,
            ))
            .await
            .expect("script timeout");
        let deltas = browser
            .client
            .execute_async(FRAMES, vec![serde_json::json!(10)])
            .await
            .expect("frames");
        let mut deltas: Vec<f64> = deltas
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
            .unwrap_or_default();
        deltas.sort_by(f64::total_cmp);
        let downloaded = wasm_ms.map_or_else(String::new, |ms| {
            format!(" (wasm downloaded at {ms:.0} ms)")
        });
        println!(
            "{name}: first cluster {ready_ms:.0} ms after navigation{downloaded}; {} frames in 10 s, p50 {:.1} ms, p95 {:.1} ms",
            deltas.len(),
            percentile(&deltas, 0.50),
            percentile(&deltas, 0.95)
        );
    }
    slow_link().await;
    // The explorer in wasm, in the page's web worker: TwoPhase.tla with 3 to 7 resource
    // managers (node 1 is the TM), the model `cargo bench -p clusterplay-explore-bench` runs
    // natively beside stateright.
    for rms in 3..=7u32 {
        let mut s = preset("2pc-tla-twophase").expect("preset").scenario.clone();
        s.nodes = rms + 1;
        browser
            .client
            .goto("about:blank")
            .await
            .expect("blank page");
        browser.open(&link::fragment(&s)).await;
        browser.explore(false, false).await;
        let attr = |name: &'static str| {
            let b = &browser;
            async move { b.attr("explore-result", name).await.unwrap_or_default() }
        };
        let (states, rate, exhausted) = (
            attr("data-states").await,
            attr("data-states-per-second").await,
            attr("data-exhausted").await,
        );
        println!(
            "explorer in the page's worker, TwoPhase with {rms} RMs: {states} states{}, {rate} states/s",
            if exhausted == "true" { "" } else { " (the panel's bound)" }
        );
    }
    browser.close().await;
}

/// A learner on a slow mobile link (1.6 Mbit/s down, 750 kbit/s up, 150 ms more per request),
/// the files compressed as a web host serves them, in a browser with nothing cached: when the
/// page's "Loading…" note shows, when its wasm has arrived, when the first cluster is drawn, and
/// how many bytes came over the wire before it. One link per family size: the default (the
/// coffee machine's module), Raft's election, and 2PC (the largest family module).
async fn slow_link() {
    let base = serve_compressed(clusterplay_e2e::dist());
    for preset in ["mutex-ra-seed", "raft-election", "2pc-seed-tshirt"] {
        // A new browser each time: nothing cached.
        let browser = Browser::start("page-bench-slow", 1280).await;
        browser
            .client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(60)),
                None,
            ))
            .await
            .expect("timeouts");
        browser.throttle(150, 1_600, 750).await;
        let url = format!("{base}#{}", preset_fragment(preset));
        browser.client.goto(&url).await.expect("navigation");
        let times = browser
            .client
            .execute_async(
                r#"const done = arguments[0];
                   (function wait() {
                     if (window.clusterplay_ready !== true) { requestAnimationFrame(wait); return; }
                     const ready = performance.now();
                     const paint = performance.getEntriesByType('paint')
                       .find(e => e.name === 'first-contentful-paint');
                     const resources = performance.getEntriesByType('resource');
                     const wasm = resources
                       .find(e => e.name.endsWith('_bg.wasm') && !e.name.includes('explore'));
                     const wire = performance.getEntriesByType('navigation')
                       .concat(resources.filter(e => e.responseEnd <= ready))
                       .reduce((sum, e) => sum + e.transferSize, 0);
                     done([paint ? paint.startTime : null, wasm ? wasm.responseEnd : null,
                           wasm ? wasm.encodedBodySize : null, ready, wire,
                           wasm ? wasm.name.replace(/.*\//, '') : null]);
                   })();"#,
                vec![],
            )
            .await
            .expect("the page starts on a slow link");
        let at = |i: usize| times.get(i).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        println!(
            "slow link (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, files compressed), \
             {preset}: 'Loading the playground…' shown at {:.0} ms, its module {} ({:.0} KB \
             on the wire) arrived at {:.0} ms, first cluster drawn at {:.0} ms, {:.0} KB \
             downloaded before it",
            at(0),
            times.get(5).and_then(|v| v.as_str()).unwrap_or("?"),
            at(2) / 1000.0,
            at(1),
            at(3),
            at(4) / 1000.0
        );
        browser.close().await;
    }
}
