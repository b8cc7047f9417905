//! # Distributed transactions: all or nothing
//!
//! Seed 004 buys things online. Placing an order touches several independent systems, the
//! order system, the inventory (or the payment and the warehouse), each with its own database,
//! and the purchase must happen everywhere or nowhere. A *distributed transaction* is such a
//! group of local transactions, and the texts compare four ways to keep them together:
//!
//! - [`two_phase`] – XA's two-phase commit. A *coordinator* (the transaction manager) asks every
//!   *participant* (a resource manager, usually a database) whether it can commit; each
//!   executes, writes undo and redo, locks, and votes. All Yes: commit; any No: roll back. Strong
//!   consistency, paid for with locks held until the decision arrives, which is forever if the
//!   coordinator dies at the wrong moment.
//! - [`three_phase`] – three-phase commit splits the vote in two (CanCommit, then PreCommit) and
//!   gives participants a timeout: one that acknowledged PreCommit and hears nothing commits on
//!   its own. Nobody blocks, but under a partition participants can disagree.
//! - [`tcc`] – Try, Confirm, Cancel: two-phase commit written in business code. Try reserves,
//!   Confirm uses the reservation, Cancel releases it; both are retried until answered, so both
//!   must be idempotent.
//! - [`mq`] – eventual consistency through a message queue (seed 004's shop, with the local
//!   message table of seed 002 as a variant): each system commits its own local transaction and
//!   the queue makes sure the next one hears about it, retrying until it does; a later failure
//!   is undone by compensation, not by a lock.
//!
//! Two notions of "agree" run through the family. *Atomicity* (2PC, 3PC, TCC): no participant
//! commits while another rolls back; it is checked after every event, 2PC keeps it under any
//! crash or loss by blocking, and 3PC breaks it under a partition. *Eventual consistency* (MQ,
//! TCC): once faults stop and the retries have gone through, every system agrees; in between,
//! disagreement is the normal state of a flexible transaction, not a fault. The texts' other
//! "inconsistent data" of 2PC, some participants committed while others sit in doubt holding
//! their locks, is shown as a state (`in_doubt` in [`TxOutcome`], a lock on the node), because
//! nobody has decided differently yet: they have not decided at all.
//!
//! 2PC, 3PC and TCC share their coordinators' routine (ask everyone, log the decision, repeat
//! it until all have answered) in [`commit`], and the shape of their nodes, the invariant, the
//! outcome and the drawing here.

pub mod commit;
pub mod mq;
pub mod mq_local_table;
pub mod saga;
pub mod tcc;
pub mod three_phase;
pub mod tla_two_phase;
pub mod two_phase;

mod outcome;
pub use outcome::{TxOutcome, TxParticipantOutcome};

use crate::algorithm::{Cluster, ParamError};
use crate::{list, list_in};
use clusterplay_sim::{to_ms, Lang, NodeId, NodeSlot, Observed, Time, Violation};
use clusterplay_view::NodeView;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How a transaction ends; the outcome writes it `commit` or `abort`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Commit,
    Abort,
}

impl Decision {
    pub fn key(self) -> &'static str {
        match self {
            Decision::Commit => "commit",
            Decision::Abort => "abort",
        }
    }

    /// The decision as a note says it: "commit" or "abort", 提交 or 中止.
    pub fn word(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, _) => self.key(),
            (Lang::Zh, Decision::Commit) => "提交",
            (Lang::Zh, Decision::Abort) => "中止",
        }
    }
}

/// A participant's answer to "can you commit?", as a scenario sets it and the outcome writes it
/// (`yes`, `no`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vote {
    #[default]
    Yes,
    No,
}

impl Vote {
    /// As messages and the inspector show it.
    pub fn label(self) -> &'static str {
        match self {
            Vote::Yes => "Yes",
            Vote::No => "No",
        }
    }
}

/// What the coordinator can be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TxCommand {
    /// Start the transaction.
    Begin,
}

/// What the transaction outcome is built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxEvent {
    /// The coordinator started the transaction.
    Began,
    /// The coordinator wrote its decision to its log.
    Decided(Decision),
    /// A participant took its locks (or, for TCC, reserved its resources).
    Locked,
    /// A participant let them go.
    Released,
    /// A participant committed or rolled back for good.
    Finished(Decision),
}

/// What the shared invariant and outcome need to know of a node.
pub trait Party {
    /// Whether this node is a participant (rather than the coordinator).
    fn is_participant(&self) -> bool;
    /// The participant's durable decision, if it has one.
    fn decided(&self) -> Option<Decision>;
    /// Whether it holds locks (or reservations) right now.
    fn holds_locks(&self) -> bool;
    /// Its state as the outcome names it ("in-doubt", "committed", …).
    fn state_key(&self) -> &'static str;
}

/// A node of 2PC, 3PC or TCC: node 1 coordinates, the others take part. Each protocol's
/// `State` is this with its own coordinator and participant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node<C, P> {
    Coordinator(C),
    Participant(P),
}

/// What a participant's own state tells [`Party`].
pub trait Participation {
    fn decided(&self) -> Option<Decision>;
    fn holds_locks(&self) -> bool;
    fn state_key(&self) -> &'static str;
}

impl<C, P: Participation> Party for Node<C, P> {
    fn is_participant(&self) -> bool {
        matches!(self, Node::Participant(_))
    }
    fn decided(&self) -> Option<Decision> {
        match self {
            Node::Coordinator(_) => None,
            Node::Participant(p) => p.decided(),
        }
    }
    fn holds_locks(&self) -> bool {
        match self {
            Node::Coordinator(_) => false,
            Node::Participant(p) => p.holds_locks(),
        }
    }
    fn state_key(&self) -> &'static str {
        match self {
            Node::Coordinator(_) => "coordinator",
            Node::Participant(p) => p.state_key(),
        }
    }
}

/// Atomicity: no participant committed while another rolled back. Decisions survive crashes,
/// so crashed participants count too.
pub fn check_atomicity<S: Party>(nodes: &[NodeSlot<S>]) -> Vec<Violation> {
    let with = |d: Decision| -> Vec<NodeId> {
        nodes
            .iter()
            .filter(|n| n.state.is_participant() && n.state.decided() == Some(d))
            .map(|n| n.id)
            .collect()
    };
    let (committed, aborted) = (with(Decision::Commit), with(Decision::Abort));
    if committed.is_empty() || aborted.is_empty() {
        return Vec::new();
    }
    vec![Violation {
        invariant: "atomicity",
        text: format!(
            "participants disagree: {} committed while {} rolled back",
            list(&committed),
            list(&aborted)
        ),
        nodes: committed.into_iter().chain(aborted).collect(),
    }]
}

/// How long each node held locks, in total, and whether it still does at `now`.
pub fn lock_times(observations: &[Observed<TxEvent>], now: Time) -> BTreeMap<NodeId, (f64, bool)> {
    let mut since: BTreeMap<NodeId, Time> = BTreeMap::new();
    let mut held: BTreeMap<NodeId, u64> = BTreeMap::new();
    for o in observations {
        match o.what {
            TxEvent::Locked => {
                since.entry(o.node).or_insert(o.time);
                held.entry(o.node).or_default();
            }
            TxEvent::Released => {
                if let Some(t) = since.remove(&o.node) {
                    *held.entry(o.node).or_default() += o.time - t;
                }
            }
            _ => {}
        }
    }
    held.into_iter()
        .map(|(n, total)| {
            let open = since.get(&n).map(|t| now - *t);
            (n, (to_ms(total + open.unwrap_or(0)), open.is_some()))
        })
        .collect()
}

/// When the transaction began, when the coordinator decided, and when the last participant
/// finished (counting only a run in which every participant did).
pub struct Timing {
    pub began: Option<Time>,
    pub decided: Option<Time>,
    pub last_finished: Option<Time>,
}

pub fn timing(observations: &[Observed<TxEvent>]) -> Timing {
    let mut t = Timing {
        began: None,
        decided: None,
        last_finished: None,
    };
    for o in observations {
        match o.what {
            TxEvent::Began => {
                t.began.get_or_insert(o.time);
            }
            TxEvent::Decided(_) => {
                t.decided.get_or_insert(o.time);
            }
            TxEvent::Finished(_) => t.last_finished = Some(o.time),
            _ => {}
        }
    }
    t
}

/// The participants are every node but the coordinator, node 1, which sits in the middle.
pub const COORDINATOR: NodeId = NodeId::from_index(0);

/// Participant `id`'s entry in a scenario's list, which starts at node 2; `None` past its end.
pub fn setting<T: Clone>(values: &[T], id: NodeId) -> Option<T> {
    id.index()
        .checked_sub(1)
        .and_then(|i| values.get(i))
        .cloned()
}

/// A participant's name, or "RM n" (resource manager n) when the scenario names none.
pub fn name(names: &[String], id: NodeId) -> String {
    setting(names, id).unwrap_or_else(|| format!("RM {}", id.number()))
}

/// A participant's vote as the scenario sets it; Yes unless told otherwise.
pub fn vote_of(votes: &[Vote], id: NodeId) -> Vote {
    setting(votes, id).unwrap_or_default()
}

/// Each participant's name and vote as [`TxOutcome`] lists them, where the scenario sets votes.
pub fn named_with_vote<'a>(
    names: &'a [String],
    votes: &'a [Vote],
) -> impl Fn(NodeId) -> (String, Option<Vote>) + 'a {
    |id| (name(names, id), Some(vote_of(votes, id)))
}

/// Longest participant name: it is drawn under the node.
const MAX_NAME: usize = 24;

/// Largest stock or balance a scenario may set: enough for any lesson, far from overflow.
pub(crate) const MAX_AMOUNT: u64 = 1_000_000_000;

/// Timeouts and retry intervals of 2PC, 3PC and TCC unless a scenario says otherwise.
pub(crate) fn default_timeout() -> f64 {
    100.0
}

/// Votes and names are given per participant, node 2 first: at most one per participant.
pub(crate) fn per_participant<T>(
    what: &str,
    items: &[T],
    cluster: Cluster,
) -> Result<(), ParamError> {
    let participants = cluster.nodes - 1;
    if items.len() > participants {
        return Err(ParamError::new(
            what,
            format!(
                "has {} entries, but {} nodes have {participants} participants (node 1 coordinates)",
                items.len(),
                cluster.nodes
            ),
            format!(
                "有 {} 项，但 {} 个节点中只有 {participants} 个参与者（节点 1 是协调者）",
                items.len(),
                cluster.nodes
            ),
        ));
    }
    Ok(())
}

/// `params.names`, checked: one per participant at most, each short enough to draw.
pub(crate) fn names(names: Vec<String>, cluster: Cluster) -> Result<Vec<String>, ParamError> {
    per_participant("params.names", &names, cluster)?;
    if let Some(n) = names.iter().find(|n| n.chars().count() > MAX_NAME) {
        return Err(ParamError::name_too_long("params.names", n, MAX_NAME));
    }
    Ok(names)
}

/// The coordinator's legend entry.
pub const COORDINATOR_ROLE: (&str, &str, &str) = (
    "coordinator",
    "coordinator (transaction manager)",
    "协调者（事务管理器）",
);

/// Legend entries of the participant states that 2PC, 3PC and TCC name alike.
pub const IDLE_ROLE: (&str, &str, &str) =
    ("idle", "has not heard of the transaction", "尚未收到事务");
pub const COMMITTED_ROLE: (&str, &str, &str) = ("committed", "committed", "已提交");
pub const ROLLED_BACK_ROLE: (&str, &str, &str) = ("rolled-back", "rolled back", "已回滚");

/// How a participant is drawn: its state as the role, its name as the label, and a lock while
/// it holds locks, so that blocking shows on the page.
pub fn participant_view<S: Party>(
    names: &[String],
    id: NodeId,
    state: &S,
    vote: Option<Vote>,
) -> NodeView {
    let locked = state.holds_locks();
    let mut fields = vec![
        ("name", name(names, id)),
        ("state", state.state_key().replace('-', " ")),
        ("locks", if locked { "held" } else { "none" }.into()),
    ];
    if let Some(v) = vote {
        fields.push(("vote (scenario)", v.label().into()));
    }
    NodeView {
        role: state.state_key(),
        label: name(names, id),
        badges: if locked { vec!["lock"] } else { Vec::new() },
        fields,
    }
}

/// How the coordinator is drawn: the phase it is in under the node, then `role` and what it
/// has recorded in the inspector.
pub fn coordinator_view(
    role: &str,
    phase: String,
    records: Vec<(&'static str, String)>,
) -> NodeView {
    let label = format!("TM · {phase}");
    let mut fields = vec![("role", role.to_string()), ("phase", phase)];
    fields.extend(records);
    NodeView {
        role: "coordinator",
        label,
        badges: Vec::new(),
        fields,
    }
}

/// The votes a coordinator has received, as "2: Yes, 3: No".
pub fn votes_field(votes: &BTreeMap<NodeId, Vote>) -> String {
    votes
        .iter()
        .map(|(n, v)| format!("{n}: {v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The participants a coordinator has heard from, as "2, 3".
pub fn nodes_field(nodes: &BTreeSet<NodeId>) -> String {
    nodes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
