//! # Is a history of one register linearizable?
//!
//! Seed 003's strong consistency ("用户上一次写什么，下一次就保证能读到什么") made exact:
//! a history of reads and writes, each an invocation and a response at virtual times, is
//! *linearizable* when every operation can be given one instant between its invocation and its
//! response such that, taken in the order of those instants, every read returns the value of the
//! write just before it. An operation that finished before another began must come first; two
//! that overlap may go either way. A write that never got its answer (the client timed out, the
//! server refused after applying it) may have taken effect or not, so it may go anywhere after
//! its invocation or nowhere; a read that never got its answer constrains nothing.
//!
//! The search is Wing and Gong's, with Lowe's memoization as Knossos and porcupine use it: walk
//! the invocations and responses in time order; at an invocation, try to linearize that
//! operation now (a write always fits, a read only if it returns the current value), take it
//! out of the list and start again from the front; at a response whose operation is not yet
//! linearized, the last choice was wrong, so undo it and try the next invocation instead. A
//! pair (set of operations linearized, register value) already tried is never tried again,
//! which bounds the work by the number of such pairs: a few per operation when little overlaps.
//!
//! When the history is not linearizable the checker says which operation cannot be explained:
//! the one whose response makes the shortest failing prefix of the history (a binary search
//! over response times), and the operation it conflicts with, so that the page can point at
//! both.

use clusterplay_sim::Time;
use serde::Serialize;
use std::collections::HashSet;

pub type Value = u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Read,
    Write,
}

/// One client operation on the register.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    pub client: u32,
    pub kind: Kind,
    /// For a write the value written; for a read the value returned (meaningless without a
    /// response).
    pub value: Value,
    pub invoke: Time,
    /// When the client got its answer; `None` if it never did.
    pub response: Option<Time>,
}

impl Operation {
    fn end(&self) -> Time {
        self.response.unwrap_or(Time::MAX)
    }
    fn acknowledged_write(&self) -> bool {
        self.kind == Kind::Write && self.response.is_some()
    }
}

/// Why the unexplained read cannot be placed.
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    /// Index into the history of the first operation that cannot be explained.
    pub op: usize,
    /// The operation it conflicts with, when one alone shows the problem.
    pub conflict: Option<usize>,
    pub reason: Reason,
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

/// [`check`] with at most `budget` search steps in all, the binary search included.
pub fn check_within(history: &[Operation], initial: Value, budget: u64) -> Verdict {
    let mut budget = budget;
    // A read of a value nobody wrote needs no search, and would make the search try every
    // order of the writes overlapping it.
    let invented = (0..history.len())
        .filter(|&i| {
            let o = &history[i];
            o.kind == Kind::Read
                && o.response.is_some()
                && o.value != initial
                && !history
                    .iter()
                    .any(|w| w.kind == Kind::Write && w.value == o.value)
        })
        .min_by_key(|&i| (history[i].end(), i));
    if let Some(op) = invented {
        return Verdict::NotLinearizable(Counterexample {
            op,
            conflict: None,
            reason: Reason::NeverWritten,
        });
    }
    let all: Vec<usize> = (0..history.len()).collect();
    match search(history, &all, None, initial, &mut budget) {
        Some(true) => return Verdict::Linearizable,
        None => return Verdict::Unknown,
        Some(false) => {}
    }
    // The shortest failing prefix: cut at the k-th response time, so that what answered
    // later is pending. A prefix of a linearizable history is linearizable, so failing is
    // monotone in k and a binary search finds the first failing cut.
    let mut cuts: Vec<Time> = history.iter().filter_map(|o| o.response).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let (mut lo, mut hi) = (0, cuts.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match search(history, &all, Some(cuts[mid]), initial, &mut budget) {
            Some(true) => lo = mid + 1,
            Some(false) => hi = mid,
            None => return Verdict::Unknown,
        }
    }
    let Some(&cut) = cuts.get(lo) else {
        return Verdict::Unknown;
    };
    let op = history
        .iter()
        .position(|o| o.response == Some(cut) && o.kind == Kind::Read)
        .or_else(|| history.iter().position(|o| o.response == Some(cut)))
        .unwrap_or(0);
    let (conflict, reason) = explain(history, op, initial);
    Verdict::NotLinearizable(Counterexample {
        op,
        conflict,
        reason,
    })
}

/// Which single operation shows why read `r` cannot be placed.
fn explain(h: &[Operation], r: usize, initial: Value) -> (Option<usize>, Reason) {
    let read = &h[r];
    let v = read.value;
    let writes_of_v: Vec<usize> = (0..h.len())
        .filter(|&i| h[i].kind == Kind::Write && h[i].value == v)
        .collect();
    if read.kind == Kind::Read {
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
                h[e].kind == Kind::Read
                    && h[e].response.is_some()
                    && h[e].value != v
                    && h[e].end() < read.invoke
                    && writes_of_v.iter().all(|&x| {
                        h.iter().any(|w| {
                            w.kind == Kind::Write && w.value == h[e].value && h[x].end() < w.invoke
                        })
                    })
            })
            .max_by_key(|&e| (h[e].end(), e));
        if let Some(e) = earlier_read {
            return (Some(e), Reason::WentBack);
        }
    }
    (None, Reason::NoOrder)
}

const NONE: usize = usize::MAX;

/// Wing–Gong search with memoization over the operations `ops` of `h`; with `cut`, only what
/// was invoked by then counts, and responses after it are treated as never received.
/// `None` when the step budget ran out; the steps taken are taken off it.
fn search(
    h: &[Operation],
    ops: &[usize],
    cut: Option<Time>,
    initial: Value,
    budget: &mut u64,
) -> Option<bool> {
    // The operations taking part: unanswered reads say nothing.
    let mut part: Vec<(usize, Time)> = Vec::with_capacity(ops.len());
    for &i in ops {
        let o = &h[i];
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
        part.push((i, end.unwrap_or(Time::MAX)));
    }
    // Entries: 2k for the invocation of part[k], 2k+1 for its response. Invocations come
    // before responses at the same instant: such operations overlap.
    let n = part.len();
    let mut order: Vec<(Time, bool, usize)> = Vec::with_capacity(2 * n);
    for (k, &(i, end)) in part.iter().enumerate() {
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
    let words = n.div_ceil(64);
    let mut done = vec![0u64; words];
    let mut seen: HashSet<(Vec<u64>, Value)> = HashSet::new();
    let mut stack: Vec<(usize, Value)> = Vec::new();
    let mut state = initial;
    let mut entry = next[head];
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
    while next[head] != NONE {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        if entry == NONE {
            // Only responses block progress, and the list ends with one.
            return Some(false);
        }
        let k = entry / 2;
        if entry.is_multiple_of(2) {
            let o = &h[part[k].0];
            let after = match o.kind {
                Kind::Write => Some(o.value),
                Kind::Read if o.value == state => Some(state),
                Kind::Read => None,
            };
            if let Some(after) = after {
                done[k / 64] |= 1 << (k % 64);
                if seen.insert((done.clone(), after)) {
                    stack.push((entry, state));
                    state = after;
                    lift(entry, &mut next, &mut prev);
                    entry = next[head];
                    continue;
                }
                done[k / 64] &= !(1 << (k % 64));
            }
            entry = next[entry];
        } else {
            let Some((call, before)) = stack.pop() else {
                return Some(false);
            };
            let j = call / 2;
            done[j / 64] &= !(1 << (j % 64));
            state = before;
            unlift(call, &mut next, &mut prev);
            entry = next[call];
        }
    }
    Some(true)
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
        Operation {
            client,
            kind: Kind::Write,
            value,
            invoke,
            response,
        }
    }

    fn r(client: u32, value: Value, invoke: Time, response: Option<Time>) -> Operation {
        Operation {
            client,
            kind: Kind::Read,
            value,
            invoke,
            response,
        }
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
}
