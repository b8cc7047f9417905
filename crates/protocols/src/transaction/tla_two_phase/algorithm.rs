//! TwoPhase.tla in the catalogue: its names, its presets, and its parameters, of which there
//! are none, since the spec has none but the set of resource managers (every node but node 1;
//! the TM keeps its prepared set as bits, and a scenario has far fewer than 128 nodes).

use super::TlaTwoPhase;
use crate::algorithm::{read, Algorithm, Cluster, ParamError, Params};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlaParams {}

impl Algorithm for Entry {
    type Protocol = TlaTwoPhase;
    const ID: &'static str = "2pc-tla";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new(
        "Two-phase commit as TwoPhase.tla",
        "二阶段提交（TwoPhase.tla 模型）",
    );
    const HOW: Text = Text::new(
        "Lamport's TwoPhase.tla: each resource manager prepares or chooses to abort on its own; the \
         transaction manager collects Prepared messages, commits once every RM has prepared, or \
         aborts at any time, and the RMs obey Commit or Abort. Messages are never lost and may \
         arrive twice. Explore it: three RMs have exactly the 288 states TLC finds.",
        "Lamport 的 TwoPhase.tla：每个资源管理器自行准备或自行放弃；事务管理器收集 Prepared 消息，\
         全部准备好才提交，也可随时放弃；资源管理器服从 Commit 或 Abort。消息不会丢失，可能重复到达。\
         试试“探索”：三个资源管理器恰好有 TLC 找到的 288 个状态。",
    );
    const PRESETS: &'static [&'static str] = &[include_str!("presets/2pc-tla-twophase.json")];

    fn configure(params: &Params, _cluster: Cluster) -> Result<TlaTwoPhase, ParamError> {
        let _: TlaParams = read(params)?;
        Ok(TlaTwoPhase::default())
    }
}
