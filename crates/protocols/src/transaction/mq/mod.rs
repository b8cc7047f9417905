//! # Eventual consistency through a message queue
//!
//! Seed 004's shop: user A orders something for 50 and pays from a balance of 150; the order
//! system, the payment system and the warehouse are separate applications, and a message queue
//! (MQ) carries the work between them. Nothing is locked across systems. Each system commits its
//! own local transaction, and the queue makes sure the next system hears about it, however long
//! that takes: the systems disagree for a while and agree in the end (BASE's *eventual
//! consistency*, where 2PC and 3PC aim for ACID).
//!
//! The hard part is the moment a system commits *and* tells the queue: if it commits and
//! crashes before sending, or sends and then fails to commit, the two disagree for good. The
//! texts' answer is the *half message*, as in RocketMQ:
//!
//! 1. The order system sends the message "pay 50 for order 1" to the queue, marked *pending
//!    confirmation*.
//! 2. The queue stores it (it is not delivered yet) and says so.
//! 3. Only then does the order system run its local transaction (create the order). If the
//!    queue never answered, it gives up: no order, nothing to undo.
//! 4. It tells the queue the result: commit or roll back.
//! 5. Commit makes the message *ready to send* and the queue delivers it; roll back deletes it.
//! 6. If that confirmation is lost, the queue does not guess: it *checks back* with the order
//!    system, which looks in its own database and answers.
//!
//! Delivery is retried until the consumer (the payment system, then the warehouse) acknowledges,
//! so a consumer may see the same message twice and must be *idempotent*: it records which
//! messages it has processed and answers a repeat with the recorded result. The consumer's
//! result travels back through the queue to the order system, which takes the next step the
//! same way. When a later step fails (the warehouse has no stock after the payment went
//! through), nothing can be rolled back, because every local transaction has committed; the
//! order system instead sends a *compensation*, a refund, through the queue.
//!
//! Seed 002's *local message table* reaches the same end without half messages: the order
//! system writes the message into a table of its own database in the same local transaction as
//! the business data, and a relay forwards the table to the queue, retrying until the queue has
//! it, then deletes the row. The queue can be down for a while; nothing is lost.
//!
//! Seed 004 lists three failures. The first plays as it tells it (`mq-half-message-lost`): the
//! half message never reaches the queue, the order system does nothing, everything stays
//! consistent. For the second, a consumer's acknowledgement lost, the text has the queue check
//! each system's result and roll the payment back; this queue does what real ones do instead,
//! delivering again to an idempotent consumer that does not pay twice (`mq-ack-lost`, whose
//! caption says so). The third loses the order system's final result after the payment; the
//! half message's check-back (`mq-confirm-lost`) shows the same answer, asking instead of
//! guessing, one step earlier, and its caption says that too.

use super::{Decision, TxCommand, TxEvent};
use clusterplay_sim::{
    say, Lang, Message, NodeId, NodeSlot, Out, Protocol, Span, Violation, Words,
};
use clusterplay_view::{Layout, NodeView, Present, RunView};
use std::collections::BTreeMap;

mod algorithm;
mod outcome;
mod words;
pub use algorithm::Entry;
pub use outcome::{MqOutcome, PaymentOutcome, QueuedMessage, WarehouseOutcome};
use words::Note;

pub const ORDER: NodeId = NodeId::from_index(0);
pub const QUEUE: NodeId = NodeId::from_index(1);
pub const PAYMENT: NodeId = NodeId::from_index(2);
pub const WAREHOUSE: NodeId = NodeId::from_index(3);
/// The shop has exactly these four systems.
pub const NODES: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Mq {
    /// Seed 002's variant: an outbox table and a relay instead of half messages.
    pub local_table: bool,
    /// User A's balance at the start, and the price.
    pub balance: u64,
    pub price: u64,
    /// The warehouse's stock at the start; the order takes one.
    pub stock: u64,
    /// How long the order system waits for the queue to store a message: for the first
    /// message it then gives up the order, later it sends again. The relay of the local table
    /// sends again after the same time.
    pub store_timeout: Span,
    /// How often the queue delivers again what was not acknowledged, and checks back on what
    /// was not confirmed.
    pub retry: Span,
    /// The text's answer to a consumer's lost acknowledgement (004, failure 2): the queue asks
    /// the consumer what it did, has it roll its local transaction back, deletes the message
    /// and tells the order system the step failed. Without it, as real queues do, the queue
    /// delivers again and the idempotent consumer answers with what it recorded.
    pub roll_back_lost_ack: bool,
}

/// What a message asks of its consumer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Pay,
    Ship,
    Refund,
}

impl Job {
    fn consumer(self) -> NodeId {
        match self {
            Job::Pay | Job::Refund => PAYMENT,
            Job::Ship => WAREHOUSE,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Job::Pay => "pay",
            Job::Ship => "ship",
            Job::Refund => "refund",
        }
    }

    /// The job as a note says it: "pay", 支付.
    fn word(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, _) => self.name(),
            (Lang::Zh, Job::Pay) => "支付",
            (Lang::Zh, Job::Ship) => "发货",
            (Lang::Zh, Job::Refund) => "退款",
        }
    }
}

/// A message held by the queue: the order system's message `n`, or the consumer's answer to
/// it, which the queue forwards to the order system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub n: u32,
    pub reply: bool,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", if self.reply { "r" } else { "m" }, self.n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    Do(Job),
    Result { job: Job, ok: bool },
}

impl Body {
    fn describe(self) -> String {
        match self {
            Body::Do(job) => job.name().into(),
            Body::Result { job, ok } => {
                format!("{} {}", job.name(), if ok { "ok" } else { "failed" })
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// A half message: stored, not deliverable until the producer confirms.
    PendingConfirmation,
    ReadyToSend,
    /// Delivered, never acknowledged: the queue has asked the consumer what it did, to roll
    /// it back (the text's way).
    Checking,
    /// The consumer acknowledged it.
    Consumed,
    /// The producer rolled its local transaction back.
    Deleted,
}

impl Status {
    fn key(self) -> &'static str {
        match self {
            Status::PendingConfirmation => "pending-confirmation",
            Status::ReadyToSend => "ready-to-send",
            Status::Checking => "checking",
            Status::Consumed => "consumed",
            Status::Deleted => "deleted",
        }
    }
}

/// A message as the queue holds it: for whom, what it says, how far it has got.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueueEntry {
    pub to: NodeId,
    pub body: Body,
    pub status: Status,
    /// Deliveries (or check-backs) so far.
    pub attempts: u32,
}

/// Where the order stands in the order system's database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    None,
    /// Waiting for the payment.
    Created,
    /// Paid; waiting for the warehouse.
    Paid,
    Completed,
    /// The payment failed, or the warehouse did and the payment is being refunded.
    Cancelled,
    /// The first message never reached the queue: no order was made.
    Abandoned,
}

impl OrderStatus {
    fn key(self) -> &'static str {
        match self {
            OrderStatus::None => "none",
            OrderStatus::Created => "created",
            OrderStatus::Paid => "paid",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Abandoned => "abandoned",
        }
    }

    /// The status as a note says it after "order": "created", 已创建.
    fn word(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, _) => self.key(),
            (Lang::Zh, OrderStatus::None) => "不存在",
            (Lang::Zh, OrderStatus::Created) => "已创建",
            (Lang::Zh, OrderStatus::Paid) => "已支付",
            (Lang::Zh, OrderStatus::Completed) => "已完成",
            (Lang::Zh, OrderStatus::Cancelled) => "已取消",
            (Lang::Zh, OrderStatus::Abandoned) => "已放弃",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    pub status: OrderStatus,
    /// The message whose storing it waits for, and what its local transaction will do.
    pub waiting: Option<(u32, Job, OrderStatus)>,
    /// Its log of local transactions: message number → committed (true) or rolled back.
    pub log: BTreeMap<u32, bool>,
    /// The local message table: messages written with the business data, not yet stored by
    /// the queue.
    pub outbox: BTreeMap<u32, Job>,
    /// Answers from consumers it has processed.
    pub seen: BTreeMap<u32, bool>,
    pub next: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    /// Balance for the payment system, stock for the warehouse.
    pub amount: u64,
    /// Messages processed, with the result given: a repeat gets the same answer.
    pub processed: BTreeMap<u32, bool>,
    pub paid: bool,
    pub refunded: bool,
    pub shipped: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Order(Order),
    Queue(BTreeMap<Key, QueueEntry>),
    Service(Service),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Msg {
    /// A half message from the order system.
    Half {
        n: u32,
        job: Job,
    },
    /// The queue has stored message `n`.
    Stored {
        n: u32,
    },
    /// Commit or roll back half message `n`.
    Confirm {
        n: u32,
        commit: bool,
    },
    /// The queue asks what became of half message `n`.
    CheckBack {
        n: u32,
    },
    /// The local table's relay forwards message `n`, ready to send.
    Publish {
        n: u32,
        job: Job,
    },
    Deliver {
        key: Key,
        body: Body,
    },
    /// The consumer is done with `key`, with its result when the message asked for work.
    Ack {
        key: Key,
        ok: Option<bool>,
    },
    /// The queue asks the consumer what it did with `key`, to undo it (the text's way with a
    /// lost acknowledgement).
    Check {
        key: Key,
        job: Job,
    },
    /// The consumer has rolled `key` back (`undid`), or had never done it; either way it will
    /// not do it now.
    Undone {
        key: Key,
        undid: bool,
    },
}

impl Message for Msg {
    fn kind(&self) -> &'static str {
        match self {
            Msg::Half { .. } => "half-message",
            Msg::Stored { .. } => "stored",
            Msg::Confirm { .. } => "confirm",
            Msg::CheckBack { .. } => "check-back",
            Msg::Publish { .. } => "publish",
            Msg::Deliver { .. } => "deliver",
            Msg::Ack { .. } => "ack",
            Msg::Check { .. } => "check-result",
            Msg::Undone { .. } => "undone",
        }
    }
    fn label(&self) -> String {
        match self {
            Msg::Half { n, job } => format!("half m{n}: {}", job.name()),
            Msg::Stored { n } => format!("stored m{n}"),
            Msg::Confirm { n, commit: true } => format!("commit m{n}"),
            Msg::Confirm { n, commit: false } => format!("roll back m{n}"),
            Msg::CheckBack { n } => format!("m{n}: committed?"),
            Msg::Publish { n, job } => format!("m{n}: {}", job.name()),
            Msg::Deliver { key, body } => format!("{key}: {}", body.describe()),
            Msg::Ack { key, ok: None } => format!("ack {key}"),
            Msg::Ack { key, ok: Some(ok) } => {
                format!("ack {key}: {}", if *ok { "ok" } else { "failed" })
            }
            Msg::Check { key, .. } => format!("{key}: what did you do?"),
            Msg::Undone { key, undid: true } => format!("{key} rolled back"),
            Msg::Undone { key, undid: false } => format!("{key} never done"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timer {
    /// The order system has waited long enough for the queue to store its message.
    Store,
    /// The queue's round of deliveries and check-backs.
    Retry,
}

static ROLES: [(&str, &str, &str); 7] = [
    ("order", "order system", "订单系统"),
    (
        "order-done",
        "order system: order completed",
        "订单系统：订单已完成",
    ),
    (
        "order-cancelled",
        "order system: no order",
        "订单系统：订单已取消",
    ),
    ("queue", "message queue", "消息队列"),
    (
        "service",
        "payment system / warehouse",
        "支付系统 / 仓库系统",
    ),
    ("service-done", "has done its part", "已完成本系统的操作"),
    (
        "service-undone",
        "undone (refunded, or failed)",
        "已撤销（已退款或失败）",
    ),
];

impl Mq {
    /// The order system's next step: a message to send and the local transaction that goes
    /// with it.
    fn produce(&self, o: &mut Order, job: Job, then: OrderStatus, out: &mut Out<Self>) {
        o.next += 1;
        let n = o.next;
        if self.local_table {
            self.commit_local(o, n, then, out);
            o.outbox.insert(n, job);
            out.note(Note::WritesTable { n, job });
            out.send(QUEUE, Msg::Publish { n, job });
        } else {
            o.waiting = Some((n, job, then));
            out.note(Note::SendsHalf { n, job });
            out.send(QUEUE, Msg::Half { n, job });
        }
        out.set_timer(Timer::Store, self.store_timeout, self.store_timeout);
    }

    fn commit_local(&self, o: &mut Order, n: u32, then: OrderStatus, out: &mut Out<Self>) {
        o.log.insert(n, true);
        self.set_status(o, then, out);
    }

    fn set_status(&self, o: &mut Order, status: OrderStatus, out: &mut Out<Self>) {
        o.status = status;
        match status {
            OrderStatus::Completed => out.observe(TxEvent::Decided(Decision::Commit)),
            OrderStatus::Cancelled | OrderStatus::Abandoned => {
                out.observe(TxEvent::Decided(Decision::Abort))
            }
            _ => {}
        }
    }

    fn order_msg(&self, o: &mut Order, msg: Msg, out: &mut Out<Self>) {
        match msg {
            Msg::Stored { n } => {
                if o.outbox.remove(&n).is_some() {
                    out.note(Note::TableRowStored { n });
                    if o.outbox.is_empty() {
                        out.cancel_timer(Timer::Store);
                    }
                } else if let Some((w, _, then)) = o.waiting.filter(|w| w.0 == n) {
                    o.waiting = None;
                    out.cancel_timer(Timer::Store);
                    self.commit_local(o, w, then, out);
                    out.note(Note::RunsLocal { n, then });
                    out.send(QUEUE, Msg::Confirm { n, commit: true });
                }
            }
            Msg::CheckBack { n } => match (o.log.get(&n).copied(), o.waiting) {
                (Some(commit), _) => {
                    out.note(Note::LooksInLog {
                        n,
                        committed: commit,
                    });
                    out.send(QUEUE, Msg::Confirm { n, commit });
                }
                // The queue has the message, so it was stored: go on as if told so.
                (None, Some((w, _, _))) if w == n => self.order_msg(o, Msg::Stored { n }, out),
                (None, _) => out.note(Note::KnowsNo { n }),
            },
            Msg::Deliver { key, body } => {
                out.send(QUEUE, Msg::Ack { key, ok: None });
                let Body::Result { job, ok } = body else {
                    return;
                };
                if o.seen.insert(key.n, ok).is_some() {
                    out.note(Note::AlreadyHas { key });
                    return;
                }
                match (job, ok, o.status) {
                    (Job::Pay, true, OrderStatus::Created) => {
                        out.note(Note::Paid);
                        self.produce(o, Job::Ship, OrderStatus::Paid, out);
                    }
                    (Job::Pay, false, OrderStatus::Created) => {
                        out.note(Note::PaymentFailed);
                        self.set_status(o, OrderStatus::Cancelled, out);
                    }
                    (Job::Ship, true, OrderStatus::Paid) => {
                        out.note(Note::Shipped);
                        self.set_status(o, OrderStatus::Completed, out);
                    }
                    (Job::Ship, false, OrderStatus::Paid) => {
                        out.note(Note::Compensates);
                        self.produce(o, Job::Refund, OrderStatus::Cancelled, out);
                    }
                    _ => out.note(Note::ChangesNothing { key }),
                }
            }
            _ => {}
        }
    }

    fn queue_msg(
        &self,
        q: &mut BTreeMap<Key, QueueEntry>,
        src: NodeId,
        msg: Msg,
        out: &mut Out<Self>,
    ) {
        match msg {
            Msg::Half { n, job } | Msg::Publish { n, job } => {
                let key = Key { n, reply: false };
                let status = if matches!(msg, Msg::Half { .. }) {
                    Status::PendingConfirmation
                } else {
                    Status::ReadyToSend
                };
                if let std::collections::btree_map::Entry::Vacant(slot) = q.entry(key) {
                    slot.insert(QueueEntry {
                        to: job.consumer(),
                        body: Body::Do(job),
                        status,
                        attempts: 0,
                    });
                    if status == Status::PendingConfirmation {
                        out.note(Note::StoresPending { n });
                        out.set_timer(Timer::Retry, self.retry, self.retry);
                    } else {
                        out.note(Note::StoresReady { n });
                        self.deliver(q, key, out);
                    }
                }
                out.send(src, Msg::Stored { n });
            }
            Msg::Confirm { n, commit } => {
                let key = Key { n, reply: false };
                if let Some(e) = q.get_mut(&key) {
                    if e.status == Status::PendingConfirmation {
                        if commit {
                            e.status = Status::ReadyToSend;
                            out.note(Note::Confirmed { n });
                            self.deliver(q, key, out);
                        } else {
                            e.status = Status::Deleted;
                            out.note(Note::RolledBack { n });
                        }
                    }
                }
            }
            Msg::Undone { key, .. } => {
                let Some(e) = q.get_mut(&key) else { return };
                if e.status != Status::Checking {
                    return;
                }
                e.status = Status::Deleted;
                out.note(Note::DeletesAfterCheck { key });
                if let Body::Do(job) = e.body {
                    self.forward_result(q, key, job, false, out);
                }
            }
            Msg::Ack { key, ok } => {
                let Some(e) = q.get_mut(&key) else { return };
                if e.status != Status::ReadyToSend {
                    return;
                }
                e.status = Status::Consumed;
                if let (Some(ok), Body::Do(job)) = (ok, e.body) {
                    self.forward_result(q, key, job, ok, out);
                }
            }
            _ => {}
        }
    }

    /// Carry a consumer's result for message `key` back to the order system, as a message of
    /// its own that the queue delivers until acknowledged.
    fn forward_result(
        &self,
        q: &mut BTreeMap<Key, QueueEntry>,
        key: Key,
        job: Job,
        ok: bool,
        out: &mut Out<Self>,
    ) {
        let reply = Key {
            n: key.n,
            reply: true,
        };
        q.insert(
            reply,
            QueueEntry {
                to: ORDER,
                body: Body::Result { job, ok },
                status: Status::ReadyToSend,
                attempts: 0,
            },
        );
        self.deliver(q, reply, out);
    }

    fn deliver(&self, q: &mut BTreeMap<Key, QueueEntry>, key: Key, out: &mut Out<Self>) {
        if let Some(e) = q.get_mut(&key) {
            e.attempts += 1;
            out.send(e.to, Msg::Deliver { key, body: e.body });
            out.set_timer(Timer::Retry, self.retry, self.retry);
        }
    }

    /// The text's check: undo what `key` did, or make sure it never will be done.
    fn service_check(&self, s: &mut Service, key: Key, job: Job, out: &mut Out<Self>) {
        let undid = s.processed.insert(key.n, false) == Some(true);
        if undid {
            match job {
                Job::Pay => {
                    s.amount += self.price;
                    s.paid = false;
                }
                Job::Ship => {
                    s.amount += 1;
                    s.shipped = false;
                }
                Job::Refund => {}
            }
            out.note(Note::RollsBackLocal {
                key,
                amount: s.amount,
            });
        } else {
            out.note(Note::NeverDid { key });
        }
        out.send(QUEUE, Msg::Undone { key, undid });
    }

    fn service_msg(&self, s: &mut Service, key: Key, body: Body, out: &mut Out<Self>) {
        let Body::Do(job) = body else { return };
        if let Some(ok) = s.processed.get(&key.n) {
            out.note(Note::AlreadyProcessed { key });
            out.send(QUEUE, Msg::Ack { key, ok: Some(*ok) });
            return;
        }
        let ok = match job {
            Job::Pay if s.refunded => {
                out.note(Note::RefundedAlready);
                false
            }
            Job::Pay if s.amount >= self.price => {
                s.amount -= self.price;
                s.paid = true;
                out.note(Note::Charges {
                    price: self.price,
                    balance: s.amount,
                });
                true
            }
            Job::Pay => {
                out.note(Note::ShortOf {
                    balance: s.amount,
                    price: self.price,
                });
                false
            }
            Job::Ship if s.amount >= 1 => {
                s.amount -= 1;
                s.shipped = true;
                out.note(Note::Ships { stock: s.amount });
                true
            }
            Job::Ship => {
                out.note(Note::OutOfStock);
                false
            }
            Job::Refund => {
                if s.paid {
                    s.amount += self.price;
                    s.paid = false;
                    out.note(Note::Refunds {
                        price: self.price,
                        balance: s.amount,
                    });
                }
                s.refunded = true;
                true
            }
        };
        s.processed.insert(key.n, ok);
        let ok = (job != Job::Refund).then_some(ok);
        out.send(QUEUE, Msg::Ack { key, ok });
    }

    fn outstanding(q: &BTreeMap<Key, QueueEntry>) -> bool {
        q.values().any(|e| {
            matches!(
                e.status,
                Status::PendingConfirmation | Status::ReadyToSend | Status::Checking
            )
        })
    }

    fn initial(&self, id: NodeId) -> u64 {
        if id == PAYMENT {
            self.balance
        } else {
            self.stock
        }
    }

    fn name(id: NodeId) -> &'static str {
        match id.index() {
            0 => "order system",
            1 => "message queue",
            2 => "payment",
            _ => "warehouse",
        }
    }
}

impl Protocol for Mq {
    type State = State;
    type Msg = Msg;
    type Timer = Timer;
    type Command = TxCommand;
    type Observation = TxEvent;

    fn init(&self, id: NodeId, _out: &mut Out<Self>) -> State {
        match id {
            ORDER => State::Order(Order {
                status: OrderStatus::None,
                waiting: None,
                log: BTreeMap::new(),
                outbox: BTreeMap::new(),
                seen: BTreeMap::new(),
                next: 0,
            }),
            QUEUE => State::Queue(BTreeMap::new()),
            _ => State::Service(Service {
                amount: self.initial(id),
                processed: BTreeMap::new(),
                paid: false,
                refunded: false,
                shipped: false,
            }),
        }
    }

    fn on_msg(&self, _id: NodeId, state: &mut State, src: NodeId, msg: Msg, out: &mut Out<Self>) {
        match (state, msg) {
            (State::Order(o), msg) => self.order_msg(o, msg, out),
            (State::Queue(q), msg) => self.queue_msg(q, src, msg, out),
            (State::Service(s), Msg::Deliver { key, body }) => self.service_msg(s, key, body, out),
            (State::Service(s), Msg::Check { key, job }) => self.service_check(s, key, job, out),
            (_, msg) => out.note(Note::Ignores { msg }),
        }
    }

    fn on_timer(&self, _id: NodeId, state: &mut State, timer: Timer, out: &mut Out<Self>) {
        match (state, timer) {
            (State::Order(o), Timer::Store) => {
                if let Some((n, job, _)) = o.waiting {
                    if n == 1 {
                        o.waiting = None;
                        o.log.insert(n, false);
                        out.note(Note::GivesUp);
                        self.set_status(o, OrderStatus::Abandoned, out);
                    } else {
                        out.note(Note::NotStoredYet { n });
                        out.send(QUEUE, Msg::Half { n, job });
                        out.set_timer(Timer::Store, self.store_timeout, self.store_timeout);
                    }
                } else if !o.outbox.is_empty() {
                    out.note(Note::RelaysAgain);
                    for (n, job) in o.outbox.clone() {
                        out.send(QUEUE, Msg::Publish { n, job });
                    }
                    out.set_timer(Timer::Store, self.store_timeout, self.store_timeout);
                }
            }
            (State::Queue(q), Timer::Retry) => {
                let keys: Vec<(Key, Status)> = q.iter().map(|(k, e)| (*k, e.status)).collect();
                for (key, status) in keys {
                    match status {
                        Status::PendingConfirmation => {
                            if let Some(e) = q.get_mut(&key) {
                                e.attempts += 1;
                            }
                            out.note(Note::ChecksBack { key });
                            out.send(ORDER, Msg::CheckBack { n: key.n });
                        }
                        Status::ReadyToSend | Status::Checking
                            if self.roll_back_lost_ack && !key.reply =>
                        {
                            let Some(e) = q.get_mut(&key) else { continue };
                            let Body::Do(job) = e.body else { continue };
                            e.status = Status::Checking;
                            e.attempts += 1;
                            out.note(Note::AsksConsumer { key });
                            out.send(e.to, Msg::Check { key, job });
                        }
                        Status::ReadyToSend => {
                            out.note(Note::DeliversAgain { key });
                            self.deliver(q, key, out);
                        }
                        _ => {}
                    }
                }
                if Self::outstanding(q) {
                    out.set_timer(Timer::Retry, self.retry, self.retry);
                }
            }
            _ => {}
        }
    }

    fn on_command(&self, _id: NodeId, state: &mut State, _cmd: TxCommand, out: &mut Out<Self>) {
        match state {
            State::Order(o) if o.status == OrderStatus::None && o.next == 0 => {
                out.observe(TxEvent::Began);
                out.note(Note::Orders { price: self.price });
                self.produce(o, Job::Pay, OrderStatus::Created, out);
            }
            State::Order(_) => out.note(Note::AlreadyPlaced),
            _ => out.note(Note::OrderHere),
        }
    }

    /// Every system keeps its data, its log and the queue its messages on disk; only timers
    /// are lost, and come back with the node.
    fn on_crash(&self, _id: NodeId, state: &State) -> State {
        state.clone()
    }

    fn on_recover(&self, _id: NodeId, state: &mut State, out: &mut Out<Self>) {
        match state {
            State::Order(o) if o.waiting.is_some() || !o.outbox.is_empty() => {
                out.set_timer(Timer::Store, self.store_timeout, self.store_timeout)
            }
            State::Queue(q) if Self::outstanding(q) => {
                out.set_timer(Timer::Retry, self.retry, self.retry)
            }
            _ => {}
        }
    }

    /// Exactly once: user A is never charged twice and the warehouse never ships twice,
    /// whatever the retries and duplicates.
    fn check(&self, nodes: &[NodeSlot<State>]) -> Vec<Violation> {
        let mut found = Vec::new();
        for n in nodes {
            if let State::Service(s) = &n.state {
                let (lowest, what) = if n.id == PAYMENT {
                    (self.balance.saturating_sub(self.price), "charged")
                } else {
                    (self.stock.saturating_sub(1), "shipped")
                };
                if s.amount < lowest {
                    found.push(Violation {
                        invariant: "exactly-once",
                        text: format!("{} {what} twice", Self::name(n.id)),
                        nodes: vec![n.id],
                    });
                }
            }
        }
        found
    }
}

impl Present for Mq {
    fn view(&self, id: NodeId, state: &State) -> NodeView {
        match state {
            State::Order(o) => NodeView {
                role: match o.status {
                    OrderStatus::Completed => "order-done",
                    OrderStatus::Cancelled | OrderStatus::Abandoned => "order-cancelled",
                    _ => "order",
                },
                label: format!("order {}", o.status.key()),
                badges: Vec::new(),
                fields: vec![
                    ("system", Self::name(id).into()),
                    ("order", o.status.key().into()),
                    (
                        "local transactions",
                        o.log
                            .iter()
                            .map(|(n, c)| {
                                format!("m{n} {}", if *c { "committed" } else { "rolled back" })
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    (
                        "local message table",
                        o.outbox
                            .iter()
                            .map(|(n, j)| format!("m{n} {}", j.name()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
            },
            State::Queue(q) => NodeView {
                role: "queue",
                label: format!(
                    "{} waiting",
                    q.values()
                        .filter(|e| matches!(
                            e.status,
                            Status::PendingConfirmation | Status::ReadyToSend
                        ))
                        .count()
                ),
                badges: Vec::new(),
                fields: q
                    .iter()
                    .map(|(k, e)| {
                        (
                            "message",
                            format!("{k} {} → {}: {}", e.body.describe(), e.to, e.status.key()),
                        )
                    })
                    .collect(),
            },
            State::Service(s) => {
                let done = if id == PAYMENT { s.paid } else { s.shipped };
                let undone = s.refunded || s.processed.values().any(|ok| !ok);
                NodeView {
                    role: if undone {
                        "service-undone"
                    } else if done {
                        "service-done"
                    } else {
                        "service"
                    },
                    label: if id == PAYMENT {
                        format!("payment · balance {}", s.amount)
                    } else {
                        format!("warehouse · stock {}", s.amount)
                    },
                    badges: Vec::new(),
                    fields: vec![
                        ("system", Self::name(id).into()),
                        (
                            if id == PAYMENT { "balance" } else { "stock" },
                            s.amount.to_string(),
                        ),
                        (
                            "processed",
                            s.processed
                                .iter()
                                .map(|(n, ok)| {
                                    format!("m{n} {}", if *ok { "ok" } else { "failed" })
                                })
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ],
                }
            }
        }
    }

    fn roles(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &ROLES
    }

    fn layout(&self, _nodes: usize) -> Layout {
        Layout::Star { center: QUEUE }
    }

    fn commands(&self, _id: NodeId, state: &State) -> Vec<TxCommand> {
        match state {
            State::Order(o) if o.next == 0 => vec![TxCommand::Begin],
            _ => Vec::new(),
        }
    }

    /// See [`MqOutcome`]; `{}` if the shop lacks its order system or its queue.
    fn outcome(&self, run: &RunView<'_, Self>) -> serde_json::Value {
        MqOutcome::of(self, run).map_or_else(
            || serde_json::Value::Object(serde_json::Map::new()),
            |o| serde_json::to_value(o).unwrap_or_default(),
        )
    }
}
