//! One running scenario behind an object-safe interface, so that the command line, the tests
//! and the page can drive any protocol without knowing its types.

use crate::error::ScenarioError;
use crate::model::{Checked, Scenario};
use clusterplay_sim::{
    to_ms, Action, Engine, Fate, Message, Protocol, SeededScheduler, Span, Time,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Upper bound on events in one `run`, whatever the scenario asks: a token that circles
/// forever still ends.
pub const MAX_EVENTS: u64 = 5_000_000;

/// A scenario being simulated.
pub trait Simulation {
    fn scenario(&self) -> &Scenario;
    /// Process the next event; its index, or `None` when nothing is pending.
    fn step(&mut self) -> Option<u64>;
    /// Run every event due at or before `until` (at most `max_events`); how many ran.
    fn run_until(&mut self, until: Time, max_events: u64) -> u64;
    fn now(&self) -> Time;
    fn events(&self) -> u64;
    fn next_time(&self) -> Option<Time>;
    /// Hash of the whole trace so far: equal hashes, equal runs.
    fn trace_hash(&self) -> u64;
    /// Move the live run to the state after `events` events, forgetting what came later.
    fn truncate(&mut self, events: u64);
    fn report(&self) -> Report;
}

/// What `clusterplay run` prints: the run's metrics, violations and protocol outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub protocol: String,
    pub nodes: usize,
    pub seed: u64,
    pub events: u64,
    pub virtual_time_ms: f64,
    pub messages: MessageStats,
    pub violations: Vec<ViolationOut>,
    pub outcome: serde_json::Value,
    /// FNV-1a of the trace, hex: equal for equal runs on every machine.
    pub trace_hash: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageStats {
    pub total: usize,
    pub delivered: usize,
    pub dropped: usize,
    pub in_flight: usize,
    pub by_type: BTreeMap<&'static str, usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViolationOut {
    pub index: u64,
    pub time_ms: f64,
    pub invariant: &'static str,
    pub text: String,
    pub nodes: Vec<u32>,
}

/// A scenario of protocol `P`.
pub struct Sim<P: Protocol> {
    scenario: Scenario,
    engine: Engine<P>,
}

impl<P: Protocol> Sim<P> {
    /// Start `protocol` as `scenario` describes, with its timeline scheduled.
    pub fn new(scenario: &Scenario, checked: Checked, protocol: P) -> Result<Self, ScenarioError> {
        let mut engine = Engine::new(
            protocol,
            checked.nodes,
            checked.network,
            SeededScheduler::new(checked.seed),
        );
        for (i, (at, action)) in checked.timeline.into_iter().enumerate() {
            let action = command::<P>(&scenario.protocol, i, action)?;
            engine
                .schedule(at, action)
                .map_err(|e| ScenarioError::invalid(format!("timeline[{i}]"), e.to_string()))?;
        }
        Ok(Sim {
            scenario: scenario.clone(),
            engine,
        })
    }

    pub fn engine(&self) -> &Engine<P> {
        &self.engine
    }
}

/// Read a timeline command as one of `P`'s commands.
fn command<P: Protocol>(
    protocol: &str,
    i: usize,
    action: Action<serde_json::Value>,
) -> Result<Action<P::Command>, ScenarioError> {
    Ok(match action {
        Action::Command { node, command } => {
            let parsed = serde_json::from_value::<P::Command>(command.clone()).map_err(|_| {
                ScenarioError::invalid(
                    format!("timeline[{i}].command"),
                    format!("{command} is not a command of {protocol}"),
                )
            })?;
            Action::Command {
                node,
                command: parsed,
            }
        }
        Action::Crash { node } => Action::Crash { node },
        Action::Recover { node } => Action::Recover { node },
        Action::Partition { groups } => Action::Partition { groups },
        Action::Heal => Action::Heal,
        Action::Cut { from, to } => Action::Cut { from, to },
        Action::Restore { from, to } => Action::Restore { from, to },
        Action::Drop { msg } => Action::Drop { msg },
        Action::Delay { msg, by } => Action::Delay { msg, by },
        Action::DeliverNow { msg } => Action::DeliverNow { msg },
        Action::Duplicate { msg } => Action::Duplicate { msg },
    })
}

impl<P: Protocol> Simulation for Sim<P> {
    fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    fn step(&mut self) -> Option<u64> {
        self.engine.step()
    }
    fn run_until(&mut self, until: Time, max_events: u64) -> u64 {
        self.engine.run_until(until, max_events)
    }
    fn now(&self) -> Time {
        self.engine.now()
    }
    fn events(&self) -> u64 {
        self.engine.events()
    }
    fn next_time(&self) -> Option<Time> {
        self.engine.next_time()
    }
    fn trace_hash(&self) -> u64 {
        self.engine.trace_hash()
    }
    fn truncate(&mut self, events: u64) {
        self.engine.truncate(events)
    }

    fn report(&self) -> Report {
        let trace = self.engine.trace();
        let mut stats = MessageStats {
            total: trace.messages.len(),
            delivered: 0,
            dropped: 0,
            in_flight: 0,
            by_type: BTreeMap::new(),
        };
        for m in &trace.messages {
            *stats.by_type.entry(m.payload.kind()).or_default() += 1;
            match m.fate {
                Fate::InFlight => stats.in_flight += 1,
                Fate::Delivered { .. } => stats.delivered += 1,
                Fate::Dropped { .. } => stats.dropped += 1,
            }
        }
        Report {
            protocol: self.scenario.protocol.clone(),
            nodes: self.engine.nodes(),
            seed: self.scenario.seed,
            events: self.engine.events(),
            virtual_time_ms: to_ms(self.engine.now()),
            messages: stats,
            violations: trace
                .violations
                .iter()
                .map(|v| ViolationOut {
                    index: v.index,
                    time_ms: to_ms(v.time),
                    invariant: v.invariant,
                    text: v.text.clone(),
                    nodes: v.nodes.iter().map(|n| n.number()).collect(),
                })
                .collect(),
            outcome: self.engine.outcome(),
            trace_hash: format!("{:016x}", self.engine.trace_hash()),
        }
    }
}

/// Run `sim` to `until` (or until nothing is left to do), then report.
pub fn run_to(sim: &mut dyn Simulation, until: Span) -> Report {
    sim.run_until(until, MAX_EVENTS);
    sim.report()
}
