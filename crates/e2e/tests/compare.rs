//! Side by side (issue 20): a comparison as a learner and a teacher use it, on the release
//! build in headless Chromium.

use clusterplay_e2e::Browser;
use clusterplay_scenario::{compare_preset, link};

/// A script's expression evaluated on one side of the comparison (`q(id)` finds a test id
/// there).
fn on_side(side: &str, expr: &str) -> String {
    format!(
        "const s = document.querySelector(\"[data-testid='side-{side}']\");
         const q = (id) => s.querySelector(`[data-testid='${{id}}']`);
         return {expr};"
    )
}

/// Click something on one side (an SVG node has no click(); a click event works for both).
async fn click_on(b: &Browser, side: &str, id: &str) {
    b.js(&on_side(
        side,
        &format!("(q('{id}').dispatchEvent(new MouseEvent('click', {{bubbles: true}})), 1)"),
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_compare_link_plays_both_sides_and_one_click_crashes_a_node_on_both() {
    let mut b = Browser::start("compare", 1280).await;
    let comparison = &compare_preset("compare-2pc-3pc-coordinator-crash")
        .expect("preset")
        .comparison;
    b.open(&link::compare_fragment(comparison)).await;
    assert_eq!(b.text("label-left").await, "2PC");
    assert_eq!(b.text("label-right").await, "3PC");
    assert!(b.text("compare-title").await.contains("2PC"));
    b.screenshot("start").await;

    // Both sides move on one clock: play a little, then pause.
    b.click("play").await;
    b.wait_until(
        "return parseFloat(document.querySelector(\"[data-testid='clock']\").textContent) > 20;",
    )
    .await;
    b.click("play").await;
    b.screenshot("playing").await;

    // One click on participant 2 and its crash button: down on both sides.
    click_on(&b, "right", "node-2").await;
    b.click("action-crash").await;
    for side in ["left", "right"] {
        b.wait_until(&on_side(side, "q('node-2').classList.contains('down')"))
            .await;
    }
    // The address now carries the comparison with the crash: a teacher can share it.
    assert!(b.url().await.contains("#c="), "{}", b.url().await);

    // Step back: one event undone, on whichever side had the later one; the clock does not
    // move forward.
    let clock = "return parseFloat(document.querySelector(\"[data-testid='clock']\").textContent);";
    let before = b.js(clock).await.as_f64().expect("a clock");
    b.click("step-back").await;
    let after = b.js(clock).await.as_f64().expect("a clock");
    assert!(after <= before, "{after} after {before}");

    // Run to the end: 2PC is left in doubt, 3PC is not; the table marks the difference and
    // both invariant panels read.
    b.seek_to_end().await;
    b.wait_until("return !!document.querySelector(\"[data-testid='row-in_doubt']\");")
        .await;
    assert_eq!(
        b.js("return document.querySelector(\"[data-testid='row-in_doubt']\").classList.contains('differs');")
            .await,
        true
    );
    for side in ["left", "right"] {
        assert_eq!(
            b.js(&on_side(side, "q('node-2').getAttribute('data-up')"))
                .await,
            "false",
            "{side}: the crash is part of the comparison now, replayed on the way to the end"
        );
        let panel = b.js(&on_side(side, "q('violations').textContent")).await;
        assert!(
            panel.as_str().is_some_and(|t| !t.is_empty()),
            "{side}: {panel}"
        );
    }
    b.screenshot("end").await;

    // Chinese, and a phone: the sides stack and the table stays readable.
    b.click("lang-zh").await;
    assert_eq!(b.text("label-left").await, "二阶段提交");
    b.screenshot("end-zh").await;
    assert!(b.console_warnings().await.is_empty());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_picker_lists_comparisons_and_a_broken_compare_link_is_explained() {
    let mut b = Browser::start_phone("compare-phone", 390).await;
    b.open("compare=compare-zk-herd").await;
    assert!(b.exists("compare").await);
    b.screenshot("phone").await;
    let listed = b
        .js("return [...document.querySelectorAll(\"[data-testid='compare-group'] option\")].map(o => o.value);")
        .await;
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(clusterplay_scenario::compare_presets().len()),
        "every compare preset: {listed}"
    );
    b.open("c=AAAA").await;
    let banner = b.text("error-banner").await;
    assert!(
        banner.contains("damaged") || banner.contains("not valid"),
        "{banner}"
    );
    assert!(b.exists("compare").await, "the comparison on screen stays");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_course_page_embeds_a_comparison_loads_another_and_hears_both_outcomes() {
    let mut b = Browser::start("compare-embed", 1280).await;
    b.open("").await;
    b.host_embed("compare=compare-zk-herd&embed=1", 960, 620)
        .await;
    let post = |cmd: &str| {
        format!("document.getElementById('cp').contentWindow.postMessage({cmd}, '*'); return 1;")
    };
    b.wait_until(
        "return window.__msgs.some(m => m.type === 'clusterplay:state' && m.compare && m.compare.id === 'compare-zk-herd');",
    )
    .await;
    // The course page swaps in another comparison and plays it to its end.
    b.js(&post(
        "{type: 'clusterplay:load', compare: 'compare-mutex-messages'}",
    ))
    .await;
    b.wait_until(
        "return window.__msgs.some(m => m.type === 'clusterplay:state' && m.compare && m.compare.id === 'compare-mutex-messages');",
    )
    .await;
    b.js(&post("{type: 'clusterplay:seek', ms: 500}")).await;
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:state' && m.ended && m.compare && m.compare.id === 'compare-mutex-messages');")
        .await;
    let row = b
        .js("const m = window.__msgs.filter(m => m.type === 'clusterplay:state' && m.ended).pop();
             const r = m.compare.rows.find(r => r.key === 'messages_per_entry');
             return [m.compare.left.protocol, m.compare.right.protocol, r.left, r.right, r.differs];")
        .await;
    assert_eq!(
        row,
        serde_json::json!(["mutex-central", "mutex-ra", 3, 4, true]),
        "messages per use: 3 for the coordinator, 2(n−1) = 4 for Ricart–Agrawala"
    );
    b.screenshot("embed").await;
    // A comparison that does not exist is refused with a reason, and the embed keeps its own.
    b.js(&post("{type: 'clusterplay:load', compare: 'nope'}"))
        .await;
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:error' && m.message.includes('no comparison is called'));")
        .await;
    b.close().await;
}
