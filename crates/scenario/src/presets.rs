//! The preset catalogue: every worked example and failure mode of the source texts as a
//! scenario with a title and a caption in English and Simplified Chinese.
//!
//! Presets are JSON files under `presets/`, compiled in, so that what `clusterplay preset ID`
//! prints is exactly what the page loads and the tests run.

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
    pub scenario: Scenario,
}

const SOURCES: &[&str] = &[
    include_str!("../presets/bully-seed.json"),
    include_str!("../presets/bully-flapping.json"),
    include_str!("../presets/bully-vs-raft-rejoin.json"),
    include_str!("../presets/bully-partition.json"),
    include_str!("../presets/raft-election.json"),
    include_str!("../presets/raft-split-vote.json"),
    include_str!("../presets/raft-leader-crash.json"),
    include_str!("../presets/raft-partition.json"),
    include_str!("../presets/even-vs-odd.json"),
    include_str!("../presets/zab-newest-data-wins.json"),
    include_str!("../presets/zab-rejoin-keeps-leader.json"),
    include_str!("../presets/raft-replication.json"),
    include_str!("../presets/raft-leader-crash-uncommitted.json"),
    include_str!("../presets/raft-figure-8.json"),
    include_str!("../presets/raft-figure-8-broken.json"),
    include_str!("../presets/raft-partition-heal.json"),
    include_str!("../presets/2pc-seed-tshirt.json"),
    include_str!("../presets/2pc-commit.json"),
    include_str!("../presets/2pc-coordinator-crash-blocks.json"),
    include_str!("../presets/2pc-partial-commit.json"),
    include_str!("../presets/3pc-coordinator-crash-no-block.json"),
    include_str!("../presets/3pc-partition-divergence.json"),
    include_str!("../presets/tcc-cancel.json"),
    include_str!("../presets/tcc-idempotent-confirm.json"),
    include_str!("../presets/mq-happy-path.json"),
    include_str!("../presets/mq-half-message-lost.json"),
    include_str!("../presets/mq-ack-lost.json"),
    include_str!("../presets/mq-confirm-lost.json"),
    include_str!("../presets/mq-compensation.json"),
    include_str!("../presets/mq-local-table.json"),
    include_str!("../presets/2pc-tla-twophase.json"),
    include_str!("../presets/paxos-seed.json"),
    include_str!("../presets/paxos-duelling-proposers.json"),
    include_str!("../presets/paxos-minority-down.json"),
    include_str!("../presets/multi-paxos-steady.json"),
    include_str!("../presets/multi-paxos-takeover.json"),
    include_str!("../presets/db-lock-holder-crash.json"),
    include_str!("../presets/db-lock-for-update-crash.json"),
    include_str!("../presets/db-lock-reentrant.json"),
    include_str!("../presets/redis-lock-basic.json"),
    include_str!("../presets/redis-lock-wrong-release.json"),
    include_str!("../presets/redis-watchdog.json"),
    include_str!("../presets/redis-failover-two-holders.json"),
    include_str!("../presets/redlock-majority.json"),
    include_str!("../presets/redlock-process-pause.json"),
    include_str!("../presets/redlock-fencing.json"),
    include_str!("../presets/redlock-clock-jump.json"),
    include_str!("../presets/zk-lock-queue.json"),
    include_str!("../presets/zk-herd-effect.json"),
    include_str!("../presets/zk-session-timeout.json"),
    include_str!("../presets/pow-seed-transfer.json"),
    include_str!("../presets/pow-easy-puzzle-forks.json"),
    include_str!("../presets/pow-51-percent.json"),
    include_str!("../presets/pos-coin-age.json"),
    include_str!("../presets/pos-rich-get-richer.json"),
    include_str!("../presets/dpos-rounds.json"),
    include_str!("../presets/replication-sync-partition.json"),
    include_str!("../presets/replication-async-lost-write.json"),
    include_str!("../presets/replication-max-availability.json"),
    include_str!("../presets/replica-stale-read.json"),
    include_str!("../presets/quorum-r-w.json"),
    include_str!("../presets/snowflake-clock-rollback.json"),
    include_str!("../presets/redis-incr-rdb-restart.json"),
    include_str!("../presets/auto-increment-step.json"),
];

/// Every preset, in catalogue order.
pub fn presets() -> &'static [Preset] {
    static ALL: OnceLock<Vec<Preset>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::algorithms()
            .iter()
            .flat_map(|a| a.presets)
            .chain(SOURCES)
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
