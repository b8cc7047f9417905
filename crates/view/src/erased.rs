//! One engine for every protocol: a protocol behind an object-safe interface.
//!
//! The engine is generic over its protocol, which is what makes it fast natively: every
//! message, state and timer is a plain value of the protocol's own type, and the compiler
//! specialises the whole event loop for each algorithm. In the browser that specialisation is
//! the problem. Thirty-odd algorithms each get their own copy of the engine, the trace, the
//! agenda's B-tree and the page's view code, and the download grows with every algorithm added.
//!
//! [`Erased`] is a protocol whose state, messages, timers, commands and observations are boxed
//! values of whatever protocol it wraps. The engine is compiled once, for `Erased`; each
//! algorithm adds only its own handlers and a thin adapter that unboxes on the way in and boxes
//! on the way out. Nothing observable changes: every wrapper forwards `Debug`, `Eq`, `Hash` and
//! `Ord` to the value inside, so the trace, its hash and the order of the agenda are exactly
//! those of the typed engine (the scenario crate's golden tests check this). What it costs is a
//! box per message, and a copy of each node's state, observation and message the first time
//! the invariants or the outcome read it after it changed (see `Mirror` below).

use crate::{ChainView, Layout, LogView, NodeView, Present, RunView};
use clusterplay_sim::{
    Effect, Message, MessageRecord, NodeId, NodeSlot, Observed, Out, Permutation, Protocol,
    Violation,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt::{self, Debug};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// What the boxed values can do, whatever their type: the object-safe halves of `Clone`,
/// `Eq`, `Hash` and `Ord`. `Ord` only matters for timers; the others compare by type first.
trait Value: Any + Debug {
    fn clone_box(&self) -> Box<dyn Value>;
    fn eq_dyn(&self, other: &dyn Value) -> bool;
    fn hash_dyn(&self, h: &mut dyn Hasher);
    fn cmp_dyn(&self, other: &dyn Value) -> Ordering;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// The message's kind and label, for values that are messages.
    fn message(&self) -> Option<(&'static str, String)>;
    /// The command as JSON, for values that are commands.
    fn json(&self) -> Option<serde_json::Value>;
}

/// A value of type `T` with what it can tell about itself.
struct Boxed<T> {
    value: T,
    message: fn(&T) -> Option<(&'static str, String)>,
    json: fn(&T) -> Option<serde_json::Value>,
    cmp: fn(&T, &T) -> Ordering,
}

impl<T: Debug> Debug for Boxed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Clone + PartialEq + Hash + Debug + 'static> Value for Boxed<T> {
    fn clone_box(&self) -> Box<dyn Value> {
        Box::new(Boxed {
            value: self.value.clone(),
            ..*self
        })
    }
    fn eq_dyn(&self, other: &dyn Value) -> bool {
        other
            .as_any()
            .downcast_ref::<Boxed<T>>()
            .is_some_and(|o| o.value == self.value)
    }
    fn hash_dyn(&self, mut h: &mut dyn Hasher) {
        self.value.hash(&mut h);
    }
    fn cmp_dyn(&self, other: &dyn Value) -> Ordering {
        match other.as_any().downcast_ref::<Boxed<T>>() {
            Some(o) => (self.cmp)(&self.value, &o.value),
            None => TypeId::of::<T>().cmp(&other.as_any().type_id()),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn message(&self) -> Option<(&'static str, String)> {
        (self.message)(&self.value)
    }
    fn json(&self) -> Option<serde_json::Value> {
        (self.json)(&self.value)
    }
}

fn no_message<T>(_: &T) -> Option<(&'static str, String)> {
    None
}
fn no_json<T>(_: &T) -> Option<serde_json::Value> {
    None
}
fn no_order<T>(_: &T, _: &T) -> Ordering {
    Ordering::Equal
}
fn as_message<T: Message>(m: &T) -> Option<(&'static str, String)> {
    Some((m.kind(), m.label()))
}
fn as_json<T: Serialize>(c: &T) -> Option<serde_json::Value> {
    serde_json::to_value(c).ok()
}

/// A boxed value of the wrapped protocol; `Dyn<Kind>` keeps states, messages, timers,
/// commands and observations apart in the engine's types.
///
/// Each carries a stamp, fresh whenever the value is made or handed out for change and kept by
/// its clones: equal stamps mean equal values. The adapter keeps unboxed copies of the states
/// and observations its invariants read, and copies again only what changed since (see
/// `Mirror`). The stamp takes no part in comparing, hashing or printing.
pub struct Dyn<K>(Box<dyn Value>, Stamp, std::marker::PhantomData<K>);

/// See [`Dyn`]: which version of a value this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp(u64);

impl Stamp {
    fn fresh() -> Self {
        use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Stamp(NEXT.fetch_add(1, Relaxed))
    }
}

/// Markers for what a [`Dyn`] holds.
#[derive(Debug)]
pub enum StateKind {}
#[derive(Debug)]
pub enum MsgKind {}
#[derive(Debug)]
pub enum TimerKind {}
#[derive(Debug)]
pub enum CommandKind {}
#[derive(Debug)]
pub enum ObservationKind {}

impl<K> Dyn<K> {
    fn of<T: Clone + PartialEq + Hash + Debug + 'static>(
        value: T,
        message: fn(&T) -> Option<(&'static str, String)>,
        json: fn(&T) -> Option<serde_json::Value>,
        cmp: fn(&T, &T) -> Ordering,
    ) -> Self {
        Dyn(
            Box::new(Boxed {
                value,
                message,
                json,
                cmp,
            }),
            Stamp::fresh(),
            std::marker::PhantomData,
        )
    }

    /// The value inside, which is of the wrapped protocol's type by construction.
    fn get<T: 'static>(&self) -> &T {
        &self
            .0
            .as_any()
            .downcast_ref::<Boxed<T>>()
            .expect("an erased value of its own protocol")
            .value
    }

    fn get_mut<T: 'static>(&mut self) -> &mut T {
        self.1 = Stamp::fresh();
        &mut self
            .0
            .as_any_mut()
            .downcast_mut::<Boxed<T>>()
            .expect("an erased value of its own protocol")
            .value
    }

    fn take<T: 'static>(self) -> T {
        let any: Box<dyn Any> = self.0;
        any.downcast::<Boxed<T>>()
            .expect("an erased value of its own protocol")
            .value
    }
}

impl<K> Clone for Dyn<K> {
    fn clone(&self) -> Self {
        Dyn(self.0.clone_box(), self.1, std::marker::PhantomData)
    }
}
impl<K> Debug for Dyn<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl<K> PartialEq for Dyn<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_dyn(&*other.0)
    }
}
impl<K> Eq for Dyn<K> {}
impl<K> Hash for Dyn<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_dyn(state);
    }
}
impl<K> PartialOrd for Dyn<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Dyn<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_dyn(&*other.0)
    }
}

impl Message for Dyn<MsgKind> {
    fn kind(&self) -> &'static str {
        self.0.message().map_or("message", |(kind, _)| kind)
    }
    fn label(&self) -> String {
        self.0.message().map(|(_, label)| label).unwrap_or_default()
    }
}

impl Serialize for Dyn<CommandKind> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.json().unwrap_or_default().serialize(s)
    }
}

/// Commands are read by their protocol ([`Protocol::parse_command`]), which knows their
/// type; read on their own they are refused.
impl<'de> Deserialize<'de> for Dyn<CommandKind> {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(
            "an erased command is read by its protocol",
        ))
    }
}

type DynOut = Out<Erased>;

/// The protocol's side of the adapter, one implementation per wrapped protocol.
trait Adapter: Debug {
    fn init(&self, id: NodeId, out: &mut DynOut) -> Dyn<StateKind>;
    fn on_msg(
        &self,
        id: NodeId,
        s: &mut Dyn<StateKind>,
        src: NodeId,
        m: Dyn<MsgKind>,
        out: &mut DynOut,
    );
    fn on_timer(&self, id: NodeId, s: &mut Dyn<StateKind>, t: Dyn<TimerKind>, out: &mut DynOut);
    fn on_command(&self, id: NodeId, s: &mut Dyn<StateKind>, c: Dyn<CommandKind>, out: &mut DynOut);
    fn on_crash(&self, id: NodeId, s: &Dyn<StateKind>) -> Dyn<StateKind>;
    fn on_recover(&self, id: NodeId, s: &mut Dyn<StateKind>, out: &mut DynOut);
    fn check(&self, nodes: &[NodeSlot<Dyn<StateKind>>]) -> Vec<Violation>;
    fn keeps_history(&self) -> bool;
    fn check_history(&self, history: &[Observed<Dyn<ObservationKind>>]) -> Vec<Violation>;
    fn view(&self, id: NodeId, s: &Dyn<StateKind>) -> NodeView;
    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)];
    fn layout(&self, nodes: usize) -> Layout;
    fn commands(&self, id: NodeId, s: &Dyn<StateKind>) -> Vec<Dyn<CommandKind>>;
    fn log_view(&self, id: NodeId, s: &Dyn<StateKind>) -> Option<LogView>;
    fn chain_view(&self, id: NodeId, s: &Dyn<StateKind>) -> Option<ChainView>;
    fn outcome(&self, run: &RunView<'_, Erased>) -> serde_json::Value;
    fn parse_command(&self, json: serde_json::Value)
        -> Result<Dyn<CommandKind>, serde_json::Error>;
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>>;
    fn reads_clock(&self) -> bool;
    fn rename_state(&self, s: &Dyn<StateKind>, map: &Permutation) -> Dyn<StateKind>;
    fn rename_msg(&self, m: &Dyn<MsgKind>, map: &Permutation) -> Dyn<MsgKind>;
    fn rename_timer(&self, t: &Dyn<TimerKind>, map: &Permutation) -> Dyn<TimerKind>;
    fn same(&self, other: &dyn Adapter) -> bool;
    fn hash_dyn(&self, h: &mut dyn Hasher);
    fn as_any(&self) -> &dyn Any;
}

struct Typed<P: Protocol>(P, RefCell<Mirror<P>>);

impl<P: Protocol> Debug for Typed<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn state<P: Protocol>(s: P::State) -> Dyn<StateKind> {
    Dyn::of(s, no_message, no_json, no_order)
}
fn msg<P: Protocol>(m: P::Msg) -> Dyn<MsgKind> {
    Dyn::of(m, as_message, no_json, no_order)
}
fn timer<P: Protocol>(t: P::Timer) -> Dyn<TimerKind> {
    Dyn::of(t, no_message, no_json, Ord::cmp)
}
fn command<P: Protocol>(c: P::Command) -> Dyn<CommandKind> {
    Dyn::of(c, no_message, as_json, no_order)
}

fn observation<P: Protocol>(o: P::Observation) -> Dyn<ObservationKind> {
    Dyn::of(o, no_message, no_json, no_order)
}

/// Run a typed handler on the erased `out`: the handler sees the same clock and cluster, and
/// what it asks for is boxed on the way out.
fn typed<P: Protocol, R>(out: &mut DynOut, f: impl FnOnce(&mut Out<P>) -> R) -> R {
    let mut inner = out.nested::<P>();
    let r = f(&mut inner);
    out.absorb(inner, |effect| match effect {
        Effect::Send(to, m) => Effect::Send(to, msg::<P>(m)),
        Effect::SetTimer(t, lo, hi) => Effect::SetTimer(timer::<P>(t), lo, hi),
        Effect::CancelTimer(t) => Effect::CancelTimer(timer::<P>(t)),
        Effect::Observe(o) => Effect::Observe(observation::<P>(o)),
        Effect::Note(text) => Effect::Note(text),
    });
    r
}

/// Unboxed copies of the nodes' states and of the history, for the wrapped protocol's
/// invariants and outcome, which read typed slices. Brought up to date by stamp: after an event
/// only the node it changed (and the observations it added) is copied again, not the cluster.
struct Mirror<P: Protocol> {
    stamps: Vec<Stamp>,
    nodes: Vec<NodeSlot<P::State>>,
    history_stamps: Vec<Stamp>,
    history: Vec<Observed<P::Observation>>,
    message_stamps: Vec<Stamp>,
    messages: Vec<MessageRecord<P::Msg>>,
}

impl<P: Protocol> Default for Mirror<P> {
    fn default() -> Self {
        Mirror {
            stamps: Vec::new(),
            nodes: Vec::new(),
            history_stamps: Vec::new(),
            history: Vec::new(),
            message_stamps: Vec::new(),
            messages: Vec::new(),
        }
    }
}

impl<P: Protocol> Mirror<P> {
    fn nodes(&mut self, nodes: &[NodeSlot<Dyn<StateKind>>]) -> &[NodeSlot<P::State>] {
        self.stamps.truncate(nodes.len());
        self.nodes.truncate(nodes.len());
        for (i, n) in nodes.iter().enumerate() {
            let Some(stamp) = self.stamps.get_mut(i) else {
                self.stamps.push(n.state.1);
                self.nodes.push(NodeSlot {
                    id: n.id,
                    up: n.up,
                    state: n.state.get::<P::State>().clone(),
                });
                continue;
            };
            let slot = &mut self.nodes[i];
            if *stamp != n.state.1 {
                *stamp = n.state.1;
                slot.state = n.state.get::<P::State>().clone();
            }
            slot.id = n.id;
            slot.up = n.up;
        }
        &self.nodes
    }

    /// The history, copied from where it parts from the copy already made: a run only adds to
    /// it, and a rewind cuts it back.
    fn history(
        &mut self,
        history: &[Observed<Dyn<ObservationKind>>],
    ) -> &[Observed<P::Observation>] {
        let same = self
            .history_stamps
            .iter()
            .zip(&self.history)
            .zip(history)
            .take_while(|((stamp, mine), o)| {
                **stamp == o.what.1
                    && (mine.event, mine.time, mine.node) == (o.event, o.time, o.node)
            })
            .count();
        self.history_stamps.truncate(same);
        self.history.truncate(same);
        for o in &history[same..] {
            self.history_stamps.push(o.what.1);
            self.history.push(Observed {
                event: o.event,
                time: o.time,
                node: o.node,
                what: o.what.get::<P::Observation>().clone(),
            });
        }
        &self.history
    }

    /// The messages sent, as [`Mirror::history`]; a message's fate changes after it is sent,
    /// so fates are copied every time (they are plain values), payloads once.
    fn messages(&mut self, messages: &[MessageRecord<Dyn<MsgKind>>]) {
        // A copy of a message (duplication) shares its payload's stamp, so the rest of the
        // record must match too.
        let same = self
            .message_stamps
            .iter()
            .zip(&self.messages)
            .zip(messages)
            .take_while(|((stamp, mine), m)| {
                **stamp == m.payload.1
                    && (
                        mine.id,
                        mine.from,
                        mine.to,
                        mine.sent_event,
                        mine.due,
                        mine.copy_of,
                    ) == (m.id, m.from, m.to, m.sent_event, m.due, m.copy_of)
            })
            .count();
        self.message_stamps.truncate(same);
        self.messages.truncate(same);
        for (mine, m) in self.messages.iter_mut().zip(messages) {
            mine.fate = m.fate;
        }
        for m in &messages[same..] {
            self.message_stamps.push(m.payload.1);
            self.messages.push(MessageRecord {
                id: m.id,
                from: m.from,
                to: m.to,
                kind: m.kind,
                payload: m.payload.get::<P::Msg>().clone(),
                sent_event: m.sent_event,
                sent_at: m.sent_at,
                due: m.due,
                copy_of: m.copy_of,
                fate: m.fate,
            });
        }
    }
}

impl<P: Present> Adapter for Typed<P> {
    fn init(&self, id: NodeId, out: &mut DynOut) -> Dyn<StateKind> {
        state::<P>(typed(out, |out| self.0.init(id, out)))
    }
    fn on_msg(
        &self,
        id: NodeId,
        s: &mut Dyn<StateKind>,
        src: NodeId,
        m: Dyn<MsgKind>,
        out: &mut DynOut,
    ) {
        let m = m.take::<P::Msg>();
        typed(out, |out| self.0.on_msg(id, s.get_mut(), src, m, out));
    }
    fn on_timer(&self, id: NodeId, s: &mut Dyn<StateKind>, t: Dyn<TimerKind>, out: &mut DynOut) {
        let t = t.take::<P::Timer>();
        typed(out, |out| self.0.on_timer(id, s.get_mut(), t, out));
    }
    fn on_command(
        &self,
        id: NodeId,
        s: &mut Dyn<StateKind>,
        c: Dyn<CommandKind>,
        out: &mut DynOut,
    ) {
        let c = c.take::<P::Command>();
        typed(out, |out| self.0.on_command(id, s.get_mut(), c, out));
    }
    fn on_crash(&self, id: NodeId, s: &Dyn<StateKind>) -> Dyn<StateKind> {
        state::<P>(self.0.on_crash(id, s.get()))
    }
    fn on_recover(&self, id: NodeId, s: &mut Dyn<StateKind>, out: &mut DynOut) {
        typed(out, |out| self.0.on_recover(id, s.get_mut(), out));
    }
    fn check(&self, nodes: &[NodeSlot<Dyn<StateKind>>]) -> Vec<Violation> {
        self.0.check(self.1.borrow_mut().nodes(nodes))
    }
    fn keeps_history(&self) -> bool {
        self.0.keeps_history()
    }
    fn check_history(&self, history: &[Observed<Dyn<ObservationKind>>]) -> Vec<Violation> {
        self.0.check_history(self.1.borrow_mut().history(history))
    }
    fn view(&self, id: NodeId, s: &Dyn<StateKind>) -> NodeView {
        self.0.view(id, s.get())
    }
    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        self.0.roles()
    }
    fn layout(&self, nodes: usize) -> Layout {
        self.0.layout(nodes)
    }
    fn commands(&self, id: NodeId, s: &Dyn<StateKind>) -> Vec<Dyn<CommandKind>> {
        self.0
            .commands(id, s.get())
            .into_iter()
            .map(command::<P>)
            .collect()
    }
    fn log_view(&self, id: NodeId, s: &Dyn<StateKind>) -> Option<LogView> {
        self.0.log_view(id, s.get())
    }
    fn chain_view(&self, id: NodeId, s: &Dyn<StateKind>) -> Option<ChainView> {
        self.0.chain_view(id, s.get())
    }
    fn outcome(&self, run: &RunView<'_, Erased>) -> serde_json::Value {
        let mut mirror = self.1.borrow_mut();
        let mirror = &mut *mirror;
        mirror.nodes(run.nodes);
        mirror.history(run.observations);
        mirror.messages(run.messages);
        self.0.outcome(&RunView {
            nodes: &mirror.nodes,
            observations: &mirror.history,
            messages: &mirror.messages,
            status: run.status,
            now: run.now,
        })
    }
    fn parse_command(
        &self,
        json: serde_json::Value,
    ) -> Result<Dyn<CommandKind>, serde_json::Error> {
        self.0.parse_command(json).map(command::<P>)
    }
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        self.0.symmetry(nodes)
    }
    fn reads_clock(&self) -> bool {
        self.0.reads_clock()
    }
    fn rename_state(&self, s: &Dyn<StateKind>, map: &Permutation) -> Dyn<StateKind> {
        state::<P>(self.0.rename_state(s.get(), map))
    }
    fn rename_msg(&self, m: &Dyn<MsgKind>, map: &Permutation) -> Dyn<MsgKind> {
        msg::<P>(self.0.rename_msg(m.get(), map))
    }
    fn rename_timer(&self, t: &Dyn<TimerKind>, map: &Permutation) -> Dyn<TimerKind> {
        timer::<P>(self.0.rename_timer(t.get(), map))
    }
    fn same(&self, other: &dyn Adapter) -> bool {
        other
            .as_any()
            .downcast_ref::<Typed<P>>()
            .is_some_and(|o| o.0 == self.0)
    }
    fn hash_dyn(&self, mut h: &mut dyn Hasher) {
        self.0.hash(&mut h);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Any protocol, behind one type: see the module's introduction.
#[derive(Clone)]
pub struct Erased(Rc<dyn Adapter>);

impl Erased {
    pub fn new<P: Present>(protocol: P) -> Self {
        Erased(Rc::new(Typed(protocol, RefCell::default())))
    }
}

impl Debug for Erased {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl PartialEq for Erased {
    fn eq(&self, other: &Self) -> bool {
        self.0.same(&*other.0)
    }
}
impl Eq for Erased {}
impl Hash for Erased {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash_dyn(state);
    }
}

impl Protocol for Erased {
    type State = Dyn<StateKind>;
    type Msg = Dyn<MsgKind>;
    type Timer = Dyn<TimerKind>;
    type Command = Dyn<CommandKind>;
    type Observation = Dyn<ObservationKind>;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> Self::State {
        self.0.init(id, out)
    }
    fn on_msg(
        &self,
        id: NodeId,
        state: &mut Self::State,
        src: NodeId,
        msg: Self::Msg,
        out: &mut Out<Self>,
    ) {
        self.0.on_msg(id, state, src, msg, out)
    }
    fn on_timer(
        &self,
        id: NodeId,
        state: &mut Self::State,
        timer: Self::Timer,
        out: &mut Out<Self>,
    ) {
        self.0.on_timer(id, state, timer, out)
    }
    fn on_command(
        &self,
        id: NodeId,
        state: &mut Self::State,
        cmd: Self::Command,
        out: &mut Out<Self>,
    ) {
        self.0.on_command(id, state, cmd, out)
    }
    fn on_crash(&self, id: NodeId, state: &Self::State) -> Self::State {
        self.0.on_crash(id, state)
    }
    fn on_recover(&self, id: NodeId, state: &mut Self::State, out: &mut Out<Self>) {
        self.0.on_recover(id, state, out)
    }
    fn check(&self, nodes: &[NodeSlot<Self::State>]) -> Vec<Violation> {
        self.0.check(nodes)
    }
    fn keeps_history(&self) -> bool {
        self.0.keeps_history()
    }
    fn check_history(&self, history: &[Observed<Self::Observation>]) -> Vec<Violation> {
        self.0.check_history(history)
    }
    fn parse_command(&self, json: serde_json::Value) -> Result<Self::Command, serde_json::Error> {
        self.0.parse_command(json)
    }
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        self.0.symmetry(nodes)
    }
    fn reads_clock(&self) -> bool {
        self.0.reads_clock()
    }
    fn rename_state(&self, state: &Self::State, map: &Permutation) -> Self::State {
        self.0.rename_state(state, map)
    }
    fn rename_msg(&self, msg: &Self::Msg, map: &Permutation) -> Self::Msg {
        self.0.rename_msg(msg, map)
    }
    fn rename_timer(&self, timer: &Self::Timer, map: &Permutation) -> Self::Timer {
        self.0.rename_timer(timer, map)
    }
}

impl Present for Erased {
    fn view(&self, id: NodeId, state: &Self::State) -> NodeView {
        self.0.view(id, state)
    }
    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        self.0.roles()
    }
    fn layout(&self, nodes: usize) -> Layout {
        self.0.layout(nodes)
    }
    fn commands(&self, id: NodeId, state: &Self::State) -> Vec<Self::Command> {
        self.0.commands(id, state)
    }
    fn log_view(&self, id: NodeId, state: &Self::State) -> Option<LogView> {
        self.0.log_view(id, state)
    }
    fn chain_view(&self, id: NodeId, state: &Self::State) -> Option<ChainView> {
        self.0.chain_view(id, state)
    }
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        self.0.outcome(run)
    }
}
