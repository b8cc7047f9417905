//! # Consensus
//!
//! Seeds 002 and 003 present Paxos as *the* consensus algorithm: several nodes propose values
//! and the algorithm guarantees that exactly one of them is chosen, even when proposers race,
//! messages are late and nodes crash. Seed 002 walks through an example with two proposers and
//! three acceptors; seeds 001 and 002 then describe how a Raft leader replicates a log, which is
//! the same problem solved once per log entry by a leader that stays in office.
//!
//! - [`paxos`] – single-decree Paxos: proposers, acceptors and learners agree on one value.
//! - [`multi_paxos`] – a stable leader runs Paxos's first phase once for every log slot, so each
//!   further value costs a single round trip, as in Raft.
//! - [`raft_log`] – Raft's log replication, run by the state machine of
//!   [`crate::election::raft`].
//!
//! Both Paxos invariants look at history, not only the present: acceptors keep a record,
//! outside the algorithm, of every proposal they have ever accepted, so that "at most one value
//! is chosen" also covers values chosen by a majority that has since moved on or crashed.

pub mod multi_paxos;
pub mod paxos;
pub mod raft_log;

use crate::algorithm::{micros, Cluster, ParamError, MAX_SPAN_MS};
use clusterplay_sim::{NodeId, Span};

/// How many of `acceptors` make a majority.
fn majority(acceptors: usize) -> usize {
    acceptors / 2 + 1
}

/// A `[min, max]` range of milliseconds (`params.backoff_ms`) that may start at 0 but not end
/// there.
pub(crate) fn range(what: &str, ms: [f64; 2]) -> Result<(Span, Span), ParamError> {
    let lo = micros(what, ms[0], MAX_SPAN_MS)?;
    let hi = micros(what, ms[1], MAX_SPAN_MS)?;
    if lo > hi || hi == 0 {
        return Err(ParamError::new(
            what,
            "must be a range [min, max] with 0 ≤ min ≤ max and max above 0",
            "必须是区间 [min, max]，且 0 ≤ min ≤ max、max 大于 0",
        ));
    }
    Ok((lo, hi))
}

/// A node the parameters name, which must be in the cluster.
pub(crate) fn node(what: &str, id: NodeId, cluster: Cluster) -> Result<NodeId, ParamError> {
    if id.index() >= cluster.nodes {
        return Err(ParamError::no_such_node(what, id, cluster.nodes));
    }
    Ok(id)
}
