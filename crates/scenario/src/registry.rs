//! The catalogue of algorithms: how a scenario's `protocol` and `params` become a running
//! simulation. Each algorithm's folder describes itself (`clusterplay_protocols::Algorithm`);
//! adding one means adding its one `entry` line here.

use crate::error::ScenarioError;
use crate::model::{Checked, Scenario};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::algorithm::{Algorithm as Describe, Cluster};
use clusterplay_protocols::mutex;
use clusterplay_protocols::Text;

type Build = fn(&Scenario, Checked) -> Result<Box<dyn Simulation>, ScenarioError>;

/// One algorithm the playground can run.
pub struct Algorithm {
    pub id: &'static str,
    /// Family key: presets and the picker group by it.
    pub family: &'static str,
    pub name: Text,
    /// What the learner should watch for, shown beside the cluster.
    pub how: Text,
    /// Its presets' JSON, from its folder.
    pub presets: &'static [&'static str],
    build: Build,
}

/// The catalogue entry of the algorithm that descriptor `A` describes.
const fn entry<A: Describe>() -> Algorithm {
    Algorithm {
        id: A::ID,
        family: A::FAMILY,
        name: A::NAME,
        how: A::HOW,
        presets: A::PRESETS,
        build: build::<A>,
    }
}

fn build<A: Describe>(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let cluster = Cluster {
        nodes: c.nodes,
        seed: s.seed,
    };
    let protocol = A::configure(&s.params, cluster)?;
    start(s, c, protocol)
}

pub fn algorithms() -> &'static [Algorithm] {
    ALGORITHMS
}

pub fn algorithm(id: &str) -> Option<&'static Algorithm> {
    ALGORITHMS.iter().find(|a| a.id == id)
}

/// Check `scenario` completely and start it.
pub fn load(scenario: &Scenario) -> Result<Box<dyn Simulation>, ScenarioError> {
    let checked = scenario.validate()?;
    let algorithm =
        algorithm(&scenario.protocol).ok_or_else(|| ScenarioError::UnknownProtocol {
            name: scenario.protocol.chars().take(40).collect(),
            known: ALGORITHMS
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    (algorithm.build)(scenario, checked)
}

static ALGORITHMS: &[Algorithm] = &[
    entry::<mutex::central::Entry>(),
    entry::<mutex::ricart_agrawala::Entry>(),
    entry::<mutex::token_ring::Entry>(),
    entry::<mutex::two_layer::Entry>(),
    entry::<clusterplay_protocols::election::bully::Entry>(),
    entry::<clusterplay_protocols::election::raft::algorithm::Entry>(),
    entry::<clusterplay_protocols::consensus::raft_log::Entry>(),
    entry::<clusterplay_protocols::election::zab::Entry>(),
    entry::<clusterplay_protocols::transaction::two_phase::Entry>(),
    entry::<clusterplay_protocols::transaction::three_phase::Entry>(),
    entry::<clusterplay_protocols::transaction::tcc::Entry>(),
    entry::<clusterplay_protocols::transaction::mq::Entry>(),
    entry::<clusterplay_protocols::transaction::mq_local_table::Entry>(),
    entry::<clusterplay_protocols::transaction::saga::Entry>(),
    entry::<clusterplay_protocols::transaction::tla_two_phase::Entry>(),
    entry::<clusterplay_protocols::consensus::paxos::Entry>(),
    entry::<clusterplay_protocols::consensus::multi_paxos::Entry>(),
    entry::<clusterplay_protocols::lock::db::Entry>(),
    entry::<clusterplay_protocols::lock::kv::Entry>(),
    entry::<clusterplay_protocols::lock::redlock::Entry>(),
    entry::<clusterplay_protocols::lock::zookeeper::Entry>(),
    entry::<clusterplay_protocols::ledger::pow::Entry>(),
    entry::<clusterplay_protocols::ledger::pos::Entry>(),
    entry::<clusterplay_protocols::ledger::dpos::Entry>(),
    entry::<clusterplay_protocols::replication::primary_backup::Entry>(),
    entry::<clusterplay_protocols::replication::quorum::Entry>(),
    entry::<clusterplay_protocols::ids::snowflake::Entry>(),
    entry::<clusterplay_protocols::ids::auto_increment::Entry>(),
    entry::<clusterplay_protocols::ids::redis_incr::Entry>(),
    entry::<clusterplay_protocols::ids::uuid::Entry>(),
];
