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
//!
//! The server side here also serves [`super::redlock`], whose instances are Redis servers
//! without replicas.

use super::{Client, Lock, LockEvent, LockKind, Msg, Owner, Phase, ServerView, Timer};
use clusterplay_sim::{say, Lang, Message, NodeId, Out, Span, Words};
use clusterplay_view::RunView;

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

/// The replica, when there is one.
const REPLICA: NodeId = NodeId::from_index(2);

/// Redis `SET NX PX`, with its settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Redis {
    pub ttl: Span,
    /// Release with the compare-and-delete script rather than plain `DEL`.
    pub compare_and_delete: bool,
    /// Renew the lease every ttl/3 while working.
    pub watchdog: bool,
    /// An asynchronously replicated replica (node 3) that takes over after `failover` of
    /// silence from the primary; the primary ships its data every `replication`.
    pub replica: Option<Replica>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Replica {
    pub replication: Span,
    pub failover: Span,
}

/// A server keeping the lock record: a Redis server, a RedLock instance, the database's table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Store {
    /// The lock record: its owner and grant number.
    pub entry: Option<(Owner, u64)>,
    /// Grants so far: the next fencing token is one more.
    pub counter: u64,
    /// Serving clients (the primary, a RedLock instance, the database) rather than following a
    /// primary.
    pub primary: bool,
    /// Local time at which the key expires, if it has a lease.
    pub expires_at: Option<u64>,
}

impl Store {
    pub fn new(primary: bool) -> Self {
        Store {
            entry: None,
            counter: 0,
            primary,
            expires_at: None,
        }
    }

    /// Who holds the record, as a node's view says it.
    pub(super) fn held(&self) -> String {
        match self.entry {
            Some(((owner, _), token)) => format!("locked by {owner} #{token}"),
            None => "free".into(),
        }
    }
}

impl LockKind for Redis {
    type Server = Store;
    type Client = ();
    type Figures = ();

    fn servers(&self) -> usize {
        1 + usize::from(self.replica.is_some())
    }

    fn start_server(lock: &Lock<Self>, id: NodeId, out: &mut Out<Lock<Self>>) -> Store {
        let Some(r) = &lock.kind.replica else {
            return Store::new(true);
        };
        if id == REPLICA {
            out.set_timer(Timer::Failover, r.failover, r.failover);
            Store::new(false)
        } else {
            out.set_timer(Timer::Replicate, r.replication, r.replication);
            Store::new(true)
        }
    }

    fn server_msg(
        lock: &Lock<Self>,
        id: NodeId,
        s: &mut Store,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        serve(lock.kind.replica.as_ref(), id, s, src, msg, out)
    }

    fn server_timer(lock: &Lock<Self>, s: &mut Store, timer: Timer, out: &mut Out<Lock<Self>>) {
        tick(lock, lock.kind.replica.as_ref(), s, timer, out)
    }

    /// Redis keeps its data through a crash here, as with persistence on.
    fn server_crash(_lock: &Lock<Self>, s: &Store) -> Store {
        s.clone()
    }

    fn server_recover(lock: &Lock<Self>, s: &Store, out: &mut Out<Lock<Self>>) {
        recover(lock.kind.replica.as_ref(), s, out)
    }

    fn attempt(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        ask(lock, Some(lock.kind.ttl), c, out)
    }

    fn release(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        delete(c, lock.kind.compare_and_delete, out)
    }

    fn client_msg(
        lock: &Lock<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        let ttl = lock.kind.ttl;
        match msg {
            Msg::SetReply {
                serial,
                ok: true,
                token,
            } if serial == c.serial && c.phase == Phase::Acquiring => {
                lease(c, ttl, out);
                if lock.kind.watchdog {
                    out.set_timer(Timer::Renew, ttl / 3, ttl / 3);
                }
                lock.enter(id, c, vec![(src.number(), token)], out);
            }
            Msg::RenewReply { serial, ok } if serial == c.serial && c.holding => {
                if ok {
                    lease(c, ttl, out);
                    out.note(Note::Renewed);
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

    fn client_timer(
        lock: &Lock<Self>,
        c: &mut Client<Self>,
        timer: Timer,
        out: &mut Out<Lock<Self>>,
    ) {
        let ttl = lock.kind.ttl;
        match timer {
            Timer::Retry if c.phase == Phase::Acquiring => poll(lock, Some(ttl), c, out),
            Timer::Renew if c.holding => {
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
            _ => {}
        }
    }

    fn server_view(s: &Store) -> ServerView {
        let (name, role) = if s.primary {
            ("redis primary", "server")
        } else {
            ("redis replica", "replica")
        };
        ServerView {
            name,
            role,
            lock: s.held(),
            grants: s.counter,
            fields: Vec::new(),
        }
    }

    fn figures(_lock: &Lock<Self>, _run: &RunView<'_, Lock<Self>>) {}
}

fn expire_in<K: LockKind>(s: &mut Store, span: u64, out: &mut Out<Lock<K>>) {
    s.expires_at = Some(out.local_now().saturating_add(span));
    out.set_timer(Timer::Expire, span, span);
}

/// `SET NX` (`INSERT` for the database, without a lease): the record goes to whoever asks
/// first, and its holder asking again is told it has it.
pub(super) fn set<K: LockKind>(
    s: &mut Store,
    src: NodeId,
    serial: u32,
    ttl: Option<Span>,
    out: &mut Out<Lock<K>>,
) {
    let owner = (src, serial);
    let (ok, token) = match s.entry {
        None => {
            s.counter += 1;
            s.entry = Some((owner, s.counter));
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

/// `DEL` deletes whatever record is there; compare-and-delete only the sender's own.
pub(super) fn del<K: LockKind>(
    s: &mut Store,
    src: NodeId,
    serial: u32,
    compare: bool,
    out: &mut Out<Lock<K>>,
) {
    match s.entry {
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
            s.expires_at = None;
            out.cancel_timer(Timer::Expire);
        }
        Some(((holder, _), _)) => out.note(Note::CompareAndDeleteFails { from: src, holder }),
        None => out.note(Note::DeletesNothing { client: src }),
    }
}

/// A Redis server's answer to a message; a replica (there is one only with `replica`) takes
/// the primary's data and no requests.
pub(super) fn serve<K: LockKind>(
    replica: Option<&Replica>,
    id: NodeId,
    s: &mut Store,
    src: NodeId,
    msg: Msg,
    out: &mut Out<Lock<K>>,
) {
    let is_request = matches!(msg, Msg::Set { .. } | Msg::Del { .. } | Msg::Renew { .. });
    if is_request && !s.primary {
        out.note(Note::ReplicaIgnores {
            label: msg.label(),
            from: src,
        });
        return;
    }
    match msg {
        Msg::Set { serial, ttl } => set(s, src, serial, ttl, out),
        Msg::Del { serial, compare } => del(s, src, serial, compare, out),
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
            if let Some(r) = replica {
                out.set_timer(Timer::Failover, r.failover, r.failover);
            }
        }
        other => out.note(Note::ServerIgnores {
            server: id.number(),
            label: other.label(),
            from: src,
        }),
    }
}

/// A Redis server's timers: the key's expiry, and with a replica, shipping the data or
/// taking over from a silent primary.
pub(super) fn tick<K: LockKind>(
    lock: &Lock<K>,
    replica: Option<&Replica>,
    s: &mut Store,
    timer: Timer,
    out: &mut Out<Lock<K>>,
) {
    match timer {
        Timer::Expire => {
            if let Some(((owner, _), _)) = s.entry.take() {
                out.note(Note::KeyExpires { owner });
            }
            s.expires_at = None;
        }
        Timer::Replicate if s.primary => {
            if let Some(r) = replica {
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

/// A Redis server back from a crash re-arms what its data needs: the key's expiry, and
/// replication or failover.
pub(super) fn recover<K: LockKind>(replica: Option<&Replica>, s: &Store, out: &mut Out<Lock<K>>) {
    if let Some(at) = s.expires_at {
        let left = at.saturating_sub(out.local_now());
        out.set_timer(Timer::Expire, left, left);
    }
    if let Some(r) = replica {
        if s.primary {
            out.set_timer(Timer::Replicate, r.replication, r.replication);
        } else {
            out.set_timer(Timer::Failover, r.failover, r.failover);
        }
    }
}

/// `SET NX PX` (`INSERT` without a lease), to be asked again after the retry interval.
pub(super) fn ask<K: LockKind>(
    lock: &Lock<K>,
    ttl: Option<Span>,
    c: &mut Client<K>,
    out: &mut Out<Lock<K>>,
) {
    c.sent_at = out.local_now();
    out.send(
        c.server,
        Msg::Set {
            serial: c.serial,
            ttl,
        },
    );
    out.set_timer(Timer::Retry, lock.retry, lock.retry);
}

/// The record was taken: ask again.
pub(super) fn poll<K: LockKind>(
    lock: &Lock<K>,
    ttl: Option<Span>,
    c: &mut Client<K>,
    out: &mut Out<Lock<K>>,
) {
    c.polls += 1;
    out.observe(LockEvent::Poll);
    ask(lock, ttl, c, out);
}

pub(super) fn delete<K: LockKind>(c: &Client<K>, compare: bool, out: &mut Out<Lock<K>>) {
    out.send(
        c.server,
        Msg::Del {
            serial: c.serial,
            compare,
        },
    );
}

/// The lease runs `ttl` from when the request went out, which is all the client can know of
/// when the server started counting.
fn lease(c: &mut Client<Redis>, ttl: Span, out: &mut Out<Lock<Redis>>) {
    let until = c.sent_at.saturating_add(ttl);
    c.lease_until = Some(until);
    let left = until.saturating_sub(out.local_now());
    out.set_timer(Timer::LeaseEnd, left, left);
}
