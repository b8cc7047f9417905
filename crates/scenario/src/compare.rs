//! # Comparisons: one scenario, two ways, side by side
//!
//! The course texts teach by contrast. Bully against Raft when the old leader comes back, 2PC
//! against 3PC when the coordinator crashes, synchronous against asynchronous replication in a
//! failover, a central coordinator against Ricart–Agrawala in messages per use. A
//! [`Comparison`] holds such a contrast as data: a title and a caption, and two *sides*, each a
//! complete [`Scenario`] with a short label ("2PC", "watch every child"). Normally the two
//! scenarios are the same run (nodes, seed, network, timeline) apart from the one thing
//! compared: the algorithm, one parameter, or the number of nodes. The caption says what
//! differs.
//!
//! Why two whole scenarios and not one scenario plus a difference? Because a side must stay
//! something the rest of the playground already understands: each side loads, runs, replays and
//! shares exactly as a scenario does, its trace hash is the one that scenario has alone, and a
//! side can be opened by itself with a plain `#s=` link. Deflate folds the repeated half of a
//! comparison away, so a `#c=` link costs little more than one scenario's.
//!
//! What a comparison must satisfy ([`Comparison::check`]):
//!
//! - both sides load: every field and every timeline step is checked as [`crate::load`] checks
//!   a scenario. A step one side cannot take (a protocol command its algorithm does not have, a
//!   node it does not have) refuses the whole comparison, naming the side and the step; it is
//!   never skipped, since a contrast where one side silently did less would teach the wrong
//!   thing;
//! - both algorithms belong to one family: rows compare like with like;
//! - both sides run for the same virtual time: one clock drives both.
//!
//! What is compared ([`rows`]) is read from the two runs' reports, never written down: a
//! table of figures, each a label in both languages and a way to read it from a
//! [`Report`]. A few figures every run has (messages, invariant violations); the rest come from
//! the outcomes, and a row appears only when both outcomes have the figure, so a row is never
//! half empty and a figure is never invented for an algorithm that does not report it. A
//! figure that an outcome holds as `null` ("no leader yet", "never decided") still makes a row:
//! that `null` is the contrast.
//!
//! Comparisons travel in links as scenarios do ([`crate::link::compare_fragment`], `#c=…`), and
//! the compare presets (`compares/*.json` in this crate) are comparisons named by file.

use crate::error::ScenarioError;
use crate::model::{Scenario, Step};
use crate::presets::Words;
use crate::simulation::{Report, Simulation};
use clusterplay_protocols::Text;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;
use thiserror::Error;

/// The comparison format version this build writes and reads.
pub const VERSION: u32 = 1;

/// Two runs of one scenario that differ in one thing, to be watched in step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// Format version; links carry it so that old links keep working or fail clearly.
    pub v: u32,
    pub title: Words,
    /// What the two runs show, and what differs between the two scenarios.
    pub caption: Words,
    pub left: Side,
    pub right: Side,
}

/// One side of a comparison: a whole scenario and the name the view gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// A short name for the side: "2PC", "watch the predecessor", "5 nodes".
    pub label: Words,
    pub scenario: Scenario,
}

/// Which side: errors and the view name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Left,
    Right,
}

impl Which {
    pub fn text(self) -> Text {
        match self {
            Which::Left => Text::new("left", "左侧"),
            Which::Right => Text::new("right", "右侧"),
        }
    }
}

impl std::fmt::Display for Which {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().en)
    }
}

/// Why a comparison, or a compare link, was refused.
///
/// A side's own problem keeps the [`ScenarioError`] that the scenario alone would give, so that
/// the page words it as it words any scenario's, with the side in front.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CompareError {
    #[error("the link has no comparison in it (expected a fragment like #c=…)")]
    NoComparison,
    /// The link's payload does not unpack (base64, deflate, size).
    #[error("{0}")]
    Link(ScenarioError),
    #[error("the comparison is not valid: {0}")]
    NotJson(String),
    #[error("the comparison has version {0}, but this playground reads version {VERSION}")]
    UnknownVersion(u32),
    #[error("the {side} side ({label}): {error}")]
    Side {
        side: Which,
        /// The side's label in English.
        label: String,
        error: ScenarioError,
    },
    #[error(
        "the two sides run algorithms of different families ({left} and {right}); a comparison \
         puts two algorithms of one family, or one algorithm twice, side by side"
    )]
    Families { left: String, right: String },
    #[error(
        "the two sides run for different times ({left} ms and {right} ms); one clock drives \
         both, so their until_ms must be equal"
    )]
    Lengths { left: f64, right: f64 },
    #[error("no comparison is called \"{0}\" (`clusterplay compares` lists them)")]
    UnknownPreset(String),
}

/// Both runs and what they compare: what `clusterplay run` prints for a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareReport {
    pub title: Words,
    pub left: SideReport,
    pub right: SideReport,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SideReport {
    pub label: Words,
    pub report: Report,
}

/// One line of the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Stable name of the figure (`messages`, `notifications`, …), for tests and scripts.
    pub key: &'static str,
    pub label: Text,
    /// The figure as the left run reports it (`null`: the run has none, such as no leader).
    pub left: Value,
    pub right: Value,
    pub differs: bool,
}

impl Comparison {
    /// The side `which`.
    pub fn side(&self, which: Which) -> &Side {
        match which {
            Which::Left => &self.left,
            Which::Right => &self.right,
        }
    }

    fn sides(&self) -> [(Which, &Side); 2] {
        [(Which::Left, &self.left), (Which::Right, &self.right)]
    }

    /// Check the comparison completely and start both sides, left then right, neither run.
    pub fn load(&self) -> Result<[Box<dyn Simulation>; 2], CompareError> {
        if self.v != VERSION {
            return Err(CompareError::UnknownVersion(self.v));
        }
        let [left, right] = self.sides().map(|(which, side)| {
            crate::load(&side.scenario).map_err(|e| side_error(which, side, e))
        });
        let (left, right) = (left?, right?);
        let family =
            |side: &Side| crate::algorithm(&side.scenario.protocol).map_or("", |a| a.family);
        if family(&self.left) != family(&self.right) {
            return Err(CompareError::Families {
                left: self.left.scenario.protocol.chars().take(40).collect(),
                right: self.right.scenario.protocol.chars().take(40).collect(),
            });
        }
        if self.left.scenario.until_ms != self.right.scenario.until_ms {
            return Err(CompareError::Lengths {
                left: self.left.scenario.until_ms,
                right: self.right.scenario.until_ms,
            });
        }
        Ok([left, right])
    }

    /// Everything [`Comparison::load`] checks, without keeping the simulations.
    pub fn check(&self) -> Result<(), CompareError> {
        self.load().map(|_| ())
    }

    /// The family both sides belong to (once [`Comparison::check`] has passed).
    pub fn family(&self) -> Option<&'static str> {
        crate::algorithm(&self.left.scenario.protocol).map(|a| a.family)
    }

    /// The comparison with `step` added to both timelines: how a learner's action (a crash, a
    /// cut link) applies to both sides at once. If either side cannot take it, neither does,
    /// and the error names that side.
    pub fn with_step(&self, step: Step) -> Result<Comparison, CompareError> {
        let mut out = self.clone();
        out.left.scenario.timeline.push(step.clone());
        out.right.scenario.timeline.push(step);
        out.check()?;
        Ok(out)
    }

    /// Run both sides to their end and compare them.
    pub fn run(&self) -> Result<CompareReport, CompareError> {
        let [mut left, mut right] = self.load()?;
        let until = |side: &Side, which| {
            side.scenario
                .validate()
                .map(|c| c.until)
                .map_err(|e| side_error(which, side, e))
        };
        let left = crate::run_to(left.as_mut(), until(&self.left, Which::Left)?);
        let right = crate::run_to(right.as_mut(), until(&self.right, Which::Right)?);
        Ok(CompareReport {
            title: self.title.clone(),
            rows: rows(&left, &right),
            left: SideReport {
                label: self.left.label.clone(),
                report: left,
            },
            right: SideReport {
                label: self.right.label.clone(),
                report: right,
            },
        })
    }
}

fn side_error(side: Which, s: &Side, error: ScenarioError) -> CompareError {
    CompareError::Side {
        side,
        label: s.label.en.chars().take(60).collect(),
        error,
    }
}

/// Parse comparison JSON (a file, or the inside of a `#c=` link), checking its shape and
/// version; [`Comparison::check`] checks the content.
pub fn from_json(json: &[u8]) -> Result<Comparison, CompareError> {
    // The version first, so that an old or future link says so rather than failing on
    // whichever field changed.
    #[derive(Deserialize)]
    struct Versioned {
        v: Option<u32>,
    }
    if let Ok(Versioned { v: Some(v) }) = serde_json::from_slice::<Versioned>(json) {
        if v != VERSION {
            return Err(CompareError::UnknownVersion(v));
        }
    }
    serde_json::from_slice(json).map_err(|e| CompareError::NotJson(e.to_string()))
}

/// How a figure is read from a report.
enum Read {
    /// Every run has it.
    Report(fn(&Report) -> Value),
    /// The outcome's field at this JSON pointer.
    At(&'static str),
    /// Worked out from the outcome; `None` when the outcome has nothing of the kind.
    Outcome(fn(&Value) -> Option<Value>),
}

struct Figure {
    key: &'static str,
    label: Text,
    read: Read,
}

const fn at(
    key: &'static str,
    pointer: &'static str,
    en: &'static str,
    zh: &'static str,
) -> Figure {
    Figure {
        key,
        label: Text::new(en, zh),
        read: Read::At(pointer),
    }
}

const fn outcome(
    key: &'static str,
    en: &'static str,
    zh: &'static str,
    read: fn(&Value) -> Option<Value>,
) -> Figure {
    Figure {
        key,
        label: Text::new(en, zh),
        read: Read::Outcome(read),
    }
}

/// The largest of `field` over the outcome's list `list` (`null` when the list is empty).
fn largest(o: &Value, list: &str, field: &str) -> Option<Value> {
    let items = o.pointer(list)?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|i| i.get(field)?.as_f64())
            .reduce(f64::max)
            .map_or(Value::Null, Value::from),
    )
}

fn length(o: &Value, list: &str) -> Option<Value> {
    Some(o.pointer(list)?.as_array()?.len().into())
}

/// Every figure a comparison may show, in the order the table shows them. The outcome figures
/// are the ones each family's outcome reports (see `clusterplay run PRESET`).
static FIGURES: &[Figure] = &[
    Figure {
        key: "messages",
        label: Text::new("messages sent", "发送的消息数"),
        read: Read::Report(|r| r.messages.total.into()),
    },
    Figure {
        key: "violations",
        label: Text::new("invariant violations", "违反不变式的次数"),
        read: Read::Report(|r| r.violations.len().into()),
    },
    Figure {
        key: "invariants_broken",
        label: Text::new("invariants broken", "被违反的不变式"),
        read: Read::Report(|r| {
            let mut names: Vec<&str> = Vec::new();
            for v in &r.violations {
                if !names.contains(&v.invariant) {
                    names.push(v.invariant);
                }
            }
            names.into()
        }),
    },
    // Elections and logs.
    at(
        "first_leader_ms",
        "/first_leader_ms",
        "first leader at (ms)",
        "首次选出领导者的时间（毫秒）",
    ),
    at("elections", "/elections", "elections", "选举次数"),
    at(
        "split_votes",
        "/split_votes",
        "split votes (terms without a leader)",
        "平票次数（没有选出领导者的任期）",
    ),
    at(
        "leader_changes",
        "/leader_changes",
        "leader changes",
        "领导者更替次数",
    ),
    at("leader", "/leader", "leader at the end", "结束时的领导者"),
    at(
        "commit_index",
        "/commit_index",
        "entries committed",
        "已提交的日志条数",
    ),
    // Transactions.
    at(
        "decision",
        "/decision",
        "coordinator's decision",
        "协调者的决定",
    ),
    at(
        "finished_ms",
        "/finished_ms",
        "every participant finished at (ms)",
        "所有参与者完成的时间（毫秒）",
    ),
    at(
        "in_doubt",
        "/in_doubt",
        "participants blocked in doubt",
        "阻塞在不确定状态的参与者",
    ),
    at(
        "committed",
        "/committed",
        "participants committed",
        "已提交的参与者",
    ),
    at(
        "rolled_back",
        "/rolled_back",
        "participants rolled back",
        "已回滚的参与者",
    ),
    outcome(
        "locks_held_ms",
        "longest lock hold (ms)",
        "持锁最长时间（毫秒）",
        |o| largest(o, "/participants", "locks_held_ms"),
    ),
    outcome(
        "participants_locked",
        "participants that held locks",
        "持有过锁的参与者数",
        |o| {
            let items = o.pointer("/participants")?.as_array()?;
            let locked = items
                .iter()
                .filter(|i| i.get("locks_held_ms").and_then(Value::as_f64) > Some(0.0))
                .count();
            Some(locked.into())
        },
    ),
    outcome(
        "lock_time_ms",
        "lock time, all participants together (ms)",
        "所有参与者持锁时间之和（毫秒）",
        |o| {
            let items = o.pointer("/participants")?.as_array()?;
            let sum: f64 = items
                .iter()
                .filter_map(|i| i.get("locks_held_ms")?.as_f64())
                .sum();
            Some(Value::from((sum * 1000.0).round() / 1000.0))
        },
    ),
    // Mutual exclusion.
    at(
        "messages_per_entry",
        "/messages_per_entry",
        "messages per use",
        "每次访问的消息数",
    ),
    at(
        "formula_value",
        "/formula_value",
        "messages per use by the texts' formula",
        "按原文公式每次访问的消息数",
    ),
    at(
        "critical_section_order",
        "/critical_section_order",
        "order of use",
        "使用顺序",
    ),
    outcome(
        "first_use_ms",
        "first use at (ms)",
        "首次使用的时间（毫秒）",
        |o| {
            let entries = o.get("entries")?.as_array()?;
            Some(
                entries
                    .first()
                    .and_then(|e| e.get("entered_at_ms"))
                    .cloned()
                    .unwrap_or(Value::Null),
            )
        },
    ),
    outcome(
        "longest_wait_ms",
        "longest wait (ms)",
        "最长等待时间（毫秒）",
        |o| largest(o, "/entries", "waited_ms"),
    ),
    // Locks.
    at(
        "notifications",
        "/notifications",
        "watch notifications",
        "Watcher 通知次数",
    ),
    at(
        "acquisitions",
        "/acquisitions",
        "order of lock holders",
        "获得锁的顺序",
    ),
    at(
        "max_simultaneous_holders",
        "/max_simultaneous_holders",
        "most holders at once",
        "同时持锁者最多几个",
    ),
    // Replication.
    outcome(
        "lost_writes",
        "acknowledged writes lost",
        "丢失的已确认写入",
        |o| length(o, "/lost_writes"),
    ),
    at(
        "stale_reads",
        "/stale_reads",
        "stale reads",
        "读到旧值的次数",
    ),
    at("linearizable", "/linearizable", "linearizable", "线性一致"),
    at(
        "availability",
        "/availability",
        "availability (answered / asked)",
        "可用性（已应答 / 请求数）",
    ),
    at("final_value", "/final_value", "final value", "最终值"),
];

/// The comparison table of two reports: every figure both have, in the table's order.
///
/// Live reports work too, so the page can show the table at any moment of the run.
pub fn rows(left: &Report, right: &Report) -> Vec<Row> {
    FIGURES
        .iter()
        .filter_map(|f| {
            let read = |r: &Report| match &f.read {
                Read::Report(read) => Some(read(r)),
                Read::At(pointer) => r.outcome.pointer(pointer).cloned(),
                Read::Outcome(read) => read(&r.outcome),
            };
            let (left, right) = (read(left)?, read(right)?);
            Some(Row {
                key: f.key,
                label: f.label,
                differs: left != right,
                left,
                right,
            })
        })
        .collect()
}

/// A comparison shipped with the playground, named by its file in `compares/`.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparePreset {
    pub id: &'static str,
    pub comparison: Comparison,
}

/// The compare presets' files. They live in this crate rather than in an algorithm's folder
/// because a comparison usually spans two algorithms' folders (2PC's and 3PC's), and the
/// format they are written in is this crate's.
macro_rules! compares {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("../compares/", $id, ".json")))),*]
    };
}

static COMPARES: &[(&str, &str)] = compares![
    "compare-bully-raft-rejoin",
    "compare-2pc-3pc-coordinator-crash",
    "compare-2pc-3pc-nine-participants",
    "compare-sync-async-failover",
    "compare-mutex-messages",
    "compare-zk-herd",
    "compare-raft-figure-8",
    "compare-even-odd",
];

/// Every compare preset whose algorithms this build has (a page of one family lists only its
/// own), in catalogue order.
pub fn compare_presets() -> &'static [ComparePreset] {
    static ALL: OnceLock<Vec<ComparePreset>> = OnceLock::new();
    ALL.get_or_init(|| {
        COMPARES
            .iter()
            .map(|(id, src)| ComparePreset {
                id,
                comparison: from_json(src.as_bytes())
                    .expect("compare presets are checked by the tests"),
            })
            .filter(|p| {
                p.comparison
                    .sides()
                    .iter()
                    .all(|(_, s)| crate::algorithm(&s.scenario.protocol).is_some())
            })
            .collect()
    })
}

pub fn compare_preset(id: &str) -> Result<&'static ComparePreset, CompareError> {
    compare_presets()
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| CompareError::UnknownPreset(id.chars().take(60).collect()))
}
