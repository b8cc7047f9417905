//! What the database lock adds to the lock family's outcome.

use super::{Db, DbMode};
use crate::lock::{Lock, LockEvent};
use clusterplay_view::RunView;
use serde::Serialize;

/// The database lock's part of [`LockOutcome`](crate::lock::LockOutcome): how it locked and
/// what re-entrancy and `FOR UPDATE` did in the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DbOutcome {
    /// How the row locks: `insert` (a row under a unique index) or `for-update` (`SELECT …
    /// FOR UPDATE` in an open transaction).
    pub mode: &'static str,
    /// The row carries a re-entrancy count, so its holder may take the lock again.
    pub reentrant: bool,
    /// How often a holder took its lock again.
    pub reentries: u32,
    /// `FOR UPDATE`: how many requests waited inside the database instead of polling.
    pub blocked_waits: u32,
    /// `FOR UPDATE`: how many silent connections the database closed, rolling back their
    /// transactions and releasing their row locks.
    pub connection_timeouts: u32,
    /// Re-entrant only: every change of the row's count, in order (the count going up and
    /// down as the holder takes and releases the lock; 0 when the row is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_counts: Option<Vec<RowCount>>,
}

/// One change of the lock row's re-entrancy count; the outcome writes it `[client, count]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RowCount(
    /// The client whose row it is.
    pub u32,
    /// Its count after the change.
    pub u32,
);

impl DbOutcome {
    pub(super) fn of(db: &Db, run: &RunView<'_, Lock<Db>>) -> DbOutcome {
        let (mut reentries, mut blocked_waits, mut connection_timeouts) = (0, 0, 0);
        let mut rows = Vec::new();
        for o in run.observations {
            match &o.what {
                LockEvent::Reentered { .. } => reentries += 1,
                LockEvent::Row { owner, count } => rows.push(RowCount(owner.number(), *count)),
                LockEvent::Blocked => blocked_waits += 1,
                LockEvent::TimedOut => connection_timeouts += 1,
                _ => {}
            }
        }
        DbOutcome {
            mode: match db.mode {
                DbMode::Insert => "insert",
                DbMode::ForUpdate => "for-update",
            },
            reentrant: db.reentrant,
            reentries,
            blocked_waits,
            connection_timeouts,
            row_counts: db.reentrant.then_some(rows),
        }
    }
}
