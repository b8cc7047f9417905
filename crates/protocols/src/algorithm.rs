//! How an algorithm joins the playground: one descriptor in its folder says its name, its
//! family, what to watch for, its presets, and how a scenario's `params` become its
//! configuration. The catalogue (`clusterplay-scenario`'s registry) lists descriptors, one
//! line each, and knows nothing else about any algorithm.
//!
//! A descriptor is a type of its own, not the protocol: two entries of the catalogue may run
//! one state machine (Raft's election and its log replication) with different presets and
//! explanations.

use crate::text::Text;
use clusterplay_sim::Span;
use clusterplay_view::Present;
use serde::de::DeserializeOwned;
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
    /// Where in the scenario: `params.groups`.
    pub what: String,
    pub problem: String,
}

impl ParamError {
    pub fn new(what: impl Into<String>, problem: impl Into<String>) -> Self {
        ParamError {
            what: what.into(),
            problem: problem.into(),
        }
    }
}

/// What the algorithm may know of the cluster it is configured for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cluster {
    pub nodes: usize,
    /// The scenario's seed, for an algorithm whose configuration draws values (UUID's nodes).
    pub seed: u64,
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

    /// The configuration `params` ask for, checked against the cluster.
    fn configure(params: &Params, cluster: Cluster) -> Result<Self::Protocol, ParamError>;
}

/// `params` read into the algorithm's own parameter type (which should deny unknown fields).
pub fn read<T: DeserializeOwned>(params: &Params) -> Result<T, ParamError> {
    serde_json::from_value(serde_json::Value::Object(params.clone()))
        .map_err(|e| ParamError::new("params", e.to_string()))
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
        return Err(ParamError::new(what, "must be a number"));
    }
    if ms < 0.0 {
        return Err(ParamError::new(
            what,
            format!("is {} ms; it cannot be negative", shown(ms)),
        ));
    }
    if ms > max_ms {
        return Err(ParamError::new(
            what,
            format!("is {} ms; at most {max_ms} ms is allowed", shown(ms)),
        ));
    }
    Ok((ms * 1000.0).round() as Span)
}

/// A span parameter (`params.heartbeat_ms`): above 0 and at most [`MAX_SPAN_MS`].
pub fn span(what: &str, ms: f64) -> Result<Span, ParamError> {
    let us = micros(what, ms, MAX_SPAN_MS)?;
    if us == 0 {
        return Err(ParamError::new(what, "must be above 0 ms"));
    }
    Ok(us)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_refuse_what_no_run_can_mean() {
        assert_eq!(span("params.x_ms", 1.5), Ok(1_500));
        let e = span("params.x_ms", -3.0).unwrap_err();
        assert_eq!(e.to_string(), "params.x_ms is -3 ms; it cannot be negative");
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
