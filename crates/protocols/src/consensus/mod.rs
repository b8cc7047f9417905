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
//!
//! Both invariants look at history, not only the present: acceptors keep a record, outside the
//! algorithm, of every proposal they have ever accepted, so that "at most one value is chosen"
//! also covers values chosen by a majority that has since moved on or crashed.

pub mod multi_paxos;
pub mod paxos;

/// How many of `acceptors` make a majority.
fn majority(acceptors: usize) -> usize {
    acceptors / 2 + 1
}
