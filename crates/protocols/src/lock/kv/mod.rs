//! # A lock record in a database row or a Redis key
//!
//! Seed 002 starts with a table under a unique index: inserting the row takes the lock (the
//! index refuses a second insert), deleting it releases. This module holds the insert, the
//! delete and the polling that the database row shares with Redis; the database's own
//! additions, the re-entrancy count and `SELECT … FOR UPDATE`, are in [`super::db`].
//!
//! Redis `SET key token NX PX ttl` is the same record with a lease. The key expires on the
//! server's clock whether or not the holder has finished, which is the cure for dead holders
//! and the cause of everything else: a slow holder finds its lease gone and must not write;
//! its `DEL` must only delete its own key (001's Lua script compares the value first); a
//! watchdog renews the lease every ttl/3 while the work lasts. Redis replicates
//! asynchronously, so a primary can grant the lock and die before its replica hears of it;
//! the promoted replica then grants it again (001's weak-consistency problem).

use super::{Client, Kind, Lock, LockEvent, Msg, Phase, Replica, Server, Timer};
use clusterplay_sim::{say, Lang, NodeId, Out, Words};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

/// The replica, when there is one.
const REPLICA: NodeId = NodeId::from_index(2);

pub(super) fn init_server(id: NodeId, r: &Replica, out: &mut Out<Lock>) -> Server {
    if id == REPLICA {
        out.set_timer(Timer::Failover, r.failover, r.failover);
        Server::new(false)
    } else {
        out.set_timer(Timer::Replicate, r.replication, r.replication);
        Server::new(true)
    }
}

fn ttl(lock: &Lock) -> Option<u64> {
    match &lock.kind {
        Kind::Redis { ttl, .. } | Kind::RedLock { ttl, .. } => Some(*ttl),
        _ => None,
    }
}

fn expire_in(s: &mut Server, span: u64, out: &mut Out<Lock>) {
    s.expires_at = Some(out.local_now().saturating_add(span));
    out.set_timer(Timer::Expire, span, span);
}

pub(super) fn server_msg(
    lock: &Lock,
    id: NodeId,
    s: &mut Server,
    src: NodeId,
    msg: Msg,
    out: &mut Out<Lock>,
) {
    let is_request = matches!(msg, Msg::Set { .. } | Msg::Del { .. } | Msg::Renew { .. });
    if is_request && !s.primary {
        out.note(Note::ReplicaIgnores {
            label: msg_name(&msg),
            from: src,
        });
        return;
    }
    match msg {
        Msg::Set { serial, ttl } => {
            let owner = (src, serial);
            let (ok, token) = match s.entry {
                None => {
                    s.counter += 1;
                    s.entry = Some((owner, s.counter));
                    s.count = 1;
                    s.step = 0;
                    if let Some(ttl) = ttl {
                        expire_in(s, ttl, out);
                    }
                    out.note(Note::Grants {
                        to: src,
                        token: s.counter,
                    });
                    (true, s.counter)
                }
                Some((o, token)) if o == owner => (true, token),
                Some(((holder, _), _)) => {
                    out.note(Note::Refuses { to: src, holder });
                    (false, 0)
                }
            };
            out.send(src, Msg::SetReply { serial, ok, token });
        }
        Msg::Del { serial, compare } => match s.entry {
            Some((owner, _)) if !compare || owner == (src, serial) => {
                if owner.0 != src {
                    out.note(Note::DelDeletesOther {
                        from: src,
                        owner: owner.0,
                    });
                } else {
                    out.note(Note::Releases { client: src });
                }
                s.entry = None;
                s.count = 0;
                s.expires_at = None;
                out.cancel_timer(Timer::Expire);
            }
            Some(((holder, _), _)) => out.note(Note::CompareAndDeleteFails { from: src, holder }),
            None => out.note(Note::DeletesNothing { client: src }),
        },
        Msg::Renew { serial, ttl } => {
            let ok = s.entry.is_some_and(|(owner, _)| owner == (src, serial));
            if ok {
                expire_in(s, ttl, out);
            }
            out.send(src, Msg::RenewReply { serial, ok });
        }
        Msg::Replicate { entry, counter } if !s.primary => {
            s.entry = entry.map(|(owner, token, _)| (owner, token));
            s.counter = counter;
            match entry.and_then(|(_, _, left)| left) {
                Some(left) => expire_in(s, left, out),
                None => {
                    s.expires_at = None;
                    out.cancel_timer(Timer::Expire);
                }
            }
            if let Kind::Redis {
                replica: Some(r), ..
            } = &lock.kind
            {
                out.set_timer(Timer::Failover, r.failover, r.failover);
            }
        }
        other => out.note(Note::ServerIgnores {
            server: id.number(),
            label: msg_name(&other),
            from: src,
        }),
    }
}

fn msg_name(msg: &Msg) -> String {
    use clusterplay_sim::Message;
    msg.label()
}

pub(super) fn server_timer(
    lock: &Lock,
    _id: NodeId,
    s: &mut Server,
    timer: Timer,
    out: &mut Out<Lock>,
) {
    match timer {
        Timer::Expire => {
            if let Some(((owner, _), _)) = s.entry.take() {
                out.note(Note::KeyExpires { owner });
            }
            s.expires_at = None;
        }
        Timer::Replicate if s.primary => {
            if let Kind::Redis {
                replica: Some(r), ..
            } = &lock.kind
            {
                let now = out.local_now();
                let entry = s.entry.map(|(owner, token)| {
                    (owner, token, s.expires_at.map(|t| t.saturating_sub(now)))
                });
                out.send(
                    REPLICA,
                    Msg::Replicate {
                        entry,
                        counter: s.counter,
                    },
                );
                out.set_timer(Timer::Replicate, r.replication, r.replication);
            }
        }
        Timer::Failover if !s.primary => {
            s.primary = true;
            out.note(Note::Promoted);
            for c in out
                .all()
                .filter(|n| n.index() >= lock.first_client())
                .collect::<Vec<_>>()
            {
                out.send(c, Msg::NewPrimary);
            }
        }
        _ => {}
    }
}

/// A server back from a crash re-arms what its data needs: the key's expiry, the sessions of
/// ZooKeeper children, replication or failover.
pub(super) fn recover_server(lock: &Lock, _id: NodeId, s: &mut Server, out: &mut Out<Lock>) {
    if let Some(at) = s.expires_at {
        let left = at.saturating_sub(out.local_now());
        out.set_timer(Timer::Expire, left, left);
    }
    match &lock.kind {
        Kind::ZooKeeper {
            session_timeout, ..
        } => {
            let owners: std::collections::BTreeSet<NodeId> = s.children.values().copied().collect();
            for owner in owners {
                out.set_timer(Timer::Session(owner), *session_timeout, *session_timeout);
            }
        }
        Kind::Redis {
            replica: Some(r), ..
        } => {
            if s.primary {
                out.set_timer(Timer::Replicate, r.replication, r.replication);
            } else {
                out.set_timer(Timer::Failover, r.failover, r.failover);
            }
        }
        _ => {}
    }
}

pub(super) fn attempt(lock: &Lock, c: &mut Client, out: &mut Out<Lock>) {
    c.sent_at = out.local_now();
    out.send(
        c.server,
        Msg::Set {
            serial: c.serial,
            ttl: ttl(lock),
        },
    );
    out.set_timer(Timer::Retry, lock.retry, lock.retry);
}

pub(super) fn release(lock: &Lock, _id: NodeId, c: &mut Client, out: &mut Out<Lock>) {
    let compare = match &lock.kind {
        Kind::Redis {
            compare_and_delete, ..
        } => *compare_and_delete,
        _ => true,
    };
    out.send(
        c.server,
        Msg::Del {
            serial: c.serial,
            compare,
        },
    );
}

pub(super) fn client_msg(
    lock: &Lock,
    id: NodeId,
    c: &mut Client,
    src: NodeId,
    msg: Msg,
    out: &mut Out<Lock>,
) {
    match msg {
        Msg::SetReply {
            serial,
            ok: true,
            token,
        } if serial == c.serial && c.phase == Phase::Acquiring => {
            if let Some(ttl) = ttl(lock) {
                let until = c.sent_at.saturating_add(ttl);
                c.lease_until = Some(until);
                let left = until.saturating_sub(out.local_now());
                out.set_timer(Timer::LeaseEnd, left, left);
            }
            if let Kind::Redis {
                watchdog: true,
                ttl,
                ..
            } = &lock.kind
            {
                out.set_timer(Timer::Renew, ttl / 3, ttl / 3);
            }
            lock.enter(id, c, vec![(src.number(), token)], out);
        }
        Msg::SetReply { ok: false, .. } => {}
        Msg::RenewReply { serial, ok } if serial == c.serial && c.holding => {
            if ok {
                if let Some(ttl) = ttl(lock) {
                    let until = c.sent_at.saturating_add(ttl);
                    c.lease_until = Some(until);
                    let left = until.saturating_sub(out.local_now());
                    out.set_timer(Timer::LeaseEnd, left, left);
                    out.note(Note::Renewed);
                }
            } else {
                lock.lose(c, Note::RenewalFoundKeyGone, out);
            }
        }
        Msg::NewPrimary => {
            c.server = src;
            out.note(Note::NewPrimary { primary: src });
        }
        _ => {}
    }
}

pub(super) fn client_timer(lock: &Lock, c: &mut Client, timer: Timer, out: &mut Out<Lock>) {
    match timer {
        Timer::Retry if c.phase == Phase::Acquiring => {
            c.polls += 1;
            out.observe(LockEvent::Poll);
            attempt(lock, c, out);
        }
        Timer::Renew if c.holding => {
            if let Kind::Redis { ttl, .. } = lock.kind {
                c.sent_at = out.local_now();
                out.send(
                    c.server,
                    Msg::Renew {
                        serial: c.serial,
                        ttl,
                    },
                );
                out.set_timer(Timer::Renew, ttl / 3, ttl / 3);
            }
        }
        _ => {}
    }
}
