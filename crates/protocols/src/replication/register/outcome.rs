//! What a run of the replicated register ends with, under a primary or under quorums: the
//! linearizability checker's verdict over the clients' history, what was answered, stale or
//! lost, and where every replica stands.

use super::super::linearizability::{self, Kind, Operation, Reason, Value, Verdict};
use super::{history, Entry, Event, Register, Scheme, Server, Stamp, State};
use clusterplay_sim::{to_ms, Fate, MsgId, NodeId};
use clusterplay_view::{Highlight, Present, RunView};
use serde::Serialize;

/// What `clusterplay run` prints of a replicated register and the metrics panel lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegisterOutcome {
    /// `sync`, `async`, `max-availability` or `quorum`.
    pub mode: &'static str,
    /// Some order of the operations, each taking effect between its invocation and its
    /// response, explains every read; `null` when the checker could not decide.
    pub linearizable: Option<bool>,
    /// The read no such order explains, and the operation it contradicts; `null` unless the
    /// history is not linearizable.
    pub offending: Option<OffendingOutcome>,
    /// The share of requests answered, 1 when there were none.
    pub availability: f64,
    /// Operations the clients invoked.
    pub requests: usize,
    /// Operations that got their answer.
    pub answered: usize,
    /// Operations that failed or timed out.
    pub failed: usize,
    /// Reads that returned a value an acknowledged write had replaced before they began.
    pub stale_reads: usize,
    /// Acknowledged writes the final value no longer reflects.
    pub lost_writes: Vec<OperationOutcome>,
    /// The value a client would read from now on: the newest primary's, or under quorums the
    /// newest version any live replica holds.
    pub final_value: Value,
    /// Every live replica holds the same value, one no acknowledged write replaced.
    pub eventually_consistent: bool,
    /// Every replica at the end, in node order.
    pub replicas: Vec<ReplicaOutcome>,
    /// Every client's requests, in node order.
    pub clients: Vec<ClientOutcome>,
    /// Backups that became primary, in the order they did.
    pub promotions: Vec<PromotionOutcome>,
    /// Maximum availability: backups the primary stopped waiting for.
    pub switched_to_async: Vec<ModeSwitch>,
    /// Maximum availability: backups taken back once they had caught up.
    pub back_to_sync: Vec<ModeSwitch>,
    /// Every operation, in invocation order.
    pub history: Vec<OperationOutcome>,
    /// The offending read and the operation it contradicts as stretches of their clients' time
    /// lines, for the space-time diagram.
    pub highlight: Vec<Highlight>,
    /// Quorums: the replicas and the default quorum sizes; absent under a primary.
    #[serde(flatten)]
    pub quorum: Option<QuorumSizes>,
    /// Under a primary: where a client's plain read goes (`"primary"` or `"any"`); absent
    /// under quorums.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_from: Option<&'static str>,
}

/// Why the history is not linearizable, in words and by operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OffendingOutcome {
    /// `stale`, `went-back`, `from-the-future`, `never-written` or `no-order`.
    pub reason: &'static str,
    /// The finding as a sentence.
    pub text: String,
    /// The same finding in Chinese.
    pub text_zh: String,
    /// The read no order explains.
    pub operation: CarriedOperation,
    /// The operation it contradicts, when there is one.
    pub conflict: Option<CarriedOperation>,
}

/// An operation with the messages that carried it: what its client sent when it invoked it,
/// and the answer delivered to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CarriedOperation {
    /// The operation.
    #[serde(flatten)]
    pub operation: OperationOutcome,
    /// The messages, by id.
    pub messages: Vec<MsgId>,
}

/// One operation of the clients' history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OperationOutcome {
    /// The client that invoked it.
    pub client: NodeId,
    /// The client's number for it.
    pub op: u32,
    /// `read` or `write`.
    pub kind: Kind,
    /// The value written, or read; `null` for a read without an answer.
    pub value: Option<Value>,
    /// When it was invoked, in virtual milliseconds.
    pub invoke_ms: f64,
    /// When it was answered; `null` without an answer.
    pub response_ms: Option<f64>,
    /// `ok`, `failed` or `pending`.
    pub result: &'static str,
    /// The event that invoked it.
    pub invoke_event: u64,
    /// The event that answered it or failed it; `null` while it is pending.
    pub response_event: Option<u64>,
}

/// One replica at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicaOutcome {
    /// The replica.
    pub node: NodeId,
    /// It is running.
    pub up: bool,
    /// `primary`, `backup` or `replica`, as drawn.
    pub role: &'static str,
    /// The newest epoch it knows of: each promotion takes a higher one.
    pub epoch: u64,
    /// The version of its value, a pair: (epoch, write number) under a primary, (counter,
    /// writer) under quorums.
    pub version: Stamp,
    /// The value it holds.
    pub value: Value,
}

/// One client's requests.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientOutcome {
    /// The client.
    pub node: NodeId,
    /// Operations it invoked.
    pub requests: usize,
    /// Operations that got their answer.
    pub answered: usize,
    /// Its stale reads.
    pub stale_reads: usize,
    /// Quorums: how many replicas its reads wait for; absent under a primary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r: Option<usize>,
    /// Quorums: how many replicas its writes wait for; absent under a primary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w: Option<usize>,
}

/// A backup that became primary.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PromotionOutcome {
    /// The new primary.
    pub node: NodeId,
    /// The epoch it took.
    pub epoch: u64,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
}

/// Maximum availability: a primary dropping a backup to asynchronous, or taking it back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeSwitch {
    /// The primary.
    pub primary: NodeId,
    /// The backup.
    pub backup: NodeId,
    /// When, in virtual milliseconds.
    pub at_ms: f64,
}

/// Quorums: the replicas and the default quorum sizes, R + W > N for a linearizable register.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuorumSizes {
    /// Replicas: N.
    pub n: usize,
    /// Replicas a read waits for: R.
    pub r: usize,
    /// Replicas a write waits for: W.
    pub w: usize,
}

impl RegisterOutcome {
    /// The outcome of `run`.
    pub(super) fn of<M: Scheme>(
        p: &Register<M>,
        run: &RunView<'_, Register<M>>,
    ) -> RegisterOutcome {
        let h = history(run.observations);
        let ops: Vec<Operation> = h.iter().map(|e| e.op.clone()).collect();
        let up_servers: Vec<&Server<M>> = run
            .nodes
            .iter()
            .filter(|n| n.up)
            .filter_map(|n| match &n.state {
                State::Server(s) => Some(s),
                State::Client(_) => None,
            })
            .collect();
        let all_servers: Vec<&Server<M>> = run
            .nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Server(s) => Some(s),
                State::Client(_) => None,
            })
            .collect();
        // The value a client would read from now on, by the scheme's reckoning; with every
        // replica down, the one they will come back with.
        let pool = if up_servers.is_empty() {
            &all_servers
        } else {
            &up_servers
        };
        let last = M::latest(pool).map_or(0, |s| s.value);
        let verdict = linearizability::check(&ops, 0);
        let describe = |i: usize| OperationOutcome::of(&h[i]);
        // The offending operations with the messages that carried them, for the diagram: what
        // the client sent when it invoked, and the answer delivered to it.
        let carried = |i: usize| -> Vec<MsgId> {
            let e = &h[i];
            run.messages
                .iter()
                .filter(|m| {
                    (m.from == e.node && m.sent_event == e.invoke_event)
                        || (m.to == e.node
                            && matches!(m.fate, Fate::Delivered { event, .. }
                                if Some(event) == e.response_event))
                })
                .map(|m| m.id)
                .collect()
        };
        let pinpoint = |i: usize| CarriedOperation {
            operation: describe(i),
            messages: carried(i),
        };
        // The same two operations as stretches of their clients' time lines.
        let highlight = |i: usize| {
            let e = &h[i];
            let label = match (e.op.kind, e.op.response) {
                (Kind::Read, Some(_)) => format!("read {}", e.op.value),
                (Kind::Read, None) => "read".to_string(),
                (Kind::Write, _) => format!("write {}", e.op.value),
                (Kind::Cas, _) => format!("cas {} → {}", e.op.expect, e.op.value),
            };
            Highlight {
                node: e.node,
                from: e.op.invoke,
                to: e.op.response,
                label,
                messages: carried(i),
            }
        };
        let highlights: Vec<Highlight> = match &verdict {
            Verdict::NotLinearizable(c) => std::iter::once(c.op)
                .chain(c.conflict)
                .map(highlight)
                .collect(),
            _ => Vec::new(),
        };
        let (linearizable, offending) = match &verdict {
            Verdict::Linearizable => (Some(true), None),
            Verdict::Unknown => (None, None),
            Verdict::NotLinearizable(c) => (
                Some(false),
                Some(OffendingOutcome {
                    reason: c.reason.key(),
                    text: explain(&h, c.op, c.conflict, c.reason),
                    text_zh: explain_zh(&h, c.op, c.conflict, c.reason),
                    operation: pinpoint(c.op),
                    conflict: c.conflict.map(pinpoint),
                }),
            ),
        };
        let requests = ops.len();
        let answered = h.iter().filter(|e| e.op.response.is_some()).count();
        let failed = h.iter().filter(|e| e.failed).count();
        let stale = linearizability::stale_reads(&ops, 0);
        let lost = linearizability::lost_writes(&ops, last);
        let finals: Vec<Value> = up_servers.iter().map(|s| s.value).collect();
        let replicas = run
            .nodes
            .iter()
            .filter_map(|n| match &n.state {
                State::Server(s) => Some(ReplicaOutcome {
                    node: n.id,
                    up: n.up,
                    role: p.view(n.id, &n.state).role,
                    epoch: M::epoch(&s.own),
                    version: s.stamp,
                    value: s.value,
                }),
                State::Client(_) => None,
            })
            .collect();
        let clients = run
            .nodes
            .iter()
            .filter(|n| !p.is_server(n.id))
            .map(|n| {
                let mine: Vec<usize> = (0..h.len()).filter(|&i| h[i].node == n.id).collect();
                ClientOutcome {
                    node: n.id,
                    requests: mine.len(),
                    answered: mine.iter().filter(|&&i| ops[i].response.is_some()).count(),
                    stale_reads: stale.iter().filter(|i| h[**i].node == n.id).count(),
                    r: None,
                    w: None,
                }
            })
            .collect();
        let promotions = run
            .observations
            .iter()
            .filter_map(|o| match o.what {
                Event::Promoted { epoch } => Some(PromotionOutcome {
                    node: o.node,
                    epoch,
                    at_ms: to_ms(o.time),
                }),
                _ => None,
            })
            .collect();
        let switches = |caught_up: bool| {
            run.observations
                .iter()
                .filter_map(|o| match o.what {
                    Event::Degraded { backup } if !caught_up => Some((o, backup)),
                    Event::CaughtUp { backup } if caught_up => Some((o, backup)),
                    _ => None,
                })
                .map(|(o, backup)| ModeSwitch {
                    primary: o.node,
                    backup,
                    at_ms: to_ms(o.time),
                })
                .collect()
        };
        let mut outcome = RegisterOutcome {
            mode: p.scheme.key(),
            linearizable,
            offending,
            availability: if requests == 0 {
                1.0
            } else {
                answered as f64 / requests as f64
            },
            requests,
            answered,
            failed,
            stale_reads: stale.len(),
            lost_writes: lost.iter().map(|&i| describe(i)).collect(),
            final_value: last,
            eventually_consistent: linearizability::eventually_consistent(&ops, 0, &finals),
            replicas,
            clients,
            promotions,
            switched_to_async: switches(false),
            back_to_sync: switches(true),
            history: (0..h.len()).map(describe).collect(),
            highlight: highlights,
            quorum: None,
            read_from: None,
        };
        M::outcome(p, &mut outcome);
        outcome
    }
}

impl OperationOutcome {
    fn of(e: &Entry) -> OperationOutcome {
        OperationOutcome {
            client: e.node,
            op: e.id,
            kind: e.op.kind,
            value: if e.op.kind == Kind::Read && e.op.response.is_none() {
                None
            } else {
                Some(e.op.value)
            },
            invoke_ms: to_ms(e.op.invoke),
            response_ms: e.op.response.map(to_ms),
            result: if e.op.response.is_some() {
                "ok"
            } else if e.failed {
                "failed"
            } else {
                "pending"
            },
            invoke_event: e.invoke_event,
            response_event: e.response_event,
        }
    }
}

fn explain(h: &[Entry], op: usize, conflict: Option<usize>, reason: Reason) -> String {
    let o = &h[op];
    let what = format!(
        "client {}'s read at {} ms returned {}",
        o.node,
        to_ms(o.op.invoke),
        o.op.value
    );
    match (reason, conflict.map(|c| &h[c])) {
        (Reason::Stale, Some(w)) => format!(
            "{what}, but client {}'s write of {} was acknowledged at {} ms, before the read began",
            w.node,
            w.op.value,
            w.op.response.map_or(0.0, to_ms)
        ),
        (Reason::WentBack, Some(r)) => format!(
            "{what}, but client {}'s read had already returned the newer {} at {} ms",
            r.node,
            r.op.value,
            r.op.response.map_or(0.0, to_ms)
        ),
        (Reason::FromTheFuture, Some(w)) => format!(
            "{what}, which client {} wrote only at {} ms, after the read had its answer",
            w.node,
            to_ms(w.op.invoke)
        ),
        (Reason::NeverWritten, _) => format!("{what}, a value nobody wrote"),
        _ => format!("{what}: no order of the overlapping operations explains it"),
    }
}

/// The same finding in Chinese: a sentence of its own rather than a word-by-word rendering,
/// because the order of its clauses differs.
fn explain_zh(h: &[Entry], op: usize, conflict: Option<usize>, reason: Reason) -> String {
    let o = &h[op];
    let what = format!(
        "客户端 {} 在 {} 毫秒的读取返回了 {}",
        o.node,
        to_ms(o.op.invoke),
        o.op.value
    );
    match (reason, conflict.map(|c| &h[c])) {
        (Reason::Stale, Some(w)) => format!(
            "{what}，但客户端 {} 写入的 {} 早在 {} 毫秒就已确认，在这次读取开始之前",
            w.node,
            w.op.value,
            w.op.response.map_or(0.0, to_ms)
        ),
        (Reason::WentBack, Some(r)) => format!(
            "{what}，但客户端 {} 的读取已在 {} 毫秒返回了更新的 {}",
            r.node,
            r.op.response.map_or(0.0, to_ms),
            r.op.value
        ),
        (Reason::FromTheFuture, Some(w)) => format!(
            "{what}，而客户端 {} 直到 {} 毫秒才写入它，那时这次读取已经得到答复",
            w.node,
            to_ms(w.op.invoke)
        ),
        (Reason::NeverWritten, _) => format!("{what}，这个值从没有人写过"),
        _ => format!("{what}：重叠操作的任何顺序都无法解释它"),
    }
}
