//! The light page (issue 22): a visitor downloads the module of the family their link needs,
//! not every algorithm, and moving to another family's preset loads that family's module.

use clusterplay_e2e::{preset_fragment, Browser};

/// The page modules (wasm) the page has downloaded, by file name.
async fn modules_loaded(b: &Browser) -> Vec<String> {
    let names = b
        .js("return performance.getEntriesByType('resource')
               .map(e => e.name.replace(/.*\\//, ''))
               .filter(n => n.endsWith('_bg.wasm') && !n.includes('explore'))")
        .await;
    serde_json::from_value(names).expect("a list of names")
}

async fn family(b: &Browser) -> serde_json::Value {
    b.js("return window.clusterplayPage.family").await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn each_link_downloads_only_its_familys_module() {
    let mut b = Browser::start("modules", 1280).await;
    // A first visit: the default preset's family.
    b.open("").await;
    assert_eq!(family(&b).await, "mutex");
    let loaded = modules_loaded(&b).await;
    assert!(
        loaded.len() == 1 && loaded[0].starts_with("clusterplay-mutex-"),
        "{loaded:?}"
    );
    // A share link, a short preset link and a saved scenario each pick their family.
    for (fragment, want, preset) in [
        (
            preset_fragment("2pc-seed-tshirt"),
            "transaction",
            "2pc-seed-tshirt",
        ),
        (
            "p=redlock-clock-jump".to_owned(),
            "lock",
            "redlock-clock-jump",
        ),
        (preset_fragment("paxos-seed"), "consensus", "paxos-seed"),
    ] {
        b.open(&fragment).await;
        assert_eq!(family(&b).await, want, "{fragment}");
        let loaded = modules_loaded(&b).await;
        assert!(
            loaded.len() == 1 && loaded[0].starts_with(&format!("clusterplay-{want}-")),
            "{fragment}: {loaded:?}"
        );
        assert_eq!(
            b.js("return document.querySelector(\"[data-testid='preset-picker']\").value")
                .await,
            preset
        );
    }
    // The learner's saved work brings a visit without a link back to it, in its family.
    let saved =
        serde_json::to_string(&clusterplay_scenario::preset("paxos-seed").unwrap().scenario)
            .expect("a scenario's JSON");
    b.js(&format!(
        "localStorage.setItem('clusterplay.scenario', {}); return true",
        serde_json::to_string(&saved).unwrap()
    ))
    .await;
    b.open("").await;
    assert_eq!(family(&b).await, "consensus");
    b.screenshot("consensus").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the release build in Chromium: `cargo xtask test` runs it after building"]
async fn another_familys_preset_opens_in_its_module() {
    let mut b = Browser::start("switch-family", 1280).await;
    b.open_preset("mutex-ra-seed").await;
    // The picker lists every preset and every comparison of the playground, not only this
    // module's.
    let count = |selector: &str| {
        format!(
            "return document.querySelectorAll(\"[data-testid='preset-picker'] {selector}\").length"
        )
    };
    assert_eq!(
        b.js(&count("option:not([value^='compare:'])")).await,
        serde_json::json!(clusterplay_scenario::presets().len())
    );
    assert_eq!(
        b.js(&count("option[value^='compare:']")).await,
        serde_json::json!(clusterplay_scenario::compare_presets().len())
    );
    // The catalogue tells every preset's story, the other families' fetched after the start.
    b.wait_until(
        "const c = document.querySelector(\"[data-preset='raft-election'] .preset-caption\");
         return !!c && c.textContent.includes('leader')",
    )
    .await;
    b.js("window.clusterplay_ready = false;
          const s = document.querySelector(\"[data-testid='preset-picker']\");
          s.value = 'raft-election';
          s.dispatchEvent(new Event('change', { bubbles: true }));
          return true")
        .await;
    b.wait_until(
        "return window.clusterplay_ready === true && window.clusterplayPage.family === 'election'",
    )
    .await;
    assert_eq!(
        b.js("return document.querySelector(\"[data-testid='preset-picker']\").value")
            .await,
        "raft-election"
    );
    assert!(b.exists("node-5").await, "Raft's five nodes are drawn");
    b.screenshot("raft").await;
    // Back returns to the coffee machine, in its own module again.
    b.js("window.clusterplay_ready = false; history.back(); return true")
        .await;
    b.wait_until(
        "return window.clusterplay_ready === true && window.clusterplayPage.family === 'mutex'",
    )
    .await;
    // A course page's `clusterplay:load` of another family's preset reloads into it too.
    b.js("window.clusterplay_ready = false;
          window.postMessage({ type: 'clusterplay:load', preset: 'zk-herd-effect' }, '*');
          return true")
        .await;
    b.wait_until(
        "return window.clusterplay_ready === true && window.clusterplayPage.family === 'lock'",
    )
    .await;
    b.close().await;
}
