//! CAP over the replication presets, measured rather than asserted: for each run, what its
//! network split or its failed primary made it give up. *Consistency* is the checker's verdict
//! on the clients' history (linearizable: every read explained by one order of the operations
//! within their real-time bounds); *availability* is the share of requests that got an answer.
//! A run that kept both had no fault that forced a choice, or was lucky in its timing.

use crate::model::Act;
use crate::presets::{presets, Words};

/// What a run kept of consistency and availability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kept {
    Both,
    Consistency,
    Availability,
    Neither,
}

impl Kept {
    fn of(linearizable: Option<bool>, answered: u64, requests: u64) -> Kept {
        match (linearizable == Some(true), answered == requests) {
            (true, true) => Kept::Both,
            (true, false) => Kept::Consistency,
            (false, true) => Kept::Availability,
            (false, false) => Kept::Neither,
        }
    }
}

/// The fault a run's timeline puts in its way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    Partition,
    Crash,
    None,
}

/// One replication preset, run to its end.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CapRow {
    pub preset: &'static str,
    pub title: &'static Words,
    /// `sync`, `async`, `max-availability` or `quorum`.
    pub mode: String,
    pub fault: Fault,
    pub requests: u64,
    pub answered: u64,
    /// `None` when the checker could not decide.
    pub linearizable: Option<bool>,
    pub kept: Kept,
}

/// Every replication preset, run, in catalogue order. Presets that fail to run are left out
/// (the preset tests would fail first).
pub fn rows() -> Vec<CapRow> {
    presets()
        .iter()
        .filter(|p| p.family == "replication")
        .filter_map(|p| {
            let report = crate::run(&p.scenario).ok()?;
            let o = &report.outcome;
            let requests = o["requests"].as_u64()?;
            let answered = o["answered"].as_u64()?;
            let linearizable = o["linearizable"].as_bool();
            let fault = if p
                .scenario
                .timeline
                .iter()
                .any(|s| matches!(s.act, Act::Partition { .. } | Act::Cut { .. }))
            {
                Fault::Partition
            } else if p
                .scenario
                .timeline
                .iter()
                .any(|s| matches!(s.act, Act::Crash { .. }))
            {
                Fault::Crash
            } else {
                Fault::None
            };
            Some(CapRow {
                preset: &p.id,
                title: &p.title,
                mode: o["mode"].as_str()?.to_owned(),
                fault,
                requests,
                answered,
                linearizable,
                kept: Kept::of(linearizable, answered, requests),
            })
        })
        .collect()
}
