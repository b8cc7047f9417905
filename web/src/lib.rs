//! # clusterplay-web
//!
//! The clusterplay page: a Yew app, compiled to WebAssembly and served by Trunk. `main.rs` only
//! calls [`start`]; the app lives here so that the browser tests in `tests/web.rs` can render it.

pub mod components;
pub mod i18n;
pub mod state;

pub use components::App;
pub use i18n::Lang;

/// Install the panic hook and mount [`App`] on `#app` (or on `<body>` when there is none).
pub fn start() {
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
}
