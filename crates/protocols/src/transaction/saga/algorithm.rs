//! The Saga in the catalogue: its names, its parameters, its presets.

use super::Saga;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::Text;
use clusterplay_sim::NodeId;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SagaParams {
    /// Each participant's name, node 2 first.
    #[serde(default)]
    names: Vec<String>,
    /// The participant whose step fails.
    #[serde(default)]
    fails: Option<NodeId>,
    #[serde(default = "default_step_timeout")]
    step_timeout_ms: f64,
    #[serde(default = "default_retry")]
    retry_ms: f64,
}

fn default_step_timeout() -> f64 {
    100.0
}

fn default_retry() -> f64 {
    60.0
}

impl Algorithm for Entry {
    type Protocol = Saga;
    const ID: &'static str = "saga";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new(
        "Saga (compensating transactions, beyond the texts)",
        "Saga（补偿事务，原文之外）",
    );
    const HOW: Text = Text::new(
        "Beyond the texts. An orchestrator runs the business activity as a chain of local \
         transactions, each committed at once (take the payment, then ship). If a step fails, \
         or does not answer in time, the steps already done are undone by their compensating \
         transactions, newest first (refund the payment). No locks, no prepare phase; \
         compensations are repeated until answered, so each participant does each at most once.",
        "原文之外的补充。编排者把业务活动当作一串本地事务依次执行，每一步都立即提交（先扣款，再发货）。\
         某一步失败或没有及时回复时，已完成的步骤由各自的补偿事务从最近的一步开始逐个撤销（退款）。\
         没有锁，也没有准备阶段；补偿会重试直到收到回复，所以每个参与者对每一步最多只执行一次。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/saga-happy-path.json"),
        include_str!("presets/saga-compensation.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<Saga, ParamError> {
        let p: SagaParams = read(params)?;
        if p.names.len() >= cluster.nodes {
            return Err(ParamError::new(
                "params.names",
                format!(
                    "has {} names for {} participants",
                    p.names.len(),
                    cluster.nodes - 1
                ),
                format!(
                    "给出了 {} 个名称，但只有 {} 个参与者",
                    p.names.len(),
                    cluster.nodes - 1
                ),
            ));
        }
        if let Some(n) = p.fails {
            if n.index() == 0 || n.index() >= cluster.nodes {
                return Err(ParamError::new(
                    "params.fails",
                    format!(
                        "is node {n}; the participants are nodes 2 to {}",
                        cluster.nodes
                    ),
                    format!("是节点 {n}；参与者是节点 2 到 {}", cluster.nodes),
                ));
            }
        }
        Ok(Saga {
            names: p.names,
            fails: p.fails,
            step_timeout: span("params.step_timeout_ms", p.step_timeout_ms)?,
            retry: span("params.retry_ms", p.retry_ms)?,
        })
    }
}
