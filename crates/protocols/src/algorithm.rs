//! How an algorithm joins the playground: one descriptor in its folder says its name, its
//! family, what to watch for, its presets, and how a scenario's `params` become its
//! configuration. The catalogue (`clusterplay-scenario`'s registry) lists descriptors, one
//! line each, and knows nothing else about any algorithm.
//!
//! A descriptor is a type of its own, not the protocol: two entries of the catalogue may run
//! one state machine (Raft's election and its log replication) with different presets and
//! explanations.

use crate::text::Text;
use clusterplay_sim::{NodeId, Span};
use clusterplay_view::Present;
use serde::de::DeserializeOwned;
use std::fmt::Display;
use thiserror::Error;

/// A scenario's `params` object, as written.
pub type Params = serde_json::Map<String, serde_json::Value>;

/// The longest span (a timeout, a use of the machine) a parameter may ask for, in milliseconds:
/// a minute.
pub const MAX_SPAN_MS: f64 = 60_000.0;

/// A parameter the algorithm cannot run with, in words a learner can act on:
/// `params.groups` `is 7; 6 nodes make 1 to 3 local rings of at least two`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{what} {problem}")]
pub struct ParamError {
    /// Where in the scenario: `params.groups`. Both languages show it as written, since it is
    /// what the learner edits.
    pub what: String,
    pub problem: String,
    /// The problem in Simplified Chinese, read after `what` as `problem` is, without the final
    /// full stop: `为 7；6 个节点只能组成 1 到 3 个本地环，每个环至少两个节点`.
    pub problem_zh: String,
}

impl ParamError {
    pub fn new(
        what: impl Into<String>,
        problem: impl Into<String>,
        problem_zh: impl Into<String>,
    ) -> Self {
        ParamError {
            what: what.into(),
            problem: problem.into(),
            problem_zh: problem_zh.into(),
        }
    }

    /// `what` names a node the cluster does not have.
    pub fn no_such_node(what: &str, id: NodeId, nodes: usize) -> Self {
        ParamError::new(
            what,
            format!("names node {id}, but the cluster has {nodes} nodes"),
            format!("指定了节点 {id}，但集群只有 {nodes} 个节点"),
        )
    }

    /// `what` holds a node name too long to draw under its node.
    pub fn name_too_long(what: &str, name: &str, max: usize) -> Self {
        let start = name.chars().take(max).collect::<String>();
        ParamError::new(
            what,
            format!("holds \"{start}…\"; a name has at most {max} characters"),
            format!("中的“{start}…”太长：名称至多 {max} 个字符"),
        )
    }
}

/// What the algorithm may know of the cluster it is configured for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cluster {
    pub nodes: usize,
    /// The scenario's seed, for an algorithm whose configuration draws values (UUID's nodes).
    pub seed: u64,
}

/// A rule that implementations of the algorithm have got wrong, switched on by a boolean
/// parameter (off by default) so that a learner can break it on purpose and watch the explorer
/// find what it was for (issue 21).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bug {
    /// The parameter that switches it on: `"params": {"commit_by_counting": true}`.
    pub param: &'static str,
    /// The bug in a few words, as the parameters panel names it.
    pub name: Text,
    /// What breaks and why, in the essay's voice.
    pub breaks: Text,
}

/// One entry of the catalogue.
pub trait Algorithm: 'static {
    type Protocol: Present;
    /// The scenario's `protocol` value: `mutex-ra`.
    const ID: &'static str;
    /// The family the page groups it under: `mutex`.
    const FAMILY: &'static str;
    const NAME: Text;
    /// What the learner should watch for, shown beside the cluster.
    const HOW: Text;
    /// The presets of this algorithm, JSON files in its folder (`include_str!`), in the order
    /// the page lists them.
    const PRESETS: &'static [&'static str];
    /// Its lessons, JSON files in its folder (`lessons/`), telling its worked examples stop
    /// by stop (`clusterplay_scenario::lesson`).
    const LESSONS: &'static [&'static str] = &[];
    /// The rules a learner can break on purpose, each a boolean parameter.
    const BUGS: &'static [Bug] = &[];

    /// The configuration `params` ask for, checked against the cluster.
    fn configure(params: &Params, cluster: Cluster) -> Result<Self::Protocol, ParamError>;
}

/// `params` read into the algorithm's own parameter type (which should deny unknown fields).
pub fn read<T: DeserializeOwned>(params: &Params) -> Result<T, ParamError> {
    serde_json::from_value(serde_json::Value::Object(params.clone())).map_err(|e| {
        // serde's detail names the field and the type it wanted, in English only; the
        // Chinese keeps it, marked as the parser's, as the page does for a scenario's JSON.
        let detail = e.to_string();
        ParamError::new(
            "params",
            &detail,
            format!("无法读取（解析器的说明：{detail}）"),
        )
    })
}

/// A number as an error message quotes it: absurd ones in exponent form (`1e300`), not three
/// hundred digits.
pub fn shown(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Milliseconds as written to microseconds, refusing what no run can mean.
pub fn micros(what: &str, ms: f64, max_ms: f64) -> Result<Span, ParamError> {
    if !ms.is_finite() {
        return Err(ParamError::new(
            what,
            "must be a number",
            "必须是一个有限的数",
        ));
    }
    if ms < 0.0 {
        return Err(ParamError::new(
            what,
            format!("is {} ms; it cannot be negative", shown(ms)),
            format!("为 {} 毫秒，不能为负", shown(ms)),
        ));
    }
    if ms > max_ms {
        return Err(ParamError::new(
            what,
            format!("is {} ms; at most {max_ms} ms is allowed", shown(ms)),
            format!("为 {} 毫秒，至多允许 {max_ms} 毫秒", shown(ms)),
        ));
    }
    Ok((ms * 1000.0).round() as Span)
}

/// A span parameter (`params.heartbeat_ms`): above 0 and at most [`MAX_SPAN_MS`].
pub fn span(what: &str, ms: f64) -> Result<Span, ParamError> {
    let us = micros(what, ms, MAX_SPAN_MS)?;
    if us == 0 {
        return Err(ParamError::new(
            what,
            "must be above 0 ms",
            "必须大于 0 毫秒",
        ));
    }
    Ok(us)
}

/// `what`, a span, is below `min_ms` (`"0.003"`, as written), the least the algorithm works
/// with.
pub fn at_least_ms(what: &str, min_ms: &str) -> ParamError {
    ParamError::new(
        what,
        format!("must be at least {min_ms} ms"),
        format!("必须至少为 {min_ms} 毫秒"),
    )
}

/// `what` is `value`, outside `min` to `max`.
pub fn outside(
    what: &str,
    value: impl Display,
    min: impl Display,
    max: impl Display,
) -> ParamError {
    ParamError::new(
        what,
        format!("is {value}; it must be {min} to {max}"),
        format!("为 {value}，必须在 {min} 到 {max} 之间"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_refuse_what_no_run_can_mean() {
        assert_eq!(span("params.x_ms", 1.5), Ok(1_500));
        let e = span("params.x_ms", -3.0).unwrap_err();
        assert_eq!(e.to_string(), "params.x_ms is -3 ms; it cannot be negative");
        assert_eq!(e.problem_zh, "为 -3 毫秒，不能为负");
        let e = span("params.x_ms", 1e300).unwrap_err();
        assert_eq!(
            e.to_string(),
            "params.x_ms is 1e300 ms; at most 60000 ms is allowed"
        );
        assert_eq!(
            span("params.x_ms", 0.0).unwrap_err().problem,
            "must be above 0 ms"
        );
        assert_eq!(
            micros("params.x_ms", f64::NAN, 1.0).unwrap_err().problem,
            "must be a number"
        );
    }
}
