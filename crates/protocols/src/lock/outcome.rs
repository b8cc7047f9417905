//! The outcome the four locks share.

use super::{Lock, LockEvent, LockKind, Phase, State};
use clusterplay_sim::{to_ms, NodeId};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeSet;

/// What `clusterplay run` prints of a lock run and the metrics panel lists: how many clients
/// believed they held the lock at once, what the resource made of their writes, what waiting
/// cost, and the lock's own figures `F` (the database lock's; nothing for the others).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LockOutcome<F> {
    /// The most clients that believed they held the lock at the same moment: more than 1 is
    /// the lock failing (a crash ends a belief).
    pub max_simultaneous_holders: usize,
    /// The clients, by node number, in the order they acquired the lock.
    pub acquisitions: Vec<u32>,
    /// Writes the resource took.
    pub writes_accepted: u32,
    /// The resource's writes interleaved: an older holding wrote after a newer one had.
    pub two_writers: bool,
    /// Requests a client sent again after a refusal: the cost of waiting by polling.
    pub polls: u32,
    /// Watch notifications sent (ZooKeeper): the cost of waiting by watching.
    pub notifications: usize,
    /// How long the lock stood free while some client was waiting for it.
    pub free_while_waiting_ms: f64,
    /// Clients, by node number, still trying to get the lock at the end of the run.
    pub still_waiting: Vec<u32>,
    /// Writes the resource took although their token was older than one it had seen.
    pub stale_writes_accepted: u32,
    /// Writes the resource refused for their stale token: fencing at work.
    pub stale_writes_rejected: u32,
    /// The resource refuses writes with stale fencing tokens.
    pub fencing: bool,
    /// The lock's own figures, beside the family's.
    #[serde(flatten)]
    pub figures: F,
}

impl<F> LockOutcome<F> {
    /// The run's figures: holders at once (from what clients believed, a crash ending a
    /// belief), writes, polls and notifications, and the time the lock stood free while
    /// someone waited.
    pub(super) fn of<K: LockKind<Figures = F>>(
        lock: &Lock<K>,
        run: &RunView<'_, Lock<K>>,
    ) -> LockOutcome<F> {
        let mut holders: BTreeSet<NodeId> = BTreeSet::new();
        let mut waiting: BTreeSet<NodeId> = BTreeSet::new();
        let mut max_holders = 0usize;
        let mut free_while_waiting = 0u64;
        let mut since = 0u64;
        let mut order = Vec::new();
        let mut polls = 0u32;
        let (mut stale_accepted, mut rejected, mut accepted) = (0u32, 0u32, 0u32);
        let mut status = run.status.iter().peekable();
        let mut tally =
            |holders: &BTreeSet<NodeId>, waiting: &BTreeSet<NodeId>, now: u64, since: &mut u64| {
                if holders.is_empty() && !waiting.is_empty() {
                    free_while_waiting += now.saturating_sub(*since);
                }
                *since = now;
            };
        for o in run.observations {
            while let Some(s) = status.next_if(|s| s.event < o.event) {
                tally(&holders, &waiting, s.time, &mut since);
                if !s.up {
                    holders.remove(&s.node);
                    waiting.remove(&s.node);
                }
            }
            tally(&holders, &waiting, o.time, &mut since);
            match &o.what {
                LockEvent::Wants => {
                    waiting.insert(o.node);
                }
                LockEvent::Acquired(_) => {
                    waiting.remove(&o.node);
                    holders.insert(o.node);
                    order.push(o.node.number());
                    max_holders = max_holders.max(holders.len());
                }
                LockEvent::Released | LockEvent::Lost => {
                    holders.remove(&o.node);
                }
                LockEvent::Poll => polls += 1,
                LockEvent::WriteAccepted { stale } => {
                    accepted += 1;
                    stale_accepted += u32::from(*stale);
                }
                LockEvent::WriteRejected => rejected += 1,
                // The database's and RedLock's own events: their part of the outcome counts
                // them.
                LockEvent::Reentered { .. }
                | LockEvent::Row { .. }
                | LockEvent::Blocked
                | LockEvent::TimedOut
                | LockEvent::LateMajority { .. } => {}
            }
        }
        for s in status {
            tally(&holders, &waiting, s.time, &mut since);
            if !s.up {
                holders.remove(&s.node);
                waiting.remove(&s.node);
            }
        }
        tally(&holders, &waiting, run.now, &mut since);
        let still_waiting = run
            .nodes
            .iter()
            .filter(|n| n.up && matches!(&n.state, State::Client(c) if c.phase == Phase::Acquiring))
            .map(|n| n.id.number())
            .collect();
        LockOutcome {
            max_simultaneous_holders: max_holders,
            acquisitions: order,
            writes_accepted: accepted,
            two_writers: matches!(
                run.nodes.first().map(|n| &n.state),
                Some(State::Resource(r)) if r.interleaved.is_some()
            ),
            polls,
            notifications: run.messages.iter().filter(|m| m.kind == "notify").count(),
            free_while_waiting_ms: to_ms(free_while_waiting),
            still_waiting,
            stale_writes_accepted: stale_accepted,
            stale_writes_rejected: rejected,
            fencing: lock.fencing,
            figures: K::figures(lock, run),
        }
    }
}
