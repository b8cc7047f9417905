//! Share links.
//!
//! A link is the page's URL with the scenario in the fragment: `#s=` followed by the scenario's
//! JSON, raw-deflated and written in unpadded base64url. The fragment never reaches a server,
//! survives being pasted into chat and course pages, and stays short: deflate folds the
//! repeated keys of a timeline away. The JSON inside carries the format version, so a link made
//! today is still read, or refused with a clear message, by a later playground.
//!
//! Decoding is the one place untrusted bytes enter, so it never panics and bounds its work:
//! the fragment's length is capped before decoding and the inflated size is capped while
//! inflating, so a compression bomb stops at the cap.
//!
//! Lessons (`#l=`) and comparisons (`#c=`) travel the same way under their own prefixes, so a
//! page tells them apart before unpacking anything, and `#s=` links read as they always have.

use crate::error::ScenarioError;
use crate::model::Scenario;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Largest scenario JSON a link may unpack to.
pub const MAX_JSON_BYTES: usize = 256 * 1024;
/// Longest fragment considered at all.
pub const MAX_FRAGMENT: usize = 128 * 1024;
const PREFIX: &str = "s=";

const LESSON_PREFIX: &str = "l=";

const COMPARE_PREFIX: &str = "c=";

const HISTORY_PREFIX: &str = "h=";

/// JSON raw-deflated and written in unpadded base64url.
fn pack(json: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json, 9))
}

/// The fragment (without `#`) that encodes `scenario`.
pub fn fragment(scenario: &Scenario) -> String {
    let json = serde_json::to_vec(scenario).expect("a scenario always serializes");
    format!("{PREFIX}{}", pack(&json))
}

/// The fragment (without `#`) that carries a teacher's `lesson`: `l=…`, packed as a scenario.
pub fn lesson_fragment(lesson: &crate::lesson::Lesson) -> String {
    let json = serde_json::to_vec(lesson).expect("a lesson always serializes");
    format!("{LESSON_PREFIX}{}", pack(&json))
}

/// Whether a link (or fragment) carries a lesson.
pub fn has_lesson(input: &str) -> bool {
    payload(input, LESSON_PREFIX).is_some()
}

/// The part of a whole URL, a fragment, or a fragment without `#`, after `prefix`.
fn payload<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let input = input.trim();
    let frag = match input.find('#') {
        Some(i) => &input[i + 1..],
        None => input,
    };
    frag.split('&').find_map(|part| part.strip_prefix(prefix))
}

/// Read a lesson from a whole URL or its `#l=…` fragment, with the care a scenario link gets.
pub fn decode_lesson(input: &str) -> Result<crate::lesson::Lesson, crate::lesson::LessonError> {
    let payload = payload(input, LESSON_PREFIX)
        .filter(|p| !p.is_empty())
        .ok_or(ScenarioError::NoScenario)?;
    crate::lesson::from_json(&unpack(payload)?)
}

/// The fragment (without `#`) that carries a comparison: `c=…`, packed as a scenario.
pub fn compare_fragment(comparison: &crate::compare::Comparison) -> String {
    let json = serde_json::to_vec(comparison).expect("a comparison always serializes");
    format!("{COMPARE_PREFIX}{}", pack(&json))
}

/// The whole compare link: `base` (the page URL, without fragment) plus the comparison.
pub fn compare_link(base: &str, comparison: &crate::compare::Comparison) -> String {
    format!("{base}#{}", compare_fragment(comparison))
}

/// Whether a link (or fragment) carries a comparison.
pub fn has_compare(input: &str) -> bool {
    payload(input, COMPARE_PREFIX).is_some()
}

/// Read a comparison from a whole URL, a `#c=…` fragment, or the fragment without `#`, with
/// the care a scenario link gets. Only the format is checked here;
/// [`Comparison::check`](crate::compare::Comparison::check) also checks the content.
pub fn decode_compare(
    input: &str,
) -> Result<crate::compare::Comparison, crate::compare::CompareError> {
    use crate::compare::CompareError;
    let payload = payload(input, COMPARE_PREFIX)
        .filter(|p| !p.is_empty())
        .ok_or(CompareError::NoComparison)?;
    crate::compare::from_json(&unpack(payload).map_err(CompareError::Link)?)
}

/// The fragment (without `#`) that carries a history's text (Jepsen lines or JSON): `h=…`,
/// packed as a scenario.
pub fn history_fragment(text: &str) -> String {
    format!("{HISTORY_PREFIX}{}", pack(text.as_bytes()))
}

/// Whether a link (or fragment) carries a history.
pub fn has_history(input: &str) -> bool {
    payload(input, HISTORY_PREFIX).is_some()
}

/// The history text a whole URL, an `#h=…` fragment or the fragment without `#` carries, with
/// the care a scenario link gets; [`crate::history::History::parse`] reads it.
pub fn decode_history(input: &str) -> Result<String, ScenarioError> {
    let payload = payload(input, HISTORY_PREFIX)
        .filter(|p| !p.is_empty())
        .ok_or(ScenarioError::NoScenario)?;
    String::from_utf8(unpack(payload)?)
        .map_err(|_| ScenarioError::NotCompressed("the history is not UTF-8 text".into()))
}

/// The whole link: `base` (the page URL, without fragment) plus the scenario.
pub fn link(base: &str, scenario: &Scenario) -> String {
    format!("{base}#{}", fragment(scenario))
}

/// Read a scenario from a whole URL, a `#s=…` fragment, or the fragment without `#`.
/// Only the format is checked here; [`crate::load`] also checks the content.
pub fn decode(input: &str) -> Result<Scenario, ScenarioError> {
    let payload = payload(input, PREFIX)
        .filter(|p| !p.is_empty())
        .ok_or(ScenarioError::NoScenario)?;
    from_json(&unpack(payload)?)
}

/// Unpack a link's payload, bounded: a fragment too long or a compression bomb stops at the
/// cap.
fn unpack(payload: &str) -> Result<Vec<u8>, ScenarioError> {
    if payload.len() > MAX_FRAGMENT {
        return Err(ScenarioError::TooLarge {
            limit: MAX_JSON_BYTES,
        });
    }
    let packed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| ScenarioError::NotBase64(e.to_string()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ScenarioError::TooLarge {
                limit: MAX_JSON_BYTES,
            },
            status => ScenarioError::NotCompressed(format!("{status:?}")),
        })?;
    Ok(json)
}

/// Parse scenario JSON (a file, or the inside of a link), checking its shape and version.
pub fn from_json(json: &[u8]) -> Result<Scenario, ScenarioError> {
    // Read the version first so an old or future link says so, rather than failing on
    // whichever field changed.
    #[derive(serde::Deserialize)]
    struct Versioned {
        v: Option<u32>,
    }
    if let Ok(Versioned { v: Some(v) }) = serde_json::from_slice::<Versioned>(json) {
        if v != crate::model::VERSION {
            return Err(ScenarioError::UnknownVersion(v));
        }
    }
    serde_json::from_slice(json).map_err(|e| ScenarioError::NotJson(e.to_string()))
}
