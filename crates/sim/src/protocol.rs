//! The contract between the engine and an algorithm.
//!
//! A protocol is a pure, sans-IO state machine in the style of stateright's actors: fixed
//! configuration lives on `self`, the changing per-node state is a separate `Clone + Eq + Hash`
//! value, and every handler receives an [`Out`] that collects what the node wants done (send a
//! message, set or cancel a timer, report an observation). The protocol never sees the engine's
//! queue, the clock or the random generator except through `Out`: the time it reads is the
//! node's own clock, and where it wants randomness it asks for a timer *range* and lets the
//! engine's scheduler choose the point, so that manual play and exhaustive exploration can make
//! that choice instead.

use crate::{NodeId, Permutation, Span, Text, Time, Words};
use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Debug;
use std::hash::Hash;

/// What every message type tells the engine about itself.
pub trait Message {
    /// The message type, as counted in metrics and coloured on the page ("request", "grant").
    fn kind(&self) -> &'static str;
    /// A short label drawn on the message in flight; the kind by default.
    fn label(&self) -> String {
        self.kind().to_string()
    }
}

/// A node slot as invariants see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeSlot<S> {
    pub id: NodeId,
    pub up: bool,
    pub state: S,
}

/// One broken invariant, as found after an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Violation {
    /// Stable name of the invariant ("mutual-exclusion").
    pub invariant: &'static str,
    /// What is wrong, for people.
    pub text: String,
    /// The nodes involved, so the page can highlight them.
    pub nodes: Vec<NodeId>,
}

/// One protocol-specific thing that happened, kept in the trace for outcomes and the log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Observed<O> {
    pub event: u64,
    pub time: Time,
    pub node: NodeId,
    pub what: O,
}

/// A sans-IO distributed algorithm.
pub trait Protocol: Sized + Clone + Debug + Eq + Hash + 'static {
    type State: Clone + Eq + Hash + Debug + 'static;
    type Msg: Clone + Eq + Hash + Debug + Message + 'static;
    type Timer: Clone + Eq + Hash + Ord + Debug + 'static;
    /// What a learner or a scenario can ask of a node ("request the coffee machine").
    type Command: Clone + Eq + Hash + Debug + Serialize + DeserializeOwned + 'static;
    type Observation: Clone + Debug + Eq + Hash + 'static;

    /// The state of node `id` when the run starts; start-up sends and timers go to `out`.
    fn init(&self, id: NodeId, out: &mut Out<Self>) -> Self::State;

    fn on_msg(
        &self,
        id: NodeId,
        state: &mut Self::State,
        src: NodeId,
        msg: Self::Msg,
        out: &mut Out<Self>,
    );

    fn on_timer(
        &self,
        id: NodeId,
        state: &mut Self::State,
        timer: Self::Timer,
        out: &mut Out<Self>,
    );

    fn on_command(
        &self,
        id: NodeId,
        state: &mut Self::State,
        cmd: Self::Command,
        out: &mut Out<Self>,
    );

    /// What survives a crash: the part of the state the algorithm keeps on stable storage.
    /// Timers are gone either way.
    fn on_crash(&self, id: NodeId, state: &Self::State) -> Self::State;

    /// Called when a crashed node comes back, with what `on_crash` kept.
    fn on_recover(&self, id: NodeId, state: &mut Self::State, out: &mut Out<Self>);

    /// Checked after every event. Return every invariant that does not hold.
    fn check(&self, nodes: &[NodeSlot<Self::State>]) -> Vec<Violation>;

    /// Whether the protocol checks properties of its whole history ([`Protocol::check_history`]).
    /// The engine then keeps every observation, in order, as part of the run's state, and the
    /// explorer keeps it in every explored state: two states with the same nodes but different
    /// pasts are different states for such a property.
    fn keeps_history(&self) -> bool {
        false
    }

    /// Properties of the history rather than of a state: a read that no order of the clients'
    /// operations explains is wrong because of *when* things happened, which no node's state
    /// records. Called after every event that observed something, for a protocol that
    /// [keeps its history](Protocol::keeps_history). In a run an observation's time is the
    /// virtual time of its event; in the explorer, which has no clock, it is the place of its
    /// step in the path, every step an instant of its own: order is all the explorer knows.
    fn check_history(&self, history: &[Observed<Self::Observation>]) -> Vec<Violation> {
        let _ = history;
        Vec::new()
    }

    /// Whether the algorithm's handlers read a clock ([`Out::local_now`], [`Out::now`]):
    /// leases, deadlines, coin age, a timestamp in an id. The explorer runs every handler at
    /// time 0, so it refuses a protocol that declares this rather than explore, silently, an
    /// algorithm whose clock never moves. A debug build checks the declaration on every event.
    fn reads_clock(&self) -> bool {
        false
    }

    /// Groups of interchangeable nodes in a cluster of `nodes`, for the explorer's symmetry
    /// reduction (what TLC's SYMMETRY sets and stateright's `Representative` are for): 2PC's
    /// resource managers, the clients of a lock server. None by default, and then the explorer
    /// refuses to reduce.
    ///
    /// Declaring a group is a promise about the protocol: renaming its members among
    /// themselves (every other node keeps its id) renames behaviour and nothing else. A member
    /// started, or handling a renamed message, timer, crash or recovery, under its new id does
    /// what the original did, renamed; the invariants break on a renamed cluster exactly as on
    /// the original; and commands name no member (the explorer keeps the nodes a scenario's
    /// timeline names apart, but does not look inside commands). Configuration on `self` that
    /// differs between nodes (one participant votes No) splits them into different groups.
    fn symmetry(&self, nodes: usize) -> Vec<Vec<NodeId>> {
        let _ = nodes;
        Vec::new()
    }

    /// `state` with every node id in it renamed by `map`, a permutation within the groups
    /// [`Protocol::symmetry`] declares; sets of nodes and values kept per node included
    /// ([`Permutation::apply_bits`], [`Permutation::permute`]). Only called for protocols that
    /// declare groups; the default, a copy, is right for a state that names no node.
    fn rename_state(&self, state: &Self::State, map: &Permutation) -> Self::State {
        let _ = map;
        state.clone()
    }

    /// `msg` with every node id in it renamed by `map`, as [`Protocol::rename_state`].
    fn rename_msg(&self, msg: &Self::Msg, map: &Permutation) -> Self::Msg {
        let _ = map;
        msg.clone()
    }

    /// `timer` with every node id in it renamed by `map`, as [`Protocol::rename_state`].
    fn rename_timer(&self, timer: &Self::Timer, map: &Permutation) -> Self::Timer {
        let _ = map;
        timer.clone()
    }

    /// Read a command a scenario or the page gives as JSON.
    fn parse_command(&self, json: serde_json::Value) -> Result<Self::Command, serde_json::Error> {
        serde_json::from_value(json)
    }
}

/// One effect asked for by a handler.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect<P: Protocol> {
    Send(NodeId, P::Msg),
    SetTimer(P::Timer, Span, Span),
    CancelTimer(P::Timer),
    Observe(P::Observation),
    Note(Text),
}

/// Collects a handler's effects; also the handler's window on the world (its own clock and the
/// size of the cluster).
pub struct Out<P: Protocol> {
    pub(crate) now: Time,
    pub(crate) local: Time,
    pub(crate) nodes: usize,
    pub(crate) effects: Vec<Effect<P>>,
    /// Whether the handler read a clock, which its protocol must have declared.
    pub(crate) clock_read: std::cell::Cell<bool>,
}

impl<P: Protocol> Out<P> {
    pub(crate) fn new(now: Time, local: Time, nodes: usize) -> Self {
        Out {
            now,
            local,
            nodes,
            effects: Vec::new(),
            clock_read: std::cell::Cell::new(false),
        }
    }

    /// Virtual time: the truth no node can read. Only for ghost records that invariants and
    /// outcomes check; a node's decisions (leases, deadlines) use [`Out::local_now`].
    pub fn now(&self) -> Time {
        self.clock_read.set(true);
        self.now
    }

    /// What the node's own clock reads: offset, drifting and jumping as the scenario says.
    /// Timers run on this clock too.
    pub fn local_now(&self) -> Time {
        self.clock_read.set(true);
        self.local
    }

    /// Number of nodes in the cluster.
    pub fn cluster_size(&self) -> usize {
        self.nodes
    }

    /// Every node of the cluster, in order.
    pub fn all(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes).map(NodeId::from_index)
    }

    pub fn send(&mut self, to: NodeId, msg: P::Msg) {
        self.effects.push(Effect::Send(to, msg));
    }

    /// Send `msg` to every node but `me`.
    pub fn broadcast(&mut self, me: NodeId, msg: P::Msg) {
        for to in (0..self.nodes).map(NodeId::from_index) {
            if to != me {
                self.send(to, msg.clone());
            }
        }
    }

    /// Arm `timer` to fire once the node's local clock has advanced by a delay the scheduler
    /// picks in `lo..=hi`; re-arming an armed timer replaces it.
    pub fn set_timer(&mut self, timer: P::Timer, lo: Span, hi: Span) {
        self.effects.push(Effect::SetTimer(timer, lo, hi.max(lo)));
    }

    pub fn cancel_timer(&mut self, timer: P::Timer) {
        self.effects.push(Effect::CancelTimer(timer));
    }

    /// An `Out` for protocol `Q` run inside this handler (an adapter, such as the page's
    /// type-erased engine, that wraps another protocol): the same clocks and cluster, nothing
    /// collected yet. Hand what it collects back with [`Out::absorb`].
    pub fn nested<Q: Protocol>(&self) -> Out<Q> {
        Out::new(self.now, self.local, self.nodes)
    }

    /// Take over what a [`nested`](Out::nested) handler asked for, each effect converted to
    /// this protocol's types by `convert`, and whether it read the clock.
    pub fn absorb<Q: Protocol>(
        &mut self,
        inner: Out<Q>,
        convert: impl FnMut(Effect<Q>) -> Effect<P>,
    ) {
        self.clock_read
            .set(self.clock_read.get() | inner.clock_read.get());
        self.effects.extend(inner.effects.into_iter().map(convert));
    }

    /// Report something the outcome or the event log should know about.
    pub fn observe(&mut self, what: P::Observation) {
        self.effects.push(Effect::Observe(what));
    }

    /// A sentence for the event log ("defers the reply to 3: its request is later"), as typed
    /// [`Words`](crate::Words) that the page renders in the learner's language.
    pub fn note(&mut self, words: impl Words) {
        self.effects.push(Effect::Note(Text::new(words)));
    }
}
