//! # RedLock: a majority of independent Redis instances
//!
//! 001 and 002 describe RedLock as the answer to the failover problem: instead of one primary
//! with a replica, 2N+1 independent instances. The client sends `SET NX PX` to all of them at
//! once, each with a short timeout so that a dead instance costs little. It holds the lock if
//! N+1 or more said yes and the lease still has time left once the asking is done: the
//! *validity time* is the ttl minus the time spent asking minus an allowance for clock drift.
//! Otherwise it releases on every instance (some may have said yes) and tries again later.
//!
//! A minority of instances may crash and the lock still works. What RedLock cannot survive is
//! time: each instance expires its key on its own clock, so a clock that jumps forward frees
//! the key early and a second client can gather a majority; and a client that pauses after
//! acquiring wakes up past its validity without knowing it. Fencing tokens help: each
//! instance numbers its grants, the holding carries the numbers of its majority, and the
//! resource compares them instance by instance (any two majorities share an instance, whose
//! numbers tell which holding came later).

use super::kv::{self, Store};
use super::{Client, Lock, LockEvent, LockKind, Msg, Phase, ServerView, Timer};
use clusterplay_sim::{say, to_ms, Lang, NodeId, Out, Span, Words};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeMap;

/// RedLock's own figures, beside the family's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedLockOutcome {
    /// Rounds where a majority said yes only after the lease had run out: the client did not
    /// hold the lock and unlocked everywhere. Absent when there were none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub late_majorities: Vec<LateMajority>,
}

/// A majority that came too late.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LateMajority {
    /// The client, by node number.
    pub client: u32,
    /// When the last yes of the majority arrived, in virtual milliseconds.
    pub at_ms: f64,
    /// How long asking the instances took, by the client's clock.
    pub asking_took_ms: f64,
    /// The lease it asked for.
    pub ttl_ms: f64,
}

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

/// RedLock over `instances` Redis instances.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RedLock {
    pub instances: usize,
    pub ttl: Span,
    /// How long a client waits for the instances' answers.
    pub instance_timeout: Span,
    /// What the client subtracts from the validity for clock drift.
    pub drift_allowance: Span,
}

/// What a RedLock client keeps of its current round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Round {
    /// The grants in this round, by instance.
    pub grants: BTreeMap<NodeId, u64>,
}

fn instances(lock: &Lock<RedLock>) -> impl Iterator<Item = NodeId> {
    (1..lock.first_client()).map(NodeId::from_index)
}

fn majority(lock: &Lock<RedLock>) -> usize {
    lock.servers() / 2 + 1
}

/// The round failed (`why` says how): release everywhere, try again after a random backoff.
fn fail(
    lock: &Lock<RedLock>,
    c: &mut Client<RedLock>,
    why: impl Words,
    out: &mut Out<Lock<RedLock>>,
) {
    out.note(why);
    out.cancel_timer(Timer::Attempt);
    RedLock::release(lock, c, out);
    c.own.grants.clear();
    // The next round writes a fresh value, so a late yes to this one counts for nothing.
    c.serial += 1;
    out.set_timer(Timer::Retry, lock.retry, lock.retry * 2);
}

/// Every instance is a Redis server of its own, without a replica.
impl LockKind for RedLock {
    type Server = Store;
    type Client = Round;
    type Figures = RedLockOutcome;

    fn servers(&self) -> usize {
        self.instances
    }

    fn start_server(_lock: &Lock<Self>, _id: NodeId, _out: &mut Out<Lock<Self>>) -> Store {
        Store::new(true)
    }

    fn server_msg(
        _lock: &Lock<Self>,
        id: NodeId,
        s: &mut Store,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        kv::serve(None, id, s, src, msg, out)
    }

    fn server_timer(lock: &Lock<Self>, s: &mut Store, timer: Timer, out: &mut Out<Lock<Self>>) {
        kv::tick(lock, None, s, timer, out)
    }

    /// An instance keeps its data through a crash here, as with persistence on.
    fn server_crash(_lock: &Lock<Self>, s: &Store) -> Store {
        s.clone()
    }

    fn server_recover(_lock: &Lock<Self>, s: &Store, out: &mut Out<Lock<Self>>) {
        kv::recover(None, s, out)
    }

    fn attempt(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        let RedLock {
            ttl,
            instance_timeout,
            ..
        } = lock.kind;
        c.own.grants.clear();
        c.sent_at = out.local_now();
        for i in instances(lock) {
            out.send(
                i,
                Msg::Set {
                    serial: c.serial,
                    ttl: Some(ttl),
                },
            );
        }
        out.set_timer(Timer::Attempt, instance_timeout, instance_timeout);
    }

    fn release(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        for i in instances(lock) {
            out.send(
                i,
                Msg::Del {
                    serial: c.serial,
                    compare: true,
                },
            );
        }
    }

    fn client_msg(
        lock: &Lock<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        let RedLock {
            ttl,
            drift_allowance,
            ..
        } = lock.kind;
        match msg {
            Msg::SetReply {
                serial,
                ok: true,
                token,
            } if serial == c.serial && c.phase == Phase::Acquiring => {
                c.own.grants.insert(src, token);
                if c.own.grants.len() < majority(lock) {
                    return;
                }
                let elapsed = out.local_now().saturating_sub(c.sent_at);
                let validity = ttl.saturating_sub(elapsed).saturating_sub(drift_allowance);
                if validity == 0 {
                    out.observe(LockEvent::LateMajority { elapsed, ttl });
                    return fail(lock, c, Note::TooSlow { elapsed, ttl }, out);
                }
                out.cancel_timer(Timer::Attempt);
                c.lease_until = Some(out.local_now() + validity);
                out.set_timer(Timer::LeaseEnd, validity, validity);
                out.note(Note::Holds {
                    granted: c.own.grants.len(),
                    instances: lock.servers(),
                    validity,
                });
                let token = c.own.grants.iter().map(|(i, t)| (i.number(), *t)).collect();
                lock.enter(id, c, token, out);
            }
            _ => {}
        }
    }

    fn client_timer(
        lock: &Lock<Self>,
        c: &mut Client<Self>,
        timer: Timer,
        out: &mut Out<Lock<Self>>,
    ) {
        match timer {
            Timer::Attempt if c.phase == Phase::Acquiring => {
                let why = Note::TooFew {
                    granted: c.own.grants.len(),
                    instances: lock.servers(),
                };
                fail(lock, c, why, out);
            }
            Timer::Retry if c.phase == Phase::Acquiring => {
                c.polls += 1;
                out.observe(LockEvent::Poll);
                Self::attempt(lock, c, out);
            }
            _ => {}
        }
    }

    fn server_view(s: &Store) -> ServerView {
        ServerView {
            name: "redis",
            role: "server",
            lock: s.held(),
            grants: s.counter,
            fields: Vec::new(),
        }
    }

    fn figures(_lock: &Lock<Self>, run: &RunView<'_, Lock<Self>>) -> RedLockOutcome {
        RedLockOutcome {
            late_majorities: run
                .observations
                .iter()
                .filter_map(|o| match o.what {
                    LockEvent::LateMajority { elapsed, ttl } => Some(LateMajority {
                        client: o.node.number(),
                        at_ms: to_ms(o.time),
                        asking_took_ms: to_ms(elapsed),
                        ttl_ms: to_ms(ttl),
                    }),
                    _ => None,
                })
                .collect(),
        }
    }
}
