//! # Replication
//!
//! Seeds 001 and 003 on keeping copies of data on several nodes: what clients can see
//! (strong, weak and eventual consistency), what a partition forces a system to give up (CAP),
//! and how a linearizability checker tells which it was; and seed 001's ways of handing out
//! unique ids from many machines, each with the way it repeats one.

pub mod ids;
pub mod linearizability;
pub mod register;

use clusterplay_sim::NodeId;

/// "2, 3 and 4".
fn list<'a>(nodes: impl IntoIterator<Item = &'a NodeId>) -> String {
    let names: Vec<String> = nodes.into_iter().map(|n| n.to_string()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
