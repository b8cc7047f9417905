//! # Leaderless quorums
//!
//! The catalogue's `quorum` runs the replicated register ([`super::register`]) without a
//! primary: a client writes to all N replicas and waits for W, reads from all and waits for R,
//! each client with its own R and W if it likes. The register's essay tells the whole story;
//! the preset here partitions the replicas: a client with R + W > N gets no answer, one with
//! R + W ≤ N answers stale.

mod algorithm;
pub use algorithm::Entry;
