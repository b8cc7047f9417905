//! # The database lock: a row under a unique index, or a row locked `FOR UPDATE`
//!
//! Seed 001 lists what a distributed lock needs: mutual exclusion, a lock service that stays
//! available, *re-entrancy* (a node that holds the lock can take it again) and *robustness*:
//! no deadlock, so that when a holder dies without unlocking the lock still passes on. Both
//! seeds begin with MySQL, which offers two ways to lock.
//!
//! **A row under a unique index** (001, 002). To lock, insert a row whose lock name is under
//! a unique index: the index refuses a second insert, so whoever inserted the row holds the
//! lock; to unlock, delete the row. Seed 002 lists its three problems, and all three show:
//!
//! - *No expiry.* If the holder dies, or its delete is lost, the row stays and nobody ever
//!   gets the lock again (`db-lock-holder-crash`).
//! - *No blocking.* A refused insert is just an error, so the client loops and tries again
//!   every `retry_ms` (001's `while` loop): every wait is a series of polls, each one a
//!   request to the database.
//! - *No re-entrancy.* A holder that calls `lock()` again from inside its critical section
//!   (a nested method) inserts the same row, is refused by its own row and polls forever,
//!   its work stuck behind the call: it has deadlocked itself, and holds the lock for good.
//!
//! 001's cure for the last one lives in the row: it records which thread holds the lock and
//! a re-entrancy count. With `reentrant` the holder's second acquire raises the count instead
//! of failing; each release lowers it, and the row is deleted only when the count reaches
//! zero, so a lock taken three times is released three times before the next client gets in
//! (`db-lock-reentrant`). Each change to the row carries the holding's step number, so a
//! duplicated or late message changes nothing.
//!
//! **`SELECT … FOR UPDATE`** (001's exclusive lock). The client opens a transaction and
//! selects the lock row `FOR UPDATE`; the database puts an exclusive lock on the row, and the
//! client whose transaction has it holds the distributed lock; `COMMIT` releases it. Two
//! things change, both done by the database rather than by the client:
//!
//! - A waiter does not poll. Its `SELECT` blocks inside the database, which queues it and
//!   answers when the row lock is free, first come first served.
//! - The lock belongs to the transaction, and the transaction to its connection. When the
//!   connection ends, the database rolls the transaction back and the lock goes with it. A
//!   crashed client does not say goodbye: the database notices only when the connection has
//!   been silent for the connection timeout (`connection_timeout_ms`, 100 ms unless set; the
//!   client's keep-alives go every third of it). Then the next blocked transaction gets the
//!   row (`db-lock-for-update-crash`), where the inserted row of `db-lock-holder-crash`
//!   stays forever.
//!
//! The connection timeout is a lease in disguise. A holder paused or cut off for longer than
//! the timeout loses its lock without knowing it, and learns it only when its next keep-alive
//! is told that its transaction was rolled back; a write it sends before that needs a fencing
//! token to be refused. A database crash ends every connection too: the row locks and the
//! blocked transactions are gone, a waiter's keep-alive asks again, and a holder's is told
//! that its transaction rolled back. The grant number, the fencing token, comes from a
//! sequence on disk, so it keeps growing across a restart.
//!
//! Re-entrancy works the same way under `FOR UPDATE` (001: "the rest is as with the unique
//! index"): the count is in the row, inner releases lower it, the last one commits. Without
//! it, a nested `lock()` takes a second connection from the pool and its `SELECT` waits
//! behind the holder's own transaction: the same self-deadlock, blocked instead of polling.

use super::kv::{self, Store};
use super::{Client, Lock, LockEvent, LockKind, Msg, Owner, Phase, ServerView, Timer};
use clusterplay_sim::{say, to_ms, Lang, Message, NodeId, Out, Span, Words};
use clusterplay_view::{NodeView, RunView};

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::{DbOutcome, RowCount};
use words::Note;

/// The database lock's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Db {
    pub mode: DbMode,
    /// The row carries a re-entrancy count: its holder may take it again.
    pub reentrant: bool,
    /// `FOR UPDATE`: how long the database waits on a silent connection before it closes it
    /// and rolls its transaction back.
    pub connection_timeout: Span,
}

/// How the database row locks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DbMode {
    /// `INSERT` under a unique index to lock, `DELETE` to unlock; a refused insert polls.
    Insert,
    /// `SELECT … FOR UPDATE` in an open transaction: the row lock lasts until `COMMIT` or
    /// until the connection ends; waiters block in the database.
    ForUpdate,
}

/// The database: the lock row, kept as Redis keeps its key, and what the row adds to it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Database {
    /// The row's owner and grant number, and the sequence the grants come from.
    pub store: Store,
    /// The row's re-entrancy count and the holding's last change to it.
    pub count: u32,
    pub step: u32,
    /// `FOR UPDATE`: transactions blocked on the row lock, first come first, and the local
    /// time the row lock was last granted.
    pub queue: Vec<Owner>,
    pub granted_at: u64,
}

/// What a database client keeps of its holds on the row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Holds {
    /// How many times it holds the lock (the row's re-entrancy count as it last heard), and
    /// the number of its last change to the row.
    pub depth: u32,
    pub step: u32,
    /// A nested acquire is under way, with the work left when it began (the work waits while
    /// the nested call does).
    pub nested: Option<Span>,
    /// Local time at which the work ends.
    pub work_until: u64,
}

type DbOut = Out<Lock<Db>>;

/// How often a client's connection says it is alive.
fn beat(db: &Db) -> Span {
    (db.connection_timeout / 3).max(1)
}

fn owns(s: &Database, who: Owner) -> bool {
    s.store.entry.is_some_and(|(owner, _)| owner == who)
}

/// The row's count changed: the outcome keeps the ledger when the row counts at all.
fn row(db: &Db, owner: NodeId, count: u32, out: &mut DbOut) {
    if db.reentrant {
        out.observe(LockEvent::Row { owner, count });
    }
}

/// (Re)start the silence countdown of a connection.
fn arm(db: &Db, who: Owner, out: &mut DbOut) {
    out.set_timer(
        Timer::Connection(who),
        db.connection_timeout,
        db.connection_timeout,
    );
}

/// The row lock goes to `who`'s transaction.
fn grant(db: &Db, s: &mut Database, who: Owner, out: &mut DbOut) {
    s.store.counter += 1;
    s.store.entry = Some((who, s.store.counter));
    s.count = 1;
    s.step = 0;
    s.granted_at = out.local_now();
    out.send(
        who.0,
        Msg::SetReply {
            serial: who.1,
            ok: true,
            token: s.store.counter,
        },
    );
    row(db, who.0, 1, out);
}

/// The row is gone (count zero) or its transaction ended: under `FOR UPDATE` the first
/// blocked transaction gets it.
fn free(db: &Db, s: &mut Database, out: &mut DbOut) {
    s.store.entry = None;
    s.count = 0;
    s.step = 0;
    if db.mode == DbMode::ForUpdate && !s.queue.is_empty() {
        let next = s.queue.remove(0);
        out.note(Note::RowLockPasses { to: next.0 });
        grant(db, s, next, out);
    }
}

fn select_for_update(db: &Db, s: &mut Database, who: Owner, out: &mut DbOut) {
    let (src, serial) = who;
    match s.store.entry {
        None => {
            arm(db, who, out);
            out.note(Note::LocksRow {
                client: src,
                token: s.store.counter + 1,
            });
            grant(db, s, who, out);
        }
        Some((owner, token)) if owner == who => out.send(
            src,
            Msg::SetReply {
                serial,
                ok: true,
                token,
            },
        ),
        Some(_) if s.queue.contains(&who) => {}
        Some(((holder, _), _)) => {
            s.queue.push(who);
            arm(db, who, out);
            out.observe(LockEvent::Blocked);
            out.note(Note::SelectBlocks {
                client: src,
                holder,
            });
        }
    }
}

/// The holder asks again. With a count the row takes it; without one the unique index (or
/// the row lock) does not care whose the row is.
fn reenter_row(db: &Db, s: &mut Database, src: NodeId, serial: u32, step: u32, out: &mut DbOut) {
    match (db.reentrant, db.mode) {
        (false, DbMode::Insert) => {
            out.note(Note::RefusesSecondInsert { client: src });
            out.send(
                src,
                Msg::SetReply {
                    serial,
                    ok: false,
                    token: 0,
                },
            );
        }
        (false, DbMode::ForUpdate) => out.note(Note::SecondSelectWaits { client: src }),
        (true, _) => {
            if step == s.step + 1 {
                s.count += 1;
                s.step = step;
                out.note(Note::CountUp {
                    client: src,
                    count: s.count,
                });
                row(db, src, s.count, out);
            }
            if step == s.step {
                out.send(
                    src,
                    Msg::Count {
                        serial,
                        step,
                        count: s.count,
                    },
                );
            }
        }
    }
}

/// One release of a re-entered lock. The count reaching zero deletes the row.
fn unlock_row(db: &Db, s: &mut Database, src: NodeId, serial: u32, step: u32, out: &mut DbOut) {
    if step == s.step + 1 {
        s.count = s.count.saturating_sub(1);
        s.step = step;
        row(db, src, s.count, out);
        if s.count == 0 {
            out.cancel_timer(Timer::Connection((src, serial)));
            out.note(Note::LastHold { client: src });
            return free(db, s, out);
        }
        out.note(Note::ReleasesOnce {
            client: src,
            count: s.count,
        });
    }
    if step == s.step {
        out.send(
            src,
            Msg::Count {
                serial,
                step,
                count: s.count,
            },
        );
    }
}

/// A connection is alive. It also carries what its client is doing, so that what TCP would
/// retransmit is not lost for good: a waiting client whose `SELECT` the database has not
/// seen (lost, or the database restarted) is queued now, one still waiting a keep-alive
/// interval after its grant hears it again, and a holder whose transaction is gone is told.
fn keep_alive(db: &Db, s: &mut Database, who: Owner, holding: bool, out: &mut DbOut) {
    let (src, serial) = who;
    if owns(s, who) || s.queue.contains(&who) {
        arm(db, who, out);
        let missed = out.local_now().saturating_sub(s.granted_at) >= beat(db);
        if owns(s, who) && !holding && missed {
            select_for_update(db, s, who, out);
        }
    } else if holding {
        out.note(Note::ConnectionGone { client: src });
        out.send(src, Msg::RolledBack { serial });
    } else {
        select_for_update(db, s, who, out);
    }
}

/// The nested call returned (or will never matter again): the work goes on.
fn resume(c: &mut Client<Db>, out: &mut DbOut) {
    if let Some(left) = c.own.nested.take() {
        c.own.work_until = out.local_now().saturating_add(left);
        out.set_timer(Timer::Work, left, left);
    }
}

impl LockKind for Db {
    type Server = Database;
    type Client = Holds;
    type Figures = DbOutcome;

    fn servers(&self) -> usize {
        1
    }

    fn start_server(_lock: &Lock<Self>, _id: NodeId, _out: &mut DbOut) -> Database {
        Database {
            store: Store::new(true),
            count: 0,
            step: 0,
            queue: Vec::new(),
            granted_at: 0,
        }
    }

    fn server_msg(
        lock: &Lock<Self>,
        _id: NodeId,
        s: &mut Database,
        src: NodeId,
        msg: Msg,
        out: &mut DbOut,
    ) {
        let db = &lock.kind;
        match (db.mode, msg) {
            (DbMode::Insert, Msg::Set { serial, ttl }) => {
                let before = s.store.entry;
                kv::set(&mut s.store, src, serial, ttl, out);
                if s.store.entry != before {
                    s.count = 1;
                    s.step = 0;
                    row(db, src, 1, out);
                }
            }
            (DbMode::Insert, Msg::Del { serial, compare }) => {
                let before = s.store.entry;
                kv::del(&mut s.store, src, serial, compare, out);
                if s.store.entry != before {
                    s.count = 0;
                }
            }
            (DbMode::ForUpdate, Msg::SelectForUpdate { serial }) => {
                select_for_update(db, s, (src, serial), out)
            }
            (_, Msg::Reenter { serial, step }) if owns(s, (src, serial)) => {
                reenter_row(db, s, src, serial, step, out)
            }
            (_, Msg::Unlock { serial, step }) if db.reentrant && owns(s, (src, serial)) => {
                unlock_row(db, s, src, serial, step, out)
            }
            (DbMode::ForUpdate, Msg::Commit { serial }) if owns(s, (src, serial)) => {
                out.cancel_timer(Timer::Connection((src, serial)));
                out.note(Note::Commits { client: src });
                row(db, src, 0, out);
                free(db, s, out);
            }
            (DbMode::ForUpdate, Msg::KeepAlive { serial, holding }) => {
                keep_alive(db, s, (src, serial), holding, out)
            }
            (_, other) => out.note(Note::Ignores {
                label: other.label(),
                from: src,
            }),
        }
    }

    fn server_timer(lock: &Lock<Self>, s: &mut Database, timer: Timer, out: &mut DbOut) {
        let db = &lock.kind;
        match timer {
            Timer::Connection(who) if owns(s, who) => {
                out.observe(LockEvent::TimedOut);
                out.note(Note::ConnectionTimesOut {
                    client: who.0,
                    timeout: db.connection_timeout,
                });
                out.send(who.0, Msg::RolledBack { serial: who.1 });
                row(db, who.0, 0, out);
                free(db, s, out);
            }
            Timer::Connection(who) => {
                if let Some(i) = s.queue.iter().position(|w| *w == who) {
                    s.queue.remove(i);
                    out.note(Note::ClosesWaiting { client: who.0 });
                }
            }
            _ => {}
        }
    }

    /// The rows and the grant sequence are on disk. Under `FOR UPDATE` the row lock belongs to
    /// a transaction, so it and the transactions waiting for it die with the database.
    fn server_crash(lock: &Lock<Self>, s: &Database) -> Database {
        if lock.kind.mode == DbMode::Insert {
            return s.clone();
        }
        Database {
            store: Store {
                entry: None,
                ..s.store.clone()
            },
            count: 0,
            step: 0,
            queue: Vec::new(),
            ..s.clone()
        }
    }

    /// Nothing to re-arm: the row never expires, and the connections the database watched
    /// ended with its crash.
    fn server_recover(_lock: &Lock<Self>, _s: &Database, _out: &mut DbOut) {}

    /// Ask for the lock: insert the row (and poll), or select it `FOR UPDATE` (and block),
    /// keeping the connection alive meanwhile.
    fn attempt(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut DbOut) {
        let db = &lock.kind;
        match db.mode {
            DbMode::Insert => kv::ask(lock, None, c, out),
            DbMode::ForUpdate => {
                c.sent_at = out.local_now();
                out.send(c.server, Msg::SelectForUpdate { serial: c.serial });
                out.set_timer(Timer::Heartbeat, beat(db), beat(db));
            }
        }
    }

    /// The last release: delete the row, bring its count to zero, or commit.
    fn release(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut DbOut) {
        c.own.depth = 0;
        match (lock.kind.mode, lock.kind.reentrant) {
            (DbMode::Insert, false) => kv::delete(c, true, out),
            (DbMode::Insert, true) => {
                c.own.step += 1;
                out.send(
                    c.server,
                    Msg::Unlock {
                        serial: c.serial,
                        step: c.own.step,
                    },
                );
            }
            (DbMode::ForUpdate, _) => out.send(c.server, Msg::Commit { serial: c.serial }),
        }
    }

    fn client_msg(
        lock: &Lock<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut DbOut,
    ) {
        match msg {
            Msg::SetReply {
                serial,
                ok: true,
                token,
            } if serial == c.serial && c.phase == Phase::Acquiring => {
                lock.enter(id, c, vec![(src.number(), token)], out)
            }
            Msg::Count {
                serial,
                step,
                count,
            } if serial == c.serial
                && step == c.own.step
                && c.holding
                && c.own.nested.is_some() =>
            {
                out.cancel_timer(Timer::Retry);
                c.own.depth = count;
                out.observe(LockEvent::Reentered { count });
                out.note(Note::HoldsTimes { count });
                resume(c, out);
            }
            Msg::Count {
                serial,
                step,
                count,
            } if serial == c.serial
                && step == c.own.step
                && c.holding
                && c.phase == Phase::Releasing =>
            {
                out.cancel_timer(Timer::Retry);
                c.own.depth = count;
                // Another release, or the last.
                lock.release(c, out);
            }
            Msg::RolledBack { serial } if serial == c.serial && c.holding => {
                lock.lose(c, Note::RolledBack, out);
                out.cancel_timer(Timer::Heartbeat);
                out.cancel_timer(Timer::Retry);
                resume(c, out);
                if c.phase == Phase::Releasing {
                    lock.release(c, out);
                }
            }
            _ => {}
        }
    }

    fn client_timer(lock: &Lock<Self>, c: &mut Client<Self>, timer: Timer, out: &mut DbOut) {
        let db = &lock.kind;
        match timer {
            Timer::Retry if c.own.nested.is_some() => {
                if !db.reentrant {
                    // 001's while loop, around the holder's own row.
                    c.polls += 1;
                    out.observe(LockEvent::Poll);
                }
                out.send(
                    c.server,
                    Msg::Reenter {
                        serial: c.serial,
                        step: c.own.step,
                    },
                );
                out.set_timer(Timer::Retry, lock.retry, lock.retry);
            }
            Timer::Retry if c.phase == Phase::Releasing => {
                out.send(
                    c.server,
                    Msg::Unlock {
                        serial: c.serial,
                        step: c.own.step,
                    },
                );
                out.set_timer(Timer::Retry, lock.retry, lock.retry);
            }
            Timer::Heartbeat if c.phase != Phase::Idle && db.mode == DbMode::ForUpdate => {
                out.send(
                    c.server,
                    Msg::KeepAlive {
                        serial: c.serial,
                        holding: c.holding,
                    },
                );
                out.set_timer(Timer::Heartbeat, beat(db), beat(db));
            }
            Timer::Retry if c.phase == Phase::Acquiring => kv::poll(lock, None, c, out),
            _ => {}
        }
    }

    fn server_view(s: &Database) -> ServerView {
        let lock = match s.store.entry {
            Some(((owner, _), token)) if s.count > 1 => {
                format!("locked by {owner} #{token} ×{}", s.count)
            }
            _ => s.store.held(),
        };
        ServerView {
            name: "database",
            role: "server",
            lock,
            grants: s.store.counter,
            fields: vec![
                ("re-entrancy count", s.count.to_string()),
                (
                    "blocked transactions",
                    s.queue
                        .iter()
                        .map(|(client, _)| client.to_string())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ],
        }
    }

    fn figures(lock: &Lock<Self>, run: &RunView<'_, Lock<Self>>) -> DbOutcome {
        DbOutcome::of(&lock.kind, run)
    }

    fn entered(c: &mut Client<Self>, work_until: u64) {
        c.own = Holds {
            depth: 1,
            step: 0,
            nested: None,
            work_until,
        };
    }

    /// A holder working under the lock may call `lock()` again (a nested call).
    fn can_reenter(c: &Client<Self>) -> bool {
        c.holding && c.phase == Phase::Working && c.own.nested.is_none()
    }

    /// The holder calls `lock()` again from inside its critical section; its work waits for
    /// the call to return.
    fn reenter(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut DbOut) {
        let db = &lock.kind;
        c.own.nested = Some(c.own.work_until.saturating_sub(out.local_now()));
        out.cancel_timer(Timer::Work);
        c.own.step += 1;
        out.note(Note::AsksAgain);
        out.send(
            c.server,
            Msg::Reenter {
                serial: c.serial,
                step: c.own.step,
            },
        );
        // A blocked SELECT is not retried; everything else is, harmlessly, until answered.
        if db.reentrant || db.mode == DbMode::Insert {
            out.set_timer(Timer::Retry, lock.retry, lock.retry);
        }
    }

    /// A release of a lock held more than once: lower the count and wait to hear it.
    fn unwind(lock: &Lock<Self>, c: &mut Client<Self>, out: &mut DbOut) -> bool {
        if !(c.holding && c.own.depth > 1) {
            return false;
        }
        c.phase = Phase::Releasing;
        c.own.step += 1;
        out.note(Note::ReleasesOneHold { holds: c.own.depth });
        out.send(
            c.server,
            Msg::Unlock {
                serial: c.serial,
                step: c.own.step,
            },
        );
        out.set_timer(Timer::Retry, lock.retry, lock.retry);
        true
    }

    /// How often the holder holds the lock, and a `FOR UPDATE` waiter's wait, which is inside
    /// the database rather than a series of polls.
    fn client_view(lock: &Lock<Self>, c: &Client<Self>, view: &mut NodeView) {
        match view.role {
            "holder" if c.own.depth > 1 => view.label.push_str(&format!(" ×{}", c.own.depth)),
            "waiting" if lock.kind.mode == DbMode::ForUpdate => {
                view.label = "blocked in the database".into()
            }
            _ => {}
        }
        view.fields
            .push(("holds it (times)", c.own.depth.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{LockCommand, State};
    use super::*;
    use clusterplay_sim::{ms, Action, Engine, Fate, NetworkConfig, SeededScheduler, Time};

    fn n(number: u32) -> NodeId {
        NodeId::from_number(number).unwrap()
    }

    fn lock(mode: DbMode, reentrant: bool) -> Lock<Db> {
        Lock {
            kind: Db {
                mode,
                reentrant,
                connection_timeout: ms(100),
            },
            work: ms(40),
            works: Vec::new(),
            write_gap: ms(2),
            retry: ms(20),
            fencing: false,
        }
    }

    /// Resource, database, then `clients` clients; fixed 5 ms links.
    fn engine(lock: Lock<Db>, clients: usize) -> Engine<Lock<Db>> {
        Engine::new(
            lock,
            2 + clients,
            NetworkConfig::fixed(ms(5)),
            SeededScheduler::new(7),
        )
    }

    fn acquire(e: &mut Engine<Lock<Db>>, at_ms: u64, node: u32) {
        e.schedule(
            ms(at_ms),
            Action::Command {
                node: n(node),
                command: LockCommand::Acquire,
            },
        )
        .unwrap();
    }

    fn events(e: &Engine<Lock<Db>>) -> Vec<(u32, LockEvent)> {
        e.trace()
            .observations
            .iter()
            .map(|o| (o.node.number(), o.what.clone()))
            .collect()
    }

    fn acquisitions(e: &Engine<Lock<Db>>) -> Vec<(u32, Time)> {
        e.trace()
            .observations
            .iter()
            .filter(|o| matches!(o.what, LockEvent::Acquired(_)))
            .map(|o| (o.node.number(), o.time))
            .collect()
    }

    fn count(e: &Engine<Lock<Db>>, what: &LockEvent) -> usize {
        events(e).iter().filter(|(_, w)| w == what).count()
    }

    fn rows(e: &Engine<Lock<Db>>) -> Vec<(u32, u32)> {
        events(e)
            .into_iter()
            .filter_map(|(_, w)| match w {
                LockEvent::Row { owner, count } => Some((owner.number(), count)),
                _ => None,
            })
            .collect()
    }

    fn sent(e: &Engine<Lock<Db>>, kind: &str) -> usize {
        e.trace().messages.iter().filter(|m| m.kind == kind).count()
    }

    fn client(e: &Engine<Lock<Db>>, node: u32) -> &Client<Db> {
        match &e.world().nodes()[n(node).index()].state {
            State::Client(c) => c,
            other => panic!("node {node} is {other:?}"),
        }
    }

    fn invariants(e: &Engine<Lock<Db>>) -> Vec<&'static str> {
        e.trace().violations.iter().map(|v| v.invariant).collect()
    }

    /// 002: "不可重入". The holder's nested acquire inserts its own row again, the unique
    /// index refuses it, and the holder polls for itself forever with its work stuck.
    #[test]
    fn a_holder_without_a_count_deadlocks_itself() {
        let mut e = engine(lock(DbMode::Insert, false), 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 15, 3);
        e.run_until(ms(400), 10_000);
        assert_eq!(acquisitions(&e), [(3, ms(10))]);
        let holder = client(&e, 3);
        assert!(holder.holding && holder.own.nested.is_some());
        assert!(holder.polls >= 18, "{}", holder.polls);
        assert_eq!(client(&e, 4).phase, Phase::Acquiring);
        assert_eq!(sent(&e, "compare-and-delete") + sent(&e, "unlock"), 0);
        // Only the first INSERT made a row; nothing counts it.
        assert!(rows(&e).is_empty());
    }

    /// The row's count as client 3 enters three times and leaves three times, then 4 takes it.
    const THREE_IN_THREE_OUT_THEN_4: [(u32, u32); 8] = [
        (3, 1),
        (3, 2),
        (3, 3),
        (3, 2),
        (3, 1),
        (3, 0),
        (4, 1),
        (4, 0),
    ];

    /// 001: "可重入". The count goes 1, 2, 3 and back down one release at a time; the row is
    /// deleted at zero and only then does the waiting client get in.
    #[test]
    fn a_count_lets_the_holder_in_again_and_out_one_release_at_a_time() {
        let mut e = engine(lock(DbMode::Insert, true), 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 15, 3);
        acquire(&mut e, 30, 3);
        e.run_until(ms(400), 10_000);
        assert_eq!(rows(&e), THREE_IN_THREE_OUT_THEN_4);
        assert_eq!(count(&e, &LockEvent::Reentered { count: 2 }), 1);
        assert_eq!(count(&e, &LockEvent::Reentered { count: 3 }), 1);
        assert_eq!(sent(&e, "unlock"), 4);
        // The nested calls paused the work (10 ms each): 3 writes again at 72 ms, and its
        // third release deletes the row at 97 ms; 4's next poll (sent at 105) gets it.
        let deleted = e
            .trace()
            .observations
            .iter()
            .find(|o| {
                o.what
                    == LockEvent::Row {
                        owner: n(3),
                        count: 0,
                    }
            })
            .map(|o| o.time);
        assert_eq!(deleted, Some(ms(97)));
        assert_eq!(acquisitions(&e), [(3, ms(10)), (4, ms(115))]);
        assert!(invariants(&e).is_empty());
    }

    /// Every change to the row carries its step: a network that delivers everything twice
    /// changes no count twice.
    #[test]
    fn duplicated_messages_change_no_count() {
        let mut network = NetworkConfig::fixed(ms(5));
        network.duplicate_ppm = 1_000_000;
        let mut e = Engine::new(
            lock(DbMode::Insert, true),
            4,
            network,
            SeededScheduler::new(3),
        );
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 15, 3);
        acquire(&mut e, 30, 3);
        e.run_until(ms(400), 10_000);
        assert!(sent(&e, "unlock") > 4);
        assert_eq!(rows(&e), THREE_IN_THREE_OUT_THEN_4);
        assert!(invariants(&e).is_empty());
    }

    /// 001's exclusive lock: the waiters' SELECTs block in the database (no polls); the dead
    /// holder's connection is closed 100 ms after its last word and the row lock passes on.
    #[test]
    fn for_update_waiters_block_and_a_dead_holder_s_connection_times_out() {
        let mut e = engine(lock(DbMode::ForUpdate, false), 3);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 6, 5);
        e.schedule(ms(20), Action::Crash { node: n(3) }).unwrap();
        e.run_until(ms(400), 10_000);
        assert_eq!(count(&e, &LockEvent::Poll), 0);
        assert_eq!(count(&e, &LockEvent::Blocked), 2);
        assert_eq!(count(&e, &LockEvent::TimedOut), 1);
        // 3's SELECT reached the database at 5 ms, its last word: closed at 105 ms.
        assert_eq!(acquisitions(&e), [(3, ms(10)), (4, ms(110)), (5, ms(162))]);
        assert_eq!(sent(&e, "select-for-update"), 3);
        assert_eq!(sent(&e, "commit"), 2);
        assert!(invariants(&e).is_empty());
    }

    #[test]
    fn for_update_commit_passes_the_row_to_the_first_blocked_waiter() {
        let mut e = engine(lock(DbMode::ForUpdate, false), 3);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 6, 5);
        acquire(&mut e, 8, 4);
        e.run_until(ms(400), 10_000);
        let order: Vec<u32> = acquisitions(&e).into_iter().map(|(c, _)| c).collect();
        assert_eq!(order, [3, 5, 4]);
        assert_eq!(count(&e, &LockEvent::TimedOut), 0);
        assert_eq!(count(&e, &LockEvent::Poll), 0);
        assert_eq!(sent(&e, "commit"), 3);
    }

    /// The connection timeout is a lease: a holder paused past it is rolled back while it
    /// sleeps, hears of it only after checking that it still holds the lock, and its last
    /// write goes out. Fencing refuses it; without fencing two holders have written.
    #[test]
    fn for_update_a_paused_holder_is_rolled_back_behind_its_back() {
        for fencing in [true, false] {
            let mut l = lock(DbMode::ForUpdate, false);
            l.fencing = fencing;
            let mut e = engine(l, 2);
            acquire(&mut e, 0, 3);
            acquire(&mut e, 5, 4);
            e.schedule(
                ms(20),
                Action::Pause {
                    node: n(3),
                    span: ms(200),
                },
            )
            .unwrap();
            e.run_until(ms(400), 10_000);
            assert_eq!(count(&e, &LockEvent::TimedOut), 1);
            assert!(events(&e).contains(&(3, LockEvent::Lost)));
            assert_eq!(acquisitions(&e).len(), 2);
            if fencing {
                assert_eq!(count(&e, &LockEvent::WriteRejected), 1);
                assert!(invariants(&e).is_empty());
            } else {
                assert_eq!(invariants(&e), ["one-writer"]);
            }
        }
    }

    /// Without a count, a nested lock() waits behind its own transaction: no polls, no end.
    #[test]
    fn for_update_a_nested_select_without_a_count_waits_for_itself() {
        let mut e = engine(lock(DbMode::ForUpdate, false), 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 15, 3);
        e.run_until(ms(500), 10_000);
        assert_eq!(acquisitions(&e), [(3, ms(10))]);
        assert_eq!(count(&e, &LockEvent::Poll), 0);
        assert_eq!(sent(&e, "reenter"), 1);
        assert!(client(&e, 3).holding);
        // Its connection stays alive, so the database never steps in.
        assert_eq!(count(&e, &LockEvent::TimedOut), 0);
        assert!(sent(&e, "keep-alive") > 10);
    }

    #[test]
    fn for_update_with_a_count_unlocks_then_commits() {
        let mut e = engine(lock(DbMode::ForUpdate, true), 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        acquire(&mut e, 15, 3);
        e.run_until(ms(400), 10_000);
        assert_eq!(rows(&e), [(3, 1), (3, 2), (3, 1), (3, 0), (4, 1), (4, 0)]);
        assert_eq!(sent(&e, "unlock"), 1);
        assert_eq!(sent(&e, "commit"), 2);
        assert_eq!(count(&e, &LockEvent::Poll), 0);
    }

    /// A grant lost on the way reaches its waiter with the next keep-alive's answer.
    #[test]
    fn a_lost_grant_is_sent_again_after_a_keep_alive() {
        let mut e = engine(lock(DbMode::ForUpdate, false), 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        let grant = loop {
            assert!(e.step().is_some(), "no grant for 4");
            let found = e
                .trace()
                .messages
                .iter()
                .find(|m| m.to == n(4) && matches!(m.payload, Msg::SetReply { ok: true, .. }));
            if let Some(m) = found {
                break m.id;
            }
        };
        e.schedule(e.now(), Action::Drop { msg: grant }).unwrap();
        e.run_until(ms(400), 10_000);
        assert!(matches!(
            e.trace().messages[grant as usize].fate,
            Fate::Dropped { .. }
        ));
        let order: Vec<u32> = acquisitions(&e).into_iter().map(|(c, _)| c).collect();
        assert_eq!(order, [3, 4]);
    }

    /// The database crashes: row locks and blocked transactions die with it. The waiter's
    /// keep-alive asks again and gets the row; the holder's keep-alive hears that its
    /// transaction rolled back, and fencing refuses its last write.
    #[test]
    fn a_database_crash_ends_every_transaction() {
        let mut l = lock(DbMode::ForUpdate, false);
        l.fencing = true;
        let mut e = engine(l, 2);
        acquire(&mut e, 0, 3);
        acquire(&mut e, 5, 4);
        e.schedule(ms(20), Action::Crash { node: n(2) }).unwrap();
        e.schedule(ms(25), Action::Recover { node: n(2) }).unwrap();
        e.run_until(ms(400), 10_000);
        let order: Vec<u32> = acquisitions(&e).into_iter().map(|(c, _)| c).collect();
        assert_eq!(order, [3, 4]);
        assert!(events(&e).contains(&(3, LockEvent::Lost)));
        assert!(invariants(&e).is_empty());
        assert_eq!(client(&e, 4).token, vec![(2, 2)]);
    }
}
