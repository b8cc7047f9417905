//! The discrete-event engine.
//!
//! The engine keeps an *agenda* of pending events ordered by `(time, class, sequence)` and
//! jumps from one to the next, as madsim does: virtual time only moves when something happens.
//! Engine events (starts, deliveries, timers) have class 0 and scheduled actions class 1, so an
//! action recorded at the instant of some event runs after everything else at that instant, and
//! a learner's click replays at exactly the point where it was made. The sequence number breaks
//! the remaining ties in the order the events were created, which is itself deterministic.
//!
//! The trace is append-only. To show the world as it was after any event, the engine restores
//! the nearest earlier snapshot (one is taken every `snapshot_every` events) and replays from
//! there without recording, which is cheap because the run is a pure function of the scenario.

use crate::clock::{Clock, LocalClock};
use crate::network::{LinkState, NetworkConfig};
use crate::protocol::{Effect, NodeSlot, Observed, Out, Protocol, Violation};
use crate::rng::SimRng;
use crate::scheduler::{Scheduler, SeededScheduler};
use crate::trace::{
    Cause, DropReason, Fate, MessageRecord, MsgId, StatusChange, TraceEvent, ViolationRecord,
};
use crate::words::{EngineNote, Lang, Text, Words};
use crate::{say, NodeId, Span, Time};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// Position of a pending event in the agenda.
pub type Key = (Time, u8, u64);

const ENGINE: u8 = 0;
const ACTION: u8 = 1;
/// Chaos faults come after everything else at their instant.
const CHAOS: u8 = 2;

/// Random faults at a set rate, drawn from their own seed (never from the scheduler's stream,
/// so turning chaos on or off leaves every other choice of the run as it was).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Chaos {
    /// Mean time between two faults; each gap is drawn uniformly from half to one and a half
    /// times it.
    pub every: Span,
    pub seed: u64,
    /// Also pause processes and make clocks jump, the faults that break leases. Off, the
    /// draws are exactly those of chaos before these faults existed, so old links replay.
    pub clocks: bool,
}

/// The chaos injector's progress, part of the world so that snapshots and replays agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ChaosState {
    chaos: Chaos,
    /// Faults drawn so far; with the seed it names the generator of the next one.
    ticks: u64,
}

impl ChaosState {
    /// A fresh generator for the next draw: the run is a pure function of seed and count.
    fn rng(&self) -> SimRng {
        let mut z = self.chaos.seed ^ self.ticks.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        SimRng::seeded(z ^ (z >> 31))
    }

    fn gap(&self, rng: &mut SimRng) -> Span {
        let every = self.chaos.every.max(2);
        rng.between(every / 2, every + every / 2).max(1)
    }
}

/// Something a scenario, a learner or a fault injector does to the run.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action<C> {
    /// Ask a node to do something protocol-specific ("request the coffee machine").
    Command {
        node: NodeId,
        command: C,
    },
    Crash {
        node: NodeId,
    },
    Recover {
        node: NodeId,
    },
    /// Split the cluster into islands; unlisted nodes form one more island.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove every partition and cut.
    Heal,
    /// `to` stops hearing `from` (one way).
    Cut {
        from: NodeId,
        to: NodeId,
    },
    Restore {
        from: NodeId,
        to: NodeId,
    },
    /// Per-message faults, naming a message by its send number.
    Drop {
        msg: MsgId,
    },
    Delay {
        msg: MsgId,
        by: Span,
    },
    DeliverNow {
        msg: MsgId,
    },
    Duplicate {
        msg: MsgId,
    },
    /// The node's process stops for `span` (a garbage-collection pause, a swapped-out VM):
    /// messages, timers and commands due meanwhile wait, and it resumes without noticing.
    Pause {
        node: NodeId,
        span: Span,
    },
    /// The node's local clock is set `by` microseconds forward (or back, if negative).
    JumpClock {
        node: NodeId,
        by: i64,
    },
}

impl<C> Action<C> {
    /// The same action with its command, if it has one, converted by `f`.
    pub fn try_map_command<D, E>(self, f: impl FnOnce(C) -> Result<D, E>) -> Result<Action<D>, E> {
        Ok(match self {
            Action::Command { node, command } => Action::Command {
                node,
                command: f(command)?,
            },
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
            Action::Pause { node, span } => Action::Pause { node, span },
            Action::JumpClock { node, by } => Action::JumpClock { node, by },
        })
    }

    /// Nodes named by the action, for validation.
    pub fn nodes(&self) -> Vec<NodeId> {
        match self {
            Action::Command { node, .. }
            | Action::Crash { node }
            | Action::Recover { node }
            | Action::Pause { node, .. }
            | Action::JumpClock { node, .. } => vec![*node],
            Action::Partition { groups } => groups.iter().flatten().copied().collect(),
            Action::Cut { from, to } | Action::Restore { from, to } => vec![*from, *to],
            Action::Heal
            | Action::Drop { .. }
            | Action::Delay { .. }
            | Action::DeliverNow { .. }
            | Action::Duplicate { .. } => Vec::new(),
        }
    }
}

/// An action that cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("node {0} does not exist (the cluster has {1} nodes)")]
    NoSuchNode(u32, usize),
    #[error("time {at} µs is in the past (the run is at {now} µs)")]
    InThePast { at: Time, now: Time },
    #[error("{0}")]
    BadCommand(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Pending<P: Protocol> {
    Deliver {
        msg: MsgId,
        from: NodeId,
        to: NodeId,
        payload: P::Msg,
        lost: bool,
    },
    Timer {
        node: NodeId,
        timer: P::Timer,
    },
    Action(Action<P::Command>),
    /// The chaos injector's next fault.
    Chaos,
    /// A paused node carries on.
    Resume {
        node: NodeId,
    },
}

impl<P: Protocol> Pending<P> {
    /// The node that must be running to handle this event: it waits while that node is
    /// paused. Network changes and faults never wait.
    fn waits_for(&self) -> Option<NodeId> {
        match self {
            Pending::Deliver { to, lost, .. } if !lost => Some(*to),
            Pending::Timer { node, .. } | Pending::Action(Action::Command { node, .. }) => {
                Some(*node)
            }
            _ => None,
        }
    }
}

/// Everything that changes during a run, and nothing else: what a snapshot keeps.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct World<P: Protocol> {
    now: Time,
    nodes: Vec<NodeSlot<P::State>>,
    agenda: BTreeMap<Key, Pending<P>>,
    /// Armed timers: where each sits in the agenda, when it was set (for drawing), and the
    /// local time at which it is due (a clock jump moves it in virtual time).
    timers: BTreeMap<(NodeId, P::Timer), (Key, Time, i64)>,
    /// Each node's local clock.
    clocks: Vec<LocalClock>,
    /// Paused nodes, with the agenda key of their resumption. Events that wait for a paused
    /// node stay in the agenda, passed over, until it resumes.
    paused: BTreeMap<NodeId, Key>,
    in_flight: BTreeMap<MsgId, Key>,
    /// Messages held for the learner to deliver or drop (manual network).
    held: BTreeMap<MsgId, Pending<P>>,
    chaos: Option<ChaosState>,
    links: LinkState,
    fifo: BTreeMap<(NodeId, NodeId), Time>,
    seq: u64,
    events: u64,
    next_msg: MsgId,
    violated: BTreeSet<(&'static str, Vec<NodeId>)>,
    /// Every observation so far, for a protocol that [keeps its
    /// history](Protocol::keeps_history); empty otherwise.
    history: Vec<Observed<P::Observation>>,
    /// What [`Protocol::check_history`] said after the last event that observed something.
    history_broken: Vec<Violation>,
}

impl<P: Protocol> World<P> {
    pub fn now(&self) -> Time {
        self.now
    }
    pub fn nodes(&self) -> &[NodeSlot<P::State>] {
        &self.nodes
    }
    pub fn links(&self) -> &LinkState {
        &self.links
    }
    /// Number of events processed.
    pub fn events(&self) -> u64 {
        self.events
    }
    /// Messages in flight, by id, with the time each is due.
    pub fn in_flight(&self) -> impl Iterator<Item = (MsgId, Time)> + '_ {
        self.in_flight.iter().map(|(id, key)| (*id, key.0))
    }
    /// Messages held until someone delivers or drops them (a manual network), by id.
    pub fn held(&self) -> impl Iterator<Item = MsgId> + '_ {
        self.held.keys().copied()
    }
    pub fn is_held(&self, msg: MsgId) -> bool {
        self.held.contains_key(&msg)
    }
    /// Armed timers: node, timer, when it was set, when it fires.
    pub fn timers(&self) -> impl Iterator<Item = (NodeId, &P::Timer, Time, Time)> + '_ {
        self.timers
            .iter()
            .map(|((n, t), (key, set_at, _))| (*n, t, *set_at, key.0))
    }
    /// What `node`'s own clock reads now, in microseconds (0 for a clock set before the
    /// epoch).
    pub fn local_time(&self, node: NodeId) -> Time {
        self.local(node).max(0) as Time
    }
    fn local(&self, node: NodeId) -> i64 {
        self.clocks
            .get(node.index())
            .map_or(self.now as i64, |c| c.read(self.now))
    }
    /// Until when `node` is paused, if it is.
    pub fn paused_until(&self, node: NodeId) -> Option<Time> {
        self.paused.get(&node).map(|key| key.0)
    }
    /// Whether the event at `key` can happen now (its node is not paused).
    fn ready(&self, pending: &Pending<P>) -> bool {
        pending
            .waits_for()
            .is_none_or(|node| !self.paused.contains_key(&node))
    }
    /// The agenda without the events that wait for a paused node.
    fn ready_keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.agenda
            .iter()
            .filter(|(_, p)| self.paused.is_empty() || self.ready(p))
            .map(|(k, _)| *k)
    }
    /// The handler's window for `node`: virtual and local time, cluster size.
    fn out(&self, node: NodeId) -> Out<P> {
        Out::new(self.now, self.local_time(node), self.nodes.len())
    }
}

/// A pending event as the explorer's replay looks for it.
pub(crate) enum Due<'a, P: Protocol> {
    Deliver {
        msg: MsgId,
        from: NodeId,
        to: NodeId,
        payload: &'a P::Msg,
    },
    Timer {
        node: NodeId,
        timer: &'a P::Timer,
    },
    /// A scheduled action, by its scheduling number.
    Action(u64),
    /// Anything else (chaos, a paused node's resumption).
    Other,
}

impl<P: Protocol> World<P> {
    /// The agenda in the order a scheduler sees it (without what waits for a paused node).
    pub(crate) fn agenda(&self) -> impl Iterator<Item = Due<'_, P>> + '_ {
        let ready = |(_, p): &(&Key, &Pending<P>)| self.paused.is_empty() || self.ready(p);
        self.agenda
            .iter()
            .filter(ready)
            .map(|(key, pending)| match pending {
                Pending::Deliver {
                    msg,
                    from,
                    to,
                    payload,
                    ..
                } => Due::Deliver {
                    msg: *msg,
                    from: *from,
                    to: *to,
                    payload,
                },
                Pending::Timer { node, timer } => Due::Timer { node: *node, timer },
                Pending::Action(_) => Due::Action(key.2),
                _ => Due::Other,
            })
    }
}

/// The record of a run: append-only while the run moves forward.
#[derive(Clone, Debug)]
pub struct Trace<P: Protocol> {
    pub events: Vec<TraceEvent>,
    pub messages: Vec<MessageRecord<P::Msg>>,
    pub observations: Vec<Observed<P::Observation>>,
    pub violations: Vec<ViolationRecord>,
    /// Crashes and recoveries, for drawing (not hashed: the events already say it).
    pub status: Vec<StatusChange>,
    /// At least the longest flight, send to delivery or drop, of any message that has ended:
    /// a message that ended at or after `t` was sent at or after `t - longest_flight`, so a
    /// reader of recent flights need not scan the whole run.
    pub longest_flight: Span,
}

impl<P: Protocol> Default for Trace<P> {
    fn default() -> Self {
        Trace {
            events: Vec::new(),
            messages: Vec::new(),
            observations: Vec::new(),
            violations: Vec::new(),
            status: Vec::new(),
            longest_flight: 0,
        }
    }
}

/// A simulated cluster running protocol `P`, its choices made by `S`.
#[derive(Clone)]
pub struct Engine<P: Protocol, S: Scheduler = SeededScheduler> {
    protocol: P,
    network: NetworkConfig,
    world: World<P>,
    scheduler: S,
    trace: Trace<P>,
    snapshots: Vec<(World<P>, S)>,
    snapshot_every: u64,
    /// Orders actions scheduled for the same instant. Kept outside the world so that
    /// scheduling never shifts the numbering of the engine's own events.
    action_seq: u64,
}

/// Snapshot spacing: seeking replays at most this many events.
pub const SNAPSHOT_EVERY: u64 = 512;

impl<P: Protocol, S: Scheduler> Engine<P, S> {
    /// Start `nodes` nodes at time 0: each node's start is one event of the trace.
    pub fn new(protocol: P, nodes: usize, network: NetworkConfig, scheduler: S) -> Self {
        Self::with_clocks(protocol, nodes, network, scheduler, &[])
    }

    /// Like [`Engine::new`], with node `i`'s local clock set as `clocks[i]` says (nodes
    /// beyond the list keep virtual time).
    pub fn with_clocks(
        protocol: P,
        nodes: usize,
        network: NetworkConfig,
        scheduler: S,
        clocks: &[Clock],
    ) -> Self {
        let mut engine = Engine {
            protocol,
            network,
            world: World {
                now: 0,
                nodes: Vec::with_capacity(nodes),
                agenda: BTreeMap::new(),
                timers: BTreeMap::new(),
                clocks: (0..nodes)
                    .map(|i| LocalClock::new(clocks.get(i).copied().unwrap_or_default()))
                    .collect(),
                paused: BTreeMap::new(),
                in_flight: BTreeMap::new(),
                held: BTreeMap::new(),
                chaos: None,
                links: LinkState::default(),
                fifo: BTreeMap::new(),
                seq: 0,
                events: 0,
                next_msg: 0,
                violated: BTreeSet::new(),
                history: Vec::new(),
                history_broken: Vec::new(),
            },
            scheduler,
            trace: Trace::default(),
            snapshots: Vec::new(),
            snapshot_every: SNAPSHOT_EVERY,
            action_seq: 0,
        };
        // Every node exists before any start-up message is sent.
        let mut starts = Vec::with_capacity(nodes);
        for i in 0..nodes {
            let id = NodeId::from_index(i);
            let mut out = Out::new(0, engine.world.local_time(id), nodes);
            let state = engine.protocol.init(id, &mut out);
            engine.world.nodes.push(NodeSlot {
                id,
                up: true,
                state,
            });
            starts.push((id, out));
        }
        for (id, out) in starts {
            let mut step = Step {
                protocol: &engine.protocol,
                network: &engine.network,
                world: &mut engine.world,
                scheduler: &mut engine.scheduler,
                trace: Some(&mut engine.trace),
            };
            let mut event = step.begin(0, Some(id), Cause::Start);
            step.apply(id, out, &mut event);
            step.finish(event);
        }
        engine
            .snapshots
            .push((engine.world.clone(), engine.scheduler.clone()));
        engine
    }

    pub fn protocol(&self) -> &P {
        &self.protocol
    }
    pub(crate) fn scheduler_mut(&mut self) -> &mut S {
        &mut self.scheduler
    }
    pub fn network(&self) -> &NetworkConfig {
        &self.network
    }
    pub fn world(&self) -> &World<P> {
        &self.world
    }
    pub fn trace(&self) -> &Trace<P> {
        &self.trace
    }
    pub fn now(&self) -> Time {
        self.world.now
    }
    pub fn events(&self) -> u64 {
        self.world.events
    }
    pub fn nodes(&self) -> usize {
        self.world.nodes.len()
    }

    /// When the next event happens, if any is pending.
    pub fn next_time(&self) -> Option<Time> {
        self.world.ready_keys().next().map(|k| k.0)
    }

    /// Schedule `action` at `at`; it runs after the engine's own events of that instant.
    pub fn schedule(&mut self, at: Time, action: Action<P::Command>) -> Result<(), ActionError> {
        if at < self.world.now {
            return Err(ActionError::InThePast {
                at,
                now: self.world.now,
            });
        }
        let n = self.world.nodes.len();
        if let Some(bad) = action.nodes().into_iter().find(|id| id.index() >= n) {
            return Err(ActionError::NoSuchNode(bad.number(), n));
        }
        let key = (at, ACTION, self.action_seq);
        self.action_seq += 1;
        // Snapshots are all in the past of `at`: a replay from any of them must meet the
        // action too.
        for (world, _) in &mut self.snapshots {
            world.agenda.insert(key, Pending::Action(action.clone()));
        }
        self.world.agenda.insert(key, Pending::Action(action));
        Ok(())
    }

    /// Inject random faults at a set rate from now on (before the first step: the start-up
    /// snapshot learns it too). The first fault falls one drawn gap after the present.
    pub fn enable_chaos(&mut self, chaos: Chaos) {
        let state = ChaosState { chaos, ticks: 0 };
        let mut rng = state.rng();
        let at = self.world.now.saturating_add(state.gap(&mut rng));
        let key = (at, CHAOS, 0);
        for (world, _) in &mut self.snapshots {
            if world.events <= self.world.events {
                world.chaos = Some(state);
                world.agenda.insert(key, Pending::Chaos);
            }
        }
        self.world.chaos = Some(state);
        self.world.agenda.insert(key, Pending::Chaos);
    }

    /// Process the next event; its index, or `None` when nothing is pending.
    pub fn step(&mut self) -> Option<u64> {
        let index = self.world.events;
        let ran = Step {
            protocol: &self.protocol,
            network: &self.network,
            world: &mut self.world,
            scheduler: &mut self.scheduler,
            trace: Some(&mut self.trace),
        }
        .next();
        if !ran {
            return None;
        }
        if self.world.events.is_multiple_of(self.snapshot_every) {
            self.snapshots
                .push((self.world.clone(), self.scheduler.clone()));
        }
        Some(index)
    }

    /// Run every event due at or before `until`, at most `max_events` of them; how many ran.
    pub fn run_until(&mut self, until: Time, max_events: u64) -> u64 {
        let mut ran = 0;
        while ran < max_events && self.next_time().is_some_and(|t| t <= until) {
            self.step();
            ran += 1;
        }
        ran
    }

    /// The world as it was after the first `events` events (clamped to the run so far, and to
    /// the start-up instant below it).
    pub fn world_at(&self, events: u64) -> World<P> {
        let events = events.min(self.world.events);
        let (snap_world, snap_sched) = self
            .snapshots
            .iter()
            .rev()
            .find(|(w, _)| w.events <= events)
            .unwrap_or(&self.snapshots[0]);
        let mut world = snap_world.clone();
        let mut scheduler = snap_sched.clone();
        while world.events < events {
            let ran = Step {
                protocol: &self.protocol,
                network: &self.network,
                world: &mut world,
                scheduler: &mut scheduler,
                trace: None,
            }
            .next();
            if !ran {
                break;
            }
        }
        world
    }

    /// Forget everything after the first `events` events, so the run can take another course
    /// (a learner stepped back and acted).
    pub fn truncate(&mut self, events: u64) {
        if events >= self.world.events {
            return;
        }
        let events = events.max(self.snapshots[0].0.events);
        let (snap_world, snap_sched) = self
            .snapshots
            .iter()
            .rev()
            .find(|(w, _)| w.events <= events)
            .cloned()
            .unwrap_or_else(|| self.snapshots[0].clone());
        self.world = snap_world;
        self.scheduler = snap_sched;
        while self.world.events < events {
            Step {
                protocol: &self.protocol,
                network: &self.network,
                world: &mut self.world,
                scheduler: &mut self.scheduler,
                trace: None,
            }
            .next();
        }
        let t = &mut self.trace;
        t.events.truncate(events as usize);
        t.messages.truncate(self.world.next_msg as usize);
        for m in &mut t.messages {
            match m.fate {
                Fate::Delivered { event, .. } | Fate::Dropped { event, .. } if event >= events => {
                    m.fate = Fate::InFlight
                }
                _ => {}
            }
        }
        t.observations.retain(|o| o.event < events);
        t.violations.retain(|v| v.index < events);
        t.status.retain(|s| s.event < events);
        self.snapshots.retain(|(w, _)| w.events <= events);
    }

    /// A hash of everything observable about the run: two runs with the same hash made the
    /// same choices in the same order. FNV-1a over a canonical rendering, so it is the same on
    /// every platform (std's `Hash` for `usize` is not).
    pub fn trace_hash(&self) -> u64
    where
        P::Observation: Debug,
    {
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        let t = &self.trace;
        h.lines(&t.events);
        h.lines(&t.messages);
        h.lines(&t.observations);
        h.lines(&t.violations);
        h.0
    }
}

struct Fnv(u64);
impl Fnv {
    fn eat(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Each item's `Debug` rendering, one per line.
    fn lines<T: Debug>(&mut self, items: &[T]) {
        use std::fmt::Write;
        let mut line = String::new();
        for item in items {
            line.clear();
            let _ = writeln!(line, "{item:?}");
            self.eat(line.as_bytes());
        }
    }
}

/// One event's worth of work over borrowed parts of the engine, so that the same code runs a
/// recorded step and a silent replay.
struct Step<'a, P: Protocol, S: Scheduler> {
    protocol: &'a P,
    network: &'a NetworkConfig,
    world: &'a mut World<P>,
    scheduler: &'a mut S,
    trace: Option<&'a mut Trace<P>>,
}

impl<P: Protocol, S: Scheduler> Step<'_, P, S> {
    fn next(&mut self) -> bool {
        // An event for a paused node waits, unseen, until the node resumes.
        let chosen = self.scheduler.next_event(&mut self.world.ready_keys());
        let Some((key, pending)) = chosen.and_then(|k| self.world.agenda.remove_entry(&k)) else {
            return false;
        };
        // Time never runs backwards, even when a scheduler picks an event due earlier than one
        // it already ran.
        self.world.now = self.world.now.max(key.0);
        let now = self.world.now;
        match pending {
            Pending::Deliver {
                msg,
                from,
                to,
                payload,
                lost,
            } => {
                self.world.in_flight.remove(&msg);
                let reason = if lost {
                    Some(DropReason::Lost)
                } else if self.world.links.blocked(from, to) {
                    Some(DropReason::Partition)
                } else if !self.world.nodes[to.index()].up {
                    Some(DropReason::Crashed)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    let event = self.begin(now, Some(to), Cause::Drop { msg, reason });
                    self.set_fate(
                        msg,
                        Fate::Dropped {
                            event: event.index,
                            time: now,
                            reason,
                        },
                    );
                    self.finish(event);
                } else {
                    let mut event = self.begin(now, Some(to), Cause::Deliver { msg });
                    self.set_fate(
                        msg,
                        Fate::Delivered {
                            event: event.index,
                            time: now,
                        },
                    );
                    let mut out = self.world.out(to);
                    let state = &mut self.world.nodes[to.index()].state;
                    self.protocol.on_msg(to, state, from, payload, &mut out);
                    self.apply(to, out, &mut event);
                    self.finish(event);
                }
            }
            Pending::Timer { node, timer } => {
                self.world.timers.remove(&(node, timer.clone()));
                let mut event = self.begin(
                    now,
                    Some(node),
                    Cause::Timer {
                        timer: format!("{timer:?}"),
                    },
                );
                let mut out = self.world.out(node);
                let state = &mut self.world.nodes[node.index()].state;
                self.protocol.on_timer(node, state, timer, &mut out);
                self.apply(node, out, &mut event);
                self.finish(event);
            }
            Pending::Action(action) => {
                let label = describe(&action);
                self.act(now, action, label)
            }
            Pending::Chaos => self.chaos(now),
            Pending::Resume { node } => self.resume(now, node),
        }
        true
    }

    /// A paused node carries on: what came due meanwhile happens now, in the order it came
    /// due, after this event.
    fn resume(&mut self, now: Time, node: NodeId) {
        let mut event = self.begin(
            now,
            Some(node),
            Cause::Action {
                action: Text::new(ActionWords::Resumes { node }),
            },
        );
        let Some(resumption) = self.world.paused.remove(&node) else {
            return self.finish(event);
        };
        let waiting: Vec<Key> = self
            .world
            .agenda
            .range(..resumption)
            .filter(|(_, p)| p.waits_for() == Some(node))
            .map(|(k, _)| *k)
            .collect();
        if !waiting.is_empty() {
            event.notes.push(Text::new(EngineNote::Waited {
                count: waiting.len(),
            }));
        }
        for old in waiting {
            let Some(pending) = self.world.agenda.remove(&old) else {
                continue;
            };
            let key = (now, ENGINE, self.world.seq);
            self.world.seq += 1;
            match &pending {
                Pending::Deliver { msg, .. } => {
                    self.world.in_flight.insert(*msg, key);
                }
                Pending::Timer { node, timer } => {
                    if let Some(armed) = self.world.timers.get_mut(&(*node, timer.clone())) {
                        armed.0 = key;
                    }
                }
                _ => {}
            }
            self.world.agenda.insert(key, pending);
        }
        self.finish(event);
    }

    /// Draw one random fault from the world as it is, do it, and schedule the next.
    fn chaos(&mut self, now: Time) {
        let Some(mut state) = self.world.chaos else {
            return;
        };
        let mut rng = state.rng();
        let n = self.world.nodes.len();
        let up: Vec<NodeId> = self
            .world
            .nodes
            .iter()
            .filter(|s| s.up)
            .map(|s| s.id)
            .collect();
        let down: Vec<NodeId> = self
            .world
            .nodes
            .iter()
            .filter(|s| !s.up)
            .map(|s| s.id)
            .collect();
        let flying: Vec<MsgId> = self
            .world
            .in_flight
            .keys()
            .chain(self.world.held.keys())
            .copied()
            .collect();
        let pick = |rng: &mut SimRng, len: usize| rng.below(len as u64) as usize;
        let kinds = if state.chaos.clocks { 8 } else { 6 };
        let action = match rng.below(kinds) {
            0 | 1 if !down.is_empty() && (up.is_empty() || rng.below(2) == 0) => Action::Recover {
                node: down[pick(&mut rng, down.len())],
            },
            0 | 1 if !up.is_empty() => Action::Crash {
                node: up[pick(&mut rng, up.len())],
            },
            2 if !flying.is_empty() => Action::Drop {
                msg: flying[pick(&mut rng, flying.len())],
            },
            3 if !flying.is_empty() => Action::Delay {
                msg: flying[pick(&mut rng, flying.len())],
                by: rng.between(crate::ms(5), crate::ms(50)),
            },
            6 if !up.is_empty() => Action::Pause {
                node: up[pick(&mut rng, up.len())],
                span: rng.between(crate::ms(50), crate::ms(400)),
            },
            7 if !up.is_empty() => {
                let node = up[pick(&mut rng, up.len())];
                let by = i64::try_from(rng.between(crate::ms(10), crate::ms(200))).unwrap_or(0);
                Action::JumpClock {
                    node,
                    by: if rng.below(2) == 0 { by } else { -by },
                }
            }
            4 if n > 1 && !self.world.links.is_partitioned() => {
                let mut island: Vec<NodeId> = (0..n)
                    .filter(|_| rng.below(2) == 0)
                    .map(NodeId::from_index)
                    .collect();
                if island.is_empty() || island.len() == n {
                    island = vec![NodeId::from_index(pick(&mut rng, n))];
                }
                Action::Partition {
                    groups: vec![island],
                }
            }
            _ => Action::Heal,
        };
        let at = now.saturating_add(state.gap(&mut rng));
        state.ticks += 1;
        self.world
            .agenda
            .insert((at, CHAOS, state.ticks), Pending::Chaos);
        self.world.chaos = Some(state);
        let label = Text::new(ActionWords::Chaos(Box::new(describe(&action))));
        self.act(now, action, label);
    }

    fn act(&mut self, now: Time, action: Action<P::Command>, label: Text) {
        let node = match &action {
            Action::Command { node, .. }
            | Action::Crash { node }
            | Action::Recover { node }
            | Action::Pause { node, .. }
            | Action::JumpClock { node, .. } => Some(*node),
            _ => None,
        };
        let mut event = self.begin(now, node, Cause::Action { action: label });
        let n = self.world.nodes.len();
        match action {
            Action::Command { node, command } => {
                if self.world.nodes[node.index()].up {
                    let mut out = self.world.out(node);
                    let state = &mut self.world.nodes[node.index()].state;
                    self.protocol.on_command(node, state, command, &mut out);
                    self.apply(node, out, &mut event);
                } else {
                    event
                        .notes
                        .push(Text::new(EngineNote::DownIgnores { node }));
                }
            }
            Action::Crash { node } => {
                let slot = &mut self.world.nodes[node.index()];
                if slot.up {
                    slot.up = false;
                    slot.state = self.protocol.on_crash(node, &slot.state);
                    self.status(&event, node, false);
                    let dead: Vec<_> = self
                        .world
                        .timers
                        .keys()
                        .filter(|(owner, _)| *owner == node)
                        .cloned()
                        .collect();
                    for k in dead {
                        if let Some((key, _, _)) = self.world.timers.remove(&k) {
                            self.world.agenda.remove(&key);
                        }
                    }
                    // A paused process that is killed never resumes; messages that waited for
                    // it now find it down.
                    if let Some(key) = self.world.paused.remove(&node) {
                        self.world.agenda.remove(&key);
                    }
                } else {
                    event
                        .notes
                        .push(Text::new(EngineNote::AlreadyDown { node }));
                }
            }
            Action::Recover { node } => {
                if self.world.nodes[node.index()].up {
                    event.notes.push(Text::new(EngineNote::AlreadyUp { node }));
                } else {
                    self.world.nodes[node.index()].up = true;
                    self.status(&event, node, true);
                    let mut out = self.world.out(node);
                    let state = &mut self.world.nodes[node.index()].state;
                    self.protocol.on_recover(node, state, &mut out);
                    self.apply(node, out, &mut event);
                }
            }
            Action::Partition { groups } => self.world.links.partition(n, &groups),
            Action::Heal => self.world.links.heal(),
            Action::Cut { from, to } => self.world.links.cut(from, to),
            Action::Restore { from, to } => self.world.links.restore(from, to),
            Action::Drop { msg } => match self.world.in_flight.remove(&msg) {
                Some(key) => {
                    self.world.agenda.remove(&key);
                    let fate = Fate::Dropped {
                        event: event.index,
                        time: now,
                        reason: DropReason::Dropped,
                    };
                    self.set_fate(msg, fate);
                }
                None if self.world.held.remove(&msg).is_some() => {
                    let fate = Fate::Dropped {
                        event: event.index,
                        time: now,
                        reason: DropReason::Dropped,
                    };
                    self.set_fate(msg, fate);
                }
                None => event.notes.push(not_in_flight(msg)),
            },
            // A held message is released: delivered after `by` from now.
            Action::Delay { msg, by } if self.world.held.contains_key(&msg) => {
                self.release(msg, now.saturating_add(by))
            }
            Action::Delay { msg, by } => self.rekey(msg, |due| due.saturating_add(by), &mut event),
            Action::DeliverNow { msg } if self.world.held.contains_key(&msg) => {
                self.release(msg, now)
            }
            Action::DeliverNow { msg } => self.rekey(msg, |_| now, &mut event),
            Action::Pause { node, span } => {
                if !self.world.nodes[node.index()].up {
                    event
                        .notes
                        .push(Text::new(EngineNote::DownCannotPause { node }));
                } else {
                    let until = now.saturating_add(span);
                    let earlier = self.world.paused.get(&node).copied();
                    if earlier.is_none_or(|key| key.0 < until) {
                        if let Some(key) = earlier {
                            self.world.agenda.remove(&key);
                        }
                        let key = (until, ENGINE, self.world.seq);
                        self.world.seq += 1;
                        self.world.agenda.insert(key, Pending::Resume { node });
                        self.world.paused.insert(node, key);
                    }
                }
            }
            Action::JumpClock { node, by } => self.jump(node, by, now),
            Action::Duplicate { msg } => {
                let pending = match self.world.in_flight.get(&msg) {
                    Some(key) => self.world.agenda.get(key),
                    None => self.world.held.get(&msg),
                };
                match pending.cloned() {
                    Some(Pending::Deliver {
                        from, to, payload, ..
                    }) => self.transmit(from, to, payload, Some(msg), &mut event),
                    _ => event.notes.push(not_in_flight(msg)),
                }
            }
        }
        self.finish(event);
    }

    /// Set `node`'s clock `by` forward or back; its armed timers follow the clock, so a jump
    /// forward fires those now due at once.
    fn jump(&mut self, node: NodeId, by: i64, now: Time) {
        self.world.clocks[node.index()].jump(now, by);
        let clock = self.world.clocks[node.index()];
        let mut moved = Vec::new();
        for ((owner, timer), (key, _, due_local)) in &self.world.timers {
            if *owner == node && self.world.agenda.contains_key(key) {
                let due = clock.when(*due_local).max(now);
                if due != key.0 {
                    moved.push((timer.clone(), *key, due));
                }
            }
        }
        for (timer, old, due) in moved {
            if let Some(pending) = self.world.agenda.remove(&old) {
                let key = (due, ENGINE, self.world.seq);
                self.world.seq += 1;
                self.world.agenda.insert(key, pending);
                if let Some(armed) = self.world.timers.get_mut(&(node, timer)) {
                    armed.0 = key;
                }
            }
        }
    }

    /// Put a held message on its way, to arrive at `at`.
    fn release(&mut self, msg: MsgId, at: Time) {
        if let Some(pending) = self.world.held.remove(&msg) {
            let key = (at, ENGINE, self.world.seq);
            self.world.seq += 1;
            self.world.agenda.insert(key, pending);
            self.world.in_flight.insert(msg, key);
        }
    }

    fn status(&mut self, event: &TraceEvent, node: NodeId, up: bool) {
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.status.push(StatusChange {
                event: event.index,
                time: event.time,
                node,
                up,
            });
        }
    }

    fn rekey(&mut self, msg: MsgId, due: impl Fn(Time) -> Time, event: &mut TraceEvent) {
        let Some(key) = self.world.in_flight.get(&msg).copied() else {
            event.notes.push(not_in_flight(msg));
            return;
        };
        if let Some(pending) = self.world.agenda.remove(&key) {
            let new_key = (due(key.0), ENGINE, self.world.seq);
            self.world.seq += 1;
            self.world.agenda.insert(new_key, pending);
            self.world.in_flight.insert(msg, new_key);
        }
    }

    fn begin(&mut self, time: Time, node: Option<NodeId>, cause: Cause) -> TraceEvent {
        let index = self.world.events;
        self.world.events += 1;
        TraceEvent {
            index,
            time,
            node,
            cause,
            sent: self.world.next_msg..self.world.next_msg,
            notes: Vec::new(),
        }
    }

    fn finish(&mut self, mut event: TraceEvent) {
        event.sent.end = self.world.next_msg;
        let mut found = self.protocol.check(&self.world.nodes);
        if self
            .world
            .history
            .last()
            .is_some_and(|o| o.event == event.index)
        {
            self.world.history_broken = self.protocol.check_history(&self.world.history);
        }
        found.extend(self.world.history_broken.iter().cloned());
        let now: BTreeSet<_> = found
            .iter()
            .map(|v| (v.invariant, v.nodes.clone()))
            .collect();
        if let Some(trace) = self.trace.as_deref_mut() {
            for v in &found {
                if !self
                    .world
                    .violated
                    .contains(&(v.invariant, v.nodes.clone()))
                {
                    trace.violations.push(ViolationRecord {
                        index: event.index,
                        time: event.time,
                        invariant: v.invariant,
                        text: v.text.clone(),
                        nodes: v.nodes.clone(),
                    });
                }
            }
            trace.events.push(event);
        }
        self.world.violated = now;
    }

    fn set_fate(&mut self, msg: MsgId, fate: Fate) {
        if let Some(trace) = self.trace.as_deref_mut() {
            let m = &mut trace.messages[msg as usize];
            m.fate = fate;
            if let Fate::Delivered { time, .. } | Fate::Dropped { time, .. } = fate {
                trace.longest_flight = trace.longest_flight.max(time - m.sent_at);
            }
        }
    }

    fn apply(&mut self, node: NodeId, out: Out<P>, event: &mut TraceEvent) {
        // An undeclared read would let the explorer explore another algorithm unawares.
        debug_assert!(
            !out.clock_read.get() || self.protocol.reads_clock(),
            "{} read a clock without declaring `Protocol::reads_clock`",
            std::any::type_name::<P>()
        );
        let now = self.world.now;
        for effect in out.effects {
            match effect {
                Effect::Send(to, msg) => {
                    if to.index() < self.world.nodes.len() {
                        self.transmit(node, to, msg, None, event);
                    } else {
                        event.notes.push(Text::new(EngineNote::MissingNode { to }));
                    }
                }
                Effect::SetTimer(timer, lo, hi) => {
                    let delay = self.scheduler.timer(lo, hi);
                    // The timer runs on the node's clock: due when it has advanced `delay`.
                    let clock = self.world.clocks[node.index()];
                    let due_local = clock
                        .read(now)
                        .saturating_add(i64::try_from(delay).unwrap_or(i64::MAX));
                    let due = clock.when(due_local).max(now);
                    let key = (due, ENGINE, self.world.seq);
                    self.world.seq += 1;
                    if let Some((old, _, _)) = self
                        .world
                        .timers
                        .insert((node, timer.clone()), (key, now, due_local))
                    {
                        self.world.agenda.remove(&old);
                    }
                    self.world
                        .agenda
                        .insert(key, Pending::Timer { node, timer });
                }
                Effect::CancelTimer(timer) => {
                    if let Some((old, _, _)) = self.world.timers.remove(&(node, timer)) {
                        self.world.agenda.remove(&old);
                    }
                }
                Effect::Observe(what) => {
                    let observed = Observed {
                        event: event.index,
                        time: now,
                        node,
                        what,
                    };
                    if self.protocol.keeps_history() {
                        self.world.history.push(observed.clone());
                    }
                    if let Some(trace) = self.trace.as_deref_mut() {
                        trace.observations.push(observed);
                    }
                }
                Effect::Note(text) => event.notes.push(text),
            }
        }
    }

    /// Put one message on the wire (and, if the network duplicates it, a second copy).
    fn transmit(
        &mut self,
        from: NodeId,
        to: NodeId,
        payload: P::Msg,
        copy_of: Option<MsgId>,
        event: &mut TraceEvent,
    ) {
        use crate::protocol::Message;
        let now = self.world.now;
        let id = self.world.next_msg;
        self.world.next_msg += 1;
        let mut due = now.saturating_add(self.scheduler.latency(self.network.latency(from, to)));
        if !self.network.reorder {
            let last = self.world.fifo.entry((from, to)).or_insert(0);
            due = due.max(*last);
            *last = due;
        }
        let manual = self.network.manual;
        let lost = !manual && self.scheduler.lose(self.network.loss_ppm);
        let blocked = self.world.links.blocked(from, to);
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.messages.push(MessageRecord {
                id,
                from,
                to,
                kind: payload.kind(),
                payload: payload.clone(),
                sent_event: event.index,
                sent_at: now,
                due,
                copy_of,
                fate: if blocked {
                    Fate::Dropped {
                        event: event.index,
                        time: now,
                        reason: DropReason::Partition,
                    }
                } else {
                    Fate::InFlight
                },
            });
        }
        let duplicate =
            !manual && copy_of.is_none() && self.scheduler.duplicate(self.network.duplicate_ppm);
        if !blocked && manual {
            self.world.held.insert(
                id,
                Pending::Deliver {
                    msg: id,
                    from,
                    to,
                    payload: payload.clone(),
                    lost: false,
                },
            );
        } else if !blocked {
            let key = (due, ENGINE, self.world.seq);
            self.world.seq += 1;
            self.world.in_flight.insert(id, key);
            self.world.agenda.insert(
                key,
                Pending::Deliver {
                    msg: id,
                    from,
                    to,
                    payload: payload.clone(),
                    lost,
                },
            );
        }
        if duplicate {
            self.transmit(from, to, payload, Some(id), event);
        }
    }
}

fn not_in_flight(msg: MsgId) -> Text {
    Text::new(EngineNote::NotInFlight { msg })
}

/// The log's wording of an action.
pub fn describe<C: Debug + Clone>(action: &Action<C>) -> Text {
    // The command as the protocol's `Debug` writes it: a code name, the same in every language.
    let Ok(written) = action
        .clone()
        .try_map_command(|command| Ok::<_, std::convert::Infallible>(format!("{command:?}")));
    Text::new(ActionWords::Act(written))
}

/// What a scheduled action says in the log.
#[derive(Clone, Debug, PartialEq)]
enum ActionWords {
    /// The action, its command already written out.
    Act(Action<String>),
    Resumes {
        node: NodeId,
    },
    Chaos(Box<Text>),
}

impl Words for ActionWords {
    fn write(&self, lang: Lang, out: &mut String) {
        let ms = |span: Span| crate::to_ms(span);
        match self {
            ActionWords::Act(Action::Command { node, command }) => {
                say!(
                    lang,
                    out,
                    "node {node}: {command}",
                    "节点 {node}：{command}"
                )
            }
            ActionWords::Act(Action::Crash { node }) => {
                say!(lang, out, "crash node {node}", "使节点 {node} 崩溃")
            }
            ActionWords::Act(Action::Recover { node }) => {
                say!(lang, out, "recover node {node}", "恢复节点 {node}")
            }
            ActionWords::Act(Action::Partition { groups }) => {
                say!(lang, out, "partition ", "分区 ");
                for (i, g) in groups.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" | ");
                    }
                    out.push('{');
                    crate::words::join(out, g, ",");
                    out.push('}');
                }
            }
            ActionWords::Act(Action::Heal) => say!(lang, out, "heal the network", "修复网络"),
            ActionWords::Act(Action::Cut { from, to }) => {
                say!(lang, out, "cut link {from}→{to}", "切断链路 {from}→{to}")
            }
            ActionWords::Act(Action::Restore { from, to }) => {
                say!(
                    lang,
                    out,
                    "restore link {from}→{to}",
                    "恢复链路 {from}→{to}"
                )
            }
            ActionWords::Act(Action::Drop { msg }) => {
                say!(lang, out, "drop message {msg}", "丢弃消息 {msg}")
            }
            ActionWords::Act(Action::Delay { msg, by }) => {
                let ms = ms(*by);
                say!(
                    lang,
                    out,
                    "delay message {msg} by {ms} ms",
                    "把消息 {msg} 延迟 {ms} 毫秒"
                )
            }
            ActionWords::Act(Action::DeliverNow { msg }) => {
                say!(lang, out, "deliver message {msg} now", "立即投递消息 {msg}")
            }
            ActionWords::Act(Action::Duplicate { msg }) => {
                say!(lang, out, "duplicate message {msg}", "复制消息 {msg}")
            }
            ActionWords::Act(Action::Pause { node, span }) => {
                let ms = ms(*span);
                say!(
                    lang,
                    out,
                    "pause node {node} for {ms} ms",
                    "让节点 {node} 暂停 {ms} 毫秒"
                )
            }
            ActionWords::Act(Action::JumpClock { node, by }) if *by < 0 => {
                let ms = ms(by.unsigned_abs());
                say!(
                    lang,
                    out,
                    "node {node}'s clock jumps back {ms} ms",
                    "节点 {node} 的时钟向后跳 {ms} 毫秒"
                )
            }
            ActionWords::Act(Action::JumpClock { node, by }) => {
                let ms = ms(by.unsigned_abs());
                say!(
                    lang,
                    out,
                    "node {node}'s clock jumps ahead {ms} ms",
                    "节点 {node} 的时钟向前跳 {ms} 毫秒"
                )
            }
            ActionWords::Resumes { node } => {
                say!(lang, out, "node {node} resumes", "节点 {node} 恢复运行")
            }
            ActionWords::Chaos(inner) => {
                say!(lang, out, "chaos: ", "混沌：");
                out.push_str(&inner.render(lang));
            }
        }
    }
}
