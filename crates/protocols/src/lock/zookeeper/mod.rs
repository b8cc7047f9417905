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

use super::{Client, Lock, LockKind, Msg, Phase, ServerView, Timer};
use clusterplay_sim::{say, Lang, NodeId, Out, Span, Words};
use clusterplay_view::RunView;
use std::collections::{BTreeMap, BTreeSet};

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

/// The ZooKeeper service.
const SERVICE: NodeId = NodeId::from_index(1);

/// ZooKeeper's ephemeral sequential nodes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ZooKeeper {
    /// Every waiter watches all children (the herd effect) instead of its predecessor.
    pub herd: bool,
    pub session_timeout: Span,
}

/// The service's `/lock` directory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tree {
    /// Children created so far: the next sequence number is one more.
    pub counter: u64,
    /// Children of `/lock` and their owners; watches on one child or all.
    pub children: BTreeMap<u64, NodeId>,
    pub watches: BTreeMap<u64, BTreeSet<NodeId>>,
    pub child_watchers: BTreeSet<NodeId>,
}

/// What a ZooKeeper client keeps besides the holding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Child {
    /// This client's child of `/lock`.
    pub seq: Option<u64>,
}

/// A watch fired: tell whoever watched `seq`, and every one-shot watcher of all children.
fn changed(s: &mut Tree, seq: u64, out: &mut Out<Lock<ZooKeeper>>) {
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

/// A child was added: one-shot watchers of all children hear of it too.
fn changed_all(s: &mut Tree, out: &mut Out<Lock<ZooKeeper>>) {
    for w in std::mem::take(&mut s.child_watchers) {
        out.send(w, Msg::Notify);
    }
}

/// Read the children: hold the lock with the lowest, or watch.
fn evaluate(
    lock: &Lock<ZooKeeper>,
    id: NodeId,
    c: &mut Client<ZooKeeper>,
    children: &[u64],
    out: &mut Out<Lock<ZooKeeper>>,
) {
    let Some(seq) = c.own.seq else { return };
    if !children.contains(&seq) {
        out.note(Note::NodeGone);
        out.send(SERVICE, Msg::Create { serial: c.serial });
        return;
    }
    match children.iter().copied().filter(|s| *s < seq).max() {
        None => {
            let lease = lock.kind.session_timeout * 2 / 3;
            c.lease_until = Some(c.sent_at.saturating_add(lease));
            let left = c.lease_until.unwrap_or(0).saturating_sub(out.local_now());
            out.set_timer(Timer::LeaseEnd, left, left);
            out.note(Note::Lowest { seq });
            lock.enter(id, c, vec![(SERVICE.number(), seq)], out);
        }
        Some(_) if lock.kind.herd => out.send(SERVICE, Msg::Watch { on: None }),
        Some(pred) => {
            out.note(Note::Watches { seq, pred });
            out.send(SERVICE, Msg::Watch { on: Some(pred) });
        }
    }
}

impl LockKind for ZooKeeper {
    type Server = Tree;
    type Client = Child;
    type Figures = ();

    fn servers(&self) -> usize {
        1
    }

    fn start_server(_lock: &Lock<Self>, _id: NodeId, _out: &mut Out<Lock<Self>>) -> Tree {
        Tree::default()
    }

    fn server_msg(
        lock: &Lock<Self>,
        _id: NodeId,
        s: &mut Tree,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        let timeout = lock.kind.session_timeout;
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

    fn server_timer(_lock: &Lock<Self>, s: &mut Tree, timer: Timer, out: &mut Out<Lock<Self>>) {
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

    /// The children are on disk; watches live in the service's memory and die with it.
    fn server_crash(_lock: &Lock<Self>, s: &Tree) -> Tree {
        Tree {
            watches: BTreeMap::new(),
            child_watchers: BTreeSet::new(),
            ..s.clone()
        }
    }

    /// Every owner of a child gets a fresh session timeout: its heartbeats may resume.
    fn server_recover(lock: &Lock<Self>, s: &Tree, out: &mut Out<Lock<Self>>) {
        let timeout = lock.kind.session_timeout;
        let owners: BTreeSet<NodeId> = s.children.values().copied().collect();
        for owner in owners {
            out.set_timer(Timer::Session(owner), timeout, timeout);
        }
    }

    fn attempt(_lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        c.own.seq = None;
        c.sent_at = out.local_now();
        out.send(SERVICE, Msg::Create { serial: c.serial });
        out.send(SERVICE, Msg::Ping);
    }

    fn release(_lock: &Lock<Self>, c: &mut Client<Self>, out: &mut Out<Lock<Self>>) {
        if let Some(seq) = c.own.seq.take() {
            out.send(SERVICE, Msg::Delete { seq });
        }
    }

    fn client_msg(
        lock: &Lock<Self>,
        id: NodeId,
        c: &mut Client<Self>,
        _src: NodeId,
        msg: Msg,
        out: &mut Out<Lock<Self>>,
    ) {
        let session = lock.kind.session_timeout;
        let heartbeat = session / 3;
        match msg {
            Msg::Created {
                serial,
                seq,
                children,
            } if serial == c.serial && c.phase == Phase::Acquiring => {
                c.own.seq = Some(seq);
                out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
                evaluate(lock, id, c, &children, out);
            }
            Msg::Notify if c.phase == Phase::Acquiring => out.send(SERVICE, Msg::GetChildren),
            Msg::Children { children } if c.phase == Phase::Acquiring => {
                evaluate(lock, id, c, &children, out)
            }
            Msg::Pong if c.holding => {
                let until = c.sent_at.saturating_add(session * 2 / 3);
                c.lease_until = Some(until);
                let left = until.saturating_sub(out.local_now());
                out.set_timer(Timer::LeaseEnd, left, left);
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
        if timer == Timer::Heartbeat && c.phase != Phase::Idle {
            c.sent_at = out.local_now();
            out.send(SERVICE, Msg::Ping);
            let heartbeat = lock.kind.session_timeout / 3;
            out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
        }
    }

    fn server_view(s: &Tree) -> ServerView {
        let lock = match s.children.iter().next() {
            Some((seq, owner)) => format!("{} children, {seq} ({owner}) holds", s.children.len()),
            None => "/lock empty".into(),
        };
        ServerView {
            name: "zookeeper",
            role: "server",
            lock,
            grants: s.counter,
            fields: vec![(
                "children",
                s.children
                    .iter()
                    .map(|(seq, owner)| format!("{seq}:{owner}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            )],
        }
    }

    fn figures(_lock: &Lock<Self>, _run: &RunView<'_, Lock<Self>>) {}
}
