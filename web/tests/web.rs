//! Browser tests, run in headless Chromium by `wasm-bindgen-test-runner`:
//! `cargo test -p clusterplay-web --target wasm32-unknown-unknown` (or `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use clusterplay_scenario::{presets, run};
use clusterplay_web::{i18n::STORAGE_KEY, App, Lang};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::scheduler;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("../../crates/scenario/tests/golden/trace_hashes.json");

/// Native and WebAssembly runs of every preset must produce the same trace: the hashes pinned
/// by the native tests must come out here too.
#[wasm_bindgen_test]
fn presets_replay_the_native_trace_hashes() {
    let golden: BTreeMap<String, String> = serde_json::from_str(GOLDEN).expect("golden file");
    let ids: Vec<&str> = presets().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        golden.keys().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            sorted
        },
        "the golden file and the preset catalogue list the same presets"
    );
    for preset in presets() {
        let report = run(&preset.scenario).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        assert_eq!(
            report.trace_hash, golden[&preset.id],
            "{}: wasm trace hash differs from the native one",
            preset.id
        );
    }
}

/// Render the app into a fresh `<div>` with the language stored as `lang`.
async fn mount(lang: Lang) -> Element {
    storage().set_item(STORAGE_KEY, lang.key()).unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    scheduler::flush().await;
    root
}

fn unmount(root: &Element) {
    root.remove();
    storage().remove_item(STORAGE_KEY).unwrap();
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn preset_titles(root: &Element) -> Vec<String> {
    let nodes = root.query_selector_all(".preset .preset-title").unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn app_lists_every_preset_in_english() {
    let root = mount(Lang::En).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("clusterplay"), "title shown");
    assert!(text.contains(Lang::En.tagline()), "tagline shown");
    let expected: Vec<String> = presets().iter().map(|p| p.title.en.clone()).collect();
    assert_eq!(preset_titles(&root), expected);
    for preset in presets() {
        assert!(
            text.contains(&preset.caption.en),
            "{}: caption shown",
            preset.id
        );
    }
    unmount(&root);
}

#[wasm_bindgen_test]
async fn switching_language_shows_the_chinese_titles() {
    let root = mount(Lang::En).await;
    let button: HtmlElement = root
        .query_selector("button[data-lang='zh']")
        .unwrap()
        .expect("a 简体中文 button")
        .dyn_into()
        .unwrap();
    assert_eq!(button.text_content().as_deref(), Some("简体中文"));
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );

    button.click();
    scheduler::flush().await;

    let expected: Vec<String> = presets().iter().map(|p| p.title.zh.clone()).collect();
    assert_eq!(preset_titles(&root), expected);
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains(Lang::Zh.tagline()));
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        storage().get_item(STORAGE_KEY).unwrap().as_deref(),
        Some("zh")
    );
    let html_lang = document().document_element().unwrap().get_attribute("lang");
    assert_eq!(html_lang.as_deref(), Some("zh-Hans"));
    unmount(&root);
}
