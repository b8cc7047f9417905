//! The playground as a learner uses it: the release build, in headless Chromium, over
//! WebDriver, served on 127.0.0.1.

use clusterplay_e2e::{preset_fragment, Browser};
use clusterplay_scenario::{link, preset};

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
    b.open_preset("mutex-ra-seed").await;
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
    b.open_preset("mutex-ra-seed").await;
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

/// The metrics follow a run while it plays (they are read a few times a second then, not on
/// every frame), and show the whole run once it stops.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_metrics_follow_a_run_while_it_plays() {
    let b = Browser::start("metrics-playing", 1280).await;
    b.open_preset("mutex-ra-everyone-asks").await;
    assert_eq!(b.text("messages-total").await, "0");
    b.click("play").await;
    let total = "Number(document.querySelector(\"[data-testid='messages-total']\").textContent)";
    b.wait_until(&format!("return {total} > 0")).await;
    // The caption's count: 2(n−1) = 8 messages for each of the five uses.
    b.seek_to_end().await;
    b.wait_until(&format!("return {total} === 40")).await;
    b.close().await;
}

/// The event log keeps its newest line in view as the run plays past the lines it can show
/// (the scroller lays the list out from its bottom; nothing reads its height per render).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_event_log_shows_its_newest_line_while_playing() {
    let b = Browser::start("log-follows", 1280).await;
    b.open_preset("mutex-ra-everyone-asks").await;
    b.click("play").await;
    let lines = "document.querySelectorAll('.log-lines li').length";
    b.wait_until(&format!("return {lines} > 40")).await;
    let newest_in_view = "const s = document.querySelector('.log-scroll'); \
        const li = [...s.querySelectorAll('li')].pop(); \
        const a = s.getBoundingClientRect(), r = li.getBoundingClientRect(); \
        return s.scrollHeight > s.clientHeight + 100 && r.bottom <= a.bottom + 1 && r.top >= a.top - 1";
    b.wait_until(newest_in_view).await;
    b.click("play").await;
    b.seek_to_end().await;
    b.wait_until(newest_in_view).await;
    b.close().await;
}

/// Wait for index.html's note to turn into an alert (the page could not start); its text.
async fn failure_note(b: &Browser) -> String {
    b.wait_until("const n = document.getElementById('boot'); return !!n && n.getAttribute('role') === 'alert'")
        .await;
    let note = b
        .js("return document.getElementById('boot').textContent")
        .await;
    note.as_str().unwrap_or_default().to_owned()
}

/// While the wasm loads the page says so, and the note goes when the app mounts. A copy of
/// `dist/` without the page's wasm (a teacher who uploaded only some files) explains itself
/// instead of staying blank.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_page_that_cannot_start_says_why_instead_of_staying_blank() {
    let mut b = Browser::start("cannot-start", 800).await;
    b.open_preset("mutex-ra-seed").await;
    assert_eq!(
        b.js("return document.getElementById('boot') === null")
            .await,
        serde_json::json!(true),
        "the loading note is gone once the cluster is drawn"
    );

    let copy = std::env::temp_dir().join(format!("clusterplay-no-wasm-{}", std::process::id()));
    std::fs::create_dir_all(&copy).expect("a folder for the copy");
    for file in std::fs::read_dir(clusterplay_e2e::dist())
        .expect("dist/")
        .flatten()
    {
        let name = file.file_name().to_string_lossy().into_owned();
        // Every module the loader may pick: the full page's and each family's.
        let page_wasm = name.ends_with("_bg.wasm") && !name.contains("explore");
        if file.path().is_file() && !page_wasm {
            std::fs::copy(file.path(), copy.join(&name)).expect("copied");
        }
    }
    b.base = clusterplay_e2e::serve(copy.clone());
    b.client.goto(&b.base).await.expect("navigation");
    let note = failure_note(&b).await;
    assert!(note.contains("could not start"), "{note}");
    assert!(note.contains("404"), "the reason is given: {note}");
    b.screenshot("explained").await;
    b.js("localStorage.setItem('clusterplay.lang', 'zh'); return true")
        .await;
    b.client.refresh().await.expect("reload");
    let note = failure_note(&b).await;
    assert!(
        note.starts_with("演示场无法启动"),
        "in the language the learner chose: {note}"
    );
    b.close().await;
    let _ = std::fs::remove_dir_all(copy);
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
async fn a_link_pasted_into_the_open_tab_opens_its_scenario_and_a_broken_one_is_explained() {
    let mut b = Browser::start("paste-link", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    // Only the fragment changes: the browser does not reload the page, which opens the
    // scenario itself when its module runs it (a mark left on the page survives)…
    b.js("window.still_the_same_page = true; return true").await;
    b.client
        .goto(&format!(
            "{}#{}",
            b.base,
            preset_fragment("mutex-token-lost")
        ))
        .await
        .expect("navigation");
    b.wait_until(
        "return document.querySelector(\"[data-testid='preset-picker']\").value === 'mutex-token-lost'",
    )
    .await;
    assert_eq!(
        b.js("return window.still_the_same_page === true").await,
        serde_json::json!(true)
    );
    // …and reloads into the module of another family.
    b.client
        .goto(&format!("{}#{}", b.base, preset_fragment("raft-election")))
        .await
        .expect("navigation");
    b.wait_until(
        "return window.clusterplay_ready === true && \
         document.querySelector(\"[data-testid='preset-picker']\").value === 'raft-election'",
    )
    .await;
    assert!(!b.exists("error-banner").await);
    b.client
        .goto(&format!("{}#s=not-a-scenario", b.base))
        .await
        .expect("navigation");
    b.wait_until("return !!document.querySelector(\"[data-testid='error-banner']\")")
        .await;
    assert_eq!(
        b.js("return document.querySelector(\"[data-testid='preset-picker']\").value")
            .await,
        serde_json::json!("raft-election"),
        "the learner keeps the scenario they had"
    );
    let banner = b.text("error-banner").await;
    assert!(banner.contains("still here"), "and is told so: {banner}");
    b.screenshot("broken").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_language_switches_to_chinese_and_back() {
    let mut b = Browser::start("language", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    b.click("lang-zh").await;
    let body = b.by_id("preset-picker").await.text().await.expect("text");
    assert!(body.contains("分布式算法"), "{body}");
    b.seek_to_end().await;
    b.select(1).await;
    let inspector = b.text("inspector").await;
    assert!(
        inspector.contains("Lamport 时钟") && !inspector.contains("Lamport clock"),
        "the node's fields speak Chinese too: {inspector}"
    );
    let log = b.text("log").await;
    assert!(
        log.contains("收到来自") && !log.contains("receives") && !log.contains("sends the"),
        "so do the event log's lines and the protocol's notes: {log}"
    );
    b.screenshot("zh").await;
    b.scroll_to("log").await;
    b.screenshot("zh-log").await;
    b.click("lang-en").await;
    let body = b.by_id("preset-picker").await.text().await.expect("text");
    assert!(body.contains("Ricart–Agrawala"), "{body}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_phone_sized_screen_still_shows_the_cluster_and_controls() {
    let mut b = Browser::start_phone("phone", 360).await;
    b.open_preset("mutex-central-coordinator-crash").await;
    assert_eq!(
        b.js("return window.innerWidth").await,
        serde_json::json!(360)
    );
    assert_eq!(
        b.js("return document.documentElement.scrollWidth").await,
        serde_json::json!(360),
        "nothing runs off the side of a 360-pixel phone"
    );
    assert!(b
        .by_id("cluster")
        .await
        .is_displayed()
        .await
        .expect("shown"));
    assert!(b.by_id("play").await.is_displayed().await.expect("shown"));
    b.screenshot("phone").await;
    b.scroll_to("play").await;
    b.screenshot("controls").await;
    // The space-time diagram's words stay readable on the phone: its time ticks and node
    // numbers are drawn at least 8 CSS pixels high (the wide drawing shrank them to about 5).
    b.seek_to_end().await;
    b.scroll_to("spacetime").await;
    let smallest = b
        .js(
            "return Math.min(...[...document.querySelectorAll('.st-tick text, .st-label')] \
             .map(t => t.getBoundingClientRect().height).filter(h => h > 0))",
        )
        .await
        .as_f64()
        .expect("the diagram has words");
    assert!(
        smallest >= 8.0,
        "diagram text {smallest} px high on a phone"
    );
    b.screenshot("diagram").await;
    b.close().await;
}

/// A network relaying every block to everyone: past a dozen bubbles in flight they fly as
/// dots of their colour, a note says so, and a click on one still reads what it carries.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_crowd_of_messages_flies_as_dots_that_still_read_out() {
    let mut b = Browser::start("crowd", 1280).await;
    b.open_preset("pow-easy-puzzle-forks").await;
    b.seek_to_end().await;
    let bubbles = b
        .js("return document.querySelectorAll('.flights .msg').length")
        .await;
    assert!(bubbles.as_u64().expect("a count") > 12, "{bubbles}");
    assert!(b.text("crowded-note").await.contains("shown as dots"));
    assert_eq!(
        b.js("return document.querySelectorAll('.flights .msg-label').length")
            .await,
        serde_json::json!(0),
        "no words pile up over the cluster"
    );
    b.js("document.querySelector('.flights .msg').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        .await;
    assert!(b.text("inspector").await.contains("block"));
    b.screenshot("dots").await;
    // A quiet moment (the start) shows its few messages with their words again.
    b.open_preset("mutex-ra-seed").await;
    b.click("step").await;
    b.wait_until("return document.querySelectorAll('.flights .msg-label').length > 0")
        .await;
    assert!(!b.exists("crowded-note").await);
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
    b.open_preset("raft-election").await;
    // Drag the timeline to the end, as a learner would.
    b.seek_to_end().await;
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

fn scenario_in(url: &str) -> clusterplay_scenario::Scenario {
    link::decode(url).expect("the URL holds a valid scenario")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn clicking_an_event_in_the_space_time_diagram_seeks_there() {
    let mut b = Browser::start("spacetime", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    step(&b, 24).await;
    assert!(b.exists("spacetime").await);
    // The first delivery of the run: an arrow from its send ends there.
    let found = b
        .js(
            "const e = document.querySelector(\"[data-testid='spacetime'] .st-event.deliver\");
             return e ? [e.getAttribute('data-event'), e.getAttribute('data-time')] : null;",
        )
        .await;
    let index = found[0].as_str().expect("a delivery is drawn").to_string();
    let time: u64 = found[1].as_str().expect("its time").parse().expect("µs");
    let before = b.text("clock").await;
    b.scroll_to("spacetime").await;
    b.screenshot("diagram").await;
    b.click(&format!("st-event-{index}")).await;
    let after = b.text("clock").await;
    assert_ne!(before, after, "the clock moved");
    assert_eq!(after, format!("{:.1} ms", time as f64 / 1000.0));
    assert!(
        b.exists("inspector-event").await,
        "the inspector shows the event"
    );
    let lit = b
        .attr(&format!("log-{index}"), "class")
        .await
        .unwrap_or_default();
    assert!(
        lit.contains("lit"),
        "the log highlights the same event: {lit}"
    );
    let selected = b
        .attr(&format!("st-event-{index}"), "class")
        .await
        .unwrap_or_default();
    assert!(selected.contains("selected"), "{selected}");
    b.screenshot("seeked").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn hand_delivery_holds_messages_until_the_learner_delivers_and_the_link_replays_it() {
    let mut b = Browser::start("hand-delivery", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    b.js("document.querySelector(\"[data-testid='settings']\").open = true;")
        .await;
    b.click("set-manual").await;
    assert!(scenario_in(&b.url().await).network.manual);
    assert!(b.exists("held").await, "the hand-delivery list is shown");
    b.set_value("timeline", "30000").await;
    assert!(
        b.exists("held-0").await,
        "node 1's request waits for the learner"
    );
    b.scroll_to("held").await;
    b.screenshot("held").await;
    b.click("deliver-0").await;
    b.click("drop-1").await;
    assert!(!b.exists("held-0").await && !b.exists("held-1").await);
    let url = b.url().await;
    let acts: Vec<_> = scenario_in(&url)
        .timeline
        .into_iter()
        .map(|s| s.act)
        .collect();
    assert!(acts.contains(&clusterplay_scenario::Act::Deliver { msg: 0 }));
    assert!(acts.contains(&clusterplay_scenario::Act::Drop { msg: 1 }));
    let events = b.text("log").await;
    b.screenshot("delivered").await;
    b.reload().await;
    b.set_value("timeline", "30000").await;
    assert!(!b.exists("held-0").await && !b.exists("held-1").await);
    assert_eq!(b.text("log").await, events, "the link replays the same run");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn settings_change_the_scenario_and_bad_values_are_explained() {
    let mut b = Browser::start("settings", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    b.js("document.querySelector(\"[data-testid='settings']\").open = true;")
        .await;
    b.set_value("set-nodes", "7").await;
    assert!(b.exists("node-7").await);
    assert_eq!(scenario_in(&b.url().await).nodes, 7);
    b.set_value("set-loss", "10").await;
    b.set_value("set-latency-max", "40").await;
    let s = scenario_in(&b.url().await);
    assert_eq!(s.network.loss, 0.1);
    assert_eq!(s.network.latency_ms[1], 40.0);
    b.set_value("set-latency-min", "90").await;
    let error = b.text("settings-error").await;
    assert!(error.contains("minimum is above the maximum"), "{error}");
    assert_eq!(
        scenario_in(&b.url().await).network.latency_ms[0],
        s.network.latency_ms[0],
        "a refused value does not reach the link"
    );
    b.set_value("set-nodes", "500").await;
    assert!(b.text("settings-error").await.contains("101"));
    assert!(b.exists("node-7").await, "the page still runs");
    b.click("set-chaos").await;
    let s = scenario_in(&b.url().await);
    assert!(s.chaos.is_some(), "chaos is part of the link");
    b.click("set-chaos-clocks").await;
    let s = scenario_in(&b.url().await);
    assert!(
        s.chaos.is_some_and(|c| c.clocks),
        "pauses and clock jumps too, in the link"
    );
    b.set_value("timeline", "2000000").await;
    assert!(
        b.text("log").await.contains("chaos: "),
        "chaos injected faults"
    );
    b.scroll_to("settings").await;
    b.screenshot("settings").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_single_link_is_cut_one_way_from_the_node_menu() {
    let mut b = Browser::start("cut-link", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    b.click("node-1").await;
    b.set_value("cut-target", "3").await;
    b.click("action-cut-link").await;
    let s = scenario_in(&b.url().await);
    let from = clusterplay_sim::NodeId::from_number(1).expect("node");
    let to = clusterplay_sim::NodeId::from_number(3).expect("node");
    assert!(s
        .timeline
        .iter()
        .any(|st| st.act == clusterplay_scenario::Act::Cut { from, to }));
    assert!(
        b.exists("restore-1-3").await,
        "the inspector offers to restore it"
    );
    b.screenshot("cut").await;
    b.click("restore-1-3").await;
    assert!(!b.exists("restore-1-3").await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_course_page_drives_an_embedded_playground_with_post_message() {
    let mut b = Browser::start("post-message", 1280).await;
    b.open("").await;
    let fragment = format!("{}&embed=1", preset_fragment("mutex-ra-seed"));
    b.host_embed(&fragment, 900, 600).await;
    let send = |cmd: &str| {
        format!("document.getElementById('cp').contentWindow.postMessage({cmd}, '*'); return true;")
    };
    b.js(&send("{type: 'clusterplay:seek', ms: 40}")).await;
    b.wait_until(
        "return window.__msgs.some(m => m.type === 'clusterplay:state' && m.ms === 40 && m.events > 3);",
    )
    .await;
    b.js(&send("{type: 'clusterplay:play'}")).await;
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:state' && m.playing);")
        .await;
    b.js(&send("{type: 'clusterplay:load', preset: 'raft-election'}"))
        .await;
    b.wait_until(
        "return window.__msgs.some(m => m.type === 'clusterplay:state' && m.protocol === 'raft');",
    )
    .await;
    b.js(&send("{type: 'clusterplay:seek'}")).await;
    b.wait_until(
        "return window.__msgs.some(m => m.type === 'clusterplay:error' && /ms/.test(m.message));",
    )
    .await;
    b.screenshot("iframe").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_diagram_marks_a_crash_and_a_recovery_and_zooms_out() {
    let mut b = Browser::start("spacetime-raft", 1280).await;
    b.open_preset("raft-leader-crash").await;
    b.set_value("timeline", "1300000").await;
    // Paused: the whole run so far; + steps in from there.
    let span = b.text("st-span").await;
    assert!(span.contains("whole run"), "{span}");
    b.click("st-zoom-in").await;
    assert_eq!(b.text("st-span").await, "1600 ms");
    let marks = b
        .js(
            "const d = document.querySelector(\"[data-testid='spacetime']\");
             return [d.querySelectorAll('.st-event.crash').length,
                     d.querySelectorAll('.st-event.recover').length,
                     d.querySelectorAll('.st-down').length,
                     d.querySelectorAll('.st-event').length];",
        )
        .await;
    assert_eq!(marks[0], 1, "node 1's crash at 400 ms: {marks}");
    assert_eq!(marks[1], 1, "and its recovery at 1200 ms: {marks}");
    assert_eq!(marks[2], 1, "node 1's line is greyed while down: {marks}");
    assert!(marks[3].as_u64().unwrap_or(0) > 100, "{marks}");
    b.click("node-1").await;
    b.scroll_to("spacetime").await;
    b.screenshot("crash-and-recovery").await;
    b.close().await;
}

/// A teacher puts `dist/` on a course platform under a path of its own: the page, its
/// stylesheet and the explorer's worker all load from there.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_page_works_from_a_sub_path_of_a_course_site() {
    let mut b = Browser::start("sub-path", 1280).await;
    b.base = clusterplay_e2e::serve_under(clusterplay_e2e::dist(), "/course/clusterplay/");
    b.open_preset("2pc-commit").await;
    let styled = b
        .js("return getComputedStyle(document.querySelector('.cluster-frame')).borderTopStyle")
        .await;
    assert_eq!(styled, serde_json::json!("solid"), "the stylesheet loaded");
    b.explore(true, false).await;
    assert_eq!(
        b.attr("explore-result", "data-exhausted").await.as_deref(),
        Some("true"),
        "the explorer's worker loaded and searched"
    );
    b.screenshot("course").await;
    b.close().await;
}

/// Issue 17: a shared link opens where the sharer was, at their speed.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_link_with_a_time_position_opens_there() {
    let mut b = Browser::start("link-time", 1280).await;
    b.open(&format!(
        "{}&t=448&speed=2",
        preset_fragment("mutex-ra-seed")
    ))
    .await;
    assert_eq!(b.text("clock").await, "448.0 ms");
    assert_eq!(
        b.js("return document.querySelector(\"[data-testid='speed']\").getAttribute('aria-valuetext')")
            .await,
        serde_json::json!("2.0×")
    );
    b.screenshot("at-448").await;
    b.close().await;
}

/// Issue 17: at the end of a run the diagram fits the whole run: every message is drawn.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_diagram_at_the_end_draws_every_message_of_the_run() {
    let mut b = Browser::start("diagram-end", 1280).await;
    for id in ["mutex-ra-seed", "2pc-seed-tshirt"] {
        b.open_preset(id).await;
        b.seek_to_end().await;
        let sent = preset(id)
            .and_then(|p| clusterplay_scenario::run(&p.scenario))
            .expect("a preset that runs")
            .messages
            .total;
        let drawn = b
            .js("return document.querySelectorAll(\"[data-testid='spacetime'] .st-msg\").length")
            .await;
        assert_eq!(drawn, serde_json::json!(sent), "{id}: every message drawn");
        assert!(b.text("st-span").await.contains("whole run"), "{id}");
        b.scroll_to("spacetime").await;
        b.screenshot(id).await;
    }
    b.close().await;
}

/// Issue 17: an edited preset keeps its caption and says what changed.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn changing_the_node_count_keeps_the_caption_and_says_so() {
    let b = Browser::start("changed", 1280).await;
    b.open_preset("raft-election").await;
    b.js("document.querySelector(\"[data-testid='settings']\").open = true;")
        .await;
    b.set_value("set-nodes", "7").await;
    assert!(b.exists("node-7").await);
    assert!(b.text("changed").await.contains("5 → 7 nodes"));
    assert_eq!(
        b.js("return document.querySelector(\"[data-testid='preset-picker']\").value")
            .await,
        serde_json::json!("raft-election")
    );
    b.close().await;
}

/// Issue 17: a first visit says what to press; on a phone, a tapped node's inspector shows
/// where the finger is, not far below.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_newcomer_is_told_to_press_play_and_a_phone_tap_shows_the_inspector() {
    let mut b = Browser::start_phone("newcomer", 390).await;
    b.open("").await;
    assert!(
        b.exists("play-hint").await,
        "the first visit says what to press"
    );
    b.open_preset("raft-election").await;
    b.click("node-2").await;
    let inside = b
        .js("const r = document.querySelector(\"[data-testid='inspector']\").getBoundingClientRect();
             return r.top >= 0 && r.top < innerHeight && r.bottom <= innerHeight + 1")
        .await;
    assert_eq!(
        inside,
        serde_json::json!(true),
        "the inspector is on screen"
    );
    b.screenshot("tap").await;
    b.click("inspector-close").await;
    b.close().await;
}

/// Issue 17: a partition is drawn, not only labelled: the links between its sides are broken.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_partition_breaks_the_links_between_its_sides() {
    let mut b = Browser::start("partition", 1280).await;
    b.open_preset("raft-partition").await;
    let across = "return document.querySelectorAll('.cluster .link.across').length";
    assert_eq!(b.js(across).await, serde_json::json!(0), "before the split");
    // {1, 2} against {3, 4, 5}: six of the ten links cross.
    b.set_value("timeline", "1000000").await;
    assert_eq!(b.js(across).await, serde_json::json!(6));
    b.screenshot("split").await;
    b.set_value("timeline", "2000000").await;
    assert_eq!(
        b.js(across).await,
        serde_json::json!(0),
        "healed at 1 500 ms"
    );
    b.close().await;
}

/// A first visit, a preset of each of three families, playing, and the explorer's worker
/// starting: the console stays free of errors and warnings (a missing icon, an integrity
/// mismatch or a deprecated call would all show there).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn the_console_stays_clean_on_load_play_and_explore() {
    let b = Browser::start("console", 1280).await;
    b.open("").await;
    for id in [
        "raft-election",
        "2pc-coordinator-crash-blocks",
        "paxos-seed",
    ] {
        b.open_preset(id).await;
        b.click("play").await;
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        b.click("play").await;
    }
    b.explore(true, false).await;
    let said = b.console_warnings().await;
    assert!(said.is_empty(), "the console said: {said:#?}");
    b.close().await;
}

/// A course page asks an embedded playground for its state while it plays: the answer tells
/// the time the iframe's clock shows then, not the time of the last event or 0.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn get_state_while_playing_tells_the_time_the_embed_shows() {
    let b = Browser::start("get-state", 1280).await;
    b.open("").await;
    // Programs ask for the coffee machine all the time, so no quiet stretch is skipped and
    // the clock moves at the set pace: a virtual millisecond per tenth of a second.
    let fragment = format!("{}&embed=1", preset_fragment("mutex-ra-everyone-asks"));
    b.host_embed(&fragment, 900, 700).await;
    b.js("document.getElementById('cp').contentWindow.postMessage({type: 'clusterplay:play'}, '*'); return 1")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let shown = b
        .js("window.__msgs = [];
             const d = document.getElementById('cp').contentDocument;
             window.__shown = parseFloat(d.querySelector(\"[data-testid='clock']\").textContent);
             document.getElementById('cp').contentWindow.postMessage({type: 'clusterplay:get-state'}, '*');
             return window.__shown;")
        .await
        .as_f64()
        .expect("the clock reads as a number");
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:state');")
        .await;
    let told = b
        .js("return window.__msgs.find(m => m.type === 'clusterplay:state').ms;")
        .await
        .as_f64()
        .expect("the state has ms");
    assert!(shown > 5.0, "the embed played: its clock shows {shown} ms");
    // The clock is written ten times a second: a tenth of a second later it may read one
    // virtual millisecond more; the answer is made a moment after the clock was read.
    assert!(
        (told - shown).abs() <= 1.5,
        "get-state told {told} ms while the iframe showed {shown} ms"
    );
    b.close().await;
}

/// A learner takes the Ricart–Agrawala lesson embedded in a course page: a wrong answer shows
/// why, a right one says so, the run stops by itself at each stop, the task waits until they
/// crash program 1, and the score counts first answers. The page remembers it, and the course
/// page hears every answer and the end.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_learner_takes_a_lesson_end_to_end_and_a_course_page_hears_it() {
    let mut b = Browser::start("lesson", 1280).await;
    b.open("").await;
    b.host_embed("lesson=ra-worked-example&embed=1", 1200, 900)
        .await;
    let inside = |script: &str| {
        format!(
            "const d = document.getElementById('cp').contentDocument;
             const q = (id) => d.querySelector(`[data-testid='${{id}}']`);
             {script}"
        )
    };
    // An SVG node has no click(): a click event works for buttons and nodes alike.
    let click = |id: &str| {
        inside(&format!(
            "q('{id}').dispatchEvent(new MouseEvent('click', {{bubbles: true}})); return 1;"
        ))
    };
    let text = |id: &str| inside(&format!("return q('{id}') ? q('{id}').textContent : null;"));

    assert_eq!(
        b.js(&text("lesson-progress")).await,
        serde_json::json!("Stop 1 of 4")
    );
    b.js(&click("lesson-choice-2")).await;
    let explain = b.js(&text("lesson-explain")).await;
    assert!(
        explain
            .as_str()
            .is_some_and(|e| e.starts_with("Not quite") && e.contains("8 is earlier than 12")),
        "{explain}"
    );
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:lesson-answer' && m.stop === 1 && m.choice === 3 && m.correct === false);")
        .await;
    b.js(&click("lesson-next")).await;
    b.wait_until(&inside(
        "return q('lesson-progress').textContent === 'Stop 2 of 4' && !!q('lesson-choice-1');",
    ))
    .await;
    b.js(&click("lesson-choice-1")).await;
    assert!(b
        .js(&text("lesson-explain"))
        .await
        .as_str()
        .is_some_and(|e| e.starts_with("Right")));
    b.js(&click("lesson-next")).await;
    b.wait_until(&inside(
        "return q('lesson-progress').textContent === 'Stop 3 of 4' && !!q('lesson-choice-2');",
    ))
    .await;
    b.js(&click("lesson-choice-2")).await;
    b.js(&click("lesson-next")).await;
    assert!(b
        .js(&text("lesson-task"))
        .await
        .as_str()
        .is_some_and(|t| t.contains("crash program 1")));
    assert_eq!(
        b.js(&inside("return q('lesson-next').disabled;")).await,
        serde_json::json!(true),
        "the lesson waits for the task"
    );
    // An embed has no inspector: the task's own button does it.
    b.js(&click("lesson-do-task")).await;
    b.wait_until(&inside("return !!q('lesson-task-done');"))
        .await;
    b.js(&click("lesson-next")).await;
    b.wait_until(&inside(
        "return q('lesson-progress').textContent === 'Stop 4 of 4' && !!q('lesson-choice-1');",
    ))
    .await;
    assert_eq!(
        b.js(&inside("return q('clock').textContent;")).await,
        serde_json::json!("200.0 ms"),
        "the last stop is at 200 ms"
    );
    b.js(&click("lesson-choice-1")).await;
    b.js(&click("lesson-next")).await;
    assert_eq!(
        b.js(&text("lesson-score")).await,
        serde_json::json!("Lesson finished: 3 of 4 questions right.")
    );
    b.wait_until("return window.__msgs.some(m => m.type === 'clusterplay:lesson-complete' && m.lesson === 'ra-worked-example' && m.score === 3 && m.questions === 4 && m.answers.length === 4);")
        .await;
    let saved = b
        .js("return document.getElementById('cp').contentWindow.localStorage.getItem('clusterplay.lessons');")
        .await;
    assert_eq!(saved, serde_json::json!(r#"{"ra-worked-example":[3,4]}"#));
    b.screenshot("lesson-done").await;
    b.close().await;
}

/// A teacher's lesson travels in the link; one that is broken is refused with the reason and
/// the page keeps working.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn a_lesson_link_opens_the_lesson_and_a_broken_one_is_explained() {
    let b = Browser::start("lesson-link", 1280).await;
    let lesson = clusterplay_scenario::lesson::lesson("ra-worked-example").expect("lesson");
    b.open(&link::lesson_fragment(lesson)).await;
    assert_eq!(b.text("lesson-progress").await, "Stop 1 of 4");
    // The address is the lesson's (a built-in one by its id), so a reload keeps it.
    assert!(
        b.url().await.ends_with("#lesson=ra-worked-example"),
        "{}",
        b.url().await
    );
    b.reload().await;
    assert_eq!(b.text("lesson-progress").await, "Stop 1 of 4");
    b.open("l=AAAA").await;
    let notice = b.text("notice").await;
    assert!(
        notice.contains("damaged") || notice.contains("not valid"),
        "{notice}"
    );
    assert_eq!(
        b.text("lesson-progress").await,
        "Stop 1 of 4",
        "the lesson the learner was taking stays"
    );
    b.close().await;
}
