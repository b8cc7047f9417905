//! Memory of a long chaos run in the page: 5-node Raft log replication with a client writing
//! every 50 ms, chaos at 20 faults per virtual second, played at the highest speed (10×) in
//! headless Chromium. Prints, at each checkpoint (minutes of real time, by default 1, 10 and
//! 60), the wasm memory, the JS heap, the virtual time reached and the messages sent.
//!
//! `cargo run --release -p clusterplay-e2e --bin chaos-memory [-- MINUTES,…]` after a release
//! build (`trunk build --release --offline`).

use clusterplay_e2e::Browser;
use clusterplay_scenario::model::{Act, ChaosSettings, Scenario, Step};
use clusterplay_scenario::{link, model::MAX_DURATION_MS};
use clusterplay_sim::NodeId;
use std::time::{Duration, Instant};

fn scenario() -> Scenario {
    let mut s = Scenario::new("raft-log", 5);
    s.seed = 5;
    s.until_ms = MAX_DURATION_MS;
    s.chaos = Some(ChaosSettings {
        rate_per_s: 20.0,
        seed: 9,
        clocks: false,
    });
    let leader = NodeId::from_number(1).expect("node 1");
    s.timeline.push(Step {
        at_ms: 0.0,
        act: Act::Command {
            node: leader,
            command: serde_json::json!("timeout"),
        },
    });
    // Writes to whichever node 1 is; under chaos some find no leader, which is part of the run.
    for k in 0..2_000u32 {
        s.timeline.push(Step {
            at_ms: 100.0 + f64::from(k) * 50.0,
            act: Act::Command {
                node: leader,
                command: serde_json::json!({ "put": format!("k{}={k}", k % 7) }),
            },
        });
    }
    s
}

const SAMPLE: &str = r#"
const memory = window.clusterplay_wasm_memory;
const heap = performance.memory;
return {
  wasm_bytes: memory ? memory.buffer.byteLength : null,
  js_heap_used: heap ? heap.usedJSHeapSize : null,
  clock: (document.querySelector("[data-testid='clock']") || {}).textContent || "",
  messages: (document.querySelector("[data-testid='messages-total']") || {}).textContent || "",
  notice: (document.querySelector("[data-testid='notice']") || {}).textContent || "",
};
"#;

#[tokio::main]
async fn main() {
    let checkpoints: Vec<u64> = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "1,10,60".into())
        .split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect();
    let browser = Browser::start("chaos-memory", 1280).await;
    browser.open(&link::fragment(&scenario())).await;
    browser.set_value("speed", "1").await;
    browser.click("play").await;
    let start = Instant::now();
    let before = browser
        .client
        .execute(SAMPLE, vec![])
        .await
        .expect("sample");
    println!("chaos-memory: at start: {before}");
    for minutes in checkpoints {
        let due = Duration::from_secs(minutes * 60);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
        let sample = browser
            .client
            .execute(SAMPLE, vec![])
            .await
            .expect("sample");
        println!("chaos-memory: after {minutes} min: {sample}");
    }
    browser.close().await;
}
