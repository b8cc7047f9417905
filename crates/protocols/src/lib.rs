//! # clusterplay-protocols
//!
//! Every algorithm of the playground as a pure, sans-IO state machine implementing
//! [`clusterplay_sim::Protocol`]. A module here never touches a clock, a random generator or
//! the page: it reacts to starts, messages, timers, commands, crashes and recoveries, and says
//! what it wants done. Each family module opens with an essay on the algorithm as the source
//! texts teach it.

pub mod algorithm;
#[cfg(feature = "consensus")]
pub mod consensus;
#[cfg(feature = "election")]
pub mod election;
pub mod glossary;
#[cfg(feature = "ids")]
pub mod ids;
#[cfg(feature = "ledger")]
pub mod ledger;
#[cfg(feature = "lock")]
pub mod lock;
#[cfg(feature = "mutex")]
pub mod mutex;
#[cfg(feature = "replication")]
pub mod replication;
mod text;
#[cfg(feature = "transaction")]
pub mod transaction;

pub use algorithm::{Algorithm, Cluster, ParamError, Params};
pub use text::{list, list_in, Text};
