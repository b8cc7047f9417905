//! What a run of the shop ends with, system by system.

use super::{Key, Mq, Msg, OrderStatus, QueueEntry, Service, State, PAYMENT, WAREHOUSE};
use crate::transaction::{Decision, TxEvent};
use clusterplay_sim::{to_ms, NodeId};
use clusterplay_view::RunView;
use serde::Serialize;
use std::collections::BTreeMap;

/// What `clusterplay run` prints of the shop and the metrics panel lists: each system's
/// database, the queue's messages, and whether the three systems agree once everything has
/// gone through.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MqOutcome {
    /// `commit` once the order is complete, `abort` once it is cancelled or given up; null
    /// while it is neither.
    pub decision: Option<Decision>,
    /// The order as the order system's database has it: `none`, `created`, `paid`,
    /// `completed`, `cancelled` or `abandoned`.
    pub order: &'static str,
    /// The payment system's database; null if the shop has none.
    pub payment: Option<PaymentOutcome>,
    /// The warehouse's database; null if the shop has none.
    pub warehouse: Option<WarehouseOutcome>,
    /// Every message the queue holds, with how far it has got.
    pub queue: Vec<QueuedMessage>,
    /// The local message table (seed 002's variant): messages written with the order, not yet
    /// stored by the queue, as "m2 ship".
    pub local_message_table: Vec<String>,
    /// Deliveries beyond the first of each message: what the consumers' idempotence absorbed.
    pub redeliveries: usize,
    /// Nothing is left to deliver, confirm or relay, and the order is final.
    pub settled: bool,
    /// Settled, and the three systems agree: paid and shipped exactly when the order is
    /// complete.
    pub consistent: bool,
    /// From Begin to the order's final status; null until it has one.
    pub time_to_decision_ms: Option<f64>,
}

/// The payment system's database at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentOutcome {
    /// User A's balance.
    pub balance: u64,
    /// The balance is below what it started with: the money is taken.
    pub paid: bool,
    /// The payment was taken and given back by a refund.
    pub refunded: bool,
    /// How many messages it processed (each one once, however often delivered).
    pub processed: usize,
}

/// The warehouse's database at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarehouseOutcome {
    /// The stock left.
    pub stock: u64,
    /// The stock is below what it started with: the goods went out.
    pub shipped: bool,
    /// How many messages it processed (each one once, however often delivered).
    pub processed: usize,
}

/// One message the queue holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueuedMessage {
    /// `m2` for the order system's message 2, `r2` for the consumer's answer to it.
    pub id: String,
    /// What it says: `pay`, `ship`, `refund`, or an answer such as `pay failed`.
    pub body: String,
    /// The node it is for.
    pub to: u32,
    /// `pending-confirmation` (a half message), `ready-to-send`, `consumed` or `deleted`.
    pub status: &'static str,
    /// Deliveries (or check-backs) so far.
    pub attempts: u32,
}

impl MqOutcome {
    /// The outcome of `run`; `None` if the shop lacks its order system or its queue.
    pub(super) fn of(mq: &Mq, run: &RunView<'_, Mq>) -> Option<MqOutcome> {
        let mut order = None;
        let mut queue = None;
        let mut services: BTreeMap<NodeId, &Service> = BTreeMap::new();
        for n in run.nodes {
            match &n.state {
                State::Order(o) => order = Some(o),
                State::Queue(q) => queue = Some(q),
                State::Service(s) => {
                    services.insert(n.id, s);
                }
            }
        }
        let (order, queue) = order.zip(queue)?;
        let payment = services.get(&PAYMENT);
        let warehouse = services.get(&WAREHOUSE);
        let paid = payment.is_some_and(|s| s.amount < mq.balance);
        let shipped = warehouse.is_some_and(|s| s.amount < mq.stock);
        let decision = match order.status {
            OrderStatus::Completed => Some(Decision::Commit),
            OrderStatus::Cancelled | OrderStatus::Abandoned => Some(Decision::Abort),
            _ => None,
        };
        let settled = decision.is_some() && !Mq::outstanding(queue) && order.outbox.is_empty();
        let agree = match decision {
            Some(Decision::Commit) => paid && shipped,
            Some(Decision::Abort) => !paid && !shipped,
            None => false,
        };
        let mut began = None;
        let mut decided = None;
        for o in run.observations {
            match o.what {
                TxEvent::Began => began = began.or(Some(o.time)),
                TxEvent::Decided(_) => decided = decided.or(Some(o.time)),
                _ => {}
            }
        }
        let mut delivered: BTreeMap<Key, usize> = BTreeMap::new();
        for m in run.messages {
            if let Msg::Deliver { key, .. } = m.payload {
                *delivered.entry(key).or_default() += 1;
            }
        }
        Some(MqOutcome {
            decision,
            order: order.status.key(),
            payment: payment.map(|s| PaymentOutcome {
                balance: s.amount,
                paid,
                refunded: s.refunded && !s.paid,
                processed: s.processed.len(),
            }),
            warehouse: warehouse.map(|s| WarehouseOutcome {
                stock: s.amount,
                shipped,
                processed: s.processed.len(),
            }),
            queue: queue.iter().map(QueuedMessage::of).collect(),
            local_message_table: order
                .outbox
                .iter()
                .map(|(n, j)| format!("m{n} {}", j.name()))
                .collect(),
            redeliveries: delivered.values().map(|k| k - 1).sum(),
            settled,
            consistent: settled && agree,
            time_to_decision_ms: began.zip(decided).map(|(b, d)| to_ms(d - b)),
        })
    }
}

impl QueuedMessage {
    fn of((key, e): (&Key, &QueueEntry)) -> QueuedMessage {
        QueuedMessage {
            id: key.to_string(),
            body: e.body.describe(),
            to: e.to.number(),
            status: e.status.key(),
            attempts: e.attempts,
        }
    }
}
