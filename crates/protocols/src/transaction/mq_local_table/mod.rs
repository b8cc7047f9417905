//! # The local message table
//!
//! Seed 002's variant of eventual consistency through a message queue: the order system writes
//! each message into a table of its own database in the same local transaction as the business
//! data, and a relay forwards the table to the queue, retrying until the queue has stored it.
//! No half messages, no check-backs: the queue can be down for a while and nothing is lost.
//! It runs the message queue's state machine ([`super::mq::Mq`] with `local_table` set); only its
//! catalogue entry and presets live here.

mod algorithm;

pub use algorithm::Entry;
