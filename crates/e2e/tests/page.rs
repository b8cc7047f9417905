//! The playground as a learner uses it: the release build, in headless Chromium, over
//! WebDriver, served on 127.0.0.1.

use clusterplay_e2e::Browser;
use clusterplay_scenario::{link, preset};

fn preset_fragment(id: &str) -> String {
    link::fragment(&preset(id).expect("preset").scenario)
}

/// Press "step" `times` times; stepping past the end of a run does nothing.
async fn step(b: &Browser, times: usize) {
    for _ in 0..times {
        b.click("step").await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_preset_link_plays_to_the_seeds_outcome() {
    let mut b = Browser::start("ra-seed", 1280).await;
    b.open(&preset_fragment("mutex-ra-seed")).await;
    for n in 1..=3 {
        assert!(b.exists(&format!("node-{n}")).await, "node {n} is drawn");
    }
    assert!(!b.exists("node-4").await);
    b.screenshot("start").await;
    step(&b, 40).await;
    assert_eq!(b.text("cs-order").await, "1, 3");
    assert_eq!(b.text("messages-per-entry").await, "4");
    assert!(
        b.text("violations").await.len() < 200,
        "no violation listed"
    );
    b.screenshot("end").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_crash_made_on_the_page_is_in_the_url_and_survives_a_reload() {
    let mut b = Browser::start("crash", 1280).await;
    b.open(&preset_fragment("mutex-ra-seed")).await;
    let before = b.url().await;
    for _ in 0..4 {
        b.click("step").await;
    }
    b.click("node-2").await;
    b.click("action-crash").await;
    b.click("step").await;
    assert_eq!(b.attr("node-2", "data-up").await.as_deref(), Some("false"));
    let after = b.url().await;
    assert_ne!(
        before, after,
        "the crash is part of the scenario in the URL"
    );
    let scenario = link::decode(&after).expect("the URL holds a valid scenario");
    assert!(scenario
        .timeline
        .iter()
        .any(|s| matches!(s.act, clusterplay_scenario::Act::Crash { .. })));
    b.screenshot("crashed").await;

    b.reload().await;
    step(&b, 40).await;
    assert_eq!(b.attr("node-2", "data-up").await.as_deref(), Some("false"));
    assert_eq!(
        b.url().await,
        after,
        "reloading keeps the learner's scenario"
    );
    b.screenshot("reloaded").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_broken_link_shows_why_over_a_working_default() {
    let mut b = Browser::start("broken", 1280).await;
    b.open("s=@@@not-a-scenario").await;
    let banner = b.text("error-banner").await;
    assert!(banner.contains("base64url"), "{banner}");
    assert!(
        b.exists("node-3").await,
        "the default scenario is running underneath"
    );
    b.click("step").await;
    b.screenshot("banner").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn an_embed_link_shows_the_cluster_with_minimal_chrome() {
    let mut b = Browser::start("embed", 800).await;
    b.open(&format!(
        "{}&embed=1",
        preset_fragment("mutex-token-ring-100")
    ))
    .await;
    assert!(b.exists("cluster").await);
    assert!(b.exists("node-100").await);
    assert!(b.exists("open-in-playground").await);
    assert!(!b.exists("preset-picker").await, "no picker when embedded");
    b.screenshot("embed").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_language_switches_to_chinese_and_back() {
    let mut b = Browser::start("language", 1280).await;
    b.open(&preset_fragment("mutex-ra-seed")).await;
    b.click("lang-zh").await;
    let body = b.by_id("preset-picker").await.text().await.expect("text");
    assert!(body.contains("分布式算法"), "{body}");
    b.screenshot("zh").await;
    b.click("lang-en").await;
    let body = b.by_id("preset-picker").await.text().await.expect("text");
    assert!(body.contains("Ricart–Agrawala"), "{body}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_phone_sized_screen_still_shows_the_cluster_and_controls() {
    let mut b = Browser::start("phone", 390).await;
    b.open(&preset_fragment("mutex-central-coordinator-crash"))
        .await;
    assert!(b
        .by_id("cluster")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    assert!(b.by_id("play").await.is_displayed().await.expect("shown"));
    b.screenshot("phone").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn an_election_preset_shows_the_leader_the_engine_elects() {
    let expected = clusterplay_scenario::run(&preset("raft-election").expect("preset").scenario)
        .expect("runs")
        .outcome["leader"]
        .as_u64()
        .expect("a leader");
    let mut b = Browser::start("election", 1280).await;
    b.open(&preset_fragment("raft-election")).await;
    // Drag the timeline to the end, as a learner would.
    b.client
        .execute(
            "const t = document.querySelector(\"[data-testid='timeline']\");
             t.value = t.max;
             t.dispatchEvent(new Event('input', { bubbles: true }));
             t.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("seek");
    let mut leaders = Vec::new();
    for n in 1..=5 {
        if b.attr(&format!("node-{n}"), "data-role").await.as_deref() == Some("leader") {
            leaders.push(n);
        }
    }
    assert_eq!(
        leaders,
        vec![expected],
        "the page shows the leader the engine elected"
    );
    b.screenshot("leader").await;
    b.close().await;
}
