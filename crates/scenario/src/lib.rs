//! # clusterplay-scenario
//!
//! The scenario model and its share-link encoding, validation with messages a learner can act
//! on, the catalogue of algorithms that turns a scenario into a running simulation, and the
//! presets that reproduce the source texts' worked examples and failure modes.

mod error;
pub mod link;
pub mod model;
pub mod presets;
pub mod registry;
pub mod simulation;
pub mod view;

pub use error::ScenarioError;
pub use model::{Act, Scenario, Step};
pub use presets::{preset, presets, Preset};
pub use registry::{algorithm, algorithms, load, Algorithm};
pub use simulation::{run_to, Report, Simulation};

/// Check and run `scenario` to its `until_ms`; the report `clusterplay run` prints.
pub fn run(scenario: &Scenario) -> Result<Report, ScenarioError> {
    let checked = scenario.validate()?;
    let mut sim = load(scenario)?;
    Ok(run_to(sim.as_mut(), checked.until))
}
