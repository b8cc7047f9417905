//! The catalogue of algorithms: how a scenario's `protocol` and `params` become a running
//! simulation. Adding an algorithm means adding one entry here next to its module's parameters.

use crate::error::ScenarioError;
use crate::model::{micros, Checked, Scenario, MAX_LATENCY_MS};
use crate::simulation::{start, Simulation};
use clusterplay_protocols::algorithm::{Algorithm as Describe, Cluster};
use clusterplay_protocols::election::bully::{self, Bully};
use clusterplay_protocols::election::raft::{self, Raft};
use clusterplay_protocols::election::zab::{self, Zab};
use clusterplay_protocols::mutex;
use clusterplay_protocols::Text;
use serde::de::DeserializeOwned;
use serde::Deserialize;

mod consensus;
mod ids;
mod ledger;
mod lock;
mod replication;
mod tla;
mod transaction;

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

fn params<T: DeserializeOwned>(scenario: &Scenario) -> Result<T, ScenarioError> {
    serde_json::from_value(serde_json::Value::Object(scenario.params.clone()))
        .map_err(|e| ScenarioError::invalid("params", e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RaftParams {
    /// Election timeout range, `[min, max]` milliseconds.
    #[serde(default = "default_election_timeout")]
    election_timeout_ms: [f64; 2],
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    /// Figure 8's unsafe rule: commit whatever a majority holds, of any term.
    #[serde(default)]
    commit_by_counting: bool,
}

fn default_election_timeout() -> [f64; 2] {
    [150.0, 300.0]
}

fn default_heartbeat() -> f64 {
    50.0
}

fn raft(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: RaftParams = params(s)?;
    let what = "params.election_timeout_ms";
    let lo = micros(what, p.election_timeout_ms[0], MAX_LATENCY_MS)?;
    let hi = micros(what, p.election_timeout_ms[1], MAX_LATENCY_MS)?;
    if lo > hi || lo == 0 {
        return Err(ScenarioError::invalid(
            what,
            "must be a range [min, max] with 0 < min ≤ max",
        ));
    }
    let heartbeat = micros("params.heartbeat_ms", p.heartbeat_ms, MAX_LATENCY_MS)?;
    if heartbeat == 0 {
        return Err(ScenarioError::invalid(
            "params.heartbeat_ms",
            "must be above 0",
        ));
    }
    let protocol = Raft {
        election_timeout: (lo, hi),
        heartbeat,
        commit_by_counting: p.commit_by_counting,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BullyParams {
    #[serde(default = "default_answer")]
    answer_timeout_ms: f64,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: f64,
    /// Election ids (e.g. last-operation timestamps); node numbers when absent.
    #[serde(default)]
    ids: Vec<u64>,
}

fn default_answer() -> f64 {
    50.0
}

fn default_leader_timeout() -> f64 {
    150.0
}

fn bully(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: BullyParams = params(s)?;
    if p.ids.len() > c.nodes {
        return Err(ScenarioError::invalid(
            "params.ids",
            format!("has {} ids for {} nodes", p.ids.len(), c.nodes),
        ));
    }
    let answer = micros(
        "params.answer_timeout_ms",
        p.answer_timeout_ms,
        MAX_LATENCY_MS,
    )?;
    let heartbeat = micros("params.heartbeat_ms", p.heartbeat_ms, MAX_LATENCY_MS)?;
    let leader_timeout = micros(
        "params.leader_timeout_ms",
        p.leader_timeout_ms,
        MAX_LATENCY_MS,
    )?;
    if answer == 0 || heartbeat == 0 || leader_timeout == 0 {
        return Err(ScenarioError::invalid(
            "params",
            "timeouts must be above 0 ms",
        ));
    }
    let protocol = Bully {
        answer_timeout: answer,
        victory_timeout: 2 * answer,
        heartbeat,
        leader_timeout,
        priorities: p.ids,
    };
    start(s, c, protocol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZabParams {
    /// Each node's data id (last transaction id); 0 for nodes not listed.
    #[serde(default)]
    data_ids: Vec<u64>,
    #[serde(default = "default_finalize_wait")]
    finalize_wait_ms: f64,
    #[serde(default = "default_resend")]
    resend_ms: f64,
    #[serde(default = "default_heartbeat")]
    heartbeat_ms: f64,
    #[serde(default = "default_leader_timeout")]
    leader_timeout_ms: f64,
}

fn default_finalize_wait() -> f64 {
    30.0
}

fn default_resend() -> f64 {
    200.0
}

fn zab(s: &Scenario, c: Checked) -> Result<Box<dyn Simulation>, ScenarioError> {
    let p: ZabParams = params(s)?;
    if p.data_ids.len() > c.nodes {
        return Err(ScenarioError::invalid(
            "params.data_ids",
            format!("has {} data ids for {} nodes", p.data_ids.len(), c.nodes),
        ));
    }
    let span = |what: &str, ms: f64| -> Result<u64, ScenarioError> {
        let us = micros(what, ms, MAX_LATENCY_MS)?;
        if us == 0 {
            return Err(ScenarioError::invalid(what, "must be above 0 ms"));
        }
        Ok(us)
    };
    let protocol = Zab {
        data_ids: p.data_ids,
        finalize_wait: span("params.finalize_wait_ms", p.finalize_wait_ms)?,
        resend: span("params.resend_ms", p.resend_ms)?,
        heartbeat: span("params.heartbeat_ms", p.heartbeat_ms)?,
        leader_timeout: span("params.leader_timeout_ms", p.leader_timeout_ms)?,
    };
    start(s, c, protocol)
}

static ALGORITHMS: &[Algorithm] = &[
    entry::<mutex::central::Entry>(),
    entry::<mutex::ricart_agrawala::Entry>(),
    entry::<mutex::token_ring::Entry>(),
    entry::<mutex::two_layer::Entry>(),
    Algorithm {
        id: "bully",
        family: "election",
        name: Text::new("Bully (the eldest wins)", "Bully 算法（长者为大）"),
        how: bully::HOW,
        presets: &[],
        build: bully,
    },
    Algorithm {
        id: "raft",
        family: "election",
        name: Text::new("Raft (democratic vote)", "Raft 算法（民主投票）"),
        how: raft::HOW,
        presets: &[],
        build: raft,
    },
    Algorithm {
        id: "raft-log",
        family: "consensus",
        name: Text::new("Raft log replication", "Raft 日志复制"),
        how: raft::HOW_LOG,
        presets: &[],
        build: raft,
    },
    Algorithm {
        id: "zab",
        family: "election",
        name: Text::new(
            "ZAB (vote with priority)",
            "ZAB 算法（具有优先级的民主投票）",
        ),
        how: zab::HOW,
        presets: &[],
        build: zab,
    },
    Algorithm {
        id: "2pc",
        family: "transaction",
        name: Text::new("Two-phase commit (XA)", "二阶段提交（XA）"),
        how: clusterplay_protocols::transaction::two_phase::HOW,
        presets: &[],
        build: transaction::two_phase,
    },
    Algorithm {
        id: "3pc",
        family: "transaction",
        name: Text::new("Three-phase commit", "三阶段提交"),
        how: clusterplay_protocols::transaction::three_phase::HOW,
        presets: &[],
        build: transaction::three_phase,
    },
    Algorithm {
        id: "tcc",
        family: "transaction",
        name: Text::new("TCC (Try, Confirm, Cancel)", "TCC（Try、Confirm、Cancel）"),
        how: clusterplay_protocols::transaction::tcc::HOW,
        presets: &[],
        build: transaction::tcc,
    },
    Algorithm {
        id: "mq",
        family: "transaction",
        name: Text::new(
            "Message queue: eventual consistency",
            "基于消息队列的最终一致性",
        ),
        how: clusterplay_protocols::transaction::mq::HOW,
        presets: &[],
        build: transaction::half_message,
    },
    Algorithm {
        id: "mq-local-table",
        family: "transaction",
        name: Text::new("Local message table", "本地消息表"),
        how: clusterplay_protocols::transaction::mq::HOW_LOCAL_TABLE,
        presets: &[],
        build: transaction::local_table,
    },
    Algorithm {
        id: "2pc-tla",
        family: "transaction",
        name: Text::new(
            "Two-phase commit as TwoPhase.tla",
            "二阶段提交（TwoPhase.tla 模型）",
        ),
        how: clusterplay_protocols::transaction::tla_two_phase::HOW,
        presets: &[],
        build: tla::two_phase,
    },
    Algorithm {
        id: "paxos",
        family: "consensus",
        name: Text::new("Paxos (single decree)", "Paxos（单值）"),
        how: clusterplay_protocols::consensus::paxos::HOW,
        presets: &[],
        build: consensus::paxos,
    },
    Algorithm {
        id: "multi-paxos",
        family: "consensus",
        name: Text::new("Multi-Paxos (stable leader)", "Multi-Paxos（稳定的领导者）"),
        how: clusterplay_protocols::consensus::multi_paxos::HOW,
        presets: &[],
        build: consensus::multi_paxos,
    },
    Algorithm {
        id: "db-lock",
        family: "lock",
        name: Text::new(
            "Database lock (unique index or SELECT … FOR UPDATE)",
            "数据库锁（唯一索引或 SELECT … FOR UPDATE）",
        ),
        how: clusterplay_protocols::lock::HOW_DB,
        presets: &[],
        build: lock::db,
    },
    Algorithm {
        id: "redis-lock",
        family: "lock",
        name: Text::new("Redis lock (SET NX PX)", "Redis 锁（SET NX PX）"),
        how: clusterplay_protocols::lock::HOW_REDIS,
        presets: &[],
        build: lock::redis,
    },
    Algorithm {
        id: "redlock",
        family: "lock",
        name: Text::new(
            "RedLock (majority of instances)",
            "RedLock 红锁（多数派实例）",
        ),
        how: clusterplay_protocols::lock::HOW_REDLOCK,
        presets: &[],
        build: lock::redlock,
    },
    Algorithm {
        id: "zk-lock",
        family: "lock",
        name: Text::new(
            "ZooKeeper lock (ephemeral sequential nodes)",
            "ZooKeeper 锁（临时有序节点）",
        ),
        how: clusterplay_protocols::lock::HOW_ZK,
        presets: &[],
        build: lock::zookeeper,
    },
    Algorithm {
        id: "pow",
        family: "ledger",
        name: Text::new("Proof of work (PoW)", "工作量证明（PoW）"),
        how: clusterplay_protocols::ledger::HOW_POW,
        presets: &[],
        build: ledger::pow,
    },
    Algorithm {
        id: "pos",
        family: "ledger",
        name: Text::new("Proof of stake (PoS)", "权益证明（PoS）"),
        how: clusterplay_protocols::ledger::HOW_POS,
        presets: &[],
        build: ledger::pos,
    },
    Algorithm {
        id: "dpos",
        family: "ledger",
        name: Text::new("Delegated proof of stake (DPoS)", "委托权益证明（DPoS）"),
        how: clusterplay_protocols::ledger::HOW_DPOS,
        presets: &[],
        build: ledger::dpos,
    },
    Algorithm {
        id: "primary-backup",
        family: "replication",
        name: Text::new(
            "Primary–backup replication (sync, async, max availability)",
            "主从复制（同步、异步、最高可用性）",
        ),
        how: clusterplay_protocols::replication::register::HOW_PRIMARY,
        presets: &[],
        build: replication::primary_backup,
    },
    Algorithm {
        id: "quorum",
        family: "replication",
        name: Text::new("Leaderless quorum (N, R, W)", "无主仲裁（N、R、W）"),
        how: clusterplay_protocols::replication::register::HOW_QUORUM,
        presets: &[],
        build: replication::quorum,
    },
    Algorithm {
        id: "snowflake",
        family: "ids",
        name: Text::new("Snowflake ids", "雪花算法"),
        how: clusterplay_protocols::replication::ids::HOW,
        presets: &[],
        build: ids::snowflake,
    },
    Algorithm {
        id: "auto-increment",
        family: "ids",
        name: Text::new(
            "Database auto-increment with step",
            "数据库自增（起始值与步长）",
        ),
        how: clusterplay_protocols::replication::ids::HOW,
        presets: &[],
        build: ids::auto_increment,
    },
    Algorithm {
        id: "redis-incr",
        family: "ids",
        name: Text::new("Redis INCR (RDB or AOF)", "Redis INCR（RDB 或 AOF）"),
        how: clusterplay_protocols::replication::ids::HOW,
        presets: &[],
        build: ids::redis_incr,
    },
    Algorithm {
        id: "uuid",
        family: "ids",
        name: Text::new("UUID", "UUID"),
        how: clusterplay_protocols::replication::ids::HOW,
        presets: &[],
        build: ids::uuid,
    },
];
