//! Check a history (issue 23): a learner pastes a Jepsen log, opens a history link, takes the
//! current run's history, and is told what a line it cannot read is; on the release build in
//! headless Chromium, in English, in Chinese and on a phone.

use clusterplay_e2e::Browser;
use clusterplay_scenario::history::history_preset;
use clusterplay_scenario::link;

/// The attribute `data-holds` of a model's line: `Some(true)`, `Some(false)` or `None`.
async fn holds(b: &Browser, model: &str) -> String {
    b.attr(model, "data-holds").await.unwrap_or_default()
}

async fn open_panel(b: &Browser) {
    b.js("document.querySelector(\"[data-testid='history']\").open = true; return 1;")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_pasted_jepsen_log_is_checked_and_the_stale_read_is_marked() {
    let mut b = Browser::start("history", 1280).await;
    // A replication preset: its module carries the checker.
    b.open("p=replica-stale-read").await;
    open_panel(&b).await;
    let log = history_preset("etcd-stale-read").expect("preset").text;
    b.set_value("history-text", log).await;
    b.click("history-check").await;
    b.wait_until("return !!document.querySelector(\"[data-testid='history-result']\");")
        .await;
    assert_eq!(holds(&b, "model-linearizable").await, "Some(false)");
    assert_eq!(holds(&b, "model-sequential").await, "Some(true)");
    let sentence = b.text("history-sentence").await;
    assert!(
        sentence
            .starts_with("client 19's read → 2 (line 16–line 17) saw 2, yet client 8's write 0"),
        "{sentence}"
    );
    // The offending read and the write it conflicts with are the marked bars.
    let marked = b
        .js("return [...document.querySelectorAll('.op.offending, .op.conflict')].map(e => e.getAttribute('data-op') + ':' + e.getAttribute('class'));")
        .await;
    let marked: Vec<String> = serde_json::from_value(marked).unwrap();
    assert_eq!(marked.len(), 2, "{marked:?}");
    assert!(
        marked
            .iter()
            .any(|m| m.contains("offending") && m.contains("read")),
        "{marked:?}"
    );
    assert!(
        marked
            .iter()
            .any(|m| m.contains("conflict") && m.contains("write")),
        "{marked:?}"
    );
    // The linearization points of the prefix: one dot per operation it placed.
    let dots = b
        .js("return document.querySelectorAll('.history-drawing .point').length;")
        .await;
    assert!(dots.as_u64().unwrap() >= 5, "{dots}");
    b.scroll_to("history-result").await;
    b.screenshot("stale-read").await;

    // A line it cannot read: refused with its number, the page keeps working.
    b.set_value("history-text", "INFO  jepsen.util - 0\t:ok\t:read\t3\n")
        .await;
    b.click("history-check").await;
    b.wait_until("return !!document.querySelector(\"[data-testid='history-error']\");")
        .await;
    let error = b.text("history-error").await;
    assert!(
        error.starts_with("line 1: process 0 answers :ok without an invocation"),
        "{error}"
    );

    // This run's history: the stale-read preset played to its end is not linearizable here
    // either.
    b.seek_to_end().await;
    b.click("history-this-run").await;
    b.wait_until("return !!document.querySelector(\"[data-testid='history-result']\");")
        .await;
    assert_eq!(holds(&b, "model-linearizable").await, "Some(false)");
    // Its link is the run's own link: opened afresh, the page plays the run and checks the
    // history it made.
    let href = b.attr("history-link", "href").await.expect("a link");
    assert!(
        href.contains("#s=") && href.ends_with("&history=run"),
        "{href}"
    );
    b.open(href.split_once('#').expect("a fragment").1).await;
    b.reload().await;
    b.wait_until("return !!document.querySelector(\"[data-testid='history-result']\");")
        .await;
    assert_eq!(holds(&b, "model-linearizable").await, "Some(false)");
    assert!(b.text("history-sentence").await.starts_with("client "));
    assert!(b.console_warnings().await.is_empty());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_history_link_opens_checked_in_both_languages_and_on_a_phone() {
    let mut b = Browser::start("history-link", 1280).await;
    b.open("p=replica-stale-read&history=etcd-linearizable")
        .await;
    assert!(b.text("history-caption").await.contains("etcd_002"));
    assert_eq!(holds(&b, "model-linearizable").await, "Some(true)");
    let picked = b
        .js("return document.querySelector(\"[data-testid='history-preset']\").value;")
        .await;
    assert_eq!(picked, "etcd-linearizable");
    assert!(b
        .attr("history-link", "href")
        .await
        .unwrap()
        .ends_with("&history=etcd-linearizable"));
    b.scroll_to("history-result").await;
    b.screenshot("etcd-linearizable").await;
    b.click("lang-zh").await;
    b.wait_until("return document.querySelector(\"[data-testid='history'] summary\").textContent === '检查一段历史';")
        .await;
    b.scroll_to("history-result").await;
    b.screenshot("etcd-linearizable-zh").await;
    // Edited, the text is no longer the example: its link carries the text itself.
    let edited = format!(
        "{}\n",
        history_preset("stale-read").expect("preset").text.trim()
    );
    b.set_value("history-text", &edited).await;
    let href = b.attr("history-link", "href").await.unwrap();
    assert!(href.contains("&h=") && !href.contains("history="), "{href}");
    assert!(!b.exists("history-caption").await);
    b.close().await;

    // A history carried whole in the link, on a phone.
    let mut b = Browser::start_phone("history-phone", 390).await;
    let text = history_preset("own-write-lost").expect("preset").text;
    b.open(&format!(
        "p=replica-stale-read&{}",
        link::history_fragment(text)
    ))
    .await;
    assert_eq!(holds(&b, "model-sequential").await, "Some(false)");
    assert!(b
        .text("history-sentence")
        .await
        .contains("client 1's read → 0"));
    let overflow = b
        .js("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(
        overflow,
        serde_json::Value::Bool(true),
        "the page scrolls sideways"
    );
    b.scroll_to("history-result").await;
    b.screenshot("own-write-lost").await;
    b.close().await;
}
