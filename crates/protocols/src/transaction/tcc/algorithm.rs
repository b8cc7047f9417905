//! TCC in the catalogue: its names, its parameters, its presets.

use super::Tcc;
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::transaction::{default_timeout, names, per_participant, MAX_AMOUNT};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TccParams {
    #[serde(default)]
    names: Vec<String>,
    /// What each participant has (stock, balance), node 2 first; 100 for the rest.
    #[serde(default)]
    available: Vec<u64>,
    /// What the transaction needs from each participant, node 2 first; 1 for the rest.
    #[serde(default)]
    amounts: Vec<u64>,
    #[serde(default = "default_timeout")]
    try_timeout_ms: f64,
    #[serde(default = "default_timeout")]
    retry_ms: f64,
}

fn amounts(what: &str, values: Vec<u64>, cluster: Cluster) -> Result<Vec<u64>, ParamError> {
    per_participant(what, &values, cluster)?;
    if values.iter().any(|v| *v > MAX_AMOUNT) {
        return Err(ParamError::new(
            what,
            format!("holds a value above {MAX_AMOUNT}"),
            format!("中有大于 {MAX_AMOUNT} 的值"),
        ));
    }
    Ok(values)
}

impl Algorithm for Entry {
    type Protocol = Tcc;
    const ID: &'static str = "tcc";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new("TCC (Try, Confirm, Cancel)", "TCC（Try、Confirm、Cancel）");
    const HOW: Text = Text::new(
        "Try reserves what each participant needs (stock, money) and commits at once; Confirm uses \
         the reservation, Cancel releases it. Every Try ok: Confirm everywhere; any failure or \
         timeout: Cancel everywhere. Confirm and Cancel are repeated until answered, so each \
         participant does them once and answers repeats without doing them again.",
        "Try 预留各参与者所需的资源（库存、金额）并立即提交本地事务；Confirm 真正使用预留的资源，\
         Cancel 释放预留。所有 Try 成功则全部 Confirm；有失败或超时则全部 Cancel。Confirm 和 \
         Cancel 会重试直到收到回复，所以参与者必须幂等：重复的请求只回复，不重复执行。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/tcc-cancel.json"),
        include_str!("presets/tcc-idempotent-confirm.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<Tcc, ParamError> {
        let p: TccParams = read(params)?;
        Ok(Tcc {
            names: names(p.names, cluster)?,
            available: amounts("params.available", p.available, cluster)?,
            amounts: amounts("params.amounts", p.amounts, cluster)?,
            try_timeout: span("params.try_timeout_ms", p.try_timeout_ms)?,
            retry: span("params.retry_ms", p.retry_ms)?,
        })
    }
}
