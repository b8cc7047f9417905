//! TwoPhase.tla as an algorithm of the playground: it has no parameters, since the spec has
//! none but the set of resource managers (every node but node 1; the TM keeps its prepared
//! set as bits, and a scenario has far fewer than 128 nodes).

use super::params;
use crate::error::ScenarioError;
use crate::model::{Checked, Scenario};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::transaction::tla_two_phase::TlaTwoPhase;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlaParams {}

pub(super) fn two_phase(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let _: TlaParams = params(s)?;
    start(s, c, TlaTwoPhase::default())
}
