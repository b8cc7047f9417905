//! # clusterplay-scenario
//!
//! The scenario model and its share-link encoding, validation with messages a learner can act
//! on, the catalogue of algorithms that turns a scenario into a running simulation, and the
//! presets that reproduce the source texts' worked examples and failure modes.

#[cfg(feature = "replication")]
pub mod cap;
pub mod catalogue;
pub mod compare;
mod error;
pub mod explore;
#[cfg(feature = "replication")]
pub mod history;
pub mod lesson;
pub mod link;
pub mod model;
pub mod presets;
pub mod registry;
pub mod simulation;
pub mod view;
pub mod workloads;

pub use catalogue::{Catalogue, DEFAULT_PRESET};
#[cfg(feature = "replication")]
pub use clusterplay_protocols::replication::availability;
pub use clusterplay_protocols::{glossary, Text};
pub use clusterplay_sim::Lang;
pub use compare::{compare_preset, compare_presets, CompareError, Comparison};
pub use error::ScenarioError;
pub use model::{Act, ChaosSettings, ClockSettings, Scenario, Step};
pub use presets::{preset, presets, Preset};
pub use registry::{algorithm, algorithms, load, Algorithm};
pub use simulation::{run_to, Report, Simulation};

/// Check and run `scenario` to its `until_ms`; the report `clusterplay run` prints.
pub fn run(scenario: &Scenario) -> Result<Report, ScenarioError> {
    let checked = scenario.validate()?;
    let mut sim = load(scenario)?;
    Ok(run_to(sim.as_mut(), checked.until))
}

/// A family of algorithms, as the preset picker and catalogue head it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Family {
    pub id: &'static str,
    pub name: Text,
}

/// Display names of the families this crate knows; a family missing here shows its key.
const FAMILY_NAMES: &[(&str, Text)] = &[
    ("mutex", Text::new("Mutual exclusion", "互斥")),
    ("election", Text::new("Leader election", "选主")),
    ("consensus", Text::new("Consensus", "共识")),
    (
        "transaction",
        Text::new("Distributed transactions", "分布式事务"),
    ),
    ("lock", Text::new("Distributed locks", "分布式锁")),
    ("ledger", Text::new("Ledger consensus", "分布式记账共识")),
    (
        "replication",
        Text::new("Replication and consistency", "复制与一致性"),
    ),
    ("ids", Text::new("ID generators", "分布式 ID 生成")),
];

/// Every family of the registry's algorithms, in registry order, with its heading in English
/// and Simplified Chinese. A new family appears here (and on the page) as soon as an
/// algorithm of it is registered.
pub fn families() -> Vec<Family> {
    let mut out: Vec<Family> = Vec::new();
    for a in algorithms() {
        if out.iter().all(|f| f.id != a.family) {
            let name = FAMILY_NAMES
                .iter()
                .find(|(k, _)| *k == a.family)
                .map_or(Text::new(a.family, a.family), |(_, t)| *t);
            out.push(Family { id: a.family, name });
        }
    }
    out
}

/// The family `id`'s heading, or its key when the family is unknown.
pub fn family_name(id: &str, lang: &str) -> String {
    families()
        .into_iter()
        .find(|f| f.id == id)
        .map_or_else(|| id.to_owned(), |f| f.name.get(lang).to_owned())
}
