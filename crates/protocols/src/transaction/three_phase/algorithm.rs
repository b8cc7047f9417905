//! Three-phase commit in the catalogue: its names, its parameters, its presets.

use super::ThreePhase;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::transaction::{default_timeout, names, per_participant, Vote};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreePcParams {
    #[serde(default)]
    votes: Vec<Vote>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default = "default_timeout")]
    coordinator_timeout_ms: f64,
    #[serde(default = "default_participant_timeout")]
    participant_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
}

fn default_participant_timeout() -> f64 {
    150.0
}

impl Algorithm for Entry {
    type Protocol = ThreePhase;
    const ID: &'static str = "3pc";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new("Three-phase commit", "三阶段提交");
    const HOW: Text = Text::new(
        "CanCommit asks whether each participant could commit; PreCommit makes them execute, log \
         and lock; DoCommit commits. Coordinator and participants both time out: a participant that \
         acknowledged PreCommit and hears nothing commits on its own, so nobody blocks. But an \
         Abort that a partition holds back leaves participants disagreeing.",
        "CanCommit 询问参与者能否提交；PreCommit 让参与者执行事务、写日志并加锁；DoCommit 正式提交。\
         协调者和参与者都有超时：已确认 PreCommit 的参与者收不到消息就自行提交，所以不会一直阻塞。\
         但若网络分区拦住了 Abort，参与者之间就会不一致。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/3pc-coordinator-crash-no-block.json"),
        include_str!("presets/3pc-slow-precommit-disagree.json"),
        include_str!("presets/3pc-partition-divergence.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/3pc-no-block.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<ThreePhase, ParamError> {
        let p: ThreePcParams = read(params)?;
        per_participant("params.votes", &p.votes, cluster)?;
        Ok(ThreePhase {
            votes: p.votes,
            names: names(p.names, cluster)?,
            coordinator_timeout: span("params.coordinator_timeout_ms", p.coordinator_timeout_ms)?,
            participant_timeout: span("params.participant_timeout_ms", p.participant_timeout_ms)?,
            retry: span("params.retry_ms", p.retry_ms)?,
        })
    }
}
