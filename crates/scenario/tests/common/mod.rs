//! What the `safety*` property tests share.

pub mod faults;
