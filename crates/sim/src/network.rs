//! The network model: what a link does to a message, and which links are currently cut.

use crate::{NodeId, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Latency bounds of a link, in microseconds, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Latency {
    pub min: Span,
    pub max: Span,
}

/// How messages travel. Fixed for a run; cuts and partitions are [`LinkState`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NetworkConfig {
    pub latency: Latency,
    /// Per-link latency that differs from the default, by (from, to).
    pub links: BTreeMap<(NodeId, NodeId), Latency>,
    /// Probability that a message is lost, in parts per million.
    pub loss_ppm: u32,
    /// Probability that a message is delivered twice, in parts per million.
    pub duplicate_ppm: u32,
    /// When false, each link is FIFO: a message never overtakes an earlier one on its link.
    pub reorder: bool,
    /// "You are the network": every message is held in flight until an action delivers
    /// (`DeliverNow`, `Delay`) or drops it. Loss and duplication do not apply; the holder
    /// decides.
    pub manual: bool,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            latency: Latency {
                min: crate::ms(5),
                max: crate::ms(15),
            },
            links: BTreeMap::new(),
            loss_ppm: 0,
            duplicate_ppm: 0,
            reorder: false,
            manual: false,
        }
    }
}

impl NetworkConfig {
    /// A reliable FIFO network where every message takes exactly `latency`: runs that can be
    /// predicted by hand.
    pub fn fixed(latency: Span) -> Self {
        NetworkConfig {
            latency: Latency {
                min: latency,
                max: latency,
            },
            ..NetworkConfig::default()
        }
    }

    pub fn latency(&self, from: NodeId, to: NodeId) -> Latency {
        self.links.get(&(from, to)).copied().unwrap_or(self.latency)
    }
}

/// Which links are down right now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LinkState {
    /// Partition group of each node; nodes in different groups cannot talk. Empty: no partition.
    groups: Vec<u32>,
    /// One-way cuts: `(from, to)` means `to` does not hear `from`.
    cuts: BTreeSet<(NodeId, NodeId)>,
}

impl LinkState {
    /// Split the cluster: each listed group is an island; every node not listed forms one more.
    pub fn partition(&mut self, nodes: usize, groups: &[Vec<NodeId>]) {
        let rest = groups.len() as u32;
        self.groups = vec![rest; nodes];
        for (g, members) in groups.iter().enumerate() {
            for n in members {
                if let Some(slot) = self.groups.get_mut(n.index()) {
                    *slot = g as u32;
                }
            }
        }
    }

    /// Remove every partition and every cut.
    pub fn heal(&mut self) {
        self.groups.clear();
        self.cuts.clear();
    }

    pub fn cut(&mut self, from: NodeId, to: NodeId) {
        self.cuts.insert((from, to));
    }

    pub fn restore(&mut self, from: NodeId, to: NodeId) {
        self.cuts.remove(&(from, to));
    }

    pub fn blocked(&self, from: NodeId, to: NodeId) -> bool {
        if self.cuts.contains(&(from, to)) {
            return true;
        }
        match (self.groups.get(from.index()), self.groups.get(to.index())) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        }
    }

    pub fn is_partitioned(&self) -> bool {
        !self.groups.is_empty()
    }

    pub fn cuts(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cuts.iter().copied()
    }

    /// Partition group of each node, if partitioned.
    pub fn groups(&self) -> &[u32] {
        &self.groups
    }

    /// The same links with every node renamed by `map`. The islands are numbered again in the
    /// order of their lowest node, so that one split compares equal however it was made.
    pub fn permuted(&self, map: &crate::Permutation) -> LinkState {
        let mut out = LinkState::default();
        if !self.groups.is_empty() {
            let mut moved = self.groups.clone();
            for (i, g) in self.groups.iter().enumerate() {
                let j = map.apply(NodeId::from_index(i)).index();
                if j < moved.len() {
                    moved[j] = *g;
                }
            }
            let mut names: Vec<u32> = Vec::new();
            out.groups = moved
                .into_iter()
                .map(|g| match names.iter().position(|n| *n == g) {
                    Some(k) => k as u32,
                    None => {
                        names.push(g);
                        names.len() as u32 - 1
                    }
                })
                .collect();
        }
        out.cuts = self
            .cuts
            .iter()
            .map(|(a, b)| (map.apply(*a), map.apply(*b)))
            .collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn n(i: usize) -> NodeId {
        NodeId::from_index(i)
    }

    #[test]
    fn partitions_and_one_way_cuts() {
        let mut l = LinkState::default();
        assert!(!l.blocked(n(0), n(1)));
        l.partition(5, &[vec![n(0), n(1)]]);
        assert!(!l.blocked(n(0), n(1)));
        assert!(l.blocked(n(1), n(2)));
        assert!(!l.blocked(n(3), n(4)), "the unlisted nodes form one group");
        l.heal();
        l.cut(n(0), n(1));
        assert!(l.blocked(n(0), n(1)));
        assert!(
            !l.blocked(n(1), n(0)),
            "a cut is one way: 1 hears 2, 2 does not hear 1"
        );
        l.restore(n(0), n(1));
        assert!(!l.blocked(n(0), n(1)));
    }

    #[test]
    fn a_renamed_split_equals_the_same_split_made_directly() {
        // {1,2} | {3,4}, then nodes 2 and 3 swap names: {1,3} | {2,4}.
        let swap = crate::Permutation::from_images(vec![n(0), n(2), n(1), n(3)]).expect("perm");
        let mut l = LinkState::default();
        l.partition(4, &[vec![n(0), n(1)]]);
        l.cut(n(1), n(3));
        let mut direct = LinkState::default();
        direct.partition(4, &[vec![n(1), n(3)]]);
        direct.cut(n(2), n(3));
        assert_ne!(l.permuted(&swap), direct.permuted(&swap));
        assert_eq!(
            l.permuted(&swap),
            direct.permuted(&crate::Permutation::identity(4)),
            "the islands are numbered by their lowest node"
        );
        assert!(l.permuted(&swap).blocked(n(0), n(1)));
        assert!(!l.permuted(&swap).blocked(n(0), n(2)));
    }
}
