//! Each algorithm family's headline preset, as a learner sees it on the page: the chosen value
//! of Paxos, the locks 2PC participants hold while they block, and Raft's replicated logs.

use clusterplay_e2e::Browser;
use clusterplay_scenario::{link, preset, run};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn paxos_seed_shows_the_chosen_value_8() {
    let mut b = Browser::start("paxos-seed", 1280).await;
    b.open_preset("paxos-seed").await;
    assert_eq!(b.text("outcome-chosen").await, "–", "nothing chosen yet");
    b.seek_to_end().await;
    assert_eq!(b.text("outcome-chosen").await, "8");
    b.screenshot("chosen").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn two_phase_commit_participants_block_holding_their_locks() {
    let mut b = Browser::start("2pc-blocks", 1280).await;
    b.open_preset("2pc-coordinator-crash-blocks").await;
    b.seek_to_end().await;
    assert_eq!(
        b.attr("node-1", "data-up").await.as_deref(),
        Some("false"),
        "the coordinator is down"
    );
    for n in 2..=4 {
        let node = format!("node-{n}");
        assert_eq!(
            b.attr(&node, "data-role").await.as_deref(),
            Some("in-doubt")
        );
        let badges = b.attr(&node, "data-badges").await.unwrap_or_default();
        assert!(badges.split(' ').any(|x| x == "lock"), "node {n}: {badges}");
    }
    assert_eq!(b.text("outcome-decision").await, "–", "nobody ever decides");
    b.screenshot("blocked").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn raft_replication_draws_every_log_with_its_commit_mark() {
    let report = run(&preset("raft-replication").expect("preset").scenario).expect("runs");
    let committed = report.outcome["commit_index"]
        .as_u64()
        .expect("commit index");
    let mut b = Browser::start("raft-log", 1280).await;
    b.open_preset("raft-replication").await;
    b.seek_to_end().await;
    b.select(3).await;
    assert_eq!(
        b.attr("log-view", "data-committed").await.as_deref(),
        Some(committed.to_string().as_str())
    );
    let cells = b
        .js("return document.querySelectorAll(\"[data-testid='log-view'] .log-cell.committed\").length")
        .await;
    assert_eq!(
        cells,
        serde_json::json!(3),
        "x=1, y=2 and z=3, all committed"
    );
    b.scroll_to("log-view").await;
    b.screenshot("logs").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn zab_crowns_the_node_with_the_newest_data_and_counts_the_broadcast() {
    let mut b = Browser::start("zab", 1280).await;
    b.open_preset("zab-newest-data-wins").await;
    b.seek_to_end().await;
    assert_eq!(
        b.text("outcome-leader").await,
        "3",
        "data id 9 beats node id 5"
    );
    let badges = b.attr("node-3", "data-badges").await.unwrap_or_default();
    assert!(badges.contains("crown"), "{badges}");
    let notifications: u64 = b
        .text("outcome-notifications")
        .await
        .parse()
        .expect("a count");
    assert!(notifications > 20, "more than n(n−1) = 20: {notifications}");
    b.screenshot("leader").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_explorer_finds_3pc_disagreeing_by_itself_and_replays_it() {
    let mut b = Browser::start("explore-3pc", 1280).await;
    b.open_preset("3pc-partition-divergence").await;
    b.explore(false, true).await;
    let found: u32 = b
        .attr("explore-result", "data-violations")
        .await
        .and_then(|v| v.parse().ok())
        .expect("a count");
    assert!(
        found > 0,
        "a disagreement found without the scripted partition"
    );
    b.screenshot("found").await;
    b.click("explore-replay-0").await;
    b.seek_to_end().await;
    let listed = b.text("violations").await;
    assert!(
        listed.contains("atomicity"),
        "the replay shows it: {listed}"
    );
    b.screenshot("replayed").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_explorer_says_2pc_with_a_crash_blocks_but_never_disagrees() {
    let mut b = Browser::start("explore-2pc", 1280).await;
    b.open_preset("2pc-commit").await;
    b.explore(true, false).await;
    assert_eq!(
        b.attr("explore-result", "data-violations").await.as_deref(),
        Some("0")
    );
    assert_eq!(
        b.attr("explore-result", "data-exhausted").await.as_deref(),
        Some("true")
    );
    assert!(b.exists("explore-blocked").await, "blocking is reported");
    b.scroll_to("explore-result").await;
    b.screenshot("exhausted").await;
    b.close().await;
}

/// The search runs in a web worker: while it runs, the page animates and plays, the bar moves,
/// and Cancel stops it with what was found so far.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_explorer_runs_in_a_worker_while_the_page_plays_and_cancel_keeps_the_findings() {
    let mut b = Browser::start("explore-cancel", 1280).await;
    b.open_preset("raft-election").await;
    b.js("document.querySelector(\"[data-testid='explore']\").open = true; return true")
        .await;
    // Crashes and partitions are on; with loss and duplication too the space is far beyond
    // the panel's bound of 200 000 states.
    b.click("explore-loss").await;
    b.click("explore-dup").await;
    b.click("explore-start").await;
    b.wait_until(
        "const p = document.querySelector(\"[data-testid='explore-progress']\"); \
         return !!p && Number(p.getAttribute('value')) > 0",
    )
    .await;
    // The main thread is free: animation frames keep coming while the worker explores...
    let frames = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; let n = 0, worst = 0; \
             const t0 = performance.now(); let last = t0; \
             function f(t) { n++; worst = Math.max(worst, t - last); last = t; \
               if (t - t0 < 1000) requestAnimationFrame(f); else done([n, worst]); } \
             requestAnimationFrame(f);",
            vec![],
        )
        .await
        .expect("frames");
    let (n, worst) = (
        frames[0].as_f64().unwrap_or(0.0),
        frames[1].as_f64().unwrap_or(1e9),
    );
    assert!(
        n >= 20.0 && worst < 250.0,
        "frames in a second, longest gap: {frames}"
    );
    // ...and the cluster plays.
    b.click("play").await;
    b.wait_until(
        "return document.querySelector(\"[data-testid='clock']\").textContent !== '0.0 ms'",
    )
    .await;
    b.click("play").await;
    assert!(b.exists("explore-progress").await, "still exploring");
    b.scroll_to("explore-progress").await;
    b.screenshot("running").await;
    b.click("explore-cancel").await;
    for _ in 0..100 {
        if b.exists("explore-result").await {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        b.attr("explore-result", "data-cancelled").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        b.attr("explore-result", "data-exhausted").await.as_deref(),
        Some("false")
    );
    assert!(!b.exists("explore-progress").await);
    assert!(b.exists("explore-start").await, "ready for another search");
    b.scroll_to("explore-result").await;
    b.screenshot("cancelled").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn an_easy_puzzle_draws_forks_in_the_block_tree() {
    let mut b = Browser::start("pow-forks", 1280).await;
    b.open_preset("pow-easy-puzzle-forks").await;
    b.seek_to_end().await;
    let forks: u64 = b.text("outcome-forks").await.parse().expect("a count");
    assert!(forks > 0, "the run forks");
    let mut drawn = 0;
    for n in 1..=5 {
        b.select(n).await;
        let here: u64 = b
            .attr("chain-view", "data-forks")
            .await
            .and_then(|v| v.parse().ok())
            .expect("a block tree");
        if here > drawn {
            drawn = here;
            b.scroll_to("chain-view").await;
            b.screenshot("tree").await;
        }
    }
    assert!(drawn > 0, "some node's tree shows a side branch");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn redlock_process_pause_reports_two_writers_on_the_page() {
    let mut b = Browser::start("redlock-pause", 1280).await;
    b.open_preset("redlock-process-pause").await;
    b.seek_to_end().await;
    let listed = b.text("violations").await;
    assert!(listed.contains("one-writer"), "{listed}");
    b.scroll_to("violations").await;
    b.screenshot("violation").await;
    // A learner reading Chinese sees the finding, and what the metrics say of it, in Chinese.
    b.click("lang-zh").await;
    let listed = b.text("violations").await;
    assert!(
        listed.contains("同一时刻只有一个写者") && listed.contains("两个持有者同时写了资源"),
        "{listed}"
    );
    assert!(!listed.contains("wrote"), "{listed}");
    let metrics = b.text("metrics").await;
    assert!(metrics.contains("两个写者同时写入"), "{metrics}");
    b.scroll_to("violations").await;
    b.screenshot("violation-zh").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_pause_and_a_clock_jump_made_on_the_page_show_and_are_in_the_link() {
    let mut b = Browser::start("pause-jump", 1280).await;
    b.open_preset("redis-lock-basic").await;
    b.click("step").await;
    b.select(3).await;
    b.click("action-clock-ahead").await;
    assert!(
        b.text("local-clock").await.contains("(+100.0)"),
        "the local clock runs 100 ms ahead of virtual time"
    );
    assert!(
        b.text("local-clock-3").await.contains("(+100.0)"),
        "and the cluster view says so beside node 3"
    );
    assert!(
        !b.exists("local-clock-2").await,
        "nodes whose clock tells the truth carry no clock"
    );
    b.click("action-pause").await;
    assert!(b.exists("paused-until").await);
    let class = b.attr("node-3", "class").await.unwrap_or_default();
    assert!(class.contains("paused"), "{class}");
    let url = b.url().await;
    let timeline = link::decode(&url).expect("a scenario").timeline;
    let acts: Vec<String> = timeline
        .iter()
        .map(|s| format!("{:?}", s.act))
        .filter(|a| a.starts_with("Pause") || a.starts_with("Jump"))
        .collect();
    assert_eq!(acts.len(), 2, "{acts:?}");
    b.screenshot("paused").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn asynchronous_replication_shows_the_lost_write() {
    let mut b = Browser::start("async-lost-write", 1280).await;
    b.open_preset("replication-async-lost-write").await;
    b.seek_to_end().await;
    assert_eq!(
        b.text("outcome-lost_writes").await,
        "1",
        "one acknowledged write lost"
    );
    assert_eq!(b.text("outcome-linearizable").await, "false");
    let why = b.text("outcome-offending").await;
    assert!(why.contains("acknowledged"), "the page says why: {why}");
    b.scroll_to("outcome-offending").await;
    b.screenshot("lost").await;
    // The read that missed the write, and the write, marked on the diagram.
    b.click("show-highlights").await;
    for (mark, messages) in [("st-highlight-0", "11 12"), ("st-highlight-1", "6 7")] {
        assert_eq!(b.attr(mark, "data-node").await.as_deref(), Some("4"));
        assert_eq!(
            b.attr(mark, "data-messages").await.as_deref(),
            Some(messages)
        );
    }
    for msg in ["st-msg-6", "st-msg-12"] {
        let class = b.attr(msg, "class").await.unwrap_or_default();
        assert!(class.contains("flagged"), "{msg}: {class}");
    }
    b.scroll_to("spacetime").await;
    b.screenshot("marked").await;
    // The invariant panel names the moment the acknowledged write was lost: node 2's
    // promotion at 120 ms.
    let broken = b.text("violations").await;
    assert!(
        broken.contains("acknowledged") && broken.contains("120.0"),
        "the invariant panel: {broken}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_saga_compensates_the_payment_and_says_so_in_chinese() {
    let mut b = Browser::start("saga", 1280).await;
    b.open_preset("saga-compensation").await;
    b.seek_to_end().await;
    assert_eq!(b.text("outcome-status").await, "compensated");
    assert_eq!(b.text("outcome-compensated").await, "payment");
    b.click("lang-zh").await;
    let log = b.text("log").await;
    assert!(
        log.contains("执行补偿事务：撤销它的步骤")
            && log.contains("本地事务失败（缺货），自行回滚")
            && !log.contains("compensat"),
        "the saga's notes in Chinese: {log}"
    );
    b.scroll_to("log").await;
    b.screenshot("zh-log").await;
    b.close().await;
}

/// Replace the parameters in the editor and apply them.
async fn apply_params(b: &Browser, json: &str) {
    b.js("document.querySelector(\"[data-testid='params']\").open = true; return true")
        .await;
    b.set_value("params-text", json).await;
    b.click("params-apply").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_harder_puzzle_set_on_the_page_ends_the_forks_and_bad_parameters_are_explained() {
    let mut b = Browser::start("params", 1280).await;
    b.open_preset("pow-easy-puzzle-forks").await;
    b.seek_to_end().await;
    assert_ne!(b.text("outcome-forks").await, "0", "the easy puzzle forks");
    apply_params(
        &b,
        r#"{"difficulty": 500, "names": ["A", "B", "C", "D", "E"]}"#,
    )
    .await;
    b.seek_to_end().await;
    assert_eq!(b.text("outcome-forks").await, "0", "a hard puzzle does not");
    let url = b.url().await;
    let params = link::decode(&url).expect("a scenario").params;
    assert_eq!(
        params["difficulty"],
        serde_json::json!(500),
        "the link has it"
    );
    apply_params(&b, r#"{"difficulty": "very"}"#).await;
    assert!(b.exists("params-error").await, "a refusal is explained");
    assert!(b.exists("node-1").await, "and the page keeps working");
    b.scroll_to("params").await;
    b.screenshot("refused").await;
    b.close().await;
}

/// Every preset, opened from its link and dragged to its end, as a learner would browse the
/// picker: the page stays up, draws every node, and counts the same messages as the engine
/// does natively. The screenshots, one per preset, are for looking the catalogue over.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn every_preset_plays_to_its_end_on_the_page_as_it_does_natively() {
    let mut b = Browser::start("every-preset", 1280).await;
    for p in clusterplay_scenario::presets() {
        let native = run(&p.scenario).expect("every preset runs");
        b.open_preset(&p.id).await;
        b.seek_to_end().await;
        let nodes = p.scenario.nodes;
        assert!(
            b.exists(&format!("node-{nodes}")).await,
            "{}: node {nodes}",
            p.id
        );
        assert_eq!(
            b.js("return document.querySelector('.panic-banner, [data-testid=\"error-banner\"]') === null")
                .await,
            serde_json::json!(true),
            "{}: no error on the page",
            p.id
        );
        assert_eq!(
            b.text("messages-total").await,
            native.messages.total.to_string(),
            "{}: the page and the engine count the same messages",
            p.id
        );
        b.screenshot(&p.id).await;
    }
    b.close().await;
}

/// The stale read of a backup is flagged in the invariant panel the moment its answer arrives,
/// through the page's own (type-erased) engine, and reads as Chinese in Chinese.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_stale_read_is_flagged_in_the_invariant_panel_in_chinese() {
    let mut b = Browser::start("stale-read", 1280).await;
    b.open_preset("replica-stale-read").await;
    b.click("lang-zh").await;
    assert!(
        b.text("violations").await.contains('✓'),
        "nothing is broken before the run"
    );
    b.seek_to_end().await;
    let panel = b.text("violations").await;
    assert!(panel.contains("线性一致"), "{panel}");
    assert!(
        panel.contains("客户端 5 读到 0，而此前客户端 4 写入的 1 已被确认：读到了旧值"),
        "{panel}"
    );
    b.screenshot("zh").await;
    b.close().await;
    let mut phone = Browser::start_phone("stale-read-phone", 390).await;
    phone.open_preset("replica-stale-read").await;
    phone.seek_to_end().await;
    phone.scroll_to("violations").await;
    let panel = phone.text("violations").await;
    assert!(
        panel.contains("client 5 read 0 after client 4's write of 1 was acknowledged"),
        "{panel}"
    );
    phone.screenshot("en").await;
    phone.close().await;
}

/// Issue 21: a learner breaks Ricart–Agrawala's rule on purpose (a program agrees while it is
/// at the machine) and "Find me a failure" finds two at the machine by a random walk, after
/// breadth-first search ran out of room, and says so; the replay shows it.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_rule_broken_on_purpose_is_found_by_the_walks_and_replayed() {
    let mut b = Browser::start("explore-bug", 1280).await;
    b.open_preset("mutex-ra-everyone-asks").await;
    b.js("document.querySelector(\"[data-testid='params']\").open = true; return true")
        .await;
    b.click("bug-reply_while_using").await;
    b.wait_until("return location.hash.length > 3 && document.querySelector(\"[data-testid='bug-reply_while_using']\").checked;")
        .await;
    b.explore(false, false).await;
    assert_eq!(
        b.attr("explore-result", "data-violations").await.as_deref(),
        Some("1")
    );
    assert!(
        b.text("found-by-walk").await.contains("random walk"),
        "the finding says a walk found it"
    );
    b.scroll_to("explore-result").await;
    b.screenshot("found").await;
    b.click("explore-replay-0").await;
    b.seek_to_end().await;
    let listed = b.text("violations").await;
    assert!(
        listed.contains("mutual exclusion") || listed.contains("mutual-exclusion"),
        "{listed}"
    );
    b.close().await;
}

/// CAP over the replication scenarios (issue 18): under "how it works" the page runs each one
/// and says what it kept; the scenario on the page is marked; in Chinese too.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_cap_table_says_what_each_replication_run_kept() {
    let mut b = Browser::start("cap", 1280).await;
    b.open_preset("replication-sync-partition").await;
    b.js("document.querySelector('details.how').open = true;")
        .await;
    let sync = b.text("cap-replication-sync-partition").await;
    assert!(
        sync.contains("3 / 5") && sync.contains("C, not A"),
        "{sync}"
    );
    assert_eq!(
        b.attr("cap-replication-sync-partition", "class")
            .await
            .as_deref(),
        Some("current")
    );
    assert!(b
        .text("cap-replication-async-lost-write")
        .await
        .contains("A, not C"));
    b.scroll_to("cap-table").await;
    b.screenshot("cap").await;
    b.click("lang-zh").await;
    b.js("document.querySelector('details.how').open = true;")
        .await;
    assert!(b
        .text("cap-replication-sync-partition")
        .await
        .contains("C，放弃 A"));
    b.screenshot("cap-zh").await;
    b.close().await;
}
