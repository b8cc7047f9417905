//! The scenario: everything that determines a run, as people and links write it.
//!
//! A scenario is plain data: protocol, parameters, node count, seed, network settings, how
//! long to run, and a timeline of actions. Times are milliseconds (fractions allowed, down to
//! the microsecond) because that is how people think about them; the engine runs on integer
//! microseconds, and [`Scenario::validate`] is the single place that converts and checks them.

use crate::error::ScenarioError;
use clusterplay_protocols::algorithm::shown;
use clusterplay_protocols::ParamError;
use clusterplay_sim::{Action, Latency, MsgId, NodeId, Span, Time};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version this build writes and reads.
pub const VERSION: u32 = 1;
/// The page lays out and animates at most this many nodes.
pub const MAX_NODES: u32 = 101;
pub const MIN_NODES: u32 = 2;
/// Longest run a scenario may ask for: one virtual hour.
pub const MAX_DURATION_MS: f64 = 3_600_000.0;
/// Longest latency or delay: one virtual minute.
pub const MAX_LATENCY_MS: f64 = 60_000.0;
/// Shortest latency: ten microseconds. A message that takes no time at all would let a token
/// circle forever without virtual time ever moving on.
pub const MIN_LATENCY_MS: f64 = 0.01;
pub const MAX_TIMELINE: usize = 10_000;
/// Longest schedule: far more steps than an explored path takes.
pub const MAX_SCHEDULE: usize = 100_000;
pub const DEFAULT_UNTIL_MS: f64 = 2_000.0;

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; links carry it so that old links keep working or fail clearly.
    pub v: u32,
    pub protocol: String,
    pub nodes: u32,
    #[serde(default)]
    pub seed: u64,
    /// How long the run goes on, in virtual milliseconds.
    #[serde(default = "default_until")]
    pub until_ms: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub network: Network,
    /// Protocol parameters; each protocol documents and checks its own.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub params: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Step>,
    /// Random faults at a set rate, drawn from their own seed (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chaos: Option<ChaosSettings>,
    /// Each node's local clock, node 1 first; nodes not listed keep virtual time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clocks: Vec<ClockSettings>,
    /// Which pending event each of the first steps takes, by its place in the agenda (0: the
    /// earliest), instead of the earliest: how an interleaving the explorer found replays.
    /// Absent: every step takes the earliest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<u32>,
}

/// How a node's local clock is set at the start: `offset_ms` ahead (negative: behind) of
/// virtual time, running `drift_ppm` parts per million fast (negative: slow).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockSettings {
    #[serde(default, skip_serializing_if = "is_default")]
    pub offset_ms: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub drift_ppm: f64,
}

/// Chaos mode: crashes, recoveries, drops, delays, partitions and heals (and, if asked, process
/// pauses and clock jumps) at random, about
/// `rate_per_s` per virtual second, every one drawn from `seed`, so a link replays them exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChaosSettings {
    pub rate_per_s: f64,
    #[serde(default)]
    pub seed: u64,
    /// Process pauses and clock jumps too (what breaks leases and locks); absent from links
    /// made without them, which replay as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clocks: bool,
}

/// Most faults per virtual second chaos mode may inject.
pub const MAX_CHAOS_RATE: f64 = 1000.0;

fn default_until() -> f64 {
    DEFAULT_UNTIL_MS
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Default latency range of every link, `[min, max]` milliseconds.
    #[serde(default = "default_latency")]
    pub latency_ms: [f64; 2],
    /// Probability that a message is lost, 0 to 1.
    #[serde(default, skip_serializing_if = "is_default")]
    pub loss: f64,
    /// Probability that a message is delivered twice, 0 to 1.
    #[serde(default, skip_serializing_if = "is_default")]
    pub duplicate: f64,
    /// Allow a message to overtake an earlier one on the same link.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reorder: bool,
    /// Links whose latency differs from the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkLatency>,
    /// "You are the network": every message waits in flight until the timeline delivers
    /// (`deliver`, `delay`) or drops it. Loss and duplication do not apply.
    #[serde(default, skip_serializing_if = "is_default")]
    pub manual: bool,
}

fn default_latency() -> [f64; 2] {
    [5.0, 15.0]
}

impl Default for Network {
    fn default() -> Self {
        Network {
            latency_ms: default_latency(),
            loss: 0.0,
            duplicate: 0.0,
            reorder: false,
            links: Vec::new(),
            manual: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkLatency {
    pub from: NodeId,
    pub to: NodeId,
    pub latency_ms: [f64; 2],
}

/// One entry of the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub at_ms: f64,
    #[serde(flatten)]
    pub act: Act,
}

/// What a timeline step does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Act {
    /// A protocol command, such as `"request"` for the coffee machine.
    Command {
        node: NodeId,
        command: serde_json::Value,
    },
    Crash {
        node: NodeId,
    },
    Recover {
        node: NodeId,
    },
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    Heal,
    Cut {
        from: NodeId,
        to: NodeId,
    },
    Restore {
        from: NodeId,
        to: NodeId,
    },
    Drop {
        msg: MsgId,
    },
    Delay {
        msg: MsgId,
        by_ms: f64,
    },
    Deliver {
        msg: MsgId,
    },
    Duplicate {
        msg: MsgId,
    },
    /// The node's process stops for `for_ms` and then carries on as if no time had passed:
    /// what came due meanwhile (messages, timers, commands) happens when it resumes.
    Pause {
        node: NodeId,
        for_ms: f64,
    },
    /// The node's local clock jumps `by_ms` forward (negative: back); its timers follow.
    Jump {
        node: NodeId,
        by_ms: f64,
    },
}

/// A scenario checked and converted to the engine's units.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub nodes: usize,
    pub seed: u64,
    pub until: Time,
    pub network: clusterplay_sim::NetworkConfig,
    pub timeline: Vec<(Time, Action<serde_json::Value>)>,
    pub chaos: Option<clusterplay_sim::Chaos>,
    /// One clock per node.
    pub clocks: Vec<clusterplay_sim::Clock>,
    pub schedule: Vec<u32>,
}

/// Signed milliseconds (a clock offset or jump) to microseconds, at most `max_ms` either way.
fn signed_micros(what: &str, ms: f64, max_ms: f64) -> Result<i64, ScenarioError> {
    let magnitude = micros(what, ms.abs(), max_ms)? as i64;
    Ok(if ms < 0.0 { -magnitude } else { magnitude })
}

/// A number as an error message quotes it: as written, but 1e300 as "1e300", not as three
/// hundred digits.
/// Milliseconds as written to microseconds, refusing what no run can mean.
pub fn micros(what: &str, ms: f64, max_ms: f64) -> Result<Span, ScenarioError> {
    Ok(clusterplay_protocols::algorithm::micros(what, ms, max_ms)?)
}

fn probability(what: &str, p: f64) -> Result<u32, ScenarioError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(ScenarioError::invalid(
            what,
            format!("is {}; a probability is between 0 and 1", shown(p)),
            format!("为 {}；概率必须在 0 到 1 之间", shown(p)),
        ));
    }
    Ok((p * f64::from(clusterplay_sim::rng::PPM)).round() as u32)
}

fn too_many_steps(what: &str, steps: usize, max: usize) -> ScenarioError {
    ScenarioError::invalid(
        what,
        format!("has {steps} steps; at most {max} are allowed"),
        format!("有 {steps} 步；至多允许 {max} 步"),
    )
}

fn latency(what: &str, range: [f64; 2]) -> Result<Latency, ScenarioError> {
    let min = micros(what, range[0], MAX_LATENCY_MS)?;
    let max = micros(what, range[1], MAX_LATENCY_MS)?;
    if range[0] < MIN_LATENCY_MS {
        return Err(ScenarioError::invalid(
            what,
            format!(
                "starts at {} ms; a message takes at least {MIN_LATENCY_MS} ms",
                range[0]
            ),
            format!(
                "的下限为 {} 毫秒；消息传输至少需要 {MIN_LATENCY_MS} 毫秒",
                range[0]
            ),
        ));
    }
    if min > max {
        return Err(ScenarioError::invalid(
            what,
            format!(
                "[{}, {}]: the minimum is above the maximum",
                range[0], range[1]
            ),
            format!("为 [{}, {}]：最小值大于最大值", range[0], range[1]),
        ));
    }
    Ok(Latency { min, max })
}

impl Scenario {
    /// A scenario of `protocol` on `nodes` nodes with every other setting at its default.
    pub fn new(protocol: &str, nodes: u32) -> Self {
        Scenario {
            v: VERSION,
            protocol: protocol.into(),
            nodes,
            seed: 0,
            until_ms: DEFAULT_UNTIL_MS,
            network: Network::default(),
            params: Default::default(),
            timeline: Vec::new(),
            chaos: None,
            clocks: Vec::new(),
            schedule: Vec::new(),
        }
    }

    /// Check everything that does not depend on the protocol, and convert to engine units.
    pub fn validate(&self) -> Result<Checked, ScenarioError> {
        if self.v != VERSION {
            return Err(ScenarioError::UnknownVersion(self.v));
        }
        if !(MIN_NODES..=MAX_NODES).contains(&self.nodes) {
            return Err(ScenarioError::invalid(
                "nodes",
                format!(
                    "is {}; a cluster has {MIN_NODES} to {MAX_NODES} nodes",
                    self.nodes
                ),
                format!(
                    "为 {}；集群须有 {MIN_NODES} 到 {MAX_NODES} 个节点",
                    self.nodes
                ),
            ));
        }
        let n = self.nodes as usize;
        let node = |what: &str, id: NodeId| {
            if id.index() < n {
                Ok(id)
            } else {
                Err(ScenarioError::from(ParamError::no_such_node(what, id, n)))
            }
        };
        let until = micros("until_ms", self.until_ms, MAX_DURATION_MS)?;
        let mut links = BTreeMap::new();
        for (i, l) in self.network.links.iter().enumerate() {
            let what = format!("network.links[{i}]");
            links.insert(
                (node(&what, l.from)?, node(&what, l.to)?),
                latency(&what, l.latency_ms)?,
            );
        }
        let network = clusterplay_sim::NetworkConfig {
            latency: latency("network.latency_ms", self.network.latency_ms)?,
            links,
            loss_ppm: probability("network.loss", self.network.loss)?,
            duplicate_ppm: probability("network.duplicate", self.network.duplicate)?,
            reorder: self.network.reorder,
            manual: self.network.manual,
        };
        let chaos = match &self.chaos {
            None => None,
            Some(c) if !c.rate_per_s.is_finite() || c.rate_per_s < 0.0 => {
                return Err(ScenarioError::invalid(
                    "chaos.rate_per_s",
                    format!(
                        "is {}; it must be a number of faults per second, 0 or more",
                        shown(c.rate_per_s)
                    ),
                    format!("为 {}；必须是每秒的故障次数，不能为负", shown(c.rate_per_s)),
                ))
            }
            Some(c) if c.rate_per_s > MAX_CHAOS_RATE => {
                return Err(ScenarioError::invalid(
                    "chaos.rate_per_s",
                    format!(
                        "is {}; at most {MAX_CHAOS_RATE} faults per second are allowed",
                        shown(c.rate_per_s)
                    ),
                    format!(
                        "为 {}；每秒至多允许 {MAX_CHAOS_RATE} 次故障",
                        shown(c.rate_per_s)
                    ),
                ))
            }
            Some(c) if c.rate_per_s == 0.0 => None,
            Some(c) => Some(clusterplay_sim::Chaos {
                every: ((1_000_000.0 / c.rate_per_s).round() as Span).max(1),
                seed: c.seed,
                clocks: c.clocks,
            }),
        };
        if self.timeline.len() > MAX_TIMELINE {
            return Err(too_many_steps(
                "timeline",
                self.timeline.len(),
                MAX_TIMELINE,
            ));
        }
        let mut timeline = Vec::with_capacity(self.timeline.len());
        for (i, step) in self.timeline.iter().enumerate() {
            let what = format!("timeline[{i}]");
            let at = micros(&format!("{what}.at_ms"), step.at_ms, MAX_DURATION_MS)?;
            let action = match &step.act {
                Act::Command { node: id, command } => Action::Command {
                    node: node(&what, *id)?,
                    command: command.clone(),
                },
                Act::Crash { node: id } => Action::Crash {
                    node: node(&what, *id)?,
                },
                Act::Recover { node: id } => Action::Recover {
                    node: node(&what, *id)?,
                },
                Act::Partition { groups } => {
                    for id in groups.iter().flatten() {
                        node(&what, *id)?;
                    }
                    Action::Partition {
                        groups: groups.clone(),
                    }
                }
                Act::Heal => Action::Heal,
                Act::Cut { from, to } => Action::Cut {
                    from: node(&what, *from)?,
                    to: node(&what, *to)?,
                },
                Act::Restore { from, to } => Action::Restore {
                    from: node(&what, *from)?,
                    to: node(&what, *to)?,
                },
                Act::Drop { msg } => Action::Drop { msg: *msg },
                Act::Delay { msg, by_ms } => Action::Delay {
                    msg: *msg,
                    by: micros(&format!("{what}.by_ms"), *by_ms, MAX_LATENCY_MS)?,
                },
                Act::Deliver { msg } => Action::DeliverNow { msg: *msg },
                Act::Duplicate { msg } => Action::Duplicate { msg: *msg },
                Act::Pause { node: id, for_ms } => Action::Pause {
                    node: node(&what, *id)?,
                    span: micros(&format!("{what}.for_ms"), *for_ms, MAX_DURATION_MS)?,
                },
                Act::Jump { node: id, by_ms } => Action::JumpClock {
                    node: node(&what, *id)?,
                    by: signed_micros(&format!("{what}.by_ms"), *by_ms, MAX_DURATION_MS)?,
                },
            };
            timeline.push((at, action));
        }
        if self.clocks.len() > n {
            return Err(ScenarioError::invalid(
                "clocks",
                format!("has {} clocks for {n} nodes", self.clocks.len()),
                format!("给出了 {} 个时钟，但只有 {n} 个节点", self.clocks.len()),
            ));
        }
        let max_drift = f64::from(clusterplay_sim::MAX_DRIFT_PPM);
        let mut clocks = Vec::with_capacity(n);
        for (i, c) in self.clocks.iter().enumerate() {
            let what = format!("clocks[{i}]");
            if !c.drift_ppm.is_finite() || c.drift_ppm.abs() > max_drift {
                return Err(ScenarioError::invalid(
                    format!("{what}.drift_ppm"),
                    format!(
                        "is {}; a clock drifts at most {max_drift} ppm either way",
                        shown(c.drift_ppm)
                    ),
                    format!(
                        "为 {}；时钟漂移率至多为正负百万分之 {max_drift}",
                        shown(c.drift_ppm)
                    ),
                ));
            }
            clocks.push(clusterplay_sim::Clock {
                offset: signed_micros(&format!("{what}.offset_ms"), c.offset_ms, MAX_DURATION_MS)?,
                drift_ppm: c.drift_ppm.round() as i32,
            });
        }
        if self.schedule.len() > MAX_SCHEDULE {
            return Err(too_many_steps(
                "schedule",
                self.schedule.len(),
                MAX_SCHEDULE,
            ));
        }
        Ok(Checked {
            schedule: self.schedule.clone(),
            nodes: n,
            clocks,
            seed: self.seed,
            until,
            network,
            timeline,
            chaos,
        })
    }
}
