//! # The centralized algorithm ("the overbearing CEO")
//!
//! One program is made *coordinator*. A program that wants the coffee machine sends it a
//! request. If nobody is using the machine the coordinator grants it at once; otherwise it
//! gives the requester a number in a first-come, first-served queue. When the user is done it
//! sends a release, and the coordinator grants the machine to the head of the queue.
//!
//! One use costs exactly three messages: request, grant, release. The texts name the price:
//! every request goes through one server, which becomes the bottleneck, and if the coordinator
//! fails nobody can use the machine again. The coordinator here keeps its queue on stable
//! storage, so a coordinator that comes back carries on; one that stays down stops everyone.
//!
//! Each request carries a sequence number that the grant and release echo, so that a grant or
//! release the network delivered twice, or late, is recognised as stale and ignored rather than
//! letting a second program in.
//!
//! **A backup coordinator** (`backup`, off unless a scenario sets it) is the texts' remedy: the
//! algorithm suits many uses "if the central server has a primary and a backup, the backup can
//! take over at once when the primary fails, and the data can be recovered". The primary keeps
//! the book (who has the machine, who is queued) and copies every change of it to the backup;
//! it sends a grant only once the backup has acknowledged the copy that names the new holder,
//! so whatever the backup takes over already knows every grant that went out (synchronous
//! replication: a backup that is down stops the grants too). The primary sends the backup a
//! heartbeat; a backup that hears nothing from it for `takeover_ms` becomes the coordinator,
//! grants the machine again to the holder in its copy (a holder already at the machine ignores
//! the repeat) and tells every program. A program then asks the new coordinator again if it
//! was waiting, and repeats its last release if it was done, since that release may have gone
//! to the dead primary. A primary that comes back asks its backup before it grants anything,
//! and retires if the backup has taken over. The remedy trusts its timeout: a primary that is
//! only slow, or cut off from its backup, is taken for dead, and then two coordinators grant.

use super::{
    check_exclusion, start_using, Formula, MutexCommand, MutexEvent, MutexOutcome, Phase, Program,
    Usage,
};
use crate::Text;
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::VecDeque;

mod algorithm;
mod words;
pub use algorithm::Entry;
use words::Note;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Central {
    pub coordinator: NodeId,
    pub usage: Usage,
    /// The texts' remedy: a backup coordinator; `None`, the coordinator alone.
    pub backup: Option<Backup>,
}

/// A backup coordinator, and how long it waits without hearing the primary before it takes over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Backup {
    pub node: NodeId,
    pub takeover: Span,
}

impl Backup {
    /// The primary's heartbeat: four beats to a takeover timeout.
    fn beat(&self) -> Span {
        (self.takeover / 4).max(1)
    }
}

/// Who has the machine and who waits: what a coordinator knows, and what its backup copies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Book {
    /// Who has the machine, and for which of their requests.
    pub holder: Option<(NodeId, u64)>,
    pub queue: VecDeque<(NodeId, u64)>,
    /// Counts the changes, so that the backup acknowledges a copy by its version.
    pub version: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Coordinator {
        book: Book,
        /// The backup that must hold a copy naming the holder before the grant goes out;
        /// `None` for a coordinator alone (the texts', or a backup that took over).
        backup: Option<NodeId>,
        /// The latest version of the book the backup acknowledged.
        copied: u64,
        /// The version that named the current holder: the backup must hold it before the grant.
        named: u64,
        /// The holder's grant has gone out.
        granted: bool,
        /// False for a primary back from a crash until its backup says it has not taken over.
        confirmed: bool,
    },
    Backup {
        book: Book,
    },
    /// A primary that came back to find its backup in charge.
    Retired {
        successor: NodeId,
    },
    Program {
        phase: Phase,
        /// Number of this program's latest request.
        seq: u64,
        /// Where it sends requests and releases.
        coordinator: NodeId,
    },
}

impl Program for State {
    fn phase(&self) -> Phase {
        match self {
            State::Program { phase, .. } => *phase,
            _ => Phase::Idle,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    Request {
        seq: u64,
    },
    Grant {
        seq: u64,
    },
    Release {
        seq: u64,
    },
    /// The primary's book, for the backup.
    Copy {
        book: Book,
    },
    /// The backup holds the book up to this version.
    Copied {
        version: u64,
    },
    /// The primary is alive; `confirm`: back from a crash, it asks whether it may go on.
    Heartbeat {
        confirm: bool,
    },
    /// The backup answers a returning primary: it has not taken over.
    GoOn,
    /// The coordinator is now `node`.
    NewCoordinator {
        node: NodeId,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Request { .. } => "request",
            Msg::Grant { .. } => "grant",
            Msg::Release { .. } => "release",
            Msg::Copy { .. } => "copy",
            Msg::Copied { .. } => "copied",
            Msg::Heartbeat { .. } => "heartbeat",
            Msg::GoOn => "go-on",
            Msg::NewCoordinator { .. } => "new-coordinator",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The program is done with the machine.
    Done,
    /// The primary's next heartbeat.
    Beat,
    /// The backup has not heard the primary for too long.
    Takeover,
}

pub const FORMULA: Text = Text::new(
    "3 messages per use: request, grant, release",
    "每次访问 3 条消息：请求、授权、释放",
);

const ROLES: [(&str, &str, &str); 4] = [
    ("coordinator", "coordinator", "协调者"),
    ("idle", "idle", "空闲"),
    ("waiting", "waiting for the machine", "等待咖啡机"),
    ("using", "using the machine", "正在使用咖啡机"),
];

const ROLES_WITH_BACKUP: [(&str, &str, &str); 6] = [
    ("coordinator", "coordinator", "协调者"),
    ("backup", "backup coordinator", "备用协调者"),
    ("retired", "former coordinator, retired", "已退位的原协调者"),
    ("idle", "idle", "空闲"),
    ("waiting", "waiting for the machine", "等待咖啡机"),
    ("using", "using the machine", "正在使用咖啡机"),
];

impl Central {
    /// The book changed (`new_holder`: it names a new holder): copy it to the backup, then
    /// grant if that is already safe.
    fn changed(&self, state: &mut State, new_holder: bool, out: &mut Out<Self>) {
        if let State::Coordinator {
            book,
            backup,
            named,
            granted,
            ..
        } = state
        {
            book.version += 1;
            if new_holder {
                *named = book.version;
                *granted = false;
            }
            if let Some(b) = backup {
                out.send(*b, Msg::Copy { book: book.clone() });
                if let (true, Some((to, _))) = (new_holder, book.holder) {
                    out.note(Note::WaitsForCopy { to });
                }
            }
        }
        self.grant_when_safe(state, out);
    }

    /// Send the holder its grant, once the backup (if any) holds a copy that names it.
    fn grant_when_safe(&self, state: &mut State, out: &mut Out<Self>) {
        let State::Coordinator {
            book,
            backup,
            copied,
            named,
            granted,
            confirmed,
        } = state
        else {
            return;
        };
        let Some((to, seq)) = book.holder else {
            return;
        };
        if *granted || !*confirmed || (backup.is_some() && *copied < *named) {
            return;
        }
        *granted = true;
        out.send(to, Msg::Grant { seq });
        out.note(Note::Grants { to });
    }

    fn beat(&self, out: &mut Out<Self>) {
        if let Some(b) = self.backup {
            out.set_timer(Timer::Beat, b.beat(), b.beat());
        }
    }

    fn watch(&self, out: &mut Out<Self>) {
        if let Some(b) = self.backup {
            out.set_timer(Timer::Takeover, b.takeover, b.takeover);
        }
    }
}

impl Protocol for Central {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = MutexCommand;
    type Observation = MutexEvent;

    fn init(&self, id: NodeId, out: &mut Out<Self>) -> State {
        if id == self.coordinator {
            self.beat(out);
            State::Coordinator {
                book: Book::default(),
                backup: self.backup.map(|b| b.node),
                copied: 0,
                named: 0,
                granted: false,
                confirmed: true,
            }
        } else if self.backup.is_some_and(|b| b.node == id) {
            self.watch(out);
            State::Backup {
                book: Book::default(),
            }
        } else {
            State::Program {
                phase: Phase::Idle,
                seq: 0,
                coordinator: self.coordinator,
            }
        }
    }

    fn on_msg(&self, id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (&mut *state, msg) {
            (State::Coordinator { book, .. }, Msg::Request { seq }) => {
                let req = (src, seq);
                if book.holder == Some(req) || book.queue.contains(&req) {
                    out.note(Note::AlreadyQueued { seq, from: src });
                    return;
                }
                let new_holder = book.holder.is_none();
                if new_holder {
                    book.holder = Some(req);
                } else {
                    book.queue.push_back(req);
                    out.note(Note::Queues {
                        from: src,
                        place: book.queue.len(),
                    });
                }
                self.changed(state, new_holder, out);
            }
            (State::Coordinator { book, .. }, Msg::Release { seq })
                if book.holder == Some((src, seq)) =>
            {
                book.holder = book.queue.pop_front();
                self.changed(state, true, out);
            }
            (State::Coordinator { backup, copied, .. }, Msg::Copied { version })
                if *backup == Some(src) =>
            {
                *copied = (*copied).max(version);
                self.grant_when_safe(state, out);
            }
            (
                State::Coordinator {
                    backup, confirmed, ..
                },
                Msg::GoOn,
            ) if *backup == Some(src) => {
                *confirmed = true;
                out.note(Note::GoesOn);
                self.grant_when_safe(state, out);
            }
            // A primary back from a crash, while this (its backup) coordinates.
            (State::Coordinator { backup: None, .. }, Msg::Heartbeat { .. }) => {
                out.send(src, Msg::NewCoordinator { node: id });
            }
            (
                State::Coordinator {
                    confirmed: false, ..
                },
                Msg::NewCoordinator { node },
            ) => {
                *state = State::Retired { successor: node };
                out.note(Note::Retires { successor: node });
            }
            (State::Backup { book }, Msg::Copy { book: copy }) => {
                if copy.version > book.version {
                    *book = copy;
                }
                out.send(
                    src,
                    Msg::Copied {
                        version: book.version,
                    },
                );
                self.watch(out);
            }
            (State::Backup { .. }, Msg::Heartbeat { confirm }) => {
                if confirm {
                    out.send(src, Msg::GoOn);
                }
                self.watch(out);
            }
            (State::Retired { successor }, Msg::Request { .. } | Msg::Release { .. }) => {
                out.send(src, Msg::NewCoordinator { node: *successor });
            }
            (
                State::Program {
                    phase,
                    seq,
                    coordinator,
                },
                Msg::NewCoordinator { node },
            ) => {
                *coordinator = node;
                out.note(Note::Follows { node });
                match phase {
                    Phase::Waiting => out.send(node, Msg::Request { seq: *seq }),
                    // The release may have gone to the coordinator that died.
                    Phase::Idle if *seq > 0 => out.send(node, Msg::Release { seq: *seq }),
                    _ => {}
                }
            }
            (State::Program { phase, seq, .. }, Msg::Grant { seq: granted })
                if *phase == Phase::Waiting && granted == *seq =>
            {
                start_using(phase, self.usage, Timer::Done, Note::Granted, out);
            }
            (_, msg) => out.note(Note::Stale { msg, from: src }),
        }
    }

    fn on_timer(&self, id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (&mut *state, timer) {
            (
                State::Program {
                    phase,
                    seq,
                    coordinator,
                },
                Timer::Done,
            ) if *phase == Phase::Using => {
                *phase = Phase::Idle;
                out.observe(MutexEvent::Left);
                out.send(*coordinator, Msg::Release { seq: *seq });
            }
            (
                State::Coordinator {
                    backup: Some(b),
                    confirmed,
                    ..
                },
                Timer::Beat,
            ) => {
                out.send(
                    *b,
                    Msg::Heartbeat {
                        confirm: !*confirmed,
                    },
                );
                self.beat(out);
            }
            (State::Backup { book }, Timer::Takeover) => {
                let book = book.clone();
                out.note(Note::TakesOver {
                    holder: book.holder.map(|(n, _)| n),
                    queued: book.queue.len(),
                });
                *state = State::Coordinator {
                    book,
                    backup: None,
                    copied: 0,
                    named: 0,
                    granted: false,
                    confirmed: true,
                };
                out.broadcast(id, Msg::NewCoordinator { node: id });
                // The holder in the copy may never have had its grant: grant again.
                self.grant_when_safe(state, out);
            }
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: MutexCommand, out: &mut Out<Self>) {
        match state {
            State::Program {
                phase,
                seq,
                coordinator,
            } if *phase == Phase::Idle => {
                *phase = Phase::Waiting;
                *seq += 1;
                out.observe(MutexEvent::Requested);
                out.send(*coordinator, Msg::Request { seq: *seq });
            }
            State::Program { .. } => out.note(Note::AlreadyAsked),
            _ => out.note(Note::CoordinatorOnlyGrants),
        }
    }

    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        match state {
            // The book is on stable storage: a coordinator that returns carries on. With a
            // backup it must first hear that the backup has not taken over; it sends the
            // holder's grant again then (a holder at the machine ignores the repeat).
            State::Coordinator {
                book,
                backup,
                named,
                ..
            } => State::Coordinator {
                book: book.clone(),
                backup: *backup,
                copied: 0,
                named: *named,
                granted: false,
                confirmed: backup.is_none(),
            },
            State::Backup { .. } | State::Retired { .. } => state.clone(),
            // A program loses what it was doing but remembers its request numbers, so that an
            // old grant still in flight cannot let it in later, and whom to ask.
            State::Program {
                seq, coordinator, ..
            } => State::Program {
                phase: Phase::Idle,
                seq: *seq,
                coordinator: *coordinator,
            },
        }
    }

    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Coordinator {
                backup: Some(b), ..
            } => {
                out.send(*b, Msg::Heartbeat { confirm: true });
                self.beat(out);
            }
            State::Coordinator { .. } => self.grant_when_safe(state, out),
            State::Backup { .. } => self.watch(out),
            _ => {}
        }
    }

    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        check_exclusion(nodes)
    }
}

fn book_fields(book: &Book) -> Vec<(&'static str, String)> {
    vec![
        (
            "holder",
            book.holder
                .map_or("nobody".into(), |(n, s)| format!("{n} (request {s})")),
        ),
        (
            "queue",
            book.queue
                .iter()
                .map(|(n, _)| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}

impl Present for Central {
    fn view(&self, _id: NodeId, state: &State) -> NodeView {
        match state {
            State::Coordinator {
                book,
                backup,
                copied,
                ..
            } => {
                let mut fields = book_fields(book);
                if backup.is_some() {
                    fields.push(("book version", book.version.to_string()));
                    fields.push(("backup holds version", copied.to_string()));
                }
                NodeView {
                    role: "coordinator",
                    label: format!("queue {}", book.queue.len()),
                    badges: Vec::new(),
                    fields,
                }
            }
            State::Backup { book } => {
                let mut fields = book_fields(book);
                fields.push(("book version", book.version.to_string()));
                NodeView {
                    role: "backup",
                    label: format!("copy of the queue {}", book.queue.len()),
                    badges: Vec::new(),
                    fields,
                }
            }
            State::Retired { successor } => NodeView {
                role: "retired",
                label: String::new(),
                badges: Vec::new(),
                fields: vec![("coordinator now", successor.to_string())],
            },
            State::Program {
                phase,
                seq,
                coordinator,
            } => NodeView {
                role: phase.role(),
                label: String::new(),
                badges: if *phase == Phase::Using {
                    vec!["cup"]
                } else {
                    Vec::new()
                },
                fields: {
                    let mut fields =
                        vec![("phase", phase.role().into()), ("request", seq.to_string())];
                    if self.backup.is_some() {
                        fields.push(("asks", coordinator.to_string()));
                    }
                    fields
                },
            },
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        if self.backup.is_some() {
            &ROLES_WITH_BACKUP
        } else {
            &ROLES
        }
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Star {
            center: self.coordinator,
        }
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<MutexCommand> {
        match state {
            State::Program {
                phase: Phase::Idle, ..
            } => vec![MutexCommand::Request],
            _ => Vec::new(),
        }
    }

    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        let formula = Formula {
            text: FORMULA,
            value: Some(3.0),
        };
        serde_json::to_value(MutexOutcome::of(run, formula)).unwrap_or_default()
    }
}
