//! # Leaderless quorums
//!
//! The catalogue's `quorum` runs the replicated register ([`super::register`]) without a
//! primary: a client writes to all N replicas and waits for W, reads from all and waits for R,
//! each client with its own R and W if it likes. The register's essay tells the whole story;
//! the preset here partitions the replicas: a client with R + W > N gets no answer, one with
//! R + W ≤ N answers stale.
//!
//! [`Quorum`] is the register's scheme here. A replica keeps nothing but its value and
//! version, and answers whoever asks; the work is the client's, in two phases: it queries every
//! replica for its version until R have answered, then stores the value with a newer version
//! (a write) or the newest it saw (a read) until W have confirmed.

mod algorithm;
pub use algorithm::Entry;

use super::linearizability::{Kind, Value};
use super::register::{
    Client, Command, Msg, Note, QuorumSizes, Register, RegisterOutcome, Scheme, Server, ServerView,
    Stamp,
};
use clusterplay_sim::{NodeId, Out};
use std::collections::BTreeSet;

/// The quorum sizes: R replicas answer a read's query, W confirm a store.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quorum {
    pub r: usize,
    pub w: usize,
    /// `(r, w)` per client, first client first, overriding `r` and `w`.
    pub levels: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Collecting versions.
    Query,
    /// Storing `(stamp, value)` on W replicas.
    Store(Stamp, Value),
}

/// An operation's progress through its two phases.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Round {
    pub phase: Phase,
    /// The replicas that answered the current phase.
    pub replies: BTreeSet<NodeId>,
    /// The newest version the query phase heard of.
    pub best: (Stamp, Value),
}

type Reg = Register<Quorum>;

/// The client's quorum sizes, (R, W).
fn sizes(reg: &Reg, client: NodeId) -> (usize, usize) {
    let k = client.index().saturating_sub(reg.servers);
    let q = &reg.scheme;
    q.levels.get(k).copied().unwrap_or((q.r, q.w))
}

impl Scheme for Quorum {
    type Server = ();
    type Client = ();
    type Round = Round;

    fn key(&self) -> &'static str {
        "quorum"
    }

    fn start_server(_reg: &Reg, _id: NodeId, _out: &mut Out<Reg>) {}

    fn server_msg(
        _reg: &Reg,
        _id: NodeId,
        s: &mut Server<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Reg>,
    ) {
        match msg {
            Msg::Query { op } => out.send(
                src,
                Msg::Version {
                    op,
                    stamp: s.stamp,
                    value: s.value,
                },
            ),
            Msg::Store { op, stamp, value } => {
                if stamp > s.stamp {
                    s.stamp = stamp;
                    s.value = value;
                }
                out.send(src, Msg::Stored { op });
            }
            _ => {}
        }
    }

    fn server_view(s: &Server<Self>) -> ServerView {
        ServerView {
            role: "replica",
            label: format!("v={} @{}.{}", s.value, s.stamp.0, s.stamp.1),
            fields: Vec::new(),
        }
    }

    /// Whatever the command, the first phase asks every replica for its version.
    fn begin(
        reg: &Reg,
        _id: NodeId,
        _c: &mut (),
        op: u32,
        _cmd: Command,
        out: &mut Out<Reg>,
    ) -> Round {
        for s in reg.servers() {
            out.send(s, Msg::Query { op });
        }
        Round {
            phase: Phase::Query,
            replies: BTreeSet::new(),
            best: (Stamp::default(), 0),
        }
    }

    fn client_msg(
        reg: &Reg,
        id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Reg>,
    ) {
        let (r, w) = sizes(reg, id);
        match msg {
            Msg::Version { op, stamp, value } if c.awaits(op) => {
                let Some(cur) = c.current.as_mut() else {
                    return;
                };
                let round = &mut cur.round;
                if round.phase != Phase::Query || !round.replies.insert(src) {
                    return;
                }
                round.best = round.best.max((stamp, value));
                if round.replies.len() < r {
                    return;
                }
                let (stamp, value) = match cur.kind {
                    Kind::Write => (
                        Stamp(round.best.0 .0 + 1, u64::from(id.number())),
                        cur.value,
                    ),
                    // The register's clients read and write; they never compare-and-set.
                    Kind::Read | Kind::Cas => round.best,
                };
                out.note(Note::Stores {
                    versions: r,
                    value,
                    stamp,
                    needs: w,
                });
                round.phase = Phase::Store(stamp, value);
                round.replies.clear();
                for s in reg.servers() {
                    out.send(s, Msg::Store { op, stamp, value });
                }
            }
            Msg::Stored { op } if c.awaits(op) => {
                let Some(cur) = c.current.as_mut() else {
                    return;
                };
                let Phase::Store(_, value) = cur.round.phase else {
                    return;
                };
                if cur.round.replies.insert(src) && cur.round.replies.len() >= w {
                    reg.finish(c, Some(value), false, out);
                }
            }
            _ => {}
        }
    }

    /// Without a primary nobody is promoted: every replica stays in the epoch the run began
    /// with.
    fn epoch(_s: &()) -> u64 {
        1
    }

    /// The newest version any of them holds: a read quorum that meets it returns it.
    fn latest<'a>(pool: &[&'a Server<Self>]) -> Option<&'a Server<Self>> {
        pool.iter().copied().max_by_key(|s| s.stamp)
    }

    fn outcome(reg: &Reg, outcome: &mut RegisterOutcome) {
        let q = &reg.scheme;
        outcome.quorum = Some(QuorumSizes {
            n: reg.servers,
            r: q.r,
            w: q.w,
        });
        for c in &mut outcome.clients {
            let (r, w) = sizes(reg, c.node);
            c.r = Some(r);
            c.w = Some(w);
        }
    }
}
