//! Everything the playground offers, as data: every family, algorithm and preset with its
//! names in both languages, and the family (the page module) that runs each algorithm.
//!
//! The page is built once per family (issue 22: a visitor downloads the shell and one family,
//! not every algorithm). A page of one family still lists every preset in its picker and
//! catalogue, and the loader in `index.html` must know, before any wasm arrives, which family a
//! link, a preset id or the learner's saved scenario needs. Both read this catalogue:
//! `web/catalogue.json`, written from the full registry and checked by
//! `cargo test -p clusterplay-scenario --test catalogue`, so it cannot drift from the code.

use crate::presets::Words;
use serde::{Deserialize, Serialize};

/// The preset a first visit opens.
pub const DEFAULT_PRESET: &str = "mutex-ra-seed";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The preset a first visit opens.
    pub default: String,
    pub families: Vec<FamilyEntry>,
    pub algorithms: Vec<AlgorithmEntry>,
    pub presets: Vec<PresetEntry>,
    #[serde(default)]
    pub lessons: Vec<LessonEntry>,
    #[serde(default)]
    pub compares: Vec<CompareEntry>,
}

/// A compare preset ([`crate::compare`]): the loader picks the module by its family, which
/// both sides share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareEntry {
    pub id: String,
    pub family: String,
    /// The left side's protocol (the right's is of the same family).
    pub protocol: String,
    pub title: Words,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonEntry {
    pub id: String,
    pub family: String,
    /// The protocol its scenario runs: the loader picks the module by it.
    pub protocol: String,
    pub title: Words,
    pub summary: Words,
    pub stops: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyEntry {
    pub id: String,
    pub name: Words,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlgorithmEntry {
    /// The scenario's `protocol`.
    pub id: String,
    /// The family whose page module runs it (a cargo feature of this crate and the page).
    pub family: String,
    pub name: Words,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetEntry {
    pub id: String,
    /// The family the picker lists it under.
    pub family: String,
    pub protocol: String,
    pub nodes: u32,
    pub title: Words,
    /// Beyond the course texts ([`crate::Preset::beyond_text`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beyond_text: bool,
}

fn words(text: crate::Text) -> Words {
    Words {
        en: text.get("en").to_owned(),
        zh: text.get("zh").to_owned(),
    }
}

impl Catalogue {
    /// The catalogue of what this build carries (every family in a default build).
    pub fn of_this_build() -> Self {
        Catalogue {
            default: DEFAULT_PRESET.to_owned(),
            families: crate::families()
                .into_iter()
                .map(|f| FamilyEntry {
                    id: f.id.to_owned(),
                    name: words(f.name),
                })
                .collect(),
            algorithms: crate::algorithms()
                .iter()
                .map(|a| AlgorithmEntry {
                    id: a.id.to_owned(),
                    family: a.family.to_owned(),
                    name: words(a.name),
                })
                .collect(),
            presets: crate::presets()
                .iter()
                .map(|p| PresetEntry {
                    id: p.id.clone(),
                    family: p.family.clone(),
                    protocol: p.scenario.protocol.clone(),
                    nodes: p.scenario.nodes,
                    title: p.title.clone(),
                    beyond_text: p.beyond_text,
                })
                .collect(),
            lessons: crate::lesson::lessons()
                .iter()
                .filter_map(|l| {
                    Some(LessonEntry {
                        id: l.id.clone(),
                        family: l.family.clone(),
                        protocol: l.scenario().ok()?.protocol,
                        title: l.title.clone(),
                        summary: l.summary.clone(),
                        stops: l.stops.len(),
                    })
                })
                .collect(),
            compares: crate::compare::compare_presets()
                .iter()
                .filter_map(|c| {
                    Some(CompareEntry {
                        id: c.id.to_owned(),
                        family: c.comparison.family()?.to_owned(),
                        protocol: c.comparison.left.scenario.protocol.clone(),
                        title: c.comparison.title.clone(),
                    })
                })
                .collect(),
        }
    }

    /// The family whose module runs `protocol`.
    pub fn family_of(&self, protocol: &str) -> Option<&str> {
        self.algorithms
            .iter()
            .find(|a| a.id == protocol)
            .map(|a| a.family.as_str())
    }

    pub fn preset(&self, id: &str) -> Option<&PresetEntry> {
        self.presets.iter().find(|p| p.id == id)
    }

    pub fn lesson(&self, id: &str) -> Option<&LessonEntry> {
        self.lessons.iter().find(|l| l.id == id)
    }

    pub fn compare(&self, id: &str) -> Option<&CompareEntry> {
        self.compares.iter().find(|c| c.id == id)
    }

    pub fn algorithm(&self, id: &str) -> Option<&AlgorithmEntry> {
        self.algorithms.iter().find(|a| a.id == id)
    }

    /// The family heading `id` in `lang`, or the key itself.
    pub fn family_name(&self, id: &str, lang: &str) -> String {
        self.families
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| id.to_owned(), |f| f.name.get(lang).to_owned())
    }
}
