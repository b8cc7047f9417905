//! # Snowflake
//!
//! The catalogue's `snowflake` runs the id generators' state machine ([`super::Ids`]) with
//! [`super::Scheme::Snowflake`]: each generator packs its local clock's milliseconds, its
//! datacenter and worker ids and a sequence into 64 bits. The family's essay tells the whole
//! story; the preset here steps a generator's clock back, with and without the guard.

mod algorithm;
pub use algorithm::Entry;
