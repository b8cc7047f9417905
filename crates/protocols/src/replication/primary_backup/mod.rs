//! # Primary–backup replication
//!
//! The catalogue's `primary-backup` runs the replicated register ([`super::register`]) with a
//! primary: clients write to it, and it passes each write on to its backups synchronously,
//! asynchronously or with maximum availability, until a backup takes over. The register's essay
//! tells the whole story; the presets here cut a backup off under synchronous replication, lose
//! acknowledged writes in an asynchronous failover and under maximum availability, and read a
//! stale value from a lagging backup.
//!
//! [`PrimaryBackup`] is the register's scheme here. What only a primary and its backups do is in
//! this module: the primary's writes, which wait for the backups its mode says, the heartbeat
//! that ships its data, failover and the epochs that make an old primary step down, and the
//! client that sends everything to the primary it believes in (or reads from a backup).

mod algorithm;
pub use algorithm::Entry;

use super::register::{
    Client, Command, Event, Msg, Note, Register, RegisterOutcome, Scheme, Server, ServerView,
    Stamp, Takeover, Timer,
};
use crate::list;
use clusterplay_sim::{NodeId, Out, Span};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How the primary replicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Sync,
    Async,
    MaxAvailability,
}

impl Mode {
    pub fn key(self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
            Mode::MaxAvailability => "max-availability",
        }
    }
}

/// Where a client's plain `read` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadFrom {
    Primary,
    /// Each read goes to the next replica in turn, the client's own first.
    Any,
}

/// Primary–backup replication's settings. Node 1 is the first primary.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PrimaryBackup {
    pub mode: Mode,
    pub read_from: ReadFrom,
    /// How long a primary waits for its backups before a write fails (synchronous) or the
    /// silent backups are dropped to asynchronous (maximum availability).
    pub sync_timeout: Span,
    /// The primary's heartbeat, which also carries its data to the backups.
    pub heartbeat: Span,
    /// The first backup promotes itself after this much silence from the primary.
    pub failover: Option<Span>,
}

const FIRST_PRIMARY: NodeId = NodeId::from_index(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Primary,
    Backup,
}

/// A write the synchronous primary has applied and is waiting to acknowledge.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pending {
    pub client: NodeId,
    pub op: u32,
    pub waiting: BTreeSet<NodeId>,
}

/// Where a replica stands under a primary.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Standing {
    pub role: Role,
    pub epoch: u64,
    pub primary: NodeId,
    /// The epoch whose primary this replica last took data from: the first data from a newer
    /// primary replaces whatever it had, even a higher version from an older epoch.
    pub synced: u64,
    /// Primary only, lost on a crash: writes waiting for backups, by write number.
    pub pending: BTreeMap<u64, Pending>,
    /// Maximum availability: backups dropped to asynchronous replication.
    pub degraded: BTreeSet<NodeId>,
    /// Ghost, never read by the algorithm and kept through a crash: the newest version this
    /// replica acknowledged to a client as primary. What it promised cannot be taken back, so
    /// the invariant `acknowledged-writes-survive` holds every later primary to it.
    pub acked: Stamp,
}

/// The primary a client sends to, as far as it knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Contact {
    pub primary: NodeId,
    pub epoch: u64,
    /// Reads sent so far with `read_from: any`, which picks the next replica in turn.
    pub reads: u32,
}

impl Default for Contact {
    fn default() -> Self {
        Contact {
            primary: FIRST_PRIMARY,
            epoch: 1,
            reads: 0,
        }
    }
}

type Reg = Register<PrimaryBackup>;

/// The backup that promotes itself when the primary `primary` falls silent.
fn successor(reg: &Reg, primary: NodeId) -> Option<NodeId> {
    reg.servers().find(|s| *s != primary)
}

fn arm_failover(reg: &Reg, id: NodeId, s: &Standing, out: &mut Out<Reg>) {
    if let Some(after) = reg.scheme.failover {
        if s.role == Role::Backup && successor(reg, s.primary) == Some(id) {
            out.set_timer(Timer::Failover, after, after);
        }
    }
}

fn promote(
    reg: &Reg,
    id: NodeId,
    s: &mut Server<PrimaryBackup>,
    why: Takeover,
    out: &mut Out<Reg>,
) {
    let st = &mut s.own;
    st.epoch += 1;
    st.role = Role::Primary;
    st.primary = id;
    st.synced = st.epoch;
    st.pending.clear();
    st.degraded.clear();
    out.cancel_timer(Timer::Failover);
    out.observe(Event::Promoted { epoch: st.epoch });
    out.note(Note::Promoted {
        why,
        epoch: st.epoch,
        value: s.value,
    });
    out.broadcast(
        id,
        Msg::NewPrimary {
            epoch: st.epoch,
            primary: id,
        },
    );
    let heartbeat = reg.scheme.heartbeat;
    out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
}

fn replicate(reg: &Reg, id: NodeId, s: &Server<PrimaryBackup>, out: &mut Out<Reg>) {
    for b in reg.servers().filter(|b| *b != id) {
        out.send(
            b,
            Msg::Replicate {
                epoch: s.own.epoch,
                stamp: s.stamp,
                value: s.value,
            },
        );
    }
}

/// Answer every pending write that waits for nobody any more.
fn release(s: &mut Standing, out: &mut Out<Reg>) {
    let ready: Vec<u64> = s
        .pending
        .iter()
        .filter(|(_, p)| p.waiting.is_empty())
        .map(|(n, _)| *n)
        .collect();
    for n in ready {
        if let Some(p) = s.pending.remove(&n) {
            out.cancel_timer(Timer::Sync(n));
            s.acked = s.acked.max(Stamp(s.epoch, n));
            out.send(p.client, Msg::Written { op: p.op });
        }
    }
}

/// A replica that hears of a newer epoch follows its primary from now on.
fn step_down(st: &mut Standing) {
    st.role = Role::Backup;
    st.pending.clear();
    st.degraded.clear();
}

impl Scheme for PrimaryBackup {
    type Server = Standing;
    type Client = Contact;
    type Round = ();

    fn key(&self) -> &'static str {
        self.mode.key()
    }

    fn start_server(reg: &Reg, id: NodeId, out: &mut Out<Reg>) -> Standing {
        let role = if id == FIRST_PRIMARY {
            Role::Primary
        } else {
            Role::Backup
        };
        let s = Standing {
            role,
            epoch: 1,
            primary: FIRST_PRIMARY,
            synced: 1,
            pending: BTreeMap::new(),
            degraded: BTreeSet::new(),
            acked: Stamp::default(),
        };
        if role == Role::Primary {
            let heartbeat = reg.scheme.heartbeat;
            out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
        }
        arm_failover(reg, id, &s, out);
        s
    }

    fn server_msg(
        reg: &Reg,
        id: NodeId,
        s: &mut Server<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Reg>,
    ) {
        match msg {
            Msg::Write { op, value } if s.own.role == Role::Primary => {
                let n = s.stamp.1 + 1;
                s.stamp = Stamp(s.own.epoch, n);
                s.value = value;
                let waiting: BTreeSet<NodeId> = match reg.scheme.mode {
                    Mode::Async => BTreeSet::new(),
                    Mode::Sync => reg.servers().filter(|b| *b != id).collect(),
                    Mode::MaxAvailability => reg
                        .servers()
                        .filter(|b| *b != id && !s.own.degraded.contains(b))
                        .collect(),
                };
                if waiting.is_empty() {
                    out.note(Note::AppliesAtOnce { value });
                    s.own.acked = s.own.acked.max(s.stamp);
                    out.send(src, Msg::Written { op });
                    return;
                }
                out.note(Note::AppliesAndWaits {
                    value,
                    waiting: waiting.clone(),
                });
                s.own.pending.insert(
                    n,
                    Pending {
                        client: src,
                        op,
                        waiting,
                    },
                );
                replicate(reg, id, s, out);
                let wait = reg.scheme.sync_timeout;
                out.set_timer(Timer::Sync(n), wait, wait);
            }
            Msg::Write { op, .. } => {
                out.note(Note::NotPrimary {
                    primary: s.own.primary,
                });
                out.send(
                    src,
                    Msg::Refused {
                        op,
                        primary: s.own.primary,
                    },
                );
            }
            Msg::Read { op, any } if any || s.own.role != Role::Backup => {
                out.send(src, Msg::ReadOk { op, value: s.value });
            }
            Msg::Read { op, .. } => {
                out.send(
                    src,
                    Msg::Refused {
                        op,
                        primary: s.own.primary,
                    },
                );
            }
            Msg::Replicate {
                epoch,
                stamp,
                value,
            } => {
                let st = &mut s.own;
                if epoch < st.epoch || (epoch == st.epoch && st.role == Role::Primary) {
                    out.note(Note::StalePrimary {
                        from: src,
                        epoch,
                        primary: st.primary,
                        current: st.epoch,
                    });
                    out.send(
                        src,
                        Msg::NewPrimary {
                            epoch: st.epoch,
                            primary: st.primary,
                        },
                    );
                    return;
                }
                if epoch > st.epoch || st.role == Role::Primary {
                    if st.role == Role::Primary {
                        out.note(Note::NewerEpochStepsDown { from: src });
                        out.cancel_timer(Timer::Heartbeat);
                    }
                    step_down(st);
                }
                st.epoch = epoch;
                st.primary = src;
                if epoch > st.synced || stamp > s.stamp {
                    if s.value != value {
                        out.note(Note::TakesValue { value });
                    }
                    s.stamp = stamp;
                    s.value = value;
                }
                st.synced = epoch;
                out.send(
                    src,
                    Msg::Ack {
                        epoch,
                        stamp: s.stamp,
                    },
                );
                arm_failover(reg, id, st, out);
            }
            Msg::Ack { epoch, stamp } if s.own.role == Role::Primary && epoch == s.own.epoch => {
                let st = &mut s.own;
                for (n, p) in st.pending.iter_mut() {
                    if stamp >= Stamp(st.epoch, *n) {
                        p.waiting.remove(&src);
                    }
                }
                if stamp == s.stamp && st.degraded.remove(&src) {
                    out.observe(Event::CaughtUp { backup: src });
                    out.note(Note::CaughtUp { backup: src });
                }
                release(st, out);
            }
            Msg::NewPrimary { epoch, primary } if epoch > s.own.epoch => {
                let st = &mut s.own;
                if st.role == Role::Primary {
                    out.note(Note::StepsDown { primary, epoch });
                    out.cancel_timer(Timer::Heartbeat);
                }
                st.epoch = epoch;
                st.primary = primary;
                step_down(st);
                arm_failover(reg, id, st, out);
            }
            _ => {}
        }
    }

    fn server_timer(reg: &Reg, id: NodeId, s: &mut Server<Self>, timer: Timer, out: &mut Out<Reg>) {
        match timer {
            Timer::Heartbeat if s.own.role == Role::Primary => {
                replicate(reg, id, s, out);
                let heartbeat = reg.scheme.heartbeat;
                out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
            }
            Timer::Sync(n) if s.own.role == Role::Primary => {
                let st = &mut s.own;
                let Some(p) = st.pending.get(&n) else { return };
                let silent = p.waiting.clone();
                if reg.scheme.mode == Mode::MaxAvailability {
                    out.note(Note::DroppedToAsync {
                        silent: silent.clone(),
                    });
                    for b in &silent {
                        st.degraded.insert(*b);
                        out.observe(Event::Degraded { backup: *b });
                    }
                    for p in st.pending.values_mut() {
                        p.waiting.retain(|b| !silent.contains(b));
                    }
                    release(st, out);
                } else if let Some(p) = st.pending.remove(&n) {
                    out.note(Note::WriteFails { silent });
                    out.send(
                        p.client,
                        Msg::Refused {
                            op: p.op,
                            primary: id,
                        },
                    );
                }
            }
            Timer::Failover if s.own.role == Role::Backup => {
                let why = Takeover::Silence {
                    primary: s.own.primary,
                };
                promote(reg, id, s, why, out);
            }
            _ => {}
        }
    }

    fn server_command(
        reg: &Reg,
        id: NodeId,
        s: &mut Server<Self>,
        cmd: Command,
        out: &mut Out<Reg>,
    ) {
        match cmd {
            Command::Promote if s.own.role == Role::Backup => {
                promote(reg, id, s, Takeover::Told, out);
            }
            _ => out.note(Note::NoClientCommands),
        }
    }

    fn server_commands(s: &Standing) -> Vec<Command> {
        match s.role {
            Role::Backup => vec![Command::Promote],
            Role::Primary => Vec::new(),
        }
    }

    /// The data, the epoch and the role are on disk; the writes a primary waited for, and
    /// which backups it had given up waiting for, are not.
    fn server_crash(s: &Standing) -> Standing {
        Standing {
            pending: BTreeMap::new(),
            degraded: BTreeSet::new(),
            ..s.clone()
        }
    }

    fn server_recover(reg: &Reg, id: NodeId, s: &Standing, out: &mut Out<Reg>) {
        if s.role == Role::Primary {
            let heartbeat = reg.scheme.heartbeat;
            out.set_timer(Timer::Heartbeat, heartbeat, heartbeat);
        }
        arm_failover(reg, id, s, out);
    }

    fn server_view(s: &Server<Self>) -> ServerView {
        let st = &s.own;
        let mut fields = vec![
            ("epoch", st.epoch.to_string()),
            ("primary", st.primary.to_string()),
        ];
        if !st.pending.is_empty() {
            let waits: Vec<String> = st
                .pending
                .iter()
                .map(|(n, p)| format!("#{n} waits for {}", list(&p.waiting)))
                .collect();
            fields.push(("unacknowledged writes", waits.join("; ")));
        }
        if !st.degraded.is_empty() {
            fields.push(("asynchronous to", list(&st.degraded)));
        }
        ServerView {
            role: match st.role {
                Role::Primary => "primary",
                Role::Backup => "backup",
            },
            label: format!("value {} · epoch {}", s.value, st.epoch),
            fields,
        }
    }

    fn begin(reg: &Reg, id: NodeId, c: &mut Contact, op: u32, cmd: Command, out: &mut Out<Reg>) {
        let (to, msg) = match cmd {
            Command::Write(value) => (c.primary, Msg::Write { op, value }),
            Command::ReadFrom(n) => (n, Msg::Read { op, any: true }),
            _ if reg.scheme.read_from == ReadFrom::Any => {
                let k = id.index().saturating_sub(reg.servers) + c.reads as usize;
                c.reads += 1;
                let to = NodeId::from_index(reg.servers - 1 - k % reg.servers);
                (to, Msg::Read { op, any: true })
            }
            _ => (c.primary, Msg::Read { op, any: false }),
        };
        out.send(to, msg);
    }

    fn client_msg(
        reg: &Reg,
        _id: NodeId,
        c: &mut Client<Self>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Reg>,
    ) {
        match msg {
            Msg::Written { op } if c.awaits(op) => {
                let v = c.current.as_ref().map_or(0, |cur| cur.value);
                out.note(Note::WriteAcknowledged { value: v });
                reg.finish(c, Some(v), false, out);
            }
            Msg::ReadOk { op, value } if c.awaits(op) => {
                out.note(Note::Reads { value, from: src });
                reg.finish(c, Some(value), false, out);
            }
            Msg::Refused { op, primary } if c.awaits(op) => {
                out.note(Note::Refused { by: src, primary });
                c.own.primary = primary;
                reg.finish(c, None, false, out);
            }
            Msg::NewPrimary { epoch, primary } if epoch > c.own.epoch => {
                c.own.epoch = epoch;
                c.own.primary = primary;
            }
            _ => {}
        }
    }

    fn client_fields(c: &Contact, fields: &mut Vec<(&'static str, String)>) {
        fields.push(("believed primary", c.primary.to_string()));
    }

    fn reads(reg: &Reg) -> Vec<Command> {
        reg.servers().map(Command::ReadFrom).collect()
    }

    fn leads(s: &Standing) -> Option<u64> {
        (s.role == Role::Primary).then_some(s.epoch)
    }

    fn acknowledged(s: &Standing) -> Stamp {
        s.acked
    }

    fn epoch(s: &Standing) -> u64 {
        s.epoch
    }

    /// The primary of the newest epoch; where none of them is primary, the one that heard
    /// last from the newest.
    fn latest<'a>(pool: &[&'a Server<Self>]) -> Option<&'a Server<Self>> {
        pool.iter()
            .copied()
            .max_by_key(|s| (s.own.role == Role::Primary, s.own.epoch, s.stamp))
    }

    fn outcome(reg: &Reg, outcome: &mut RegisterOutcome) {
        outcome.read_from = Some(match reg.scheme.read_from {
            ReadFrom::Primary => "primary",
            ReadFrom::Any => "any",
        });
    }
}
