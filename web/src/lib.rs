//! # clusterplay-web
//!
//! The clusterplay page: a Yew app, compiled to WebAssembly and served by Trunk. `main.rs` only
//! calls [`start`]; the app lives here so that the browser tests in `tests/web.rs` can render it.
//!
//! The page only draws and dispatches: every protocol fact comes from `clusterplay_scenario`.

pub mod browser;
pub mod catalogue;
pub mod changes;
pub mod compare_run;
pub mod components;
pub mod geometry;
pub mod hooks;
pub mod i18n;
pub mod lesson_run;
pub mod paint;
pub mod palette;
pub mod state;
pub mod worker;

pub use components::App;
pub use i18n::Lang;

/// Install the panic hook, take down index.html's loading note and mount [`App`] on `#app` (or
/// on `<body>` when there is none).
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report_panic();
    }));
    let document = web_sys::window().and_then(|w| w.document());
    // index.html's "Loading…" note, which also reports a page that could not start.
    if let Some(boot) = document.as_ref().and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    let root = document.and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}

/// Tell the learner, in the page, that something broke (the console has the details).
fn report_panic() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if let Ok(note) = document.create_element("div") {
        note.set_class_name("panic-banner");
        let _ = note.set_attribute("role", "alert");
        note.set_text_content(Some(
            "Something went wrong inside the playground; please reload the page. \
             游乐场内部出错了，请重新加载页面。",
        ));
        let _ = body.prepend_with_node_1(&note);
    }
}
