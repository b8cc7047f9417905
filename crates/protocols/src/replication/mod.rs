//! # Replication
//!
//! Seeds 001 and 003 on keeping copies of data on several nodes: what clients can see
//! (strong, weak and eventual consistency), what a partition forces a system to give up (CAP),
//! and how a linearizability checker tells which it was.

pub mod linearizability;
