//! A renaming of the cluster's nodes, for symmetry reduction.
//!
//! When a protocol declares some nodes interchangeable ([`Protocol::symmetry`]), the explorer
//! compares states up to a renaming of those nodes. It asks the protocol to rename the node ids
//! inside its states, messages and timers ([`Protocol::rename_state`] and its siblings) and
//! hands it one of these: a permutation of the cluster's nodes, so that a renamed state is as
//! valid as the original.
//!
//! [`Protocol::symmetry`]: crate::Protocol::symmetry
//! [`Protocol::rename_state`]: crate::Protocol::rename_state

use crate::NodeId;

/// A permutation of the nodes `0..n`: node `i` is renamed [`Permutation::apply`]`(i)`. Ids
/// outside the cluster are left as they are.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Permutation {
    to: Vec<NodeId>,
}

impl Permutation {
    /// Every node keeps its id.
    pub fn identity(nodes: usize) -> Self {
        Permutation {
            to: (0..nodes).map(NodeId::from_index).collect(),
        }
    }

    /// The permutation renaming node `i` to `images[i]`, if every node of `0..images.len()`
    /// appears exactly once.
    pub fn from_images(images: Vec<NodeId>) -> Option<Self> {
        let mut hit = vec![false; images.len()];
        for id in &images {
            let slot = hit.get_mut(id.index())?;
            if std::mem::replace(slot, true) {
                return None;
            }
        }
        Some(Permutation { to: images })
    }

    /// How many nodes it renames.
    pub fn nodes(&self) -> usize {
        self.to.len()
    }

    pub fn apply(&self, id: NodeId) -> NodeId {
        self.to.get(id.index()).copied().unwrap_or(id)
    }

    pub fn is_identity(&self) -> bool {
        self.to.iter().enumerate().all(|(i, id)| id.index() == i)
    }

    pub fn inverse(&self) -> Self {
        let mut back = self.to.clone();
        for (i, id) in self.to.iter().enumerate() {
            back[id.index()] = NodeId::from_index(i);
        }
        Permutation { to: back }
    }

    /// A set of nodes kept as bits (bit `i` for node `i`, as a `u128`), renamed.
    pub fn apply_bits(&self, bits: u128) -> u128 {
        let mut out = 0;
        let mut rest = bits;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            out |= 1u128 << (self.apply(NodeId::from_index(i)).index() % 128);
        }
        out
    }

    /// Values kept one per node in node order (`per_node[i]` is node `i`'s), each moved to its
    /// node's new place. A slice shorter or longer than the cluster keeps its extra entries.
    pub fn permute<T: Clone>(&self, per_node: &[T]) -> Vec<T> {
        let mut out = per_node.to_vec();
        for (i, value) in per_node.iter().enumerate() {
            let j = self.apply(NodeId::from_index(i)).index();
            if j < out.len() {
                out[j] = value.clone();
            }
        }
        out
    }

    /// Node `node` is renamed `to` (the caller keeps the whole a permutation).
    pub(crate) fn set(&mut self, node: NodeId, to: NodeId) {
        self.to[node.index()] = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: usize) -> NodeId {
        NodeId::from_index(i)
    }

    #[test]
    fn renames_ids_bits_and_per_node_values_alike() {
        // 0 stays, 1 → 3, 2 → 1, 3 → 2.
        let p = Permutation::from_images(vec![n(0), n(3), n(1), n(2)]).expect("a permutation");
        assert_eq!(p.apply(n(1)), n(3));
        assert_eq!(p.apply(n(7)), n(7), "outside the cluster");
        assert_eq!(p.apply_bits(0b0110), 0b1010);
        assert_eq!(p.permute(&["a", "b", "c", "d"]), vec!["a", "c", "d", "b"]);
        let back = p.inverse();
        for i in 0..4 {
            assert_eq!(back.apply(p.apply(n(i))), n(i));
        }
        assert!(!p.is_identity());
        assert!(Permutation::identity(4).is_identity());
    }

    #[test]
    fn refuses_what_is_not_a_permutation() {
        assert_eq!(Permutation::from_images(vec![n(0), n(0)]), None);
        assert_eq!(Permutation::from_images(vec![n(0), n(2)]), None);
    }
}
