use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A node of the simulated cluster.
///
/// Internally a zero-based index into the node table; everywhere a person reads or writes it
/// (scenario files, share links, command-line output, the page) it is the one-based number the
/// source texts use ("program 1, 2, 3"). Keeping the conversion inside this type means no other
/// code ever adds or subtracts one.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The node at zero-based `index`.
    pub const fn from_index(index: usize) -> Self {
        NodeId(index as u32)
    }

    /// The node with the one-based number `number`, if it is one.
    pub const fn from_number(number: u32) -> Option<Self> {
        if number == 0 {
            None
        } else {
            Some(NodeId(number - 1))
        }
    }

    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The one-based number shown to people.
    pub const fn number(self) -> u32 {
        self.0 + 1
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.number())
    }
}

impl Serialize for NodeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.number())
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let number = u32::deserialize(d)?;
        NodeId::from_number(number)
            .ok_or_else(|| serde::de::Error::custom("node numbers start at 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_see_one_based_numbers() {
        let n = NodeId::from_index(0);
        assert_eq!(n.to_string(), "1");
        assert_eq!(serde_json::to_string(&n).unwrap(), "1");
        assert_eq!(serde_json::from_str::<NodeId>("3").unwrap().index(), 2);
        assert!(serde_json::from_str::<NodeId>("0").is_err());
    }
}
