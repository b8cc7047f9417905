//! One running scenario behind an object-safe interface, so that the command line, the tests
//! and the page can drive any protocol without knowing its types.

use crate::error::ScenarioError;
use crate::model::{Act, Checked, Scenario, Step};
use crate::view::{
    describe, ClusterView, DiagramEvent, DiagramMessage, EventKind, LogLine, MessageOut, NodeOut,
    SpaceTime, TimerOut,
};
use clusterplay_sim::{
    to_ms, Action, ActionError, Cause, Engine, Fate, Message, MessageRecord, MsgId, Protocol,
    SeededScheduler, Span, Time,
};
use clusterplay_view::{Highlight, Present, RunOf, HIGHLIGHT_KEY};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Most events and messages one space-time window returns: the diagram stays light.
pub const MAX_DIAGRAM_ITEMS: usize = 4_000;

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
    /// The report without its trace hash (which reads the whole trace): what a page that
    /// redraws every frame wants.
    fn live_report(&self) -> Report;

    /// The cluster as it is now, for drawing.
    fn cluster(&self) -> ClusterView;
    /// Messages sent so far.
    fn message_count(&self) -> usize;
    /// Messages whose flight is not over at `since` (in flight, or ended at or after it): what
    /// an animation at `since` or later may draw.
    fn messages_since(&self, since: Time) -> Vec<MessageOut>;
    fn message(&self, id: MsgId) -> Option<MessageOut>;
    /// Log lines for events `from..to` (clamped).
    fn log(&self, from: u64, to: u64) -> Vec<LogLine>;
    /// The run between `from` and `to` for the space-time diagram.
    fn spacetime(&self, from: Time, to: Time) -> SpaceTime;
    /// Index of the last event at or before `t`, if any.
    fn last_event_at_or_before(&self, t: Time) -> Option<u64>;
    /// Schedule a learner's action at `at` (at least the current time) and record it in the
    /// scenario, so that the share link replays it.
    fn act(&mut self, at: Time, act: Act) -> Result<(), ScenarioError>;
    /// An exhaustive search over the choices of this scenario's run (see [`crate::explore`]);
    /// only with the `explore` feature.
    #[cfg(feature = "explore")]
    fn explorer(
        &self,
        options: crate::explore::ExploreOptions,
    ) -> Result<Box<dyn crate::explore::Exploration>, ScenarioError>;
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
    /// Stretches of node time lines that explain the outcome's findings, lifted out of the
    /// outcome's `highlight` list for the space-time diagram.
    pub highlights: Vec<Highlight>,
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
        let mut engine = Engine::with_clocks(
            protocol,
            checked.nodes,
            checked.network,
            SeededScheduler::with_schedule(checked.seed, checked.schedule),
            &checked.clocks,
        );
        if let Some(chaos) = checked.chaos {
            engine.enable_chaos(chaos);
        }
        for (i, (at, action)) in checked.timeline.into_iter().enumerate() {
            let action = command(engine.protocol(), &scenario.protocol, i, action)?;
            engine
                .schedule(at, action)
                .map_err(|e| refused(format!("timeline[{i}]"), e))?;
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

/// The engine's refusal of `what`, a timeline step or the learner's action.
fn refused(what: impl Into<String>, e: ActionError) -> ScenarioError {
    let zh = match &e {
        ActionError::NoSuchNode(node, nodes) => {
            format!("指定了节点 {node}，但集群只有 {nodes} 个节点")
        }
        ActionError::InThePast { at, now } => {
            format!("定在 {at} 微秒，这一刻已经过去（运行已到 {now} 微秒）")
        }
        ActionError::BadCommand(why) => format!("无法执行（引擎的说明：{why}）"),
    };
    ScenarioError::invalid(what, e.to_string(), zh)
}

/// Read a timeline command as one of `P`'s commands.
pub(crate) fn command<P: Protocol>(
    protocol: &P,
    name: &str,
    i: usize,
    action: Action<serde_json::Value>,
) -> Result<Action<P::Command>, ScenarioError> {
    action.try_map_command(|command| {
        protocol.parse_command(command.clone()).map_err(|_| {
            ScenarioError::invalid(
                format!("timeline[{i}].command"),
                format!("{command} is not a command of {name}"),
                format!("{command} 不是 {name} 的命令"),
            )
        })
    })
}

impl<P: Present> Simulation for Sim<P> {
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

    fn cluster(&self) -> ClusterView {
        let world = self.engine.world();
        let protocol = self.engine.protocol();
        let n = world.nodes().len();
        let mut timers: Vec<Vec<TimerOut>> = vec![Vec::new(); n];
        for (node, timer, set_at, fires_at) in world.timers() {
            timers[node.index()].push(TimerOut {
                name: format!("{timer:?}"),
                set_at,
                fires_at,
            });
        }
        let nodes = world
            .nodes()
            .iter()
            .zip(timers)
            .map(|(slot, timers)| {
                let view = protocol.view(slot.id, &slot.state);
                let log = protocol.log_view(slot.id, &slot.state);
                let chain = protocol.chain_view(slot.id, &slot.state);
                let commands = if slot.up {
                    protocol
                        .commands(slot.id, &slot.state)
                        .iter()
                        .filter_map(|c| serde_json::to_value(c).ok())
                        .collect()
                } else {
                    Vec::new()
                };
                NodeOut {
                    id: slot.id.number(),
                    up: slot.up,
                    role: view.role,
                    label: view.label,
                    badges: view.badges,
                    fields: view.fields,
                    commands,
                    timers,
                    local_time: world.local_time(slot.id),
                    paused_until: world.paused_until(slot.id),
                    log,
                    chain,
                }
            })
            .collect();
        let links = world.links();
        let islands = if links.is_partitioned() {
            links.groups().to_vec()
        } else {
            vec![0; n]
        };
        ClusterView {
            now: self.engine.now(),
            nodes,
            layout: protocol.layout(n),
            roles: protocol.roles().to_vec(),
            islands,
            cuts: links
                .cuts()
                .map(|(a, b)| (a.number(), b.number()))
                .collect(),
        }
    }

    fn message_count(&self) -> usize {
        self.engine.trace().messages.len()
    }

    /// Read every frame, so it reads only the recent part of the run: messages sent since
    /// `since` less the longest flight, and those still in flight from before.
    fn messages_since(&self, since: Time) -> Vec<MessageOut> {
        let trace = self.engine.trace();
        let world = self.engine.world();
        let cutoff = since.saturating_sub(trace.longest_flight);
        let recent = trace.messages.partition_point(|m| m.sent_at < cutoff);
        let mut older: Vec<MsgId> = world
            .in_flight()
            .map(|(id, _)| id)
            .chain(world.held())
            .filter(|id| *id < recent as MsgId)
            .collect();
        older.sort_unstable();
        older
            .into_iter()
            .filter_map(|id| trace.messages.get(id as usize))
            .chain(trace.messages[recent..].iter().filter(|m| match m.fate {
                Fate::InFlight => true,
                Fate::Delivered { time, .. } | Fate::Dropped { time, .. } => time >= since,
            }))
            .map(|m| self.message_out(m, false))
            .collect()
    }

    fn message(&self, id: MsgId) -> Option<MessageOut> {
        self.lookup(id, true)
    }

    fn spacetime(&self, from: Time, to: Time) -> SpaceTime {
        let trace = self.engine.trace();
        let world = self.engine.world();
        let mut flying: Vec<MsgId> = world.in_flight().map(|(id, _)| id).collect();
        flying.extend(world.held());
        let message = |id: MsgId| {
            let m = trace.messages.get(usize::try_from(id).ok()?)?;
            Some(DiagramMessage {
                id: m.id,
                from: m.from.number(),
                to: m.to.number(),
                kind: m.kind,
                sent_at: m.sent_at,
                sent_event: m.sent_event,
                due: m.due,
                fate: m.fate,
                held: world.is_held(m.id),
            })
        };
        spacetime((from, to), &trace.events, &trace.status, &flying, &message)
    }

    fn log(&self, from: u64, to: u64) -> Vec<LogLine> {
        let trace = self.engine.trace();
        let len = trace.events.len() as u64;
        let from = from.min(len);
        let to = to.clamp(from, len);
        trace.events[from as usize..to as usize]
            .iter()
            .map(|e| {
                let msg = match e.cause {
                    Cause::Deliver { msg } | Cause::Drop { msg, .. } => Some(msg),
                    _ => None,
                };
                let m = msg.and_then(|id| self.lookup(id, false));
                LogLine {
                    index: e.index,
                    time: e.time,
                    node: e.node.map(|n| n.number()),
                    msg,
                    text: describe(&e.cause, m.as_ref()),
                    notes: e.notes.clone(),
                    sent: e.sent.clone(),
                }
            })
            .collect()
    }

    fn last_event_at_or_before(&self, t: Time) -> Option<u64> {
        let events = &self.engine.trace().events;
        let after = events.partition_point(|e| e.time <= t);
        after.checked_sub(1).map(|i| i as u64)
    }

    fn act(&mut self, at: Time, act: Act) -> Result<(), ScenarioError> {
        let mut step_scenario = self.scenario.clone();
        step_scenario.timeline = vec![Step {
            at_ms: to_ms(at),
            act: act.clone(),
        }];
        let checked = step_scenario.validate()?;
        for (at, action) in checked.timeline {
            let action = command(
                self.engine.protocol(),
                &self.scenario.protocol,
                self.scenario.timeline.len(),
                action,
            )?;
            self.engine
                .schedule(at, action)
                .map_err(|e| refused("action", e))?;
        }
        self.scenario.timeline.push(Step {
            at_ms: to_ms(at),
            act,
        });
        Ok(())
    }

    #[cfg(feature = "explore")]
    fn explorer(
        &self,
        options: crate::explore::ExploreOptions,
    ) -> Result<Box<dyn crate::explore::Exploration>, ScenarioError> {
        crate::explore::explorer(
            &self.scenario,
            self.engine.protocol().clone(),
            self.engine.network(),
            options,
        )
    }

    fn report(&self) -> Report {
        let mut report = self.live_report();
        report.trace_hash = format!("{:016x}", self.engine.trace_hash());
        report
    }

    fn live_report(&self) -> Report {
        let trace = self.engine.trace();
        build_report(
            ReportParts {
                protocol: &self.scenario.protocol,
                nodes: self.engine.nodes(),
                seed: self.scenario.seed,
                events: self.engine.events(),
                now: self.engine.now(),
                violations: &trace.violations,
                outcome: self.engine.outcome(),
            },
            &mut trace.messages.iter().map(|m| (m.kind, m.fate)),
        )
    }
}

/// The parts of a report that do not depend on the protocol's types.
struct ReportParts<'a> {
    protocol: &'a str,
    nodes: usize,
    seed: u64,
    events: u64,
    now: Time,
    violations: &'a [clusterplay_sim::ViolationRecord],
    outcome: serde_json::Value,
}

/// A report without its trace hash. Not generic, so that it is compiled once rather than once
/// per protocol.
fn build_report(
    parts: ReportParts<'_>,
    messages: &mut dyn Iterator<Item = (&'static str, Fate)>,
) -> Report {
    let mut stats = MessageStats {
        total: 0,
        delivered: 0,
        dropped: 0,
        in_flight: 0,
        by_type: BTreeMap::new(),
    };
    for (kind, fate) in messages {
        stats.total += 1;
        *stats.by_type.entry(kind).or_default() += 1;
        match fate {
            Fate::InFlight => stats.in_flight += 1,
            Fate::Delivered { .. } => stats.delivered += 1,
            Fate::Dropped { .. } => stats.dropped += 1,
        }
    }
    let mut outcome = parts.outcome;
    // A protocol builds its highlights with the typed `Highlight`, so this cannot fail in
    // practice; if it ever did, the page would only lose the marks.
    let highlights = outcome
        .as_object_mut()
        .and_then(|o| o.remove(HIGHLIGHT_KEY))
        .and_then(|h| serde_json::from_value(h).ok())
        .unwrap_or_default();
    Report {
        protocol: parts.protocol.to_owned(),
        nodes: parts.nodes,
        seed: parts.seed,
        events: parts.events,
        virtual_time_ms: to_ms(parts.now),
        messages: stats,
        violations: parts
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
        outcome,
        highlights,
        trace_hash: String::new(),
    }
}

/// The space-time window, compiled once for every protocol: `message` looks a message up.
fn spacetime(
    (from, to): (Time, Time),
    events: &[clusterplay_sim::TraceEvent],
    status: &[clusterplay_sim::StatusChange],
    flying: &[MsgId],
    message: &dyn Fn(MsgId) -> Option<DiagramMessage>,
) -> SpaceTime {
    let start = events.partition_point(|e| e.time < from);
    let end = events.partition_point(|e| e.time <= to);
    let clipped = end - start > MAX_DIAGRAM_ITEMS;
    let start = start.max(end.saturating_sub(MAX_DIAGRAM_ITEMS));
    let mut wanted = BTreeSet::new();
    let events: Vec<DiagramEvent> = events[start..end]
        .iter()
        .map(|e| {
            let msg = match e.cause {
                Cause::Deliver { msg } | Cause::Drop { msg, .. } => Some(msg),
                _ => None,
            };
            wanted.extend(msg);
            wanted.extend(e.sent.clone());
            let kind = match e.cause {
                Cause::Start => EventKind::Start,
                Cause::Deliver { .. } => EventKind::Deliver,
                Cause::Drop { .. } => EventKind::Drop,
                Cause::Timer { .. } => EventKind::Timer,
                Cause::Action { .. } => {
                    let at = status.partition_point(|s| s.event < e.index);
                    match status.get(at) {
                        Some(s) if s.event == e.index && s.up => EventKind::Recover,
                        Some(s) if s.event == e.index => EventKind::Crash,
                        _ => EventKind::Action,
                    }
                }
            };
            DiagramEvent {
                index: e.index,
                time: e.time,
                node: e.node.map(|n| n.number()),
                kind,
                msg,
            }
        })
        .collect();
    wanted.extend(flying.iter().copied());
    let mut messages: Vec<DiagramMessage> = wanted
        .into_iter()
        .rev()
        .take(MAX_DIAGRAM_ITEMS)
        .filter_map(message)
        .collect();
    messages.reverse();
    SpaceTime {
        from,
        to,
        events,
        messages,
        status: status
            .iter()
            .map(|s| (s.time, s.node.number(), s.up))
            .collect(),
        clipped,
    }
}

/// Start `protocol` as `scenario` says, behind the object-safe interface.
///
/// The page runs every protocol through [`Erased`](clusterplay_view::erased::Erased), so that
/// its download holds one engine instead of one per algorithm; natively, and in the explorer's
/// worker, each protocol gets its own fast engine. The `erased` feature turns erasure on
/// natively too, which is how the tests check that both give the same runs.
pub(crate) fn start<P: Present>(
    scenario: &Scenario,
    checked: Checked,
    protocol: P,
) -> Result<Box<dyn Simulation>, ScenarioError> {
    #[cfg(any(
        feature = "erased",
        all(target_arch = "wasm32", not(feature = "explore"))
    ))]
    let protocol = clusterplay_view::erased::Erased::new(protocol);
    Ok(Box::new(Sim::new(scenario, checked, protocol)?))
}

/// Run `sim` to `until` (or until nothing is left to do), then report.
pub fn run_to(sim: &mut dyn Simulation, until: Span) -> Report {
    sim.run_until(until, MAX_EVENTS);
    sim.report()
}

impl<P: Protocol> Sim<P> {
    fn lookup(&self, id: MsgId, detail: bool) -> Option<MessageOut> {
        let m = self
            .engine
            .trace()
            .messages
            .get(usize::try_from(id).ok()?)?;
        Some(self.message_out(m, detail))
    }

    fn message_out(&self, m: &MessageRecord<P::Msg>, detail: bool) -> MessageOut {
        let mut out = message_out(m, detail);
        out.held = self.engine.world().is_held(m.id);
        out
    }
}

fn message_out<M: Message + std::fmt::Debug>(m: &MessageRecord<M>, detail: bool) -> MessageOut {
    MessageOut {
        id: m.id,
        from: m.from.number(),
        to: m.to.number(),
        kind: m.kind,
        label: m.payload.label(),
        detail: detail.then(|| format!("{:?}", m.payload)),
        sent_at: m.sent_at,
        sent_event: m.sent_event,
        due: m.due,
        copy_of: m.copy_of,
        fate: m.fate,
        held: false,
    }
}

#[cfg(test)]
mod tests {
    use crate::view::EventKind;
    use crate::{link, load, preset, Act, ChaosSettings, Scenario};
    use clusterplay_sim::{ms, Fate, NodeId};

    fn node(n: u32) -> NodeId {
        NodeId::from_number(n).expect("node")
    }

    #[test]
    fn a_manual_network_waits_for_the_timeline_and_the_link_replays_it() {
        let mut s = preset("mutex-ra-seed").expect("preset").scenario.clone();
        s.network.manual = true;
        let mut sim = load(&s).expect("loads");
        sim.run_until(ms(30), 10_000);
        let held: Vec<_> = sim
            .messages_since(0)
            .into_iter()
            .filter(|m| m.held)
            .collect();
        assert!(!held.is_empty(), "requests wait for the learner");
        sim.act(ms(30), Act::Deliver { msg: held[0].id })
            .expect("deliver");
        sim.act(ms(30), Act::Drop { msg: held[1].id })
            .expect("drop");
        sim.run_until(ms(100), 10_000);
        assert!(matches!(
            sim.message(held[0].id).expect("msg").fate,
            Fate::Delivered { .. }
        ));
        let replay_scenario = link::decode(&link::fragment(sim.scenario())).expect("link");
        let mut replay = load(&replay_scenario).expect("loads");
        replay.run_until(ms(100), 10_000);
        assert_eq!(replay.trace_hash(), sim.trace_hash());
    }

    /// The inspector shows a message's whole payload; the lists the page reads for every frame
    /// (messages to draw, log lines) leave it out.
    #[test]
    fn only_the_inspected_message_carries_its_payload() {
        let mut sim = load(&preset("mutex-ra-seed").expect("preset").scenario).expect("loads");
        sim.run_until(ms(10), 10_000);
        let drawn = sim.messages_since(0);
        let request = drawn
            .iter()
            .find(|m| m.kind == "request")
            .expect("in flight");
        assert_eq!(request.detail, None);
        assert_eq!(
            sim.message(request.id)
                .expect("inspected")
                .detail
                .as_deref(),
            Some("Request { resource: 'A', ts: 8 }")
        );
    }

    #[test]
    fn chaos_replays_from_the_link_and_off_is_the_plain_run() {
        let base = preset("mutex-ra-everyone-asks")
            .expect("preset")
            .scenario
            .clone();
        let mut s = base.clone();
        s.chaos = Some(ChaosSettings {
            rate_per_s: 20.0,
            seed: 3,
            clocks: false,
        });
        let a = crate::run(&s).expect("runs");
        let again = crate::run(&link::decode(&link::fragment(&s)).expect("link")).expect("runs");
        assert_eq!(a.trace_hash, again.trace_hash);
        s.chaos = Some(ChaosSettings {
            rate_per_s: 0.0,
            seed: 3,
            clocks: false,
        });
        assert_eq!(
            crate::run(&s).expect("runs").trace_hash,
            crate::run(&base).expect("runs").trace_hash,
            "a rate of 0 is no chaos"
        );
        s.chaos = Some(ChaosSettings {
            rate_per_s: -1.0,
            seed: 3,
            clocks: false,
        });
        let e = crate::run(&s).expect_err("refused").to_string();
        assert!(e.contains("chaos.rate_per_s"), "{e}");
    }

    #[test]
    fn chaos_with_clocks_pauses_processes_and_jumps_clocks_and_replays_from_the_link() {
        let mut s = preset("redlock-majority").expect("preset").scenario.clone();
        s.chaos = Some(ChaosSettings {
            rate_per_s: 40.0,
            seed: 5,
            clocks: true,
        });
        let link_text = link::fragment(&s);
        assert!(link_text.len() > 10);
        let mut sim = load(&s).expect("loads");
        sim.run_until(ms(1_000), 1_000_000);
        let log = sim.log(0, sim.events());
        let said = |what: &str| {
            log.iter()
                .any(|l| l.text.en().contains("chaos") && l.text.en().contains(what))
        };
        assert!(said("pause node"), "chaos paused a process");
        assert!(said("clock jumps"), "and made a clock jump");
        let mut again = load(&link::decode(&link_text).expect("link")).expect("loads");
        again.run_until(ms(1_000), 1_000_000);
        assert_eq!(again.trace_hash(), sim.trace_hash());
        // Without the switch the link is the one chaos always made.
        s.chaos.as_mut().expect("chaos").clocks = false;
        let json = serde_json::to_string(&s).expect("serializes");
        assert!(!json.contains("clocks"), "{json}");
    }

    #[test]
    fn the_space_time_window_links_deliveries_to_sends_and_marks_crashes() {
        let mut s = Scenario::new("mutex-ra", 3);
        s.timeline.push(crate::Step {
            at_ms: 5.0,
            act: Act::Command {
                node: node(1),
                command: serde_json::json!("request"),
            },
        });
        s.timeline.push(crate::Step {
            at_ms: 6.0,
            act: Act::Crash { node: node(2) },
        });
        let mut sim = load(&s).expect("loads");
        sim.run_until(ms(200), 10_000);
        let st = sim.spacetime(0, ms(200));
        assert!(st
            .events
            .iter()
            .any(|e| e.kind == EventKind::Crash && e.node == Some(2)));
        assert_eq!(st.status, vec![(ms(6), 2, false)]);
        for e in st.events.iter().filter(|e| e.kind == EventKind::Deliver) {
            let m = st
                .messages
                .iter()
                .find(|m| Some(m.id) == e.msg)
                .expect("the delivered message is in the window");
            assert!(st.events.iter().any(|s| s.index == m.sent_event));
        }
        let late = sim.spacetime(ms(150), ms(200));
        assert!(late.events.iter().all(|e| e.time >= ms(150)));
    }
}
