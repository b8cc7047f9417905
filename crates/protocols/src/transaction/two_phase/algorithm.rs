//! Two-phase commit in the catalogue: its names, its parameters, its presets.

use super::TwoPhase;
use crate::algorithm::{micros, read, span, Algorithm, Cluster, ParamError, Params, MAX_SPAN_MS};
use crate::transaction::{default_timeout, names, per_participant, Vote};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TwoPcParams {
    /// "yes" or "no" per participant, node 2 first; "yes" for the rest.
    #[serde(default)]
    votes: Vec<Vote>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default = "default_timeout")]
    vote_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
    /// Time between two DoCommit sends; 0 sends them all at once.
    #[serde(default)]
    send_gap_ms: f64,
    /// A participant in doubt asks the other participants as well as the coordinator.
    #[serde(default)]
    cooperative_termination: bool,
    /// A bug to switch on ([`super::BUGS`]).
    #[serde(default)]
    abort_when_in_doubt: bool,
}

impl Algorithm for Entry {
    type Protocol = TwoPhase;
    const ID: &'static str = "2pc";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new("Two-phase commit (XA)", "二阶段提交（XA）");
    const HOW: Text = Text::new(
        "The coordinator asks every participant CanCommit; each executes, logs undo and redo, locks \
         and votes Yes, or votes No. All Yes: DoCommit; any No or a timeout: DoAbort. Participants \
         commit or roll back, release their locks and answer HaveCommitted. A participant that \
         voted Yes may not decide alone: without the coordinator it waits, locks held. Who \
         coordinates in real systems: a transaction manager. In MySQL's XA transactions it is the \
         application or its middleware (Atomikos, Seata's transaction coordinator) issuing XA \
         PREPARE and XA COMMIT to each database, and each database is a participant (a resource \
         manager).",
        "协调者向所有参与者发送 CanCommit；参与者执行事务、写 Undo/Redo 日志、加锁后投 Yes，否则投 No。\
         全部 Yes 则 DoCommit；有 No 或超时则 DoAbort。参与者提交或回滚、释放锁并回复 HaveCommitted。\
         投了 Yes 的参与者不能自行决定：协调者不在，它就一直持锁等待。实际系统中谁当协调者：\
         事务管理器（TM）。在 MySQL 的 XA 事务里，它是应用程序或其中间件（如 Atomikos、Seata 的事务\
         协调器 TC），由它向各个数据库发出 XA PREPARE 和 XA COMMIT，每个数据库是一个参与者（资源管理器 RM）。",
    );
    const BUGS: &'static [crate::algorithm::Bug] = super::BUGS;
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/2pc-seed-tshirt.json"),
        include_str!("presets/2pc-commit.json"),
        include_str!("presets/2pc-coordinator-crash-blocks.json"),
        include_str!("presets/2pc-coordinator-crash-cooperative.json"),
        include_str!("presets/2pc-partial-commit.json"),
        include_str!("presets/2pc-coordinator-recovers.json"),
        include_str!("presets/2pc-extreme-case.json"),
        include_str!("presets/2pc-partial-commit-cooperative.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/2pc-tshirt-order.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<TwoPhase, ParamError> {
        let p: TwoPcParams = read(params)?;
        per_participant("params.votes", &p.votes, cluster)?;
        Ok(TwoPhase {
            votes: p.votes,
            names: names(p.names, cluster)?,
            vote_timeout: span("params.vote_timeout_ms", p.vote_timeout_ms)?,
            retry: span("params.retry_ms", p.retry_ms)?,
            send_gap: micros("params.send_gap_ms", p.send_gap_ms, MAX_SPAN_MS)?,
            cooperative: p.cooperative_termination,
            abort_when_in_doubt: p.abort_when_in_doubt,
        })
    }
}
