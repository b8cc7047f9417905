//! Browser tests, run in headless Chromium by `wasm-bindgen-test-runner`:
//! `cargo test -p clusterplay-web --target wasm32-unknown-unknown` (or `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use clusterplay_scenario::{link, preset, presets, run};
use clusterplay_web::browser::SCENARIO_KEY;
use clusterplay_web::{i18n::STORAGE_KEY, App, Lang};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::{scheduler, AppHandle};

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

/// A mounted app and the element it lives in.
struct Mounted {
    root: Element,
    handle: AppHandle<App>,
}

/// Render the app into a fresh `<div>` with the language stored as `lang`, no saved scenario
/// and no fragment.
async fn mount(lang: Lang) -> Mounted {
    mount_with(lang, "").await
}

/// Render the app with `fragment` (such as `#s=…`) in the address bar.
async fn mount_with(lang: Lang, fragment: &str) -> Mounted {
    storage().set_item(STORAGE_KEY, lang.key()).unwrap();
    storage().remove_item(SCENARIO_KEY).unwrap();
    set_fragment(fragment);
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    scheduler::flush().await;
    Mounted { root, handle }
}

fn unmount(mounted: Mounted) {
    mounted.handle.destroy();
    mounted.root.remove();
    storage().remove_item(STORAGE_KEY).unwrap();
    storage().remove_item(SCENARIO_KEY).unwrap();
    set_fragment("");
}

/// Replace the address bar's fragment without reloading.
fn set_fragment(fragment: &str) {
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    let search = window.location().search().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&format!("{path}{search}{fragment}")),
        )
        .unwrap();
}

fn location_hash() -> String {
    web_sys::window().unwrap().location().hash().unwrap()
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The catalogue's presets as the page lists them: grouped by family, families in the order
/// they first appear, presets in catalogue order within each.
fn grouped() -> Vec<&'static clusterplay_scenario::Preset> {
    let mut families: Vec<&str> = Vec::new();
    for p in presets() {
        if !families.contains(&p.family.as_str()) {
            families.push(&p.family);
        }
    }
    families
        .into_iter()
        .flat_map(|f| presets().iter().filter(move |p| p.family == f))
        .collect()
}

/// Every family has a heading in both languages from the scenario crate, not its key.
#[wasm_bindgen_test]
async fn family_headings_come_from_the_registry() {
    let mounted = mount(Lang::Zh).await;
    let headings: Vec<String> = {
        let nodes = mounted
            .root
            .query_selector_all(".family .family-name")
            .unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    let expected: Vec<String> = {
        let mut ids: Vec<&str> = Vec::new();
        for p in presets() {
            if !ids.contains(&p.family.as_str()) {
                ids.push(&p.family);
            }
        }
        ids.iter()
            .map(|id| clusterplay_scenario::family_name(id, "zh"))
            .collect()
    };
    assert_eq!(headings, expected);
    assert!(headings.contains(&"互斥".to_string()));
    assert!(headings.contains(&"选主".to_string()));
    unmount(mounted);
}

fn preset_titles(root: &Element) -> Vec<String> {
    let nodes = root.query_selector_all(".preset .preset-title").unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn app_lists_every_preset_in_english() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("clusterplay"), "title shown");
    assert!(text.contains(Lang::En.tagline()), "tagline shown");
    let expected: Vec<String> = grouped().iter().map(|p| p.title.en.clone()).collect();
    assert_eq!(preset_titles(root), expected);
    for preset in presets() {
        assert!(
            text.contains(&preset.caption.en),
            "{}: caption shown",
            preset.id
        );
    }
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn switching_language_shows_the_chinese_titles() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
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

    let expected: Vec<String> = grouped().iter().map(|p| p.title.zh.clone()).collect();
    assert_eq!(preset_titles(root), expected);
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
    unmount(mounted);
}

fn by_testid(root: &Element, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
}

fn node_count(root: &Element) -> u32 {
    root.query_selector_all("[data-testid='cluster'] [data-testid^='node-']")
        .unwrap()
        .length()
}

fn clock(root: &Element) -> String {
    by_testid(root, "clock")
        .expect("a clock")
        .text_content()
        .unwrap_or_default()
}

fn click(root: &Element, id: &str) {
    let el: HtmlElement = by_testid(root, id)
        .unwrap_or_else(|| panic!("no [data-testid={id}]"))
        .dyn_into()
        .unwrap();
    el.click();
}

/// Click an SVG element (which has no `click()`), the way a mouse would.
fn click_svg(root: &Element, id: &str) {
    let el = by_testid(root, id).unwrap_or_else(|| panic!("no [data-testid={id}]"));
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_link_opens_its_scenario() {
    let scenario = &preset("mutex-token-lost").unwrap().scenario;
    let fragment = format!("#{}", link::fragment(scenario));
    let mounted = mount_with(Lang::En, &fragment).await;
    let root = &mounted.root;
    assert_eq!(node_count(root), scenario.nodes);
    assert!(by_testid(root, "error-banner").is_none());
    let ready = js_sys::Reflect::get(&web_sys::window().unwrap(), &"clusterplay_ready".into());
    assert_eq!(ready.ok().and_then(|v| v.as_bool()), Some(true));
    let node = by_testid(root, "node-1").expect("node 1");
    assert_eq!(node.get_attribute("data-up").as_deref(), Some("true"));
    assert!(node.get_attribute("data-role").is_some());
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn a_broken_link_shows_the_error_over_the_default_scenario() {
    let mounted = mount_with(Lang::En, "#s=@@@").await;
    let root = &mounted.root;
    let banner = by_testid(root, "error-banner").expect("an error banner");
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("base64url"), "{text}");
    let default = &preset("mutex-ra-seed").unwrap().scenario;
    assert_eq!(node_count(root), default.nodes);
    assert_eq!(clock(root), "0.0 ms");
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn step_and_play_move_the_virtual_clock() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    assert_eq!(clock(root), "0.0 ms");
    // The first events happen at 0 ms; step until the clock moves.
    for _ in 0..10 {
        click(root, "step");
        scheduler::flush().await;
    }
    let stepped = clock(root);
    assert_ne!(stepped, "0.0 ms", "ten steps reach a later event");
    click(root, "step-back");
    scheduler::flush().await;

    click(root, "play");
    scheduler::flush().await;
    let play = by_testid(root, "play").unwrap();
    assert_eq!(play.get_attribute("aria-label").as_deref(), Some("Pause"));
    let before = clock(root);
    sleep(400).await;
    scheduler::flush().await;
    assert_ne!(clock(root), before, "playing moves the clock");
    click(root, "play");
    scheduler::flush().await;
    assert_eq!(play.get_attribute("aria-label").as_deref(), Some("Play"));
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn crashing_a_node_in_the_inspector_changes_the_link() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    let before = location_hash();
    click_svg(root, "node-2");
    scheduler::flush().await;
    assert!(by_testid(root, "action-command-request").is_some());
    click(root, "action-crash");
    scheduler::flush().await;
    let after = location_hash();
    assert_ne!(after, before, "the link follows the learner's action");
    let node = by_testid(root, "node-2").unwrap();
    assert_eq!(node.get_attribute("data-up").as_deref(), Some("false"));
    // The new link holds the crash, and the saved scenario too.
    let scenario = link::decode(&after).expect("the new link decodes");
    assert_eq!(scenario.timeline.len(), 3);
    assert!(storage().get_item(SCENARIO_KEY).unwrap().is_some());
    assert!(by_testid(root, "action-recover").is_some());
    unmount(mounted);
}

/// Set an input's (or a select's) value and commit it, as a learner does.
fn set_value(root: &Element, id: &str, value: &str) {
    let el = by_testid(root, id).unwrap_or_else(|| panic!("no [data-testid={id}]"));
    js_sys::Reflect::set(&el, &"value".into(), &value.into()).unwrap();
    for kind in ["input", "change"] {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
        el.dispatch_event(&event).unwrap();
    }
}

fn has_class(root: &Element, id: &str, class: &str) -> bool {
    by_testid(root, id)
        .and_then(|e| e.get_attribute("class"))
        .is_some_and(|c| c.split(' ').any(|c| c == class))
}

#[wasm_bindgen_test]
async fn the_space_time_diagram_draws_the_run_and_a_click_seeks_to_an_event() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    set_value(root, "timeline", "60000");
    scheduler::flush().await;
    assert_eq!(clock(root), "60.0 ms");
    let diagram = by_testid(root, "spacetime").expect("a diagram");
    let deliveries = diagram.query_selector_all(".st-event.deliver").unwrap();
    assert!(deliveries.length() >= 4, "requests and agreements arrive");
    let arrows = diagram.query_selector_all(".st-msg").unwrap();
    assert!(arrows.length() >= 4, "each message is an arrow");
    let first: Element = deliveries.item(0).unwrap().dyn_into().unwrap();
    let index = first.get_attribute("data-event").unwrap();
    let time: u64 = first.get_attribute("data-time").unwrap().parse().unwrap();
    click_svg(root, &format!("st-event-{index}"));
    scheduler::flush().await;
    assert_eq!(clock(root), format!("{:.1} ms", time as f64 / 1000.0));
    assert!(has_class(root, &format!("st-event-{index}"), "selected"));
    assert!(
        has_class(root, &format!("log-{index}"), "lit"),
        "the log highlights the same event"
    );
    assert!(by_testid(root, "inspector-event").is_some());
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn selecting_a_node_highlights_it_in_the_log_and_the_diagram() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    set_value(root, "timeline", "30000");
    scheduler::flush().await;
    click_svg(root, "node-1");
    scheduler::flush().await;
    let lit = root.query_selector_all(".log-lines li.lit").unwrap();
    assert!(lit.length() >= 2, "node 1's start and request");
    let row = root
        .query_selector("[data-testid='spacetime'] .st-node[data-node='1']")
        .unwrap()
        .expect("a line for node 1");
    assert!(row.get_attribute("class").unwrap().contains("selected"));
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn settings_change_the_link_and_refusals_are_shown() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    set_value(root, "set-nodes", "6");
    scheduler::flush().await;
    assert_eq!(node_count(root), 6);
    assert_eq!(link::decode(&location_hash()).unwrap().nodes, 6);
    set_value(root, "set-latency-min", "abc");
    scheduler::flush().await;
    let error = by_testid(root, "settings-error").expect("a refusal");
    assert!(error.text_content().unwrap().contains("not a number"));
    set_value(root, "set-duplicate", "150");
    scheduler::flush().await;
    let error = by_testid(root, "settings-error").expect("a refusal");
    assert!(
        error.text_content().unwrap().contains("between 0 and 1"),
        "{:?}",
        error.text_content()
    );
    assert_eq!(
        link::decode(&location_hash()).unwrap().network.duplicate,
        0.0
    );
    unmount(mounted);
}

#[wasm_bindgen_test]
async fn hand_delivery_lists_held_messages_and_delivering_one_is_in_the_link() {
    let mut scenario = preset("mutex-ra-seed").unwrap().scenario.clone();
    scenario.network.manual = true;
    let mounted = mount_with(Lang::Zh, &format!("#{}", link::fragment(&scenario))).await;
    let root = &mounted.root;
    set_value(root, "timeline", "20000");
    scheduler::flush().await;
    let held = by_testid(root, "held").expect("the hand-delivery list");
    assert!(held.text_content().unwrap().contains("你就是网络"));
    assert!(by_testid(root, "held-0").is_some());
    click(root, "deliver-0");
    scheduler::flush().await;
    assert!(by_testid(root, "held-0").is_none());
    let timeline = link::decode(&location_hash()).unwrap().timeline;
    assert!(timeline
        .iter()
        .any(|s| s.act == clusterplay_scenario::Act::Deliver { msg: 0 }));
    unmount(mounted);
}

/// The explorer runs in a web worker that the test runner does not serve: the panel says it
/// could not run, and the page goes on (no panic, the button is back).
#[wasm_bindgen_test]
async fn an_explorer_worker_that_does_not_load_is_explained_on_the_panel() {
    let mounted = mount(Lang::En).await;
    let root = &mounted.root;
    click(root, "explore-start");
    scheduler::flush().await;
    assert!(
        by_testid(root, "explore-progress").is_some(),
        "a bar while the worker loads"
    );
    let mut error = None;
    for _ in 0..100 {
        sleep(50).await;
        scheduler::flush().await;
        error = by_testid(root, "explore-error");
        if error.is_some() {
            break;
        }
    }
    let text = error
        .expect("an error on the panel")
        .text_content()
        .unwrap_or_default();
    assert!(text.contains("The explorer could not run"), "{text}");
    assert!(by_testid(root, "explore-start").is_some(), "{text}");
    assert!(by_testid(root, "explore-progress").is_none());
    assert!(by_testid(root, "error-banner").is_none());
    unmount(mounted);
}
