//! # Exhaustive exploration: "find me a failure"
//!
//! A seeded run follows one path through the engine's choices; the interleaving that breaks an
//! algorithm may be one in a million. The explorer follows all of them, breadth first, as the
//! model checkers TLC and stateright do: from the start it tries every choice the engine could
//! make (deliver this message or that one, fire this timer, run the next scripted step) and, if
//! the scenario allows them, every fault (lose or duplicate a message, crash or recover a node,
//! split the network or heal it), and from each state so reached it does the same again.
//!
//! **Time is abstracted away.** Two states that differ only in the clock, in when a message is
//! due or in the engine's sequence numbers are the same logical state, so the explorer keeps only
//! what a protocol can tell apart: each node's state and whether it is up, the messages in the
//! network, the armed timers, the partition, how far the script has run and how much of each
//! fault budget is spent. An armed timer may fire at any moment, exactly as a message may take
//! any time: an asynchronous system, the model in which the texts' impossibility results hold.
//!
//! **The network** is one of the three of stateright: *ordered* (each link a FIFO queue; only
//! its head can arrive), *unordered* (a multiset: any message in flight can arrive next, each
//! once) or *unordered with duplication*: the set of every message ever sent, as TLA+
//! specifications write it. There a message may arrive any number of times or never, which
//! covers loss, duplication and reordering at once and keeps the space finite for protocols that
//! resend.
//!
//! **States are deduplicated** by a 64-bit fingerprint of that logical state (stateright does
//! the same); each new state remembers its parent and the choice that led to it, so breadth-first
//! order gives the *shortest* path to every invariant violation, which [`replay`] turns back into
//! an ordinary run of the engine. A node that keeps waiting (an armed timer) in a state from which
//! no sequence of non-fault steps changes any node is *blocked*: the 2PC participant in doubt
//! whose coordinator is down.
//!
//! **Symmetry reduction** ([`ExploreOptions::symmetry`], off by default) keeps one state per
//! renaming of the nodes a protocol declares interchangeable: see [`symmetry`].
//!
//! The search runs in slices ([`Explorer::run_for`]), so a web worker can report progress and
//! stop between two slices.

mod replay;
pub mod symmetry;
pub mod walk;

pub use replay::{replay, Replay, ReplayError};
pub use symmetry::symmetry_groups;
pub use walk::{WalkFound, WalkProgress, Walks};

use crate::engine::Action;
use crate::network::LinkState;
use crate::protocol::{Effect, NodeSlot, Observed, Out, Protocol, Violation};
use crate::NodeId;
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;
use symmetry::Symmetry;

/// How the explored network treats messages. In JSON: `"ordered"`, `"unordered"` or
/// `"unordered-dup"`, as [`Semantics::key`] names them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Semantics {
    /// Each link is a FIFO queue.
    Ordered,
    /// Any message in flight may arrive next, once.
    Unordered,
    /// The set of messages ever sent: any may arrive, any number of times (TLA+).
    #[default]
    UnorderedDup,
}

impl Semantics {
    pub fn key(self) -> &'static str {
        match self {
            Semantics::Ordered => "ordered",
            Semantics::Unordered => "unordered",
            Semantics::UnorderedDup => "unordered-dup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ordered" => Some(Semantics::Ordered),
            "unordered" => Some(Semantics::Unordered),
            "unordered-dup" => Some(Semantics::UnorderedDup),
            _ => None,
        }
    }
}

/// A fault budget that never runs out.
pub const UNLIMITED: u32 = u32::MAX;

/// Which faults the explorer may inject, each with a budget: `None` is off, `Some(UNLIMITED)`
/// as often as it likes, `Some(k)` at most `k` times along any path.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(default)]
pub struct Faults {
    pub loss: Option<u32>,
    pub duplicate: Option<u32>,
    /// Crashes; a crashed node may always recover.
    pub crash: Option<u32>,
    /// Splits of the network in two; a partitioned network may always heal.
    pub partition: Option<u32>,
}

/// The bounds of a search. In JSON every field may be left out for its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExploreOptions {
    pub semantics: Semantics,
    pub faults: Faults,
    /// States this many steps from the start are not expanded.
    pub max_depth: u32,
    /// No new states are kept beyond this many.
    pub max_states: u64,
    /// Count states that differ only by a renaming of the nodes the protocol declares
    /// interchangeable ([`Protocol::symmetry`]) as one. Callers should refuse it where
    /// [`symmetry_groups`] is empty, since the explorer then explores without reduction.
    pub symmetry: bool,
    /// Breadth first, random walks, or both in turn ([`Strategy`]).
    pub strategy: Strategy,
    /// Random walks at most (each at most `max_depth` steps long).
    pub walks: u64,
    /// The seed the walks are drawn from: the same seed, the same walks.
    pub seed: u64,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            semantics: Semantics::default(),
            faults: Faults::default(),
            max_depth: 100,
            max_states: 1_000_000,
            symmetry: false,
            strategy: Strategy::default(),
            walks: 1_000_000,
            seed: 0,
        }
    }
}

/// How the choices are searched. In JSON: `"bfs"`, `"random"` or `"auto"`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Breadth first: every state up to the bounds, the shortest path to each violation.
    #[default]
    Bfs,
    /// Random walks ([`walk`]): deep, never exhaustive, paths shrunk.
    Random,
    /// Breadth first until it is over, then random walks.
    Auto,
}

impl Strategy {
    pub fn key(self) -> &'static str {
        match self {
            Strategy::Bfs => "bfs",
            Strategy::Random => "random",
            Strategy::Auto => "auto",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bfs" => Some(Strategy::Bfs),
            "random" => Some(Strategy::Random),
            "auto" => Some(Strategy::Auto),
            _ => None,
        }
    }
}

/// One choice of the engine or of the fault injector: an edge of the state graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Choice<P: Protocol> {
    /// The next step of the scenario's timeline (its index there).
    Script(u32),
    /// A message arrives; `nth` tells equal messages on one link apart (0: the earliest).
    Deliver {
        from: NodeId,
        to: NodeId,
        msg: P::Msg,
        nth: u32,
    },
    Timer {
        node: NodeId,
        timer: P::Timer,
    },
    Lose {
        from: NodeId,
        to: NodeId,
        msg: P::Msg,
        nth: u32,
    },
    Duplicate {
        from: NodeId,
        to: NodeId,
        msg: P::Msg,
        nth: u32,
    },
    Crash(NodeId),
    Recover(NodeId),
    /// These nodes become an island; everyone else another.
    Partition(Vec<NodeId>),
    Heal,
}

impl<P: Protocol> Choice<P> {
    /// Faults are what the explorer adds to the scenario; the rest would happen anyway.
    pub fn is_fault(&self) -> bool {
        !matches!(
            self,
            Choice::Script(_) | Choice::Deliver { .. } | Choice::Timer { .. }
        )
    }

    /// The node whose state the choice may change, if any.
    fn node(&self) -> Option<NodeId> {
        match self {
            Choice::Deliver { to, .. } => Some(*to),
            Choice::Timer { node, .. } | Choice::Crash(node) | Choice::Recover(node) => Some(*node),
            _ => None,
        }
    }

    /// The choice in words, for reports.
    pub fn describe(&self) -> String {
        use crate::Message;
        match self {
            Choice::Script(i) => format!("timeline step {}", i + 1),
            Choice::Deliver { from, to, msg, .. } => {
                format!("{from}→{to}: {} arrives", msg.label())
            }
            Choice::Timer { node, timer } => format!("node {node}: timer {timer:?} fires"),
            Choice::Lose { from, to, msg, .. } => format!("{from}→{to}: {} is lost", msg.label()),
            Choice::Duplicate { from, to, msg, .. } => {
                format!("{from}→{to}: {} is duplicated", msg.label())
            }
            Choice::Crash(n) => format!("node {n} crashes"),
            Choice::Recover(n) => format!("node {n} recovers"),
            Choice::Partition(island) => {
                let ids: Vec<String> = island.iter().map(|n| n.to_string()).collect();
                format!("partition {{{}}} from the rest", ids.join(","))
            }
            Choice::Heal => "the network heals".into(),
        }
    }
}

/// A message in the explored network.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Envelope<M> {
    from: NodeId,
    to: NodeId,
    msg: M,
}

/// One logical state: everything a protocol can tell apart, and nothing about the clock.
#[derive(Clone, Debug, PartialEq, Eq)]
struct State<P: Protocol> {
    nodes: Vec<NodeSlot<P::State>>,
    /// In send order; under `Ordered` the order of one link's messages is its queue. Shared
    /// between a state and its successors until one changes it: most steps do not.
    net: Rc<Vec<Envelope<P::Msg>>>,
    /// Sorted, so that equal sets compare and hash equal.
    timers: Rc<Vec<(NodeId, P::Timer)>>,
    links: LinkState,
    script: u32,
    /// Faults spent along the path: loss, duplication, crash, partition (only those limited).
    used: [u32; 4],
    /// What the path observed, for a protocol that [keeps its
    /// history](Protocol::keeps_history): each observation's time is the place of its step.
    history: Rc<Vec<Observed<P::Observation>>>,
}

const LOSS: usize = 0;
const DUP: usize = 1;
const CRASH: usize = 2;
const PARTITION: usize = 3;

/// The fingerprint hasher: each word is mixed in by a folded 128-bit multiply (as aHash's
/// fallback does), and the result is avalanched at the end. Several times faster than SipHash
/// on small states, and the same on every platform (lengths are hashed as 64-bit words).
struct Fold(u64);

impl Fold {
    const MULTIPLE: u64 = 0x5851_f42d_4c95_7f2d;

    fn new() -> Self {
        Fold(0x243f_6a88_85a3_08d3)
    }

    fn mix(&mut self, word: u64) {
        let m = u128::from(self.0 ^ word) * u128::from(Self::MULTIPLE);
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }
}

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        self.mix(bytes.len() as u64);
    }
    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.mix(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    fn write_u128(&mut self, n: u128) {
        self.mix(n as u64);
        self.mix((n >> 64) as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
    fn write_i64(&mut self, n: i64) {
        self.mix(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.mix(n as u64);
    }
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }
}

/// A hasher for keys that are already well mixed (the explorer's fingerprints, the
/// linearizability checker's xor of random keys): a table uses them as they are.
#[derive(Default)]
pub struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
type Seen = HashMap<u64, u32, BuildHasherDefault<IdHasher>>;

impl<P: Protocol> State<P> {
    /// The state's fingerprint. The network is hashed as a multiset (a sum of its messages'
    /// hashes), under `Ordered` with each message's place in its own link's queue, so the
    /// interleaving of different links in `net` never matters.
    fn fingerprint(&self, semantics: Semantics) -> u64 {
        let mut net = 0u64;
        for (i, e) in self.net.iter().enumerate() {
            let mut h = Fold::new();
            e.hash(&mut h);
            if semantics == Semantics::Ordered {
                let place = self.net[..i]
                    .iter()
                    .filter(|o| o.from == e.from && o.to == e.to)
                    .count();
                h.mix(place as u64);
            }
            // One more round stands in for the finish: the sum only needs each message's
            // hash well mixed.
            h.mix(0x9e37_79b9_7f4a_7c15);
            net = net.wrapping_add(h.0);
        }
        let mut h = Fold::new();
        // A node's place in the list is its id.
        for slot in &self.nodes {
            slot.up.hash(&mut h);
            slot.state.hash(&mut h);
        }
        self.timers.hash(&mut h);
        self.links.hash(&mut h);
        self.script.hash(&mut h);
        self.used.hash(&mut h);
        net.hash(&mut h);
        if !self.history.is_empty() {
            self.history.hash(&mut h);
        }
        h.finish()
    }

    /// Index in `net` of the `nth` message equal to (`from`, `to`, `msg`).
    fn find(&self, from: NodeId, to: NodeId, msg: &P::Msg, nth: u32) -> Option<usize> {
        self.net
            .iter()
            .enumerate()
            .filter(|(_, e)| e.from == from && e.to == to && e.msg == *msg)
            .nth(nth as usize)
            .map(|(i, _)| i)
    }
}

/// One logical state as the explorer tells states apart (less the script's progress and the
/// fault budgets spent), for callers that look at what was explored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot<P: Protocol> {
    pub nodes: Vec<NodeSlot<P::State>>,
    /// The messages in the network (from, to, message), in send order.
    pub messages: Vec<(NodeId, NodeId, P::Msg)>,
    /// The armed timers, sorted.
    pub timers: Vec<(NodeId, P::Timer)>,
    pub links: LinkState,
}

/// A broken invariant the explorer reached, with the state where it first saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub violation: Violation,
    /// The state's number, for [`Explorer::path`].
    pub state: u32,
    /// Steps from the start.
    pub depth: u32,
}

/// Blocked states: someone waits, and nothing but a fault can change anything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocked {
    pub states: u64,
    /// The one that teaches most: the most nodes waiting (a 2PC coordinator gone while every
    /// participant that voted Yes is in doubt, rather than one cut off before anyone heard of
    /// the transaction), the nearest among those: its number, depth, and the waiting nodes.
    pub first: Option<(u32, u32, Vec<NodeId>)>,
}

/// How far the search has come.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// Distinct states found.
    pub unique_states: u64,
    /// States whose successors have been generated.
    pub explored: u64,
    /// States waiting to be explored.
    pub queued: u64,
    /// Steps from the start to the farthest state found.
    pub depth: u32,
    /// The search is over (exhausted, or stopped by a bound).
    pub done: bool,
    /// Every reachable state was explored: no bound cut the search short.
    pub exhausted: bool,
    pub violations: usize,
    pub blocked: u64,
    /// Random walks finished, and the steps they took (zero for breadth first).
    #[serde(default)]
    pub walks: u64,
    #[serde(default)]
    pub steps: u64,
}

/// Most states the blocking check looks at from one candidate before it gives up on it.
const BLOCK_CHECK_LIMIT: usize = 512;

/// A breadth-first search over the choices of a run of `P`.
pub struct Explorer<P: Protocol> {
    protocol: P,
    /// The scenario's timeline, in order; the explorer runs it step by step, at no set time.
    script: Vec<Action<P::Command>>,
    options: ExploreOptions,
    seen: Seen,
    /// Per state: parent, depth, and the choice that reached it (none for the start).
    records: Vec<(u32, u32, Option<Choice<P>>)>,
    queue: VecDeque<(u32, State<P>)>,
    found: Vec<Found>,
    blocked: Blocked,
    depth: u32,
    explored: u64,
    /// A bound stopped some state from being expanded or kept.
    cut: bool,
    initial: State<P>,
    /// Present when the options ask for symmetry and the protocol has groups to reduce.
    symmetry: Option<Symmetry<P>>,
}

impl<P: Protocol> Explorer<P> {
    /// Start `nodes` nodes of `protocol` (each node's `init` and its effects), with `script` to
    /// run in order.
    pub fn new(
        protocol: P,
        nodes: usize,
        script: Vec<Action<P::Command>>,
        options: ExploreOptions,
    ) -> Self {
        let mut start = State {
            nodes: Vec::with_capacity(nodes),
            net: Rc::default(),
            timers: Rc::default(),
            links: LinkState::default(),
            script: 0,
            used: [0; 4],
            history: Rc::default(),
        };
        // Renaming nodes would have to rename what the history says of them, which observations
        // do not declare; a protocol that keeps its history is explored without reduction.
        let groups = if options.symmetry && !protocol.keeps_history() {
            symmetry_groups(&protocol, nodes, &script)
        } else {
            Vec::new()
        };
        let symmetry = (!groups.is_empty()).then(|| Symmetry::new(groups, nodes));
        let mut effects = Vec::with_capacity(nodes);
        for i in 0..nodes {
            let id = NodeId::from_index(i);
            let mut out = Out::new(0, 0, nodes);
            let state = protocol.init(id, &mut out);
            start.nodes.push(NodeSlot {
                id,
                up: true,
                state,
            });
            effects.push((id, out.effects));
        }
        let mut explorer = Explorer {
            protocol,
            script,
            options,
            seen: Seen::default(),
            records: Vec::new(),
            queue: VecDeque::new(),
            found: Vec::new(),
            blocked: Blocked::default(),
            depth: 0,
            explored: 0,
            cut: false,
            initial: start.clone(),
            symmetry,
        };
        for (id, effects) in effects {
            explorer.apply(&mut start, id, effects);
        }
        explorer.initial = start.clone();
        let fp = explorer.key(&start);
        explorer.seen.insert(fp, 0);
        explorer.records.push((0, 0, None));
        explorer.check(&start, 0, 0);
        explorer.queue.push_back((0, start));
        explorer
    }

    pub fn options(&self) -> &ExploreOptions {
        &self.options
    }

    pub fn protocol(&self) -> &P {
        &self.protocol
    }

    /// The groups of interchangeable nodes the search reduces by; empty without symmetry.
    pub fn symmetry(&self) -> &[Vec<NodeId>] {
        self.symmetry.as_ref().map_or(&[], |s| s.groups())
    }

    /// What the search deduplicates by: the state's fingerprint, or under symmetry its orbit's.
    /// Inlined, so that the search without symmetry pays one test for it.
    #[inline(always)]
    fn key(&mut self, state: &State<P>) -> u64 {
        match &mut self.symmetry {
            Some(symmetry) => symmetry.fingerprint(&self.protocol, state, self.options.semantics),
            None => state.fingerprint(self.options.semantics),
        }
    }

    /// Explore at most `states` more states; where the search stands afterwards.
    pub fn run_for(&mut self, states: u64) -> Progress {
        let mut left = states;
        while left > 0 {
            let Some((index, state)) = self.queue.pop_front() else {
                break;
            };
            left -= 1;
            self.expand(index, &state);
        }
        self.progress()
    }

    /// Explore until the search is over.
    pub fn run(&mut self) -> Progress {
        while !self.queue.is_empty() {
            self.run_for(4096);
        }
        self.progress()
    }

    pub fn progress(&self) -> Progress {
        let done = self.queue.is_empty();
        Progress {
            unique_states: self.records.len() as u64,
            explored: self.explored,
            queued: self.queue.len() as u64,
            depth: self.depth,
            done,
            exhausted: done && !self.cut,
            violations: self.found.len(),
            blocked: self.blocked.states,
            walks: 0,
            steps: 0,
        }
    }

    /// Each broken invariant, first (nearest) sighting only.
    pub fn violations(&self) -> &[Found] {
        &self.found
    }

    pub fn blocked(&self) -> &Blocked {
        &self.blocked
    }

    /// The choices from the start to state `state`.
    pub fn path(&self, state: u32) -> Vec<Choice<P>> {
        let mut path = Vec::new();
        let mut at = state as usize;
        while let Some((parent, _, Some(choice))) = self.records.get(at) {
            path.push(choice.clone());
            at = *parent as usize;
        }
        path.reverse();
        path
    }

    /// The nodes after following `path` from the start, or the index of the first choice that
    /// is not possible where it is made.
    pub fn nodes_along(&self, path: &[Choice<P>]) -> Result<Vec<Vec<NodeSlot<P::State>>>, usize> {
        let mut state = self.initial.clone();
        let mut out = Vec::with_capacity(path.len());
        for (i, choice) in path.iter().enumerate() {
            state = self.step(&state, choice).ok_or(i)?;
            out.push(state.nodes.clone());
        }
        Ok(out)
    }

    /// The logical state after following `path` from the start, or the index of the first
    /// choice that is not possible where it is made.
    pub fn state_along(&self, path: &[Choice<P>]) -> Result<Snapshot<P>, usize> {
        let mut state = self.initial.clone();
        for (i, choice) in path.iter().enumerate() {
            state = self.step(&state, choice).ok_or(i)?;
        }
        Ok(Snapshot {
            nodes: state.nodes,
            messages: state
                .net
                .iter()
                .map(|e| (e.from, e.to, e.msg.clone()))
                .collect(),
            timers: state.timers.to_vec(),
            links: state.links,
        })
    }

    fn expand(&mut self, index: u32, state: &State<P>) {
        self.explored += 1;
        let depth = self.records[index as usize].1;
        let choices = self.choices(state);
        if depth >= self.options.max_depth {
            self.cut |= !choices.is_empty();
            return;
        }
        let mut progress = false;
        for choice in choices {
            let Some(next) = self.step(state, &choice) else {
                continue;
            };
            let changed = changed(&choice, state, &next);
            progress |= !choice.is_fault() && changed;
            if !changed && self.same_as(state, &next) {
                continue;
            }
            let fp = self.key(&next);
            if self.seen.contains_key(&fp) {
                continue;
            }
            if self.records.len() as u64 >= self.options.max_states {
                self.cut = true;
                continue;
            }
            let id = self.records.len() as u32;
            self.seen.insert(fp, id);
            self.records.push((index, depth + 1, Some(choice)));
            self.depth = self.depth.max(depth + 1);
            if self.check(&next, id, depth + 1) {
                self.queue.push_back((id, next));
            }
        }
        if !progress {
            let waiting = waiting(state);
            if !waiting.is_empty() && self.stuck(state) {
                self.blocked.states += 1;
                // Breadth first, so the first found with this many waiting is the nearest.
                let more = self
                    .blocked
                    .first
                    .as_ref()
                    .is_none_or(|(_, _, before)| waiting.len() > before.len());
                if more {
                    self.blocked.first = Some((index, depth, waiting));
                }
            }
        }
    }

    /// Whether `after`, whose nodes equal `before`'s, is `before` again: a message that
    /// changes nothing arriving once more, which is most of the steps under set semantics.
    /// There the network only grows, so equal sizes mean equal sets.
    fn same_as(&self, before: &State<P>, after: &State<P>) -> bool {
        self.options.semantics == Semantics::UnorderedDup
            && before.net.len() == after.net.len()
            && before.timers == after.timers
            && before.script == after.script
            && before.used == after.used
            && before.links == after.links
            && before.history.len() == after.history.len()
    }

    /// Record the invariants `state` breaks; whether it is fine (and so worth expanding).
    fn check(&mut self, state: &State<P>, id: u32, depth: u32) -> bool {
        let mut broken = self.protocol.check(&state.nodes);
        if !state.history.is_empty() {
            broken.extend(self.protocol.check_history(&state.history));
        }
        if broken.is_empty() {
            return true;
        }
        for violation in broken {
            if self
                .found
                .iter()
                .all(|f| f.violation.invariant != violation.invariant)
            {
                self.found.push(Found {
                    violation,
                    state: id,
                    depth,
                });
            }
        }
        false
    }

    /// Whether no sequence of non-fault steps from `state` changes any node: the states it can
    /// reach so are searched (up to a limit, beyond which it is not called stuck).
    fn stuck(&self, state: &State<P>) -> bool {
        let mut seen = HashSet::new();
        seen.insert(state.fingerprint(self.options.semantics));
        let mut todo = vec![state.clone()];
        while let Some(s) = todo.pop() {
            for choice in self.choices(&s) {
                if choice.is_fault() {
                    continue;
                }
                let Some(next) = self.step(&s, &choice) else {
                    continue;
                };
                if changed(&choice, &s, &next) {
                    return false;
                }
                if seen.insert(next.fingerprint(self.options.semantics)) {
                    if seen.len() > BLOCK_CHECK_LIMIT {
                        return false;
                    }
                    todo.push(next);
                }
            }
        }
        true
    }

    fn allowed(&self, budget: Option<u32>, state: &State<P>, kind: usize) -> bool {
        budget.is_some_and(|b| b == UNLIMITED || state.used[kind] < b)
    }

    /// Every choice enabled in `state`.
    fn choices(&self, state: &State<P>) -> Vec<Choice<P>> {
        let mut out = Vec::new();
        let faults = self.options.faults;
        let semantics = self.options.semantics;
        if (state.script as usize) < self.script.len() {
            out.push(Choice::Script(state.script));
        }
        for (node, timer) in state.timers.iter() {
            out.push(Choice::Timer {
                node: *node,
                timer: timer.clone(),
            });
        }
        let net = &state.net;
        // How many equal messages, and whether any on its link, came earlier: counted as the
        // list is walked (a quadratic scan was most of the time of a search over Raft, whose
        // heartbeats fill the network).
        let counting = semantics != Semantics::UnorderedDup;
        let mut equal: fnv::FnvHashMap<&Envelope<P::Msg>, u32> = Default::default();
        let mut links: fnv::FnvHashSet<(NodeId, NodeId)> = Default::default();
        for e in net.iter() {
            let (first_on_link, nth) = if counting {
                let count = equal.entry(e).or_insert(0);
                let nth = *count;
                *count += 1;
                (links.insert((e.from, e.to)), nth)
            } else {
                (false, 0)
            };
            let deliver = match semantics {
                Semantics::Ordered => first_on_link,
                Semantics::Unordered => nth == 0,
                Semantics::UnorderedDup => {
                    state.nodes[e.to.index()].up && !state.links.blocked(e.from, e.to)
                }
            };
            if deliver {
                out.push(Choice::Deliver {
                    from: e.from,
                    to: e.to,
                    msg: e.msg.clone(),
                    nth: 0,
                });
            }
            // Under set semantics a message may always arrive never or again: loss and
            // duplication are already there.
            let distinct = semantics == Semantics::Ordered || nth == 0;
            if semantics != Semantics::UnorderedDup && distinct {
                if self.allowed(faults.loss, state, LOSS) {
                    out.push(Choice::Lose {
                        from: e.from,
                        to: e.to,
                        msg: e.msg.clone(),
                        nth,
                    });
                }
                if self.allowed(faults.duplicate, state, DUP) {
                    out.push(Choice::Duplicate {
                        from: e.from,
                        to: e.to,
                        msg: e.msg.clone(),
                        nth,
                    });
                }
            }
        }
        if faults.crash.is_some() {
            let may_crash = self.allowed(faults.crash, state, CRASH);
            for slot in &state.nodes {
                if !slot.up {
                    out.push(Choice::Recover(slot.id));
                } else if may_crash {
                    out.push(Choice::Crash(slot.id));
                }
            }
        }
        if faults.partition.is_some() {
            if state.links.is_partitioned() {
                out.push(Choice::Heal);
            } else if self.allowed(faults.partition, state, PARTITION) {
                out.extend(islands(state.nodes.len()).map(Choice::Partition));
            }
        }
        out
    }

    /// The state after `choice`, or `None` if it is not possible in `state`.
    fn step(&self, state: &State<P>, choice: &Choice<P>) -> Option<State<P>> {
        let semantics = self.options.semantics;
        if let (Semantics::UnorderedDup, Choice::Deliver { from, to, msg, .. }) =
            (semantics, choice)
        {
            return self.receive(state, *from, *to, msg);
        }
        let mut s = state.clone();
        match choice {
            Choice::Script(i) => {
                if *i != s.script {
                    return None;
                }
                let action = self.script.get(*i as usize)?.clone();
                s.script += 1;
                self.act(&mut s, action);
            }
            Choice::Deliver { from, to, msg, nth } => {
                // In flight, one copy: it arrives, or is dropped at a crashed node or a cut.
                let i = s.find(*from, *to, msg, *nth)?;
                Rc::make_mut(&mut s.net).remove(i);
                if s.nodes[to.index()].up && !s.links.blocked(*from, *to) {
                    let mut out = Out::new(0, 0, s.nodes.len());
                    let node = &mut s.nodes[to.index()].state;
                    self.protocol
                        .on_msg(*to, node, *from, msg.clone(), &mut out);
                    self.apply(&mut s, *to, out.effects);
                }
            }
            Choice::Timer { node, timer } => {
                let key = (*node, timer.clone());
                let at = s.timers.binary_search(&key).ok()?;
                Rc::make_mut(&mut s.timers).remove(at);
                if !s.nodes[node.index()].up {
                    return None;
                }
                let mut out = Out::new(0, 0, s.nodes.len());
                let state = &mut s.nodes[node.index()].state;
                self.protocol
                    .on_timer(*node, state, timer.clone(), &mut out);
                self.apply(&mut s, *node, out.effects);
            }
            Choice::Lose { from, to, msg, nth } => {
                let i = s.find(*from, *to, msg, *nth)?;
                Rc::make_mut(&mut s.net).remove(i);
                self.spend(&mut s, self.options.faults.loss, LOSS);
            }
            Choice::Duplicate { from, to, msg, nth } => {
                let i = s.find(*from, *to, msg, *nth)?;
                let copy = s.net[i].clone();
                Rc::make_mut(&mut s.net).push(copy);
                self.spend(&mut s, self.options.faults.duplicate, DUP);
            }
            Choice::Crash(node) => {
                if !s.nodes.get(node.index())?.up {
                    return None;
                }
                self.crash(&mut s, *node);
                self.spend(&mut s, self.options.faults.crash, CRASH);
            }
            Choice::Recover(node) => {
                if s.nodes.get(node.index())?.up {
                    return None;
                }
                self.recover(&mut s, *node);
            }
            Choice::Partition(island) => {
                let n = s.nodes.len();
                s.links.partition(n, std::slice::from_ref(island));
                self.spend(&mut s, self.options.faults.partition, PARTITION);
            }
            Choice::Heal => s.links.heal(),
        }
        Some(s)
    }

    /// A message of the set of messages ever sent arrives (it stays in the set). Most such
    /// steps change nothing (the message was already heard): they are recognised before the
    /// state is copied, and are not steps at all.
    fn receive(
        &self,
        state: &State<P>,
        from: NodeId,
        to: NodeId,
        msg: &P::Msg,
    ) -> Option<State<P>> {
        let slot = state.nodes.get(to.index())?;
        if !slot.up || state.links.blocked(from, to) {
            return None;
        }
        let mut node = slot.state.clone();
        let mut out = Out::new(0, 0, state.nodes.len());
        self.protocol
            .on_msg(to, &mut node, from, msg.clone(), &mut out);
        let idle = node == slot.state
            && out.effects.iter().all(|e| match e {
                Effect::Send(dest, m) => {
                    dest.index() >= state.nodes.len()
                        || state.links.blocked(to, *dest)
                        || state
                            .net
                            .iter()
                            .any(|o| o.from == to && o.to == *dest && o.msg == *m)
                }
                Effect::SetTimer(t, _, _) => state.timers.binary_search(&(to, t.clone())).is_ok(),
                Effect::CancelTimer(t) => state.timers.binary_search(&(to, t.clone())).is_err(),
                Effect::Observe(_) => !self.protocol.keeps_history(),
                Effect::Note(_) => true,
            });
        if idle {
            return None;
        }
        let mut s = state.clone();
        s.nodes[to.index()].state = node;
        self.apply(&mut s, to, out.effects);
        Some(s)
    }

    fn spend(&self, s: &mut State<P>, budget: Option<u32>, kind: usize) {
        if budget != Some(UNLIMITED) {
            s.used[kind] += 1;
        }
    }

    /// A scripted step, as the engine does it.
    fn act(&self, s: &mut State<P>, action: Action<P::Command>) {
        let n = s.nodes.len();
        let up = |node: NodeId| s.nodes.get(node.index()).map(|slot| slot.up);
        match action {
            Action::Command { node, command } if up(node) == Some(true) => {
                let mut out = Out::new(0, 0, n);
                let state = &mut s.nodes[node.index()].state;
                self.protocol.on_command(node, state, command, &mut out);
                self.apply(s, node, out.effects);
            }
            Action::Crash { node } if up(node) == Some(true) => self.crash(s, node),
            Action::Recover { node } if up(node) == Some(false) => self.recover(s, node),
            Action::Partition { groups } => s.links.partition(n, &groups),
            Action::Heal => s.links.heal(),
            Action::Cut { from, to } => s.links.cut(from, to),
            Action::Restore { from, to } => s.links.restore(from, to),
            // A command for, a crash of or a recovery of a node that cannot take it does
            // nothing, as in the engine. Steps that name a message by its number, or that only
            // move time, mean nothing without a clock: callers refuse them before exploring.
            _ => {}
        }
    }

    fn crash(&self, s: &mut State<P>, node: NodeId) {
        let slot = &mut s.nodes[node.index()];
        slot.up = false;
        slot.state = self.protocol.on_crash(node, &slot.state);
        if s.timers.iter().any(|(owner, _)| *owner == node) {
            Rc::make_mut(&mut s.timers).retain(|(owner, _)| *owner != node);
        }
    }

    fn recover(&self, s: &mut State<P>, node: NodeId) {
        let mut out = Out::new(0, 0, s.nodes.len());
        let slot = &mut s.nodes[node.index()];
        slot.up = true;
        self.protocol.on_recover(node, &mut slot.state, &mut out);
        self.apply(s, node, out.effects);
    }

    /// A handler's effects on the logical state: sends, timers; the rest is for people.
    fn apply(&self, s: &mut State<P>, node: NodeId, effects: Vec<Effect<P>>) {
        // One handler is one instant, after every instant the path has observed so far.
        let step = s.history.last().map_or(0, |o| o.event + 1);
        for effect in effects {
            match effect {
                Effect::Send(to, msg) => {
                    if to.index() >= s.nodes.len() || s.links.blocked(node, to) {
                        continue;
                    }
                    let e = Envelope {
                        from: node,
                        to,
                        msg,
                    };
                    if self.options.semantics != Semantics::UnorderedDup || !s.net.contains(&e) {
                        Rc::make_mut(&mut s.net).push(e);
                    }
                }
                Effect::SetTimer(timer, _, _) => {
                    let key = (node, timer);
                    if let Err(at) = s.timers.binary_search(&key) {
                        Rc::make_mut(&mut s.timers).insert(at, key);
                    }
                }
                Effect::CancelTimer(timer) => {
                    if let Ok(at) = s.timers.binary_search(&(node, timer)) {
                        Rc::make_mut(&mut s.timers).remove(at);
                    }
                }
                Effect::Observe(what) if self.protocol.keeps_history() => {
                    Rc::make_mut(&mut s.history).push(Observed {
                        event: step,
                        time: step,
                        node,
                        what,
                    });
                }
                Effect::Observe(_) | Effect::Note(_) => {}
            }
        }
    }
}

/// Whether `choice` changed some node between `before` and `after`.
fn changed<P: Protocol>(choice: &Choice<P>, before: &State<P>, after: &State<P>) -> bool {
    match choice.node() {
        Some(n) => before.nodes[n.index()] != after.nodes[n.index()],
        None => before.nodes != after.nodes,
    }
}

/// Nodes that are up and wait for a timer.
fn waiting<P: Protocol>(state: &State<P>) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = state
        .timers
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| state.nodes[n.index()].up)
        .collect();
    out.dedup();
    out
}

/// Most nodes for which every split is tried; larger clusters try cutting off one node.
const SPLIT_ALL_UP_TO: usize = 10;

/// The islands a partition may cut off: every proper group that holds node 1 (the rest is the
/// other side, so each split is counted once).
fn islands(n: usize) -> Box<dyn Iterator<Item = Vec<NodeId>>> {
    if n < 2 {
        return Box::new(std::iter::empty());
    }
    if n > SPLIT_ALL_UP_TO {
        return Box::new((0..n).map(|i| vec![NodeId::from_index(i)]));
    }
    let full = (1u32 << (n - 1)) - 1;
    Box::new((0..full).map(move |mask| {
        std::iter::once(NodeId::from_index(0))
            .chain(
                (1..n)
                    .filter(|i| mask & (1 << (i - 1)) != 0)
                    .map(NodeId::from_index),
            )
            .collect()
    }))
}
