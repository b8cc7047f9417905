//! What this page carries and what the playground offers elsewhere.
//!
//! The release build is one module per family of algorithms (issue 22), started by
//! `web/loader.js`, which leaves `window.clusterplayPage`: the family this module carries (none
//! for the full page), the whole catalogue (`web/catalogue.json`) and the explorer worker's
//! content-hashed loader. A preset or link of another family is opened by reloading the page
//! with it in the address, so that the loader picks that family's module. The full page (and
//! the browser tests, which have no loader) carries everything and never reloads.

use clusterplay_scenario::presets::Words;
use clusterplay_scenario::{algorithm, Catalogue, Scenario, ScenarioError, Simulation};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

struct Page {
    catalogue: Catalogue,
    worker: Option<String>,
    captions: Option<String>,
}

fn page() -> &'static Page {
    static PAGE: OnceLock<Page> = OnceLock::new();
    PAGE.get_or_init(|| {
        // Natively (the state's unit tests) there is no window to ask.
        let given = cfg!(target_arch = "wasm32")
            .then(web_sys::window)
            .flatten()
            .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("clusterplayPage")).ok())
            .filter(|p| p.is_object());
        let field = |name: &str| {
            given
                .as_ref()
                .and_then(|p| js_sys::Reflect::get(p, &JsValue::from_str(name)).ok())
        };
        let catalogue = field("catalogue")
            .and_then(|c| js_sys::JSON::stringify(&c).ok())
            .and_then(|text| text.as_string())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_else(Catalogue::of_this_build);
        let worker = field("worker").and_then(|w| w.as_string());
        let captions = field("captions").and_then(|w| w.as_string());
        Page {
            catalogue,
            worker,
            captions,
        }
    })
}

/// Every family, algorithm and preset of the playground, whichever this module carries.
pub fn catalogue() -> &'static Catalogue {
    &page().catalogue
}

/// The explorer worker's loader script, when the release build named it by content.
pub fn worker_script() -> Option<&'static str> {
    page().worker.as_deref()
}

/// Every preset's caption by id, once fetched: a page of one family fetches them (from the file
/// the release build names, [`fetch_captions`]) for its catalogue of the other families.
pub fn captions() -> Option<&'static BTreeMap<String, Words>> {
    CAPTIONS.get()
}

static CAPTIONS: OnceLock<BTreeMap<String, Words>> = OnceLock::new();

/// Fetch every preset's caption, if this module lacks some and the release build says where
/// they are; true once they are here (at once, if they already were).
pub async fn fetch_captions() -> bool {
    if CAPTIONS.get().is_some() {
        return true;
    }
    let Some(url) = page().captions.as_deref() else {
        return false;
    };
    if !catalogue()
        .presets
        .iter()
        .any(|p| runs_elsewhere(&p.protocol))
    {
        return false;
    }
    let Some(window) = web_sys::window() else {
        return false;
    };
    let text = async {
        let response = JsFuture::from(window.fetch_with_str(url)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
    };
    match text.await.and_then(|t| serde_json::from_str(&t).ok()) {
        Some(captions) => {
            let _ = CAPTIONS.set(captions);
            true
        }
        None => false,
    }
}

/// Whether this module runs `protocol`.
pub fn runs_here(protocol: &str) -> bool {
    algorithm(protocol).is_some()
}

/// Whether `protocol` runs in another module of the playground (so opening it reloads).
pub fn runs_elsewhere(protocol: &str) -> bool {
    !runs_here(protocol) && catalogue().family_of(protocol).is_some()
}

/// Whether opening the preset `id` needs another module.
pub fn preset_elsewhere(id: &str) -> bool {
    catalogue()
        .preset(id)
        .is_some_and(|p| runs_elsewhere(&p.protocol))
}

/// Whether opening the compare preset `id` needs another module.
pub fn compare_elsewhere(id: &str) -> bool {
    catalogue()
        .compare(id)
        .is_some_and(|c| runs_elsewhere(&c.protocol))
}

/// Reload the page at `fragment` (a new history entry), where the loader picks the module it
/// needs. Keeps the embed flag, so an embed stays an embed.
pub fn reload_at(fragment: &str, embed: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut fragment = fragment.to_owned();
    if embed {
        fragment.push('&');
        fragment.push_str(crate::browser::EMBED_FLAG);
    }
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
    let _ = window.location().reload();
}

/// Open the preset `id` in its family's module.
pub fn open_preset_elsewhere(id: &str, embed: bool) {
    reload_at(&format!("p={id}"), embed);
}

/// Whether the link `fragment` opens a scenario of a family this module does not carry.
pub fn link_elsewhere(fragment: &str) -> bool {
    match crate::browser::compare_in(fragment) {
        Some(Ok((comparison, _))) => return runs_elsewhere(&comparison.left.scenario.protocol),
        Some(Err(_)) => {
            return crate::browser::compare_id(fragment).is_some_and(compare_elsewhere);
        }
        None => {}
    }
    match crate::browser::scenario_in(fragment) {
        Some(Ok(scenario)) => runs_elsewhere(&scenario.protocol),
        Some(Err(_)) => crate::browser::preset_id(fragment).is_some_and(preset_elsewhere),
        None => false,
    }
}

/// Check and start `scenario`, as [`clusterplay_scenario::load`]; a protocol the playground
/// does not have is explained with every protocol it has, not only this module's.
pub fn load(scenario: &Scenario) -> Result<Box<dyn Simulation>, ScenarioError> {
    clusterplay_scenario::load(scenario).map_err(|e| match e {
        ScenarioError::UnknownProtocol { name, .. } => ScenarioError::UnknownProtocol {
            name,
            known: catalogue()
                .algorithms
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        },
        other => other,
    })
}
