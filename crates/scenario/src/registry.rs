//! The catalogue of algorithms: how a scenario's `protocol` and `params` become a running
//! simulation. Each algorithm's folder describes itself (`clusterplay_protocols::Algorithm`);
//! adding one means adding its one `entry` line here.

use crate::error::ScenarioError;
use crate::model::{Checked, Scenario};
use crate::simulation::{start, Simulation};
pub use clusterplay_protocols::algorithm::Bug;
use clusterplay_protocols::algorithm::{Algorithm as Describe, Cluster};
#[cfg(feature = "mutex")]
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
    /// Its lessons' JSON.
    pub lessons: &'static [&'static str],
    /// The rules a learner can break on purpose ([`Bug`]).
    pub bugs: &'static [Bug],
    build: Build,
}

/// The catalogue entry of the algorithm that descriptor `A` describes.
// A build with no family (the page's shell, measured alone) lists nothing.
#[cfg_attr(
    not(any(
        feature = "mutex",
        feature = "election",
        feature = "transaction",
        feature = "lock",
        feature = "ledger",
        feature = "replication",
        feature = "ids"
    )),
    allow(dead_code)
)]
const fn entry<A: Describe>() -> Algorithm {
    Algorithm {
        id: A::ID,
        family: A::FAMILY,
        name: A::NAME,
        how: A::HOW,
        presets: A::PRESETS,
        lessons: A::LESSONS,
        bugs: A::BUGS,
        build: build::<A>,
    }
}

#[cfg_attr(
    not(any(
        feature = "mutex",
        feature = "election",
        feature = "transaction",
        feature = "lock",
        feature = "ledger",
        feature = "replication",
        feature = "ids"
    )),
    allow(dead_code)
)]
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
    #[cfg(feature = "mutex")]
    entry::<mutex::central::Entry>(),
    #[cfg(feature = "mutex")]
    entry::<mutex::ricart_agrawala::Entry>(),
    #[cfg(feature = "mutex")]
    entry::<mutex::token_ring::Entry>(),
    #[cfg(feature = "mutex")]
    entry::<mutex::two_layer::Entry>(),
    #[cfg(feature = "election")]
    entry::<clusterplay_protocols::election::bully::Entry>(),
    #[cfg(feature = "election")]
    entry::<clusterplay_protocols::election::raft::algorithm::Entry>(),
    #[cfg(feature = "consensus")]
    entry::<clusterplay_protocols::consensus::raft_log::Entry>(),
    #[cfg(feature = "election")]
    entry::<clusterplay_protocols::election::zab::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::two_phase::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::three_phase::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::tcc::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::mq::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::mq_local_table::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::saga::Entry>(),
    #[cfg(feature = "transaction")]
    entry::<clusterplay_protocols::transaction::tla_two_phase::Entry>(),
    #[cfg(feature = "consensus")]
    entry::<clusterplay_protocols::consensus::paxos::Entry>(),
    #[cfg(feature = "consensus")]
    entry::<clusterplay_protocols::consensus::multi_paxos::Entry>(),
    #[cfg(feature = "lock")]
    entry::<clusterplay_protocols::lock::db::Entry>(),
    #[cfg(feature = "lock")]
    entry::<clusterplay_protocols::lock::kv::Entry>(),
    #[cfg(feature = "lock")]
    entry::<clusterplay_protocols::lock::redlock::Entry>(),
    #[cfg(feature = "lock")]
    entry::<clusterplay_protocols::lock::zookeeper::Entry>(),
    #[cfg(feature = "ledger")]
    entry::<clusterplay_protocols::ledger::pow::Entry>(),
    #[cfg(feature = "ledger")]
    entry::<clusterplay_protocols::ledger::pos::Entry>(),
    #[cfg(feature = "ledger")]
    entry::<clusterplay_protocols::ledger::dpos::Entry>(),
    #[cfg(feature = "replication")]
    entry::<clusterplay_protocols::replication::primary_backup::Entry>(),
    #[cfg(feature = "replication")]
    entry::<clusterplay_protocols::replication::quorum::Entry>(),
    #[cfg(feature = "ids")]
    entry::<clusterplay_protocols::ids::snowflake::Entry>(),
    #[cfg(feature = "ids")]
    entry::<clusterplay_protocols::ids::auto_increment::Entry>(),
    #[cfg(feature = "ids")]
    entry::<clusterplay_protocols::ids::redis_incr::Entry>(),
    #[cfg(feature = "ids")]
    entry::<clusterplay_protocols::ids::uuid::Entry>(),
];
