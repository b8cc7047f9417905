//! # Primary–backup replication
//!
//! The catalogue's `primary-backup` runs the replicated register ([`super::register`]) with a
//! primary: clients write to it, and it passes each write on to its backups synchronously,
//! asynchronously or with maximum availability, until a backup takes over. The register's essay
//! tells the whole story; the presets here cut a backup off under synchronous replication, lose
//! acknowledged writes in an asynchronous failover and under maximum availability, and read a
//! stale value from a lagging backup.

mod algorithm;
pub use algorithm::Entry;
