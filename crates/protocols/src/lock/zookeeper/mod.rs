//! # ZooKeeper: ephemeral sequential nodes
//!
//! Seed 002's recipe: a lock directory `/lock`; a client that wants the lock creates an
//! *ephemeral sequential* child, which the service numbers in creation order; the client
//! reads the children and holds the lock if its child has the lowest number; otherwise it
//! *watches* the child just before its own and, when notified, reads the children again.
//! Releasing deletes the child, which notifies exactly the one waiter behind it. A queue
//! forms, first come first served, and nobody polls.
//!
//! *Ephemeral* means the child lives as long as its creator's session: a client that crashes
//! stops its heartbeats, the service expires the session after its timeout and deletes the
//! child, and the next waiter is notified. The database row's great problem, a dead holder
//! keeping the lock forever, is gone.
//!
//! Watching all children instead of one's predecessor also works, but every change then
//! notifies every waiter, who all read the children again and all but one go back to waiting:
//! the *herd effect* of 002. The notification count shows it.
//!
//! The service here is one linearizable node (an ensemble would behave the same for the
//! lock). The child's sequence number only ever grows, so it doubles as a fencing token.

use super::{Client, Kind, Lock, Msg, Phase, Server, Timer};
use clusterplay_sim::{say, Lang, NodeId, Out, Words};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

/// The ZooKeeper service.
const SERVICE: NodeId = NodeId::from_index(1);

fn session(lock: &Lock) -> u64 {
    match lock.kind {
        Kind::ZooKeeper {
            session_timeout, ..
        } => session_timeout,
        _ => 0,
    }
}

/// A watch fired: tell whoever watched `seq`, and every one-shot watcher of all children.
fn changed(s: &mut Server, seq: u64, out: &mut Out<Lock>) {
    let watchers: Vec<NodeId> = s
        .watches
        .remove(&seq)
        .unwrap_or_default()
        .into_iter()
        .chain(std::mem::take(&mut s.child_watchers))
        .collect();
    for w in watchers {
        out.send(w, Msg::Notify);
    }
}

pub(super) fn server_msg(lock: &Lock, s: &mut Server, src: NodeId, msg: Msg, out: &mut Out<Lock>) {
    let timeout = session(lock);
    match msg {
        Msg::Create { serial } => {
            s.counter += 1;
            let seq = s.counter;
            s.children.insert(seq, src);
            out.set_timer(Timer::Session(src), timeout, timeout);
            out.send(
                src,
                Msg::Created {
                    serial,
                    seq,
                    children: s.children.keys().copied().collect(),
                },
            );
            changed_all(s, out);
        }
        Msg::Watch { on: Some(seq) } => {
            if s.children.contains_key(&seq) {
                s.watches.entry(seq).or_default().insert(src);
            } else {
                out.send(src, Msg::Notify);
            }
        }
        Msg::Watch { on: None } => {
            s.child_watchers.insert(src);
        }
        Msg::GetChildren => out.send(
            src,
            Msg::Children {
                children: s.children.keys().copied().collect(),
            },
        ),
        Msg::Delete { seq } if s.children.get(&seq) == Some(&src) => {
            s.children.remove(&seq);
            changed(s, seq, out);
        }
        Msg::Ping => {
            out.set_timer(Timer::Session(src), timeout, timeout);
            out.send(src, Msg::Pong);
        }
        _ => {}
    }
}

/// A child was added: one-shot watchers of all children hear of it too.
fn changed_all(s: &mut Server, out: &mut Out<Lock>) {
    for w in std::mem::take(&mut s.child_watchers) {
        out.send(w, Msg::Notify);
    }
}

pub(super) fn server_timer(s: &mut Server, timer: Timer, out: &mut Out<Lock>) {
    if let Timer::Session(client) = timer {
        let gone: Vec<u64> = s
            .children
            .iter()
            .filter(|(_, owner)| **owner == client)
            .map(|(seq, _)| *seq)
            .collect();
        if !gone.is_empty() {
            out.note(Note::SessionTimesOut { client });
        }
        for seq in gone {
            s.children.remove(&seq);
            changed(s, seq, out);
        }
        for watchers in s.watches.values_mut() {
            watchers.remove(&client);
        }
        s.child_watchers.remove(&client);
    }
}

pub(super) fn attempt(_id: NodeId, c: &mut Client, out: &mut Out<Lock>) {
    c.seq = None;
    c.sent_at = out.local_now();
    out.send(SERVICE, Msg::Create { serial: c.serial });
    out.send(SERVICE, Msg::Ping);
}

pub(super) fn release(c: &mut Client, out: &mut Out<Lock>) {
    if let Some(seq) = c.seq.take() {
        out.send(SERVICE, Msg::Delete { seq });
    }
}

/// Read the children: hold the lock with the lowest, or watch.
fn evaluate(lock: &Lock, id: NodeId, c: &mut Client, children: &[u64], out: &mut Out<Lock>) {
    let Some(seq) = c.seq else { return };
    if !children.contains(&seq) {
        out.note(Note::NodeGone);
        out.send(SERVICE, Msg::Create { serial: c.serial });
        return;
    }
    let herd = matches!(lock.kind, Kind::ZooKeeper { herd: true, .. });
    match children.iter().copied().filter(|s| *s < seq).max() {
        None => {
            let lease = session(lock) * 2 / 3;
            c.lease_until = Some(c.sent_at.saturating_add(lease));
            let left = c.lease_until.unwrap_or(0).saturating_sub(out.local_now());
            out.set_timer(Timer::LeaseEnd, left, left);
            out.note(Note::Lowest { seq });
            lock.enter(id, c, vec![(SERVICE.number(), seq)], out);
        }
        Some(_) if herd => out.send(SERVICE, Msg::Watch { on: None }),
        Some(pred) => {
            out.note(Note::Watches { seq, pred });
            out.send(SERVICE, Msg::Watch { on: Some(pred) });
        }
    }
}

pub(super) fn client_msg(lock: &Lock, id: NodeId, c: &mut Client, msg: Msg, out: &mut Out<Lock>) {
    let heartbeat = session(lock) / 3;
    match msg {
        Msg::Created {
            serial,
            seq,
            children,
        } if serial == c.serial && c.phase == Phase::Acquiring => {
            c.seq = Some(seq);
            out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
            evaluate(lock, id, c, &children, out);
        }
        Msg::Notify if c.phase == Phase::Acquiring => out.send(SERVICE, Msg::GetChildren),
        Msg::Children { children } if c.phase == Phase::Acquiring => {
            evaluate(lock, id, c, &children, out)
        }
        Msg::Pong if c.holding => {
            let until = c.sent_at.saturating_add(session(lock) * 2 / 3);
            c.lease_until = Some(until);
            let left = until.saturating_sub(out.local_now());
            out.set_timer(Timer::LeaseEnd, left, left);
        }
        _ => {}
    }
}

pub(super) fn client_timer(lock: &Lock, c: &mut Client, timer: Timer, out: &mut Out<Lock>) {
    if timer == Timer::Heartbeat && c.phase != Phase::Idle {
        c.sent_at = out.local_now();
        out.send(SERVICE, Msg::Ping);
        let heartbeat = session(lock) / 3;
        out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
    }
}
