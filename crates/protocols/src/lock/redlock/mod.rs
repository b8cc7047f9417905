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

use super::{Client, Kind, Lock, LockEvent, Msg, Phase, Timer};
use clusterplay_sim::{say, to_ms, Lang, NodeId, Out, Span, Words};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

fn instances(lock: &Lock) -> impl Iterator<Item = NodeId> {
    (1..lock.first_client()).map(NodeId::from_index)
}

fn majority(lock: &Lock) -> usize {
    lock.servers() / 2 + 1
}

pub(super) fn attempt(lock: &Lock, c: &mut Client, out: &mut Out<Lock>) {
    let Kind::RedLock {
        ttl,
        instance_timeout,
        ..
    } = lock.kind
    else {
        return;
    };
    c.grants.clear();
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

pub(super) fn release(lock: &Lock, c: &mut Client, out: &mut Out<Lock>) {
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

/// The round failed (`why` says how): release everywhere, try again after a random backoff.
fn fail(lock: &Lock, c: &mut Client, why: impl Words, out: &mut Out<Lock>) {
    out.note(why);
    out.cancel_timer(Timer::Attempt);
    release(lock, c, out);
    c.grants.clear();
    // The next round writes a fresh value, so a late yes to this one counts for nothing.
    c.serial += 1;
    out.set_timer(Timer::Retry, lock.retry, lock.retry * 2);
}

pub(super) fn client_msg(
    lock: &Lock,
    id: NodeId,
    c: &mut Client,
    src: NodeId,
    msg: Msg,
    out: &mut Out<Lock>,
) {
    let Kind::RedLock {
        ttl,
        drift_allowance,
        ..
    } = lock.kind
    else {
        return;
    };
    match msg {
        Msg::SetReply {
            serial,
            ok: true,
            token,
        } if serial == c.serial && c.phase == Phase::Acquiring => {
            c.grants.insert(src, token);
            if c.grants.len() < majority(lock) {
                return;
            }
            let elapsed = out.local_now().saturating_sub(c.sent_at);
            let validity = ttl.saturating_sub(elapsed).saturating_sub(drift_allowance);
            if validity == 0 {
                return fail(lock, c, Note::TooSlow { elapsed, ttl }, out);
            }
            out.cancel_timer(Timer::Attempt);
            c.lease_until = Some(out.local_now() + validity);
            out.set_timer(Timer::LeaseEnd, validity, validity);
            out.note(Note::Holds {
                granted: c.grants.len(),
                instances: lock.servers(),
                validity,
            });
            let token = c.grants.iter().map(|(i, t)| (i.number(), *t)).collect();
            lock.enter(id, c, token, out);
        }
        _ => {}
    }
}

pub(super) fn client_timer(lock: &Lock, c: &mut Client, timer: Timer, out: &mut Out<Lock>) {
    match timer {
        Timer::Attempt if c.phase == Phase::Acquiring => {
            let why = Note::TooFew {
                granted: c.grants.len(),
                instances: lock.servers(),
            };
            fail(lock, c, why, out);
        }
        Timer::Retry if c.phase == Phase::Acquiring => {
            c.polls += 1;
            out.observe(LockEvent::Poll);
            attempt(lock, c, out);
        }
        _ => {}
    }
}
