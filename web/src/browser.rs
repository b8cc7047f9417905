//! The few places the page talks to the browser: the URL fragment, `localStorage`, the
//! clipboard, random numbers. Each one fails quietly (returns `None` or `false`): a page opened
//! from `file://`, in private mode or in an old browser still works, it only forgets more.

use crate::i18n::local_storage;
use clusterplay_scenario::{link, Scenario};
use wasm_bindgen::{JsCast, JsValue};

/// Where the learner's current scenario is kept between visits (JSON).
pub const SCENARIO_KEY: &str = "clusterplay.scenario";

/// The fragment flag that turns on embed mode.
pub const EMBED_FLAG: &str = "embed=1";

/// The page's fragment, without `#` (empty when there is none).
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Whether a fragment asks for embed mode.
pub fn is_embed(fragment: &str) -> bool {
    fragment
        .trim_start_matches('#')
        .split('&')
        .any(|part| part == EMBED_FLAG)
}

/// Whether a fragment carries a scenario (a `s=` part) at all.
pub fn has_scenario(fragment: &str) -> bool {
    fragment
        .trim_start_matches('#')
        .split('&')
        .any(|part| part.starts_with("s="))
}

/// The page's URL without its fragment.
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| match href.find('#') {
            Some(i) => href[..i].to_owned(),
            None => href,
        })
        .unwrap_or_default()
}

/// The fragment (without `#`) for `scenario`, with the embed flag when `embed`.
pub fn fragment_for(scenario: &Scenario, embed: bool) -> String {
    let mut fragment = link::fragment(scenario);
    if embed {
        fragment.push('&');
        fragment.push_str(EMBED_FLAG);
    }
    fragment
}

/// The link to the playground showing `scenario`.
pub fn share_url(scenario: &Scenario) -> String {
    format!("{}#{}", base_url(), fragment_for(scenario, false))
}

/// An iframe snippet that embeds `scenario` in a course page.
pub fn embed_code(scenario: &Scenario) -> String {
    format!(
        "<iframe src=\"{}#{}\" width=\"720\" height=\"560\" style=\"border:0;max-width:100%\" \
         title=\"clusterplay\" loading=\"lazy\"></iframe>",
        base_url(),
        fragment_for(scenario, true)
    )
}

/// Put `scenario` in the address bar (without a new history entry) and in `localStorage`.
pub fn remember_scenario(scenario: &Scenario, embed: bool) {
    let fragment = fragment_for(scenario, embed);
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
    if embed {
        // An embedded page must not overwrite what the learner keeps in the playground.
        return;
    }
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(scenario)) {
        let _ = storage.set_item(SCENARIO_KEY, &json);
    }
}

/// The scenario JSON saved by an earlier visit.
pub fn saved_scenario() -> Option<String> {
    local_storage()?.get_item(SCENARIO_KEY).ok()?
}

/// A random seed for "new seed" (the only randomness in the page; it ends up in the scenario).
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * 4_294_967_296.0).floor() as u64
}

/// Tell the end-to-end tests that the first cluster is on the screen.
pub fn mark_ready() {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &window,
            &JsValue::from_str("clusterplay_ready"),
            &JsValue::TRUE,
        );
    }
}

/// Whether the system asks for less motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok())
        .flatten()
        .is_some_and(|q| q.matches())
}

/// Whether the tab is hidden (another tab, minimised window).
pub fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Write `text` to the clipboard; `false` when the browser has no clipboard API here or says
/// no (no permission, not a secure context).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_say_what_they_carry() {
        assert!(is_embed("#s=abc&embed=1"));
        assert!(is_embed("embed=1"));
        assert!(!is_embed("#s=abc"));
        assert!(!is_embed("#s=embed=1"));
        assert!(has_scenario("#s=abc&embed=1"));
        assert!(has_scenario("embed=1&s=abc"));
        assert!(!has_scenario("#embed=1"));
        assert!(!has_scenario(""));
    }

    #[test]
    fn embed_fragments_still_decode() {
        let scenario = Scenario::new("mutex-ra", 3);
        let fragment = fragment_for(&scenario, true);
        assert!(fragment.ends_with("&embed=1"));
        assert_eq!(link::decode(&fragment).ok(), Some(scenario));
    }
}
