//! # Redis INCR
//!
//! The catalogue's `redis-incr` runs the id generators' state machine ([`super::Ids`]) with
//! [`super::Scheme::RedisIncr`]: each Redis instance counts in memory and persists its counter
//! with RDB snapshots or an AOF log. The family's essay tells the whole story; the preset here
//! restarts an instance from its RDB snapshot and one from its AOF.

mod algorithm;
pub use algorithm::Entry;
