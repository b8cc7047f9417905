//! # Symmetry reduction: one state per orbit
//!
//! Many protocols have nodes that play the same part: 2PC's resource managers, the clients of a
//! lock server. A state, and the same state with two resource managers' roles swapped, reach
//! the same states but renamed, break the same invariants and block alike, so exploring both
//! is wasted work, and the waste grows as n! with the size of the group. TLC (SYMMETRY sets)
//! and stateright (`Representative`) let a model say which values are interchangeable; here a
//! protocol declares groups of interchangeable nodes ([`Protocol::symmetry`]) and how to rename
//! node ids inside its states, messages and timers ([`Protocol::rename_state`] and its
//! siblings), and the explorer deduplicates states by a fingerprint of their *orbit*, the set
//! of all their renamings within the groups.
//!
//! **The orbit's fingerprint** is the least fingerprint of a renamed state over the renamings
//! that put each group in a canonical order. Trying every renaming costs n! fingerprints per
//! state (TLC's way; 5040 for seven resource managers), so the order is mostly found by sorting:
//!
//! 1. each member gets a *key* that does not depend on names: whether it is up, its state, its
//!    timers and the messages to and from it, all with the member itself renamed to the group's
//!    first node. The members with the smallest keys get the smallest ids;
//! 2. members with equal keys are told apart by the full fingerprint. Among them, members that
//!    can be swapped without changing the state at all (*twins*: two resource managers that
//!    are working and have sent nothing) need no choosing, since their swap is a symmetry of
//!    the state. The classes of twins take the equal-keyed members' places one class after the
//!    other, smaller classes first (a class's size does not depend on names either); the
//!    orders of equally large classes are all tried, and the least fingerprint wins.
//!
//! **Sound:** the fingerprint kept is always that of an actual renaming of the state, so two
//! states share one only if one is a renaming of the other (up to 64-bit collisions, as without
//! symmetry). **Exact** (one fingerprint per orbit) when a member's own state, timers and
//! messages name no other member of its group (they may name itself and any node outside the
//! groups, as 2PC's do): then the keys do not depend on names, and whatever is left to choose
//! is tried every way. A protocol whose members name each other is still reduced soundly,
//! but an orbit may keep more than one representative; so is a state with more than
//! [`MAX_ARRANGEMENTS`] arrangements to try, which keeps the first.
//!
//! The explorer keeps the state it reached, not the representative: a path stays a sequence of
//! steps the engine can take, and replays as without symmetry.

use super::{Envelope, Fold, Semantics, State};
use crate::engine::Action;
use crate::protocol::Protocol;
use crate::{NodeId, Permutation};
use std::hash::{Hash, Hasher};

/// Most orders of equally large twin classes tried for one state (8!); beyond, the first is
/// kept, which is sound but may leave an orbit more than one representative.
pub const MAX_ARRANGEMENTS: u64 = 40_320;

/// The groups of interchangeable nodes an exploration of `protocol` on `nodes` nodes with
/// `script` can use: the protocol's, without the nodes the script names (a timeline step for
/// node 3 tells node 3 apart), each sorted, only those with two members or more. Empty if the
/// protocol declares none: then the explorer cannot reduce, and callers should refuse to.
pub fn symmetry_groups<P: Protocol>(
    protocol: &P,
    nodes: usize,
    script: &[Action<P::Command>],
) -> Vec<Vec<NodeId>> {
    let mut taken = vec![false; nodes];
    for n in script.iter().flat_map(Action::nodes) {
        if let Some(t) = taken.get_mut(n.index()) {
            *t = true;
        }
    }
    let mut groups = Vec::new();
    for group in protocol.symmetry(nodes) {
        // A node listed twice (or in two groups) stays in the first; ids beyond the cluster
        // are ignored.
        let mut members: Vec<NodeId> = group
            .into_iter()
            .filter(|n| {
                taken
                    .get_mut(n.index())
                    .is_some_and(|t| !std::mem::replace(t, true))
            })
            .collect();
        members.sort();
        if members.len() >= 2 {
            groups.push(members);
        }
    }
    groups
}

/// [`Fold`] under a type of its own. Hashing orbits through `Fold` itself gives the derived
/// `hash` functions of states, messages and links more callers, and the compiler then stops
/// inlining them into the plain fingerprint: the search without symmetry was 4% slower so.
struct Orbit(Fold);

impl Orbit {
    fn new() -> Self {
        Orbit(Fold::new())
    }

    fn mix(&mut self, word: u64) {
        self.0.mix(word);
    }

    /// The value before the final avalanche, as `State::fingerprint` sums messages.
    fn raw(&self) -> u64 {
        self.0 .0
    }
}

impl Hasher for Orbit {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u8(&mut self, n: u8) {
        self.0.write_u8(n);
    }
    fn write_u16(&mut self, n: u16) {
        self.0.write_u16(n);
    }
    fn write_u32(&mut self, n: u32) {
        self.0.write_u32(n);
    }
    fn write_u64(&mut self, n: u64) {
        self.0.write_u64(n);
    }
    fn write_u128(&mut self, n: u128) {
        self.0.write_u128(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0.write_usize(n);
    }
    fn write_i64(&mut self, n: i64) {
        self.0.write_i64(n);
    }
    fn write_isize(&mut self, n: isize) {
        self.0.write_isize(n);
    }
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A run of equal-keyed members in one group's sorted order, split into twin classes.
struct Tie {
    /// Where the run starts in the group's sorted order.
    start: usize,
    /// The twin classes, smallest first.
    classes: Vec<Vec<NodeId>>,
    /// The order in which the classes take the run's places, one after the other: the
    /// arrangement tried now.
    order: Vec<usize>,
    /// The stretches of `order` whose classes are equally large, tried in every order.
    equal: Vec<std::ops::Range<usize>>,
}

/// The orbit fingerprints of one exploration, with scratch space reused from state to state.
pub(super) struct Symmetry<P: Protocol> {
    groups: Vec<Vec<NodeId>>,
    /// The first member of each node's group; `None` for nodes in no group.
    first: Vec<Option<NodeId>>,
    /// The renaming tried now.
    perm: Permutation,
    /// Its inverse: the node that becomes each node.
    back: Vec<usize>,
    /// The identity but for the transposition a key is computed under.
    swap: Permutation,
    keys: Vec<u64>,
    /// Each group's members sorted by key.
    sorted: Vec<Vec<NodeId>>,
    ties: Vec<Vec<Tie>>,
    timers: Vec<(NodeId, P::Timer)>,
}

impl<P: Protocol> Symmetry<P> {
    /// `groups` as [`symmetry_groups`] gives them, on a cluster of `nodes`.
    pub(super) fn new(groups: Vec<Vec<NodeId>>, nodes: usize) -> Self {
        let mut first = vec![None; nodes];
        for group in &groups {
            for m in group {
                first[m.index()] = Some(group[0]);
            }
        }
        Symmetry {
            sorted: vec![Vec::new(); groups.len()],
            ties: groups.iter().map(|_| Vec::new()).collect(),
            groups,
            first,
            perm: Permutation::identity(nodes),
            back: (0..nodes).collect(),
            swap: Permutation::identity(nodes),
            keys: vec![0; nodes],
            timers: Vec::new(),
        }
    }

    pub(super) fn groups(&self) -> &[Vec<NodeId>] {
        &self.groups
    }

    /// The fingerprint of `state`'s orbit (see the module's documentation).
    pub(super) fn fingerprint(&mut self, protocol: &P, state: &State<P>, sem: Semantics) -> u64 {
        self.keys(protocol, state);
        for g in 0..self.groups.len() {
            let mut sorted = std::mem::take(&mut self.sorted[g]);
            sorted.clear();
            sorted.extend_from_slice(&self.groups[g]);
            sorted.sort_by_key(|m| self.keys[m.index()]);
            self.sorted[g] = sorted;
        }
        let tied = (0..self.groups.len()).any(|g| {
            self.sorted[g]
                .windows(2)
                .any(|w| self.keys[w[0].index()] == self.keys[w[1].index()])
        });
        if !tied {
            for ties in &mut self.ties {
                ties.clear();
            }
            self.order_all();
            return self.renamed_fingerprint(protocol, state, sem);
        }

        // Twins are found by swapping two members of a run of equal keys: a swap that leaves
        // the state as it is, is a symmetry of the state. The fingerprint of the state as it is
        // is only needed once some swap leaves every node as it was.
        self.identity();
        let mut plain = None;
        let mut arrangements = 1u64;
        for g in 0..self.groups.len() {
            let mut ties = std::mem::take(&mut self.ties[g]);
            ties.clear();
            let sorted = std::mem::take(&mut self.sorted[g]);
            let mut start = 0;
            while start < sorted.len() {
                let key = self.keys[sorted[start].index()];
                let end = start
                    + sorted[start..]
                        .iter()
                        .take_while(|m| self.keys[m.index()] == key)
                        .count();
                let mut classes: Vec<Vec<NodeId>> = Vec::new();
                if end - start >= 2 {
                    for &m in &sorted[start..end] {
                        let mut twin_of = None;
                        for (c, class) in classes.iter().enumerate() {
                            if self.twins(protocol, state, sem, class[0], m, &mut plain) {
                                twin_of = Some(c);
                                break;
                            }
                        }
                        match twin_of {
                            Some(c) => classes[c].push(m),
                            None => classes.push(vec![m]),
                        }
                    }
                }
                if classes.len() >= 2 {
                    // The classes' sizes do not depend on names either: smaller classes take
                    // the smaller ids, and only equally large ones are tried in every order.
                    classes.sort_by_key(Vec::len);
                    let mut equal = Vec::new();
                    let mut from = 0;
                    while from < classes.len() {
                        let size = classes[from].len();
                        let to = from
                            + classes[from..]
                                .iter()
                                .take_while(|c| c.len() == size)
                                .count();
                        if to - from >= 2 {
                            arrangements = arrangements.saturating_mul(factorial(to - from));
                            equal.push(from..to);
                        }
                        from = to;
                    }
                    ties.push(Tie {
                        start,
                        order: (0..classes.len()).collect(),
                        classes,
                        equal,
                    });
                }
                start = end;
            }
            self.sorted[g] = sorted;
            self.ties[g] = ties;
        }

        // Every arrangement of every run, as an odometer: the first run turns fastest.
        let mut best = u64::MAX;
        loop {
            self.order_all();
            best = best.min(self.renamed_fingerprint(protocol, state, sem));
            if arrangements > MAX_ARRANGEMENTS || !self.next_arrangement() {
                return best;
            }
        }
    }

    /// Each member's key: whether it is up, its state, its timers and the messages to and from
    /// it, with the member renamed to its group's first node, so that the key depends on what
    /// the member is and not on its name.
    fn keys(&mut self, protocol: &P, state: &State<P>) {
        for (i, slot) in state.nodes.iter().enumerate() {
            let Some(first) = self.first[i] else {
                continue;
            };
            self.transpose_swap(slot.id, first);
            let mut h = Orbit::new();
            slot.up.hash(&mut h);
            protocol.rename_state(&slot.state, &self.swap).hash(&mut h);
            self.transpose_swap(slot.id, first);
            self.keys[i] = h.finish();
        }
        // Timers and messages are sets (or multisets) of the member's: summed, so that their
        // order does not count.
        for (owner, timer) in state.timers.iter() {
            let Some(first) = self.first[owner.index()] else {
                continue;
            };
            self.transpose_swap(*owner, first);
            let mut h = Orbit::new();
            h.mix(1);
            protocol.rename_timer(timer, &self.swap).hash(&mut h);
            self.transpose_swap(*owner, first);
            let key = &mut self.keys[owner.index()];
            *key = key.wrapping_add(h.finish());
        }
        for e in state.net.iter() {
            for (end, side) in [(e.from, 2), (e.to, 3)] {
                let Some(first) = self.first.get(end.index()).copied().flatten() else {
                    continue;
                };
                self.transpose_swap(end, first);
                let mut h = Orbit::new();
                h.mix(side);
                Envelope {
                    from: self.swap.apply(e.from),
                    to: self.swap.apply(e.to),
                    msg: protocol.rename_msg(&e.msg, &self.swap),
                }
                .hash(&mut h);
                self.transpose_swap(end, first);
                let key = &mut self.keys[end.index()];
                *key = key.wrapping_add(h.finish());
            }
        }
    }

    /// Whether swapping members `a` and `b` leaves `state` as it is (the renaming tried is the
    /// identity); `plain` caches the fingerprint of the state as it is.
    fn twins(
        &mut self,
        protocol: &P,
        state: &State<P>,
        sem: Semantics,
        a: NodeId,
        b: NodeId,
        plain: &mut Option<u64>,
    ) -> bool {
        self.transpose(a, b);
        let same = self.same_nodes(protocol, state);
        self.transpose(a, b);
        if !same {
            return false;
        }
        let plain = match plain {
            Some(fp) => *fp,
            None => *plain.insert(self.renamed_fingerprint(protocol, state, sem)),
        };
        self.transpose(a, b);
        let swapped = self.renamed_fingerprint(protocol, state, sem);
        self.transpose(a, b);
        swapped == plain
    }

    /// Swap the images of `a` and `b` in the key renaming (twice restores it).
    fn transpose_swap(&mut self, a: NodeId, b: NodeId) {
        let (ia, ib) = (self.swap.apply(a), self.swap.apply(b));
        self.swap.set(a, ib);
        self.swap.set(b, ia);
    }

    /// Swap the images of `a` and `b` in the renaming tried (twice restores it).
    fn transpose(&mut self, a: NodeId, b: NodeId) {
        let (ia, ib) = (self.perm.apply(a), self.perm.apply(b));
        self.perm.set(a, ib);
        self.perm.set(b, ia);
        self.back.swap(ia.index(), ib.index());
    }

    fn identity(&mut self) {
        for i in 0..self.back.len() {
            self.perm.set(NodeId::from_index(i), NodeId::from_index(i));
            self.back[i] = i;
        }
    }

    /// The renaming that gives each group's ids, in order, to its members in sorted order with
    /// the runs of equal keys in their current arrangements.
    fn order_all(&mut self) {
        for g in 0..self.groups.len() {
            for (place, m) in self.sorted[g].iter().enumerate() {
                let id = self.groups[g][place];
                self.perm.set(*m, id);
                self.back[id.index()] = m.index();
            }
            for tie in &self.ties[g] {
                let mut place = tie.start;
                for &c in &tie.order {
                    for &m in &tie.classes[c] {
                        let id = self.groups[g][place];
                        self.perm.set(m, id);
                        self.back[id.index()] = m.index();
                        place += 1;
                    }
                }
            }
        }
    }

    /// Turn the odometer of arrangements one step; false once every one has been tried.
    fn next_arrangement(&mut self) -> bool {
        for tie in self.ties.iter_mut().flatten() {
            for stretch in &tie.equal {
                if next_permutation(&mut tie.order[stretch.clone()]) {
                    return true;
                }
                // It wrapped round to the first order: carry to the next stretch.
            }
        }
        false
    }

    /// Whether renaming by `self.perm` leaves every node as it is: most swaps of equal-keyed
    /// members that are not twins change a node (2PC's TM has heard one RM and not the other),
    /// and this says so without hashing the whole state.
    fn same_nodes(&self, protocol: &P, state: &State<P>) -> bool {
        self.back.iter().enumerate().all(|(new, &old)| {
            let (was, is) = (&state.nodes[old], &state.nodes[new]);
            was.up == is.up && protocol.rename_state(&was.state, &self.perm) == is.state
        })
    }

    /// The fingerprint of `state` renamed by `self.perm`. It hashes what
    /// [`State::fingerprint`] hashes, with the partition's islands numbered canonically.
    fn renamed_fingerprint(&mut self, protocol: &P, state: &State<P>, sem: Semantics) -> u64 {
        let perm = &self.perm;
        let mut net = 0u64;
        for (i, e) in state.net.iter().enumerate() {
            let mut h = Orbit::new();
            Envelope {
                from: perm.apply(e.from),
                to: perm.apply(e.to),
                msg: protocol.rename_msg(&e.msg, perm),
            }
            .hash(&mut h);
            if sem == Semantics::Ordered {
                // A renaming keeps each link's queue in order: the place is the original's.
                let place = state.net[..i]
                    .iter()
                    .filter(|o| o.from == e.from && o.to == e.to)
                    .count();
                h.mix(place as u64);
            }
            h.mix(0x9e37_79b9_7f4a_7c15);
            net = net.wrapping_add(h.raw());
        }
        let mut h = Orbit::new();
        for &old in &self.back {
            let slot = &state.nodes[old];
            slot.up.hash(&mut h);
            protocol.rename_state(&slot.state, perm).hash(&mut h);
        }
        self.timers.clear();
        self.timers.extend(
            state
                .timers
                .iter()
                .map(|(n, t)| (perm.apply(*n), protocol.rename_timer(t, perm))),
        );
        self.timers.sort_unstable();
        self.timers.hash(&mut h);
        state.links.permuted(perm).hash(&mut h);
        state.script.hash(&mut h);
        state.used.hash(&mut h);
        net.hash(&mut h);
        h.finish()
    }
}

fn factorial(n: usize) -> u64 {
    (1..=n as u64).fold(1, u64::saturating_mul)
}

/// The next arrangement in lexicographic order, each distinct one once; false (and the first
/// arrangement back) after the last.
fn next_permutation(v: &mut [usize]) -> bool {
    let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else {
        v.reverse();
        return false;
    };
    let j = (i..v.len())
        .rev()
        .find(|&j| v[j] > v[i - 1])
        .expect("v[i] is");
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_distinct_arrangement_comes_once() {
        assert_eq!(factorial(5), 120);
        let mut v = vec![0, 0, 1, 2, 2, 2];
        let mut seen = std::collections::HashSet::new();
        seen.insert(v.clone());
        while next_permutation(&mut v) {
            assert!(seen.insert(v.clone()), "{v:?} twice");
        }
        assert_eq!(seen.len(), 60);
        assert_eq!(v, vec![0, 0, 1, 2, 2, 2], "back to the first");
    }
}
