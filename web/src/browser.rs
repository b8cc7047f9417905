//! The few places the page talks to the browser: the URL fragment, `localStorage`, the
//! clipboard, random numbers. Each one fails quietly (returns `None` or `false`): a page opened
//! from `file://`, in private mode or in an old browser still works, it only forgets more.

use crate::i18n::local_storage;
use clusterplay_scenario::compare::{CompareError, Comparison};
use clusterplay_scenario::{link, Scenario, ScenarioError};
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

/// The scenario a fragment carries: a share link's (`s=`), else a preset's by id (`p=`, the
/// short form a teacher can type: `#p=raft-election&autoplay=1`). `None` when it has neither.
pub fn scenario_in(fragment: &str) -> Option<Result<Scenario, ScenarioError>> {
    let parts = || fragment.trim_start_matches('#').split('&');
    if parts().any(|part| part.starts_with("s=")) {
        return Some(link::decode(fragment));
    }
    let id = preset_id(fragment)?;
    Some(clusterplay_scenario::preset(id).map(|p| p.scenario.clone()))
}

/// The lesson a fragment asks for: a built-in one by id (`lesson=`), or a teacher's carried in
/// the link itself (`l=`); `None` when it asks for none.
pub fn lesson_in(
    fragment: &str,
) -> Option<Result<clusterplay_scenario::lesson::Lesson, clusterplay_scenario::lesson::LessonError>>
{
    if link::has_lesson(fragment) {
        return Some(link::decode_lesson(fragment));
    }
    Some(clusterplay_scenario::lesson::lesson(lesson_id(fragment)?).cloned())
}

/// Whether a fragment asks for a lesson at all ([`lesson_in`] is `Some`), without reading it.
pub fn asks_for_lesson(fragment: &str) -> bool {
    link::has_lesson(fragment) || lesson_id(fragment).is_some()
}

/// The comparison a fragment asks for: one carried whole (`c=…`), or a compare preset by id
/// (`compare=ID`, which it also returns); `None` when it asks for none.
pub fn compare_in(fragment: &str) -> Option<Result<(Comparison, Option<String>), CompareError>> {
    if link::has_compare(fragment) {
        return Some(link::decode_compare(fragment).map(|c| (c, None)));
    }
    let id = compare_id(fragment)?;
    Some(
        clusterplay_scenario::compare::compare_preset(id)
            .map(|p| (p.comparison.clone(), Some(p.id.to_owned()))),
    )
}

/// Whether a fragment asks for a comparison at all ([`compare_in`] is `Some`), without reading
/// it.
pub fn asks_for_compare(fragment: &str) -> bool {
    link::has_compare(fragment) || compare_id(fragment).is_some()
}

/// The compare preset a fragment names (`compare=`).
pub fn compare_id(fragment: &str) -> Option<&str> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("compare="))
}

/// The built-in lesson a fragment names (`lesson=`).
fn lesson_id(fragment: &str) -> Option<&str> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("lesson="))
}

/// The preset a fragment names (`p=`).
pub fn preset_id(fragment: &str) -> Option<&str> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix("p="))
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

/// Where a link asks the page to be, beside its scenario: a time position (`t=` in virtual
/// milliseconds), a speed (`speed=`, 0.1 to 10) and whether to start playing (`autoplay=1`).
/// A shared link opens where the sharer was. None of it is part of the scenario: the run is
/// the same whatever they say. A value that is not a number in range is left out.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct View {
    pub t_ms: Option<f64>,
    pub speed: Option<f64>,
    pub autoplay: bool,
}

/// The [`View`] a fragment asks for.
pub fn view_of(fragment: &str) -> View {
    let mut view = View::default();
    for part in fragment.trim_start_matches('#').split('&') {
        let number = |prefix: &str| part.strip_prefix(prefix)?.parse::<f64>().ok();
        if let Some(t) = number("t=").filter(|t| t.is_finite() && *t >= 0.0) {
            view.t_ms = Some(t);
        }
        if let Some(x) = number("speed=").filter(|x| x.is_finite() && *x > 0.0) {
            view.speed = Some(x.clamp(0.1, 10.0));
        }
        if part == "autoplay=1" {
            view.autoplay = true;
        }
    }
    view
}

/// The fragment (without `#`) for `scenario`, with the embed flag when `embed`, and `view`.
pub fn fragment_for(scenario: &Scenario, embed: bool, view: View) -> String {
    let mut fragment = link::fragment(scenario);
    push_view(&mut fragment, embed, view);
    fragment
}

/// Add the embed flag (when `embed`) and `view` to a fragment.
fn push_view(fragment: &mut String, embed: bool, view: View) {
    if embed {
        fragment.push('&');
        fragment.push_str(EMBED_FLAG);
    }
    if let Some(t) = view.t_ms.filter(|t| *t > 0.0) {
        fragment.push_str(&format!("&t={}", crate::geometry::number(t)));
    }
    if let Some(x) = view.speed.filter(|x| *x != 1.0) {
        fragment.push_str(&format!("&speed={}", crate::geometry::number(x)));
    }
    if view.autoplay {
        fragment.push_str("&autoplay=1");
    }
}

/// The fragment (without `#`) for a comparison: `compare=ID` for a compare preset as it is,
/// else the whole comparison (`c=…`); with the embed flag when `embed`, and `view`.
pub fn compare_fragment_for(
    comparison: &Comparison,
    preset: Option<&str>,
    embed: bool,
    view: View,
) -> String {
    let mut fragment = match preset {
        Some(id) => format!("compare={id}"),
        None => link::compare_fragment(comparison),
    };
    push_view(&mut fragment, embed, view);
    fragment
}

/// The link to the playground showing `scenario` as `view`.
pub fn share_url(scenario: &Scenario, view: View) -> String {
    format!("{}#{}", base_url(), fragment_for(scenario, false, view))
}

/// An iframe snippet that embeds `scenario` in a course page, opening as `view`.
pub fn embed_code(scenario: &Scenario, view: View) -> String {
    iframe(&fragment_for(scenario, true, view), 720, 560)
}

/// An iframe snippet for the page at `fragment` (which has the embed flag).
pub fn iframe(fragment: &str, width: u32, height: u32) -> String {
    format!(
        "<iframe src=\"{}#{fragment}\" width=\"{width}\" height=\"{height}\" \
         style=\"border:0;max-width:100%\" title=\"clusterplay\" loading=\"lazy\"></iframe>",
        base_url(),
    )
}

/// Put the comparison shown in the address bar (without a new history entry). The saved
/// scenario stays: it is what the learner keeps working on alone.
pub fn remember_compare(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Put the lesson being taken in the address bar instead of its scenario, so that a reload or a
/// copied address opens the lesson again: a built-in one by id, a teacher's whole.
pub fn remember_lesson(lesson: &clusterplay_scenario::lesson::Lesson, embed: bool) {
    let mut fragment = match clusterplay_scenario::lesson::lesson(&lesson.id) {
        Ok(builtin) if builtin == lesson => format!("lesson={}", lesson.id),
        _ => link::lesson_fragment(lesson),
    };
    if embed {
        fragment.push('&');
        fragment.push_str(EMBED_FLAG);
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Put `scenario` in the address bar (without a new history entry) and in `localStorage`.
pub fn remember_scenario(scenario: &Scenario, embed: bool) {
    let fragment = fragment_for(scenario, embed, View::default());
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
        assert!(scenario_in("#s=abc&embed=1").is_some());
        assert!(scenario_in("embed=1&s=abc").is_some());
        assert!(scenario_in("embed=1&p=raft-election").is_some());
        assert!(scenario_in("#embed=1").is_none());
        assert!(scenario_in("").is_none());
    }

    #[test]
    fn embed_fragments_still_decode() {
        let scenario = Scenario::new("mutex-ra", 3);
        let fragment = fragment_for(&scenario, true, View::default());
        assert!(fragment.ends_with("&embed=1"));
        assert_eq!(link::decode(&fragment).ok(), Some(scenario));
    }

    #[test]
    fn a_link_carries_where_it_was_shared() {
        let scenario = Scenario::new("mutex-ra", 3);
        let view = View {
            t_ms: Some(448.5),
            speed: Some(2.5),
            autoplay: true,
        };
        let fragment = fragment_for(&scenario, false, view);
        assert!(
            fragment.ends_with("&t=448.5&speed=2.5&autoplay=1"),
            "{fragment}"
        );
        assert_eq!(view_of(&fragment), view);
        assert_eq!(link::decode(&fragment).ok(), Some(scenario.clone()));
        // At the start and at 1x the link stays as short as before.
        let plain = fragment_for(
            &scenario,
            false,
            View {
                t_ms: Some(0.0),
                speed: Some(1.0),
                autoplay: false,
            },
        );
        assert_eq!(plain, link::fragment(&scenario));
        // Values out of range are left out or brought into range, never a panic.
        let odd = view_of("s=x&t=-4&speed=1e9&t=NaN&autoplay=0");
        assert_eq!(
            odd,
            View {
                t_ms: None,
                speed: Some(10.0),
                autoplay: false
            }
        );
    }
}
