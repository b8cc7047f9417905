//! The preset catalogue: every worked example and failure mode of the source texts as a
//! scenario with a title and a caption in English and Simplified Chinese.
//!
//! Presets are JSON files in their algorithm's folder (`presets/` beside its descriptor in
//! `clusterplay-protocols`), compiled in, so that what `clusterplay preset ID` prints is exactly
//! what the page loads and the tests run.

use crate::error::ScenarioError;
use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Words {
    pub en: String,
    pub zh: String,
}

impl Words {
    pub fn get(&self, lang: &str) -> &str {
        if lang.starts_with("zh") {
            &self.zh
        } else {
            &self.en
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub id: String,
    pub family: String,
    pub title: Words,
    pub caption: Words,
    /// Content the course texts do not have (issue 18): Raft's Figure 8, Multi-Paxos, DPoS'
    /// numbers, RedLock's pauses, Saga… The page marks it, so that a learner holding the text
    /// knows where the playground goes past it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beyond_text: bool,
    pub scenario: Scenario,
}

/// Every preset, in catalogue order.
pub fn presets() -> &'static [Preset] {
    static ALL: OnceLock<Vec<Preset>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::algorithms()
            .iter()
            .flat_map(|a| a.presets)
            .map(|src| serde_json::from_str(src).expect("presets are checked by the tests"))
            .collect()
    })
}

pub fn preset(id: &str) -> Result<&'static Preset, ScenarioError> {
    presets()
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ScenarioError::UnknownPreset(id.chars().take(60).collect()))
}
