//! # Is a history of one register linearizable?
//!
//! Seed 003's strong consistency ("用户上一次写什么，下一次就保证能读到什么") made exact:
//! a history of reads, writes and compare-and-sets, each an invocation and a response at
//! virtual times, is *linearizable* when every operation can be given one instant between its
//! invocation and its response such that, taken in the order of those instants, every read
//! returns the value of the write just before it and every compare-and-set that answered
//! "swapped" found the value it expected. An operation that finished before another began must
//! come first; two that overlap may go either way.
//!
//! Real clients do not always learn what happened. An operation without an answer (the client
//! timed out, crashed, or the server refused after applying it; Jepsen's `:info`) may have
//! taken effect at any instant after its invocation, or never: it may go anywhere after its
//! invocation, including after everything else, which is the same as never. A read that never
//! got its answer constrains nothing. A compare-and-set that answered "the register did not
//! hold what I expected" (Jepsen's `:fail`) changed nothing, but it is still an observation: at
//! its instant the register held something else. That is how Porcupine reads Jepsen's etcd
//! histories, and the checker agrees with its published verdicts on every one of them (the
//! scenario crate's `jepsen` test).
//!
//! The search is Wing and Gong's, with Lowe's memoization as Knossos and Porcupine use it: walk
//! the invocations and responses in time order; at an invocation, try to linearize that
//! operation now (a write always fits, a read only if it returns the current value, a
//! compare-and-set only if its answer agrees with the current value), take it out of the list
//! and start again from the front; at a response whose operation is not yet linearized, the
//! last choice was wrong, so undo it and try the next invocation instead. A pair (set of
//! operations linearized, register value) already tried is never tried again, which bounds the
//! work by the number of such pairs: a few per operation when little overlaps.
//!
//! When the history is not linearizable the checker says which operation cannot be explained:
//! the one whose response ends the shortest failing prefix of the history (the search notes
//! the furthest it got: the earliest response it could not pass), the operation it conflicts
//! with, so that the page can point at both, and one linearization of the longest prefix that
//! can be explained.
//!
//! Two weaker models the texts name are checked beside it: *sequential* consistency keeps
//! every client's own order but ignores real time between clients, and reads *settle* (seed
//! 003's eventual consistency, as far as a history shows it) when, once writes stop, every
//! client's last read returns the same value.

use clusterplay_sim::explore::IdHasher;
use clusterplay_sim::Time;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

pub type Value = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Read,
    Write,
    /// Compare-and-set: if the register holds `expect`, set it to `value`.
    Cas,
}

/// One client operation on the register.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    pub client: u32,
    pub kind: Kind,
    /// For a write the value written; for a read the value returned (meaningless without a
    /// response); for a compare-and-set the value it sets.
    pub value: Value,
    /// For a compare-and-set the value it expects; 0 otherwise.
    pub expect: Value,
    pub invoke: Time,
    /// When the client got its answer; `None` if it never did.
    pub response: Option<Time>,
    /// A compare-and-set answered that the register did not hold `expect`, so it set nothing.
    pub refused: bool,
}

impl Operation {
    pub fn read(client: u32, value: Value, invoke: Time, response: Option<Time>) -> Self {
        Operation {
            client,
            kind: Kind::Read,
            value,
            expect: 0,
            invoke,
            response,
            refused: false,
        }
    }

    pub fn write(client: u32, value: Value, invoke: Time, response: Option<Time>) -> Self {
        Operation {
            kind: Kind::Write,
            ..Operation::read(client, value, invoke, response)
        }
    }

    /// A compare-and-set from `expect` to `value`; `refused` when it answered that the
    /// register held something else.
    pub fn cas(
        client: u32,
        expect: Value,
        value: Value,
        invoke: Time,
        response: Option<Time>,
        refused: bool,
    ) -> Self {
        Operation {
            kind: Kind::Cas,
            expect,
            refused: refused && response.is_some(),
            ..Operation::read(client, value, invoke, response)
        }
    }

    fn end(&self) -> Time {
        self.response.unwrap_or(Time::MAX)
    }

    /// A write, or a compare-and-set that swapped, that the client saw take effect.
    fn acknowledged_write(&self) -> bool {
        self.response.is_some() && self.sets_value()
    }

    /// It sets `value` when it takes effect (a compare-and-set not known to have been refused).
    fn sets_value(&self) -> bool {
        match self.kind {
            Kind::Write => true,
            Kind::Cas => !self.refused,
            Kind::Read => false,
        }
    }

    /// The value the client learned the register held: a read's answer, or what a swapped
    /// compare-and-set found.
    fn observed(&self) -> Option<Value> {
        self.response?;
        match self.kind {
            Kind::Read => Some(self.value),
            Kind::Cas if !self.refused => Some(self.expect),
            _ => None,
        }
    }

    /// The register after this operation at `state`, if it fits there; `known` says whether
    /// its answer counts (an answer after a prefix's cut does not).
    fn apply(&self, state: Value, known: bool) -> Option<Value> {
        match self.kind {
            Kind::Write => Some(self.value),
            Kind::Read => (self.value == state).then_some(state),
            Kind::Cas if !known => Some(if state == self.expect {
                self.value
            } else {
                state
            }),
            Kind::Cas if self.refused => (state != self.expect).then_some(state),
            Kind::Cas => (state == self.expect).then_some(self.value),
        }
    }
}

/// Why the unexplained operation cannot be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The conflicting write was acknowledged before the read began, yet the read returned an
    /// older value.
    Stale,
    /// An earlier read (the conflicting operation) already returned a newer value.
    WentBack,
    /// The value returned was written only after the read had its answer.
    FromTheFuture,
    /// Nobody ever wrote the value returned.
    NeverWritten,
    /// Several overlapping operations together leave no order.
    NoOrder,
}

impl Reason {
    /// The reason as the outcome's and `check-history`'s JSON name it.
    pub fn key(self) -> &'static str {
        match self {
            Reason::Stale => "stale",
            Reason::WentBack => "went-back",
            Reason::FromTheFuture => "from-the-future",
            Reason::NeverWritten => "never-written",
            Reason::NoOrder => "no-order",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// Index into the history of the first operation that cannot be explained.
    pub op: usize,
    /// The operation it conflicts with, when one alone shows the problem.
    pub conflict: Option<usize>,
    pub reason: Reason,
    /// The longest prefix that can be explained ends at this instant: what was invoked by then
    /// counts, answers after it do not. `None` when even the first answer cannot be explained.
    pub prefix_cut: Option<Time>,
    /// One order that explains that prefix, by index into the history.
    pub linearization: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable,
    NotLinearizable(Counterexample),
    /// The search gave up after its step budget: too many overlapping operations.
    Unknown,
}

/// Most search steps one check may take; far above what a history of a thousand operations
/// with a handful of clients needs, and a bound on the time a hostile history can cost.
pub const STEP_BUDGET: u64 = 2_000_000;

/// Check `history` of a single register that starts at `initial`.
pub fn check(history: &[Operation], initial: Value) -> Verdict {
    check_within(history, initial, STEP_BUDGET)
}

/// [`check`] with at most `budget` search steps.
pub fn check_within(history: &[Operation], initial: Value, budget: u64) -> Verdict {
    decide(history, initial, budget).0
}

/// [`check`], and when the history is linearizable one order of its operations (indices)
/// that explains it, from the same search.
pub fn check_explained(history: &[Operation], initial: Value) -> (Verdict, Vec<usize>) {
    decide(history, initial, STEP_BUDGET)
}

/// The verdict, with the explaining order when it is [`Verdict::Linearizable`] (empty
/// otherwise: a counterexample carries its own prefix's order).
fn decide(history: &[Operation], initial: Value, budget: u64) -> (Verdict, Vec<usize>) {
    let mut budget = budget;
    // A value observed that nobody wrote needs no search, and would make the search try every
    // order of the writes overlapping it.
    let invented = (0..history.len())
        .filter(|&i| {
            history[i].observed().is_some_and(|v| {
                v != initial && !history.iter().any(|w| w.sets_value() && w.value == v)
            })
        })
        .min_by_key(|&i| (history[i].end(), i));
    // With an invented value, only the history up to the last answer before it may still be
    // explained, and is searched instead of the whole.
    let searched = match invented {
        Some(op) => {
            let end = history[op].end();
            match before(history, end) {
                // Nothing was answered before the invented value.
                None => Search::Refuted {
                    reached: end,
                    order: Vec::new(),
                },
                Some(c) => match search(history, Some(c), initial, &mut budget) {
                    Search::Explained(order) => Search::Refuted {
                        reached: end,
                        order,
                    },
                    other => other,
                },
            }
        }
        None => search(history, None, initial, &mut budget),
    };
    let (reached, linearization) = match searched {
        Search::Explained(order) => return (Verdict::Linearizable, order),
        Search::OutOfSteps => return (Verdict::Unknown, Vec::new()),
        Search::Refuted { reached, order } => (reached, order),
    };
    let answered_then = |o: &Operation| o.response == Some(reached);
    let op = invented
        .filter(|&op| history[op].end() == reached)
        .or_else(|| {
            history
                .iter()
                .position(|o| answered_then(o) && o.observed().is_some())
        })
        .or_else(|| history.iter().position(|o| answered_then(o) && o.refused))
        .or_else(|| history.iter().position(answered_then))
        .unwrap_or(0);
    let (conflict, reason) = explain(history, op, initial);
    let counterexample = Counterexample {
        op,
        conflict,
        reason,
        prefix_cut: before(history, reached),
        linearization,
    };
    (Verdict::NotLinearizable(counterexample), Vec::new())
}

/// The last answer before `t`, if any.
fn before(h: &[Operation], t: Time) -> Option<Time> {
    h.iter().filter_map(|o| o.response).filter(|&r| r < t).max()
}

/// Which single operation shows why operation `r`, which observed a value, cannot be placed.
fn explain(h: &[Operation], r: usize, initial: Value) -> (Option<usize>, Reason) {
    let read = &h[r];
    let Some(v) = read.observed() else {
        return (None, Reason::NoOrder);
    };
    let writes_of_v: Vec<usize> = (0..h.len())
        .filter(|&i| i != r && h[i].sets_value() && h[i].value == v)
        .collect();
    if writes_of_v.is_empty() && v != initial {
        return (None, Reason::NeverWritten);
    }
    if v != initial && writes_of_v.iter().all(|&w| h[w].invoke > read.end()) {
        return (writes_of_v.first().copied(), Reason::FromTheFuture);
    }
    // The newest write acknowledged before the read began that definitely replaced every
    // write of v.
    let newer = (0..h.len())
        .filter(|&w| {
            h[w].acknowledged_write()
                && h[w].value != v
                && h[w].end() < read.invoke
                && writes_of_v.iter().all(|&x| h[x].end() < h[w].invoke)
        })
        .max_by_key(|&w| (h[w].end(), w));
    if let Some(w) = newer {
        return (Some(w), Reason::Stale);
    }
    let earlier_read = (0..h.len())
        .filter(|&e| {
            h[e].observed().is_some_and(|seen| {
                seen != v
                    && h[e].end() < read.invoke
                    && writes_of_v.iter().all(|&x| {
                        h.iter()
                            .any(|w| w.sets_value() && w.value == seen && h[x].end() < w.invoke)
                    })
            })
        })
        .max_by_key(|&e| (h[e].end(), e));
    if let Some(e) = earlier_read {
        return (Some(e), Reason::WentBack);
    }
    (None, Reason::NoOrder)
}

const NONE: usize = usize::MAX;

/// What one search found.
enum Search {
    /// One order that explains the operations taking part, by index into the history.
    Explained(Vec<usize>),
    /// No order explains them all. The search went furthest when every operation answered
    /// before `reached` was placed, in `order`; the history cut just before `reached` is
    /// linearizable, and the one cut at it is not.
    Refuted {
        reached: Time,
        order: Vec<usize>,
    },
    OutOfSteps,
}

/// SplitMix64: a fixed random key for each operation, so the memo's hash of a set of
/// operations is the xor of its members' keys and changes in O(1) as one is lifted.
fn key(k: usize) -> u64 {
    let mut z = (k as u64)
        .wrapping_add(1)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The (set of operations linearized, register value) pairs tried: a hash map from their
/// hash to a chain of entries in flat arrays, compared in full, so that a pair is never
/// mistaken for another and the search allocates only when it meets a new pair.
struct Memo {
    words: usize,
    // The lifted operations' keys, xored, are already random: no need to hash them again.
    first: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    bits: Vec<u64>,
    values: Vec<Value>,
    next: Vec<u32>,
}

impl Memo {
    fn new(words: usize) -> Self {
        Memo {
            words,
            first: HashMap::default(),
            bits: Vec::new(),
            values: Vec::new(),
            next: Vec::new(),
        }
    }

    /// Records the pair; `false` if it was there already.
    fn insert(&mut self, hash: u64, done: &[u64], value: Value) -> bool {
        let hash = hash ^ value.wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(31);
        let fresh = self.values.len() as u32;
        let head = *self.first.entry(hash).or_insert(fresh);
        let mut at = head;
        while at != fresh && at != u32::MAX {
            let i = at as usize;
            if self.values[i] == value && self.bits[i * self.words..(i + 1) * self.words] == *done {
                return false;
            }
            at = self.next[i];
        }
        if head != fresh {
            self.first.insert(hash, fresh);
        }
        self.next.push(if head == fresh { u32::MAX } else { head });
        self.bits.extend_from_slice(done);
        self.values.push(value);
        true
    }
}

/// Wing–Gong search with memoization over the operations of `h`; with `cut`, only what was
/// invoked by then counts, and responses after it are treated as never received. The steps
/// taken are taken off `budget`.
fn search(h: &[Operation], cut: Option<Time>, initial: Value, budget: &mut u64) -> Search {
    // The operations taking part, with when they ended and whether their answer counts:
    // unanswered reads say nothing.
    let mut part: Vec<(usize, Time, bool)> = Vec::with_capacity(h.len());
    for (i, o) in h.iter().enumerate() {
        if cut.is_some_and(|c| o.invoke > c) {
            continue;
        }
        let end = match (o.response, cut) {
            (Some(r), Some(c)) if r > c => None,
            (r, _) => r,
        };
        if o.kind == Kind::Read && end.is_none() {
            continue;
        }
        part.push((i, end.unwrap_or(Time::MAX), end.is_some()));
    }
    // Entries: 2k for the invocation of part[k], 2k+1 for its response. Invocations come
    // before responses at the same instant: such operations overlap.
    let n = part.len();
    let mut order: Vec<(Time, bool, usize)> = Vec::with_capacity(2 * n);
    for (k, &(i, end, _)) in part.iter().enumerate() {
        order.push((h[i].invoke, false, 2 * k));
        order.push((end, true, 2 * k + 1));
    }
    order.sort_unstable();
    // A doubly linked list over entries; slot 2n is the head.
    let head = 2 * n;
    let mut next = vec![NONE; 2 * n + 1];
    let mut prev = vec![NONE; 2 * n + 1];
    let mut last = head;
    for &(_, _, e) in &order {
        next[last] = e;
        prev[e] = last;
        last = e;
    }
    let keys: Vec<u64> = (0..n).map(key).collect();
    let mut hash = 0u64;
    let mut done = vec![0u64; n.div_ceil(64)];
    let mut memo = Memo::new(done.len());
    let mut stack: Vec<(usize, Value)> = Vec::new();
    let mut state = initial;
    let mut entry = next[head];
    // The earliest response not yet lifted: everything answered before it is placed.
    let first_response = |next: &[usize]| {
        let mut e = next[head];
        while e != NONE && e.is_multiple_of(2) {
            e = next[e];
        }
        if e == NONE {
            Time::MAX
        } else {
            part[e / 2].1
        }
    };
    let mut reached = first_response(&next);
    let mut best: Vec<usize> = Vec::new();
    let lift = |e: usize, next: &mut Vec<usize>, prev: &mut Vec<usize>| {
        let r = e + 1;
        next[prev[e]] = next[e];
        if next[e] != NONE {
            prev[next[e]] = prev[e];
        }
        next[prev[r]] = next[r];
        if next[r] != NONE {
            prev[next[r]] = prev[r];
        }
    };
    let unlift = |e: usize, next: &mut Vec<usize>, prev: &mut Vec<usize>| {
        let r = e + 1;
        next[prev[r]] = r;
        if next[r] != NONE {
            prev[next[r]] = r;
        }
        next[prev[e]] = e;
        if next[e] != NONE {
            prev[next[e]] = e;
        }
    };
    let refuted = |reached: Time, best: Vec<usize>| Search::Refuted {
        reached,
        order: best.iter().map(|&k| part[k].0).collect(),
    };
    while next[head] != NONE {
        if *budget == 0 {
            return Search::OutOfSteps;
        }
        *budget -= 1;
        if entry == NONE {
            // Only responses block progress, and the list ends with one.
            return refuted(reached, best);
        }
        let k = entry / 2;
        if entry.is_multiple_of(2) {
            let (i, _, known) = part[k];
            if let Some(after) = h[i].apply(state, known) {
                done[k / 64] |= 1 << (k % 64);
                if memo.insert(hash ^ keys[k], &done, after) {
                    hash ^= keys[k];
                    stack.push((entry, state));
                    state = after;
                    lift(entry, &mut next, &mut prev);
                    entry = next[head];
                    let now = first_response(&next);
                    if now > reached {
                        reached = now;
                        best = stack.iter().map(|&(e, _)| e / 2).collect();
                    }
                    continue;
                }
                done[k / 64] &= !(1 << (k % 64));
            }
            entry = next[entry];
        } else {
            let Some((call, before)) = stack.pop() else {
                return refuted(reached, best);
            };
            let j = call / 2;
            done[j / 64] &= !(1 << (j % 64));
            hash ^= keys[j];
            state = before;
            unlift(call, &mut next, &mut prev);
            entry = next[call];
        }
    }
    Search::Explained(stack.iter().map(|&(e, _)| part[e / 2].0).collect())
}

/// Sequential consistency: one order of all operations that keeps every client's own order
/// (by invocation) and explains every answer, real time between clients ignored. Operations
/// without an answer may be left out. `None` when `budget` search steps did not decide.
pub fn sequentially_consistent(h: &[Operation], initial: Value, budget: u64) -> Option<bool> {
    let mut clients: Vec<u32> = h.iter().map(|o| o.client).collect();
    clients.sort_unstable();
    clients.dedup();
    let programs: Vec<Vec<usize>> = clients
        .iter()
        .map(|&c| {
            let mut ops: Vec<usize> = (0..h.len())
                .filter(|&i| {
                    h[i].client == c && !(h[i].kind == Kind::Read && h[i].response.is_none())
                })
                .collect();
            ops.sort_by_key(|&i| (h[i].invoke, i));
            ops
        })
        .collect();
    // Depth first over (how far each client got, register value), each tried once, trying
    // first the operation invoked earliest: real time is usually a good guide to an order.
    let start = (vec![0usize; programs.len()], initial);
    let mut seen: HashSet<(Vec<usize>, Value)> = HashSet::new();
    let mut todo = vec![start.clone()];
    seen.insert(start);
    let mut steps = 0u64;
    let mut moves: Vec<(Time, usize, Value)> = Vec::new();
    while let Some((at, state)) = todo.pop() {
        if at.iter().zip(&programs).all(|(&a, p)| a == p.len()) {
            return Some(true);
        }
        moves.clear();
        for (c, p) in programs.iter().enumerate() {
            let Some(&i) = p.get(at[c]) else {
                continue;
            };
            let o = &h[i];
            let known = o.response.is_some();
            if let Some(after) = o.apply(state, known) {
                moves.push((o.invoke, c, after));
            }
            if !known {
                // It may never have happened.
                moves.push((Time::MAX, c, state));
            }
        }
        steps += 1;
        if steps > budget {
            return None;
        }
        moves.sort_unstable_by(|a, b| b.cmp(a));
        for &(_, c, after) in &moves {
            let mut next = at.clone();
            next[c] += 1;
            if seen.insert((next.clone(), after)) {
                todo.push((next, after));
            }
        }
    }
    Some(false)
}

/// Whether reads settle once writes stop, as eventual consistency promises: every client's
/// last read that began after the last write (and after every answered write had its answer)
/// returned the same value. `None` when no read began that late.
pub fn reads_settle(h: &[Operation]) -> Option<bool> {
    let quiet = h
        .iter()
        .filter(|o| o.sets_value())
        .map(|o| o.response.unwrap_or(o.invoke).max(o.invoke))
        .max()
        .unwrap_or(0);
    let mut last: std::collections::BTreeMap<u32, (Time, Value)> = Default::default();
    for o in h
        .iter()
        .filter(|o| o.kind == Kind::Read && o.response.is_some() && o.invoke > quiet)
    {
        let at = last.entry(o.client).or_insert((o.invoke, o.value));
        if o.invoke >= at.0 {
            *at = (o.invoke, o.value);
        }
    }
    let mut values = last.values().map(|&(_, v)| v);
    let first = values.next()?;
    Some(values.all(|v| v == first))
}

/// Reads that returned a value some acknowledged write had definitely replaced before the read
/// began: what a client of a lagging replica sees.
pub fn stale_reads(h: &[Operation], initial: Value) -> Vec<usize> {
    (0..h.len())
        .filter(|&r| {
            let read = &h[r];
            read.kind == Kind::Read
                && read.response.is_some()
                && h.iter().any(|w| {
                    w.acknowledged_write()
                        && w.value != read.value
                        && w.end() < read.invoke
                        && replaces(h, w, read.value, initial)
                })
        })
        .collect()
}

/// Whether write `w` definitely came after every write of `v` (and after the initial value).
fn replaces(h: &[Operation], w: &Operation, v: Value, initial: Value) -> bool {
    let mut any = false;
    for x in h.iter().filter(|x| x.kind == Kind::Write && x.value == v) {
        any = true;
        if x.end() >= w.invoke {
            return false;
        }
    }
    any || v == initial
}

/// Acknowledged writes that the register's final value does not reflect: the final value
/// comes from no write that could have followed them.
pub fn lost_writes(h: &[Operation], last: Value) -> Vec<usize> {
    (0..h.len())
        .filter(|&i| {
            let w = &h[i];
            w.acknowledged_write()
                && !h
                    .iter()
                    .any(|x| x.kind == Kind::Write && x.value == last && x.end() >= w.invoke)
        })
        .collect()
}

/// Seed 003's eventual consistency, checked once writes have stopped: every replica in
/// `finals` holds the same value, and it is the value of a write no acknowledged write
/// definitely replaced (or the initial value when nobody wrote).
pub fn eventually_consistent(h: &[Operation], initial: Value, finals: &[Value]) -> bool {
    let Some(&v) = finals.first() else {
        return true;
    };
    if finals.iter().any(|&f| f != v) {
        return false;
    }
    let writes: Vec<&Operation> = h.iter().filter(|o| o.kind == Kind::Write).collect();
    if writes.is_empty() {
        return v == initial;
    }
    writes.iter().any(|w| {
        w.value == v
            && !writes
                .iter()
                .any(|x| x.acknowledged_write() && x.invoke > w.end())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(client: u32, value: Value, invoke: Time, response: Option<Time>) -> Operation {
        Operation::write(client, value, invoke, response)
    }

    fn r(client: u32, value: Value, invoke: Time, response: Option<Time>) -> Operation {
        Operation::read(client, value, invoke, response)
    }

    fn refuted(v: Verdict) -> Counterexample {
        match v {
            Verdict::NotLinearizable(c) => c,
            other => panic!("expected a counterexample, got {other:?}"),
        }
    }

    #[test]
    fn an_empty_history_and_a_sequential_one_are_linearizable() {
        assert_eq!(check(&[], 0), Verdict::Linearizable);
        let h = [
            w(1, 1, 0, Some(10)),
            r(2, 1, 20, Some(30)),
            w(2, 2, 40, Some(50)),
            r(1, 2, 60, Some(70)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
    }

    #[test]
    fn overlapping_operations_may_take_either_order() {
        // The read overlaps the write: old or new value are both fine.
        for seen in [0, 1] {
            let h = [w(1, 1, 0, Some(100)), r(2, seen, 10, Some(20))];
            assert_eq!(check(&h, 0), Verdict::Linearizable, "read {seen}");
        }
        // Two overlapping writes, then reads agreeing on the later one's value.
        let h = [
            w(1, 1, 0, Some(50)),
            w(2, 2, 10, Some(40)),
            r(3, 1, 60, Some(70)),
            r(3, 1, 80, Some(90)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
    }

    #[test]
    fn a_stale_read_after_an_acknowledged_write_is_not() {
        let h = [
            w(1, 1, 0, Some(10)),
            w(1, 2, 20, Some(30)),
            r(2, 1, 40, Some(50)),
        ];
        let c = refuted(check(&h, 0));
        assert_eq!((c.op, c.conflict, c.reason), (2, Some(1), Reason::Stale));
    }

    #[test]
    fn reads_that_go_back_in_time_are_not() {
        // The write overlaps both reads, but the first read saw the new value and the second,
        // which began after it, the old one.
        let h = [
            w(1, 1, 0, Some(100)),
            r(2, 1, 10, Some(20)),
            r(3, 0, 30, Some(40)),
        ];
        let c = refuted(check(&h, 0));
        assert_eq!((c.op, c.conflict, c.reason), (2, Some(1), Reason::WentBack));
    }

    #[test]
    fn values_nobody_wrote_or_written_later_are_not() {
        let c = refuted(check(&[r(1, 7, 0, Some(10))], 0));
        assert_eq!(
            (c.op, c.conflict, c.reason),
            (0, None, Reason::NeverWritten)
        );
        let c = refuted(check(&[r(1, 7, 0, Some(10)), w(2, 7, 20, Some(30))], 0));
        assert_eq!(
            (c.op, c.conflict, c.reason),
            (0, Some(1), Reason::FromTheFuture)
        );
    }

    #[test]
    fn a_pending_write_may_take_effect_or_not() {
        // Never answered: one reader sees it, a later one sees it too.
        let h = [
            w(1, 1, 0, None),
            r(2, 1, 10, Some(20)),
            r(3, 1, 30, Some(40)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
        // Or nobody ever sees it.
        let h = [
            w(1, 1, 0, None),
            r(2, 0, 10, Some(20)),
            r(3, 0, 500, Some(510)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
        // But once seen it cannot be unseen.
        let h = [
            w(1, 1, 0, None),
            r(2, 1, 10, Some(20)),
            r(3, 0, 30, Some(40)),
        ];
        let c = refuted(check(&h, 0));
        assert_eq!(c.op, 2);
        // An unanswered read constrains nothing.
        let h = [w(1, 1, 0, Some(5)), r(2, 9, 10, None)];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
    }

    #[test]
    fn the_first_unexplained_read_is_reported_not_a_later_one() {
        let h = [
            w(1, 1, 0, Some(10)),
            r(2, 0, 20, Some(30)),
            w(1, 2, 40, Some(50)),
            r(2, 1, 60, Some(70)),
        ];
        let c = refuted(check(&h, 0));
        assert_eq!((c.op, c.conflict, c.reason), (1, Some(0), Reason::Stale));
    }

    #[test]
    fn metrics_count_stale_reads_lost_writes_and_convergence() {
        let h = [
            w(1, 1, 0, Some(10)),
            w(1, 2, 20, Some(30)),
            r(2, 1, 40, Some(50)),
            r(2, 2, 60, Some(70)),
        ];
        assert_eq!(stale_reads(&h, 0), vec![2]);
        assert!(lost_writes(&h, 2).is_empty());
        // The replica that survived only ever had the first write.
        assert_eq!(lost_writes(&h, 1), vec![1]);
        assert_eq!(lost_writes(&h, 0), vec![0, 1]);
        assert!(eventually_consistent(&h, 0, &[2, 2, 2]));
        assert!(!eventually_consistent(&h, 0, &[2, 1, 2]));
        assert!(!eventually_consistent(&h, 0, &[1, 1, 1]));
        assert!(eventually_consistent(&[], 0, &[0, 0]));
    }

    /// A register on one server that `clients` clients use at random moments with `overlap`
    /// in flight at most: linearizable by construction (each operation takes effect at a
    /// point inside its interval). With `stale`, one read late in the run returns an old
    /// value.
    fn generated(ops: usize, clients: u32, stale: bool) -> Vec<Operation> {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut rand = move |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let mut value = 0;
        let mut free_at = vec![0; clients as usize];
        let mut h = Vec::with_capacity(ops);
        let mut now = 0;
        for i in 0..ops {
            let c = (i as u32) % clients;
            now += 1 + rand(3);
            let invoke = now.max(free_at[c as usize]);
            let point = invoke + 1 + rand(5);
            let response = point + 1 + rand(5);
            free_at[c as usize] = response + 1;
            let op = if rand(2) == 0 {
                value = i as u64 + 1;
                w(c + 1, value, invoke, Some(response))
            } else {
                r(c + 1, value, invoke, Some(response))
            };
            h.push(op);
            now = point;
        }
        if stale {
            let end = h.iter().map(|o| o.end()).max().unwrap_or(0);
            h.push(w(clients + 1, u64::MAX - 1, end + 10, Some(end + 20)));
            h.push(r(clients + 1, value, end + 30, Some(end + 40)));
        }
        h
    }

    #[test]
    fn a_thousand_operations_check_within_a_bounded_search() {
        let h = generated(1_000, 4, false);
        assert_eq!(check(&h, 0), Verdict::Linearizable);
        let h = generated(1_000, 4, true);
        let c = refuted(check(&h, 0));
        assert_eq!(
            (c.op, c.conflict, c.reason),
            (1_001, Some(1_000), Reason::Stale)
        );
    }

    #[test]
    fn the_step_budget_bounds_a_hostile_history() {
        // Forty overlapping writes and a read of a value nobody wrote: answered without a
        // search.
        let mut h: Vec<Operation> = (0..40)
            .map(|i| w(i, u64::from(i) + 1, 0, Some(100)))
            .collect();
        h.push(r(99, 999, 200, Some(210)));
        let c = refuted(check(&h, 0));
        assert_eq!((c.op, c.reason), (40, Reason::NeverWritten));
        // Twelve overlapping writes, then reads that go back: every subset of the writes is
        // a state to try, and a small budget gives up instead of trying them all.
        let mut h: Vec<Operation> = (0..12)
            .map(|i| w(i, u64::from(i) + 1, 0, Some(100)))
            .collect();
        h.extend([
            r(99, 1, 200, Some(210)),
            r(99, 2, 300, Some(310)),
            r(99, 1, 400, Some(410)),
        ]);
        assert_eq!(check_within(&h, 0, 10_000), Verdict::Unknown);
        let c = refuted(check(&h, 0));
        assert_eq!(c.op, 13);
    }

    fn cas(
        client: u32,
        expect: Value,
        value: Value,
        span: (Time, Option<Time>),
        refused: bool,
    ) -> Operation {
        Operation::cas(client, expect, value, span.0, span.1, refused)
    }

    #[test]
    fn a_compare_and_set_fits_only_where_its_answer_agrees() {
        // Swapped: the register held 1, so a later read sees 2.
        let h = [
            w(1, 1, 0, Some(10)),
            cas(2, 1, 2, (20, Some(30)), false),
            r(3, 2, 40, Some(50)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
        // It swapped though the register held 0.
        let h = [cas(2, 1, 2, (0, Some(10)), false), r(3, 2, 20, Some(30))];
        assert!(matches!(check(&h, 0), Verdict::NotLinearizable(_)));
        // Refused though the register held what it expected: it saw something else, and no
        // write overlaps to explain that.
        let h = [w(1, 1, 0, Some(10)), cas(2, 1, 2, (20, Some(30)), true)];
        let c = refuted(check(&h, 0));
        assert_eq!(
            (c.op, c.prefix_cut, c.linearization),
            (1, Some(10), vec![0])
        );
        // Refused while a write of something else overlapped: fine.
        let h = [
            w(1, 1, 0, Some(10)),
            cas(2, 1, 2, (20, Some(30)), true),
            w(3, 5, 15, Some(25)),
        ];
        assert_eq!(check(&h, 0), Verdict::Linearizable);
        // Unknown: it may have swapped (a read sees 2) or never happened (a read sees 1).
        for seen in [1, 2] {
            let h = [
                w(1, 1, 0, Some(10)),
                cas(2, 1, 2, (20, None), false),
                r(3, seen, 40, Some(50)),
            ];
            assert_eq!(check(&h, 0), Verdict::Linearizable, "read {seen}");
        }
    }

    #[test]
    fn sequential_consistency_keeps_each_clients_order_but_not_real_time() {
        // A stale read is sequentially consistent: put it before the write.
        let h = [w(1, 1, 0, Some(10)), r(2, 0, 20, Some(30))];
        assert!(matches!(check(&h, 0), Verdict::NotLinearizable(_)));
        assert_eq!(sequentially_consistent(&h, 0, STEP_BUDGET), Some(true));
        // A client that does not read its own write is not.
        let h = [w(1, 1, 0, Some(10)), r(1, 0, 20, Some(30))];
        assert_eq!(sequentially_consistent(&h, 0, STEP_BUDGET), Some(false));
        // Two clients that see two writes in opposite orders are not either.
        let h = [
            w(1, 1, 0, Some(10)),
            w(2, 2, 0, Some(10)),
            r(3, 1, 20, Some(30)),
            r(3, 2, 40, Some(50)),
            r(4, 2, 20, Some(30)),
            r(4, 1, 40, Some(50)),
        ];
        assert_eq!(sequentially_consistent(&h, 0, STEP_BUDGET), Some(false));
        assert_eq!(sequentially_consistent(&h, 0, 2), None);
    }

    #[test]
    fn reads_settle_once_writes_stop() {
        let h = [
            w(1, 1, 0, Some(10)),
            r(2, 0, 5, Some(8)),
            r(2, 1, 20, Some(30)),
            r(3, 1, 25, Some(35)),
        ];
        assert_eq!(reads_settle(&h), Some(true));
        let h = [
            w(1, 1, 0, Some(10)),
            r(2, 1, 20, Some(30)),
            r(3, 0, 25, Some(35)),
        ];
        assert_eq!(reads_settle(&h), Some(false));
        assert_eq!(reads_settle(&[w(1, 1, 0, Some(10))]), None);
    }
}
