//! # Random walks: search that goes deep
//!
//! Breadth-first search finds the *shortest* way to a broken invariant, but it pays for every
//! interleaving of independent events on the way: at five Raft nodes it is still at depth 7 after
//! half a million states, while Raft's Figure 8 needs two dozen steps or more. The bugs these
//! algorithms are famous for live deep.
//!
//! So beside it there is a randomised search, as the testers of real systems use (Jepsen's
//! generators, FoundationDB's simulation, "swarm testing"): many independent *walks* from the
//! start, each taking one enabled choice after another at random until an invariant breaks, no
//! choice is left, or the walk reaches the depth bound. A walk sees only one path, but it sees
//! it to the end, and a million short walks cost what a million states cost.
//!
//! **Swarm testing.** A walk that always weighs every kind of choice the same explores the same
//! average behaviour a million times: messages delivered as soon as possible, a crash now and
//! then. Each walk therefore draws its own *mix* first: how much it favours deliveries, timers
//! and the script, and which faults it uses at all and how eagerly (one walk crashes nodes
//! often and never loses a message, the next loses messages and never crashes). Groen et al.
//! found that such diversity finds more bugs than any single tuned mix; it also means no choice
//! of weights here is a guess the search depends on.
//!
//! **Reproducible.** Walk number *k* draws from a generator seeded with the search's seed and
//! *k* alone, so a walk's path does not depend on how the search was sliced or shared between
//! threads; the same seed and number of walks always give the same findings.
//!
//! **Shrinking.** A random walk's path is long and mostly noise. Before it is shown, it is
//! shrunk as property-testing libraries shrink a failing input (delta debugging): cut the path
//! where the invariant first breaks, then try leaving out chunks of it, halving the chunk size
//! down to single steps, and keep each shorter path that is still possible and still breaks
//! *the same* invariant, until no single step can go. Message choices name their message by
//! content, so a path with steps left out still means the same thing where it can.

use super::{Choice, Explorer, Semantics, State};
use crate::protocol::{Protocol, Violation};
use crate::rng::SimRng;
use crate::NodeId;

/// The kinds of choice a walk's mix weighs.
const KINDS: usize = 9;
const SCRIPT: usize = 0;
const DELIVER: usize = 1;
const TIMER: usize = 2;
const LOSE: usize = 3;
const DUPLICATE: usize = 4;
const CRASH: usize = 5;
const RECOVER: usize = 6;
const PARTITION: usize = 7;
const HEAL: usize = 8;

/// How one walk weighs each kind of choice (0: never takes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mix([u64; KINDS]);

impl Mix {
    /// A walk's own mix: the steps that would happen anyway weighed from 1 to 16 each, and
    /// each fault, with even odds, left out or weighed from 1 to 4 (its undoing, recovery or
    /// healing, from 1 to 16, so that a crashed node usually comes back).
    fn draw(rng: &mut SimRng) -> Self {
        let mut w = [0; KINDS];
        for k in [SCRIPT, DELIVER, TIMER, RECOVER, HEAL] {
            w[k] = rng.between(1, 16);
        }
        for k in [LOSE, DUPLICATE, CRASH, PARTITION] {
            w[k] = if rng.below(2) == 0 {
                0
            } else {
                rng.between(1, 4)
            };
        }
        Mix(w)
    }
}

/// Where a random search stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalkProgress {
    /// Walks finished.
    pub walks: u64,
    /// Steps taken over all walks.
    pub steps: u64,
    /// The longest walk so far, in steps.
    pub deepest: u32,
    pub violations: usize,
}

/// A broken invariant a walk reached, its path shrunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkFound<P: Protocol> {
    pub violation: Violation,
    /// The walk that found it (its number: the seed and it replay the walk).
    pub walk: u64,
    /// Steps the walk took to break it.
    pub unshrunk: u32,
    /// The shrunk path: still possible, still breaking the same invariant.
    pub path: Vec<Choice<P>>,
}

/// A random search's bookkeeping; the explorer it walks is passed in, so that one explorer
/// can serve a breadth-first search first and random walks after (the `auto` strategy).
#[derive(Clone, Debug)]
pub struct Walks<P: Protocol> {
    seed: u64,
    /// The next walk's number, and how far apart this search's walks are numbered (a thread
    /// of `n` takes every `n`th walk).
    next: u64,
    stride: u64,
    progress: WalkProgress,
    found: Vec<WalkFound<P>>,
}

impl<P: Protocol> Walks<P> {
    /// Walks numbered `first`, `first + stride`, … from `seed`.
    pub fn new(seed: u64, first: u64, stride: u64) -> Self {
        Walks {
            seed,
            next: first,
            stride: stride.max(1),
            progress: WalkProgress::default(),
            found: Vec::new(),
        }
    }

    pub fn progress(&self) -> &WalkProgress {
        &self.progress
    }

    /// Each broken invariant, from the first walk that broke it.
    pub fn found(&self) -> &[WalkFound<P>] {
        &self.found
    }

    /// Walk until at least `steps` more steps are taken or `walks` walks are done in all.
    pub fn run_for(&mut self, explorer: &Explorer<P>, steps: u64, walks: u64) -> &WalkProgress {
        let until = self.progress.steps.saturating_add(steps);
        while self.progress.steps < until && self.progress.walks < walks {
            let number = self.next;
            self.next = self.next.wrapping_add(self.stride);
            let (path, broken) = walk(explorer, self.seed, number);
            self.progress.walks += 1;
            self.progress.steps += path.len() as u64;
            self.progress.deepest = self.progress.deepest.max(path.len() as u32);
            for violation in broken {
                if self
                    .found
                    .iter()
                    .any(|f| f.violation.invariant == violation.invariant)
                {
                    continue;
                }
                let shrunk = shrink(explorer, &path, violation.invariant);
                // The shrunk path breaks it where it ends; say it as it is there.
                let violation = broken_along(explorer, &shrunk)
                    .into_iter()
                    .find(|v| v.invariant == violation.invariant)
                    .unwrap_or(violation);
                self.found.push(WalkFound {
                    violation,
                    walk: number,
                    unshrunk: path.len() as u32,
                    path: shrunk,
                });
                self.progress.violations = self.found.len();
            }
        }
        &self.progress
    }
}

/// The generator of walk `number` of the search seeded `seed`.
fn generator(seed: u64, number: u64) -> SimRng {
    SimRng::seeded(seed ^ number.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17))
}

/// One walk: its path, and the invariants broken where it ended (none if it ended otherwise).
pub fn walk<P: Protocol>(
    explorer: &Explorer<P>,
    seed: u64,
    number: u64,
) -> (Vec<Choice<P>>, Vec<Violation>) {
    let mut rng = generator(seed, number);
    let mix = Mix::draw(&mut rng);
    let mut state = explorer.initial.clone();
    let mut path = Vec::new();
    'walk: while (path.len() as u32) < explorer.options.max_depth {
        // Pick a kind by the mix, then one choice of that kind; a kind whose picks are not
        // possible here (a timer of a crashed node, a message to a cut link) is set aside
        // after a few tries and the walk picks again among the rest.
        let mut present = present(explorer, &state);
        let mut tries = [0u8; KINDS];
        loop {
            let total: u64 = (0..KINDS).filter(|&k| present[k]).map(|k| mix.0[k]).sum();
            if total == 0 {
                break 'walk;
            }
            let mut pick = rng.below(total);
            let k = (0..KINDS)
                .filter(|&k| present[k])
                .find(|&k| {
                    if pick < mix.0[k] {
                        true
                    } else {
                        pick -= mix.0[k];
                        false
                    }
                })
                .expect("the pick is below the total");
            let next = sample(explorer, &state, k, &mut rng)
                .and_then(|choice| Some((explorer.step(&state, &choice)?, choice)));
            if let Some((next, choice)) = next {
                state = next;
                path.push(choice);
                break;
            }
            tries[k] += 1;
            if tries[k] >= 4 {
                present[k] = false;
            }
        }
        let broken = broken(explorer, &state);
        if !broken.is_empty() {
            return (path, broken);
        }
    }
    (path, Vec::new())
}

/// Which kinds of choice `state` has (a message kind: some message in the network; whether
/// one can be taken is up to [`sample`] and the step).
fn present<P: Protocol>(explorer: &Explorer<P>, state: &State<P>) -> [bool; KINDS] {
    let faults = explorer.options.faults;
    let counted = explorer.options.semantics != Semantics::UnorderedDup;
    let some_net = !state.net.is_empty();
    let any_down = state.nodes.iter().any(|n| !n.up);
    let partitioned = state.links.is_partitioned();
    let mut p = [false; KINDS];
    p[SCRIPT] = (state.script as usize) < explorer.script.len();
    p[DELIVER] = some_net;
    p[TIMER] = !state.timers.is_empty();
    p[LOSE] = counted && some_net && explorer.allowed(faults.loss, state, super::LOSS);
    p[DUPLICATE] = counted && some_net && explorer.allowed(faults.duplicate, state, super::DUP);
    p[CRASH] =
        explorer.allowed(faults.crash, state, super::CRASH) && state.nodes.iter().any(|n| n.up);
    p[RECOVER] = faults.crash.is_some() && any_down;
    p[PARTITION] = !partitioned
        && state.nodes.len() > 1
        && explorer.allowed(faults.partition, state, super::PARTITION);
    p[HEAL] = faults.partition.is_some() && partitioned;
    p
}

/// One choice of kind `kind`, drawn without listing every choice (the network of a long walk
/// holds hundreds of messages): a message at random, a timer at random, a node at random.
fn sample<P: Protocol>(
    explorer: &Explorer<P>,
    state: &State<P>,
    kind: usize,
    rng: &mut SimRng,
) -> Option<Choice<P>> {
    let net = &state.net;
    let random_message = |rng: &mut SimRng| -> Option<usize> {
        (!net.is_empty()).then(|| rng.below(net.len() as u64) as usize)
    };
    // The place of message `i` among the equal messages before it.
    let nth = |i: usize| net[..i].iter().filter(|o| **o == net[i]).count() as u32;
    Some(match kind {
        SCRIPT => Choice::Script(state.script),
        DELIVER => {
            let mut i = random_message(rng)?;
            if explorer.options.semantics == Semantics::Ordered {
                // Only the head of a link's queue can arrive.
                i = net
                    .iter()
                    .position(|o| o.from == net[i].from && o.to == net[i].to)?;
            }
            let e = &net[i];
            Choice::Deliver {
                from: e.from,
                to: e.to,
                msg: e.msg.clone(),
                nth: if explorer.options.semantics == Semantics::Unordered {
                    nth(i)
                } else {
                    0
                },
            }
        }
        TIMER => {
            let (node, timer) = state
                .timers
                .get(rng.below(state.timers.len() as u64) as usize)?;
            Choice::Timer {
                node: *node,
                timer: timer.clone(),
            }
        }
        LOSE | DUPLICATE => {
            let i = random_message(rng)?;
            let (from, to, msg, nth) = (net[i].from, net[i].to, net[i].msg.clone(), nth(i));
            if kind == LOSE {
                Choice::Lose { from, to, msg, nth }
            } else {
                Choice::Duplicate { from, to, msg, nth }
            }
        }
        CRASH | RECOVER => {
            let want_up = kind == CRASH;
            let nodes: Vec<NodeId> = state
                .nodes
                .iter()
                .filter(|n| n.up == want_up)
                .map(|n| n.id)
                .collect();
            let node = *nodes.get(rng.below(nodes.len().max(1) as u64) as usize)?;
            if want_up {
                Choice::Crash(node)
            } else {
                Choice::Recover(node)
            }
        }
        PARTITION => {
            // Any island but the whole cluster: each node in or out at random, node 1 in (an
            // island and the rest are the same split whichever side is named).
            let n = state.nodes.len();
            let mut island = vec![NodeId::from_index(0)];
            island.extend((1..n).filter(|_| rng.below(2) == 0).map(NodeId::from_index));
            if island.len() == n {
                island.pop();
            }
            Choice::Partition(island)
        }
        _ => Choice::Heal,
    })
}

/// The state after `choice`, if it is possible in `state`. Under set semantics the explorer's
/// own step trusts that a message it delivers is in the set of messages ever sent (its choices
/// come from there; the other networks look the message up anyway); a path with steps left out
/// must be checked.
fn step<P: Protocol>(
    explorer: &Explorer<P>,
    state: &State<P>,
    choice: &Choice<P>,
) -> Option<State<P>> {
    if let (Semantics::UnorderedDup, Choice::Deliver { from, to, msg, .. }) =
        (explorer.options.semantics, choice)
    {
        if !state
            .net
            .iter()
            .any(|e| e.from == *from && e.to == *to && e.msg == *msg)
        {
            return None;
        }
    }
    explorer.step(state, choice)
}

/// The invariants `state` breaks.
fn broken<P: Protocol>(explorer: &Explorer<P>, state: &State<P>) -> Vec<Violation> {
    let mut broken = explorer.protocol.check(&state.nodes);
    if !state.history.is_empty() {
        broken.extend(explorer.protocol.check_history(&state.history));
    }
    broken
}

/// The invariants broken at the end of `path` (none if a step is not possible).
fn broken_along<P: Protocol>(explorer: &Explorer<P>, path: &[Choice<P>]) -> Vec<Violation> {
    let mut state = explorer.initial.clone();
    for choice in path {
        match step(explorer, &state, choice) {
            Some(next) => state = next,
            None => return Vec::new(),
        }
    }
    broken(explorer, &state)
}

/// How many steps of `path` it takes to break `invariant`, if following it does (every step
/// possible, and no other invariant broken first: the learner should see the one asked for).
pub fn breaks<P: Protocol>(
    explorer: &Explorer<P>,
    path: &[Choice<P>],
    invariant: &str,
) -> Option<usize> {
    let mut state = explorer.initial.clone();
    for (i, choice) in path.iter().enumerate() {
        state = step(explorer, &state, choice)?;
        let broken = broken(explorer, &state);
        if broken.iter().any(|v| v.invariant == invariant) {
            return Some(i + 1);
        }
        if !broken.is_empty() {
            return None;
        }
    }
    None
}

/// The shortest path this finds that still breaks `invariant`: `path` cut where it first breaks
/// it, then chunks of steps left out while it still does, down to single steps (see the essay
/// above). Never longer than `path`'s failing prefix, and never a path that does not fail.
pub fn shrink<P: Protocol>(
    explorer: &Explorer<P>,
    path: &[Choice<P>],
    invariant: &str,
) -> Vec<Choice<P>> {
    let Some(end) = breaks(explorer, path, invariant) else {
        return path.to_vec();
    };
    let mut best = path[..end].to_vec();
    let mut chunk = best.len().div_ceil(2).max(1);
    loop {
        let mut smaller = false;
        let mut at = 0;
        while at < best.len() {
            let mut candidate = Vec::with_capacity(best.len());
            candidate.extend_from_slice(&best[..at]);
            candidate.extend_from_slice(&best[(at + chunk).min(best.len())..]);
            match breaks(explorer, &candidate, invariant) {
                Some(end) => {
                    candidate.truncate(end);
                    best = candidate;
                    smaller = true;
                }
                None => at += chunk,
            }
        }
        if chunk == 1 {
            if !smaller {
                return best;
            }
        } else {
            chunk = chunk.div_ceil(2);
        }
    }
}
