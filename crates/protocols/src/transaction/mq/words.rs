//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// A message as a note names it: its label, or in Chinese "半消息 m1：支付".
fn named(msg: &Msg, lang: Lang) -> String {
    let result = |ok: bool| if ok { "成功" } else { "失败" };
    match (lang, msg) {
        (Lang::En, _) => msg.label(),
        (Lang::Zh, Msg::Half { n, job }) => format!("半消息 m{n}：{}", job.word(lang)),
        (Lang::Zh, Msg::Stored { n }) => format!("已存下 m{n}"),
        (Lang::Zh, Msg::Confirm { n, commit: true }) => format!("提交 m{n}"),
        (Lang::Zh, Msg::Confirm { n, commit: false }) => format!("回滚 m{n}"),
        (Lang::Zh, Msg::CheckBack { n }) => format!("m{n}：已提交？"),
        (Lang::Zh, Msg::Publish { n, job }) => format!("m{n}：{}", job.word(lang)),
        (Lang::Zh, Msg::Deliver { key, body }) => match body {
            Body::Do(job) => format!("{key}：{}", job.word(lang)),
            Body::Result { job, ok } => format!("{key}：{}{}", job.word(lang), result(*ok)),
        },
        (Lang::Zh, Msg::Ack { key, ok: None }) => format!("确认 {key}"),
        (Lang::Zh, Msg::Ack { key, ok: Some(ok) }) => format!("确认 {key}：{}", result(*ok)),
        (Lang::Zh, Msg::Check { key, .. }) => format!("{key}：结果如何？"),
        (Lang::Zh, Msg::Undone { key, undid: true }) => format!("{key} 已回滚"),
        (Lang::Zh, Msg::Undone { key, undid: false }) => format!("{key} 未执行"),
    }
}

/// What the order system, the queue and the consumers say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Orders { price: u64 },
    AlreadyPlaced,
    OrderHere,
    WritesTable { n: u32, job: Job },
    SendsHalf { n: u32, job: Job },
    TableRowStored { n: u32 },
    RunsLocal { n: u32, then: OrderStatus },
    LooksInLog { n: u32, committed: bool },
    KnowsNo { n: u32 },
    AlreadyHas { key: Key },
    Paid,
    PaymentFailed,
    Shipped,
    Compensates,
    ChangesNothing { key: Key },
    GivesUp,
    NotStoredYet { n: u32 },
    RelaysAgain,
    StoresPending { n: u32 },
    StoresReady { n: u32 },
    Confirmed { n: u32 },
    RolledBack { n: u32 },
    ChecksBack { key: Key },
    DeliversAgain { key: Key },
    AsksConsumer { key: Key },
    DeletesAfterCheck { key: Key },
    RollsBackLocal { key: Key, amount: u64 },
    NeverDid { key: Key },
    AlreadyProcessed { key: Key },
    RefundedAlready,
    Charges { price: u64, balance: u64 },
    ShortOf { balance: u64, price: u64 },
    Ships { stock: u64 },
    OutOfStock,
    Refunds { price: u64, balance: u64 },
    Ignores { msg: Msg },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Orders { price } => {
                say!(
                    lang,
                    out,
                    "user A orders for {price}",
                    "用户 A 下单 {price}"
                )
            }
            Note::AlreadyPlaced => say!(
                lang,
                out,
                "the order has already been placed",
                "订单已经下过了"
            ),
            Note::OrderHere => say!(
                lang,
                out,
                "orders are placed at the order system",
                "只能在订单系统下单"
            ),
            Note::WritesTable { n, job } => {
                let job = job.word(lang);
                say!(
                    lang,
                    out,
                    "writes the order and m{n} ({job}) to its local message table in one transaction",
                    "在一个事务里写入订单和 m{n}（{job}）到本地消息表"
                )
            }
            Note::SendsHalf { n, job } => {
                let job = job.word(lang);
                say!(
                    lang,
                    out,
                    "sends half message m{n} ({job})",
                    "发送半消息 m{n}（{job}）"
                )
            }
            Note::TableRowStored { n } => say!(
                lang,
                out,
                "the queue has m{n}: deletes it from the local table",
                "队列已有 m{n}：从本地表中删除"
            ),
            Note::RunsLocal { n, then } => {
                let then = then.word(lang);
                say!(
                    lang,
                    out,
                    "m{n} is stored: runs its local transaction (order {then}) and confirms",
                    "m{n} 已存下：执行本地事务（订单{then}）并确认"
                )
            }
            Note::LooksInLog { n, committed: true } => say!(
                lang,
                out,
                "looks in its log: m{n} was committed",
                "查看日志：m{n} 已提交"
            ),
            Note::LooksInLog {
                n,
                committed: false,
            } => say!(
                lang,
                out,
                "looks in its log: m{n} was rolled back",
                "查看日志：m{n} 已回滚"
            ),
            Note::KnowsNo { n } => say!(lang, out, "knows no m{n}", "没有 m{n} 的记录"),
            Note::AlreadyHas { key } => say!(
                lang,
                out,
                "already has {key}: acknowledges again",
                "已有 {key}：再次确认"
            ),
            Note::Paid => say!(
                lang,
                out,
                "paid: asks the warehouse to ship",
                "已支付：通知仓库发货"
            ),
            Note::PaymentFailed => say!(
                lang,
                out,
                "the payment failed: cancels the order",
                "支付失败：取消订单"
            ),
            Note::Shipped => say!(
                lang,
                out,
                "shipped: the order is complete",
                "已发货：订单完成"
            ),
            Note::Compensates => say!(
                lang,
                out,
                "the warehouse cannot ship: compensates with a refund",
                "仓库无法发货：以退款补偿"
            ),
            Note::ChangesNothing { key } => say!(
                lang,
                out,
                "{key} changes nothing now",
                "{key} 现在不改变任何状态"
            ),
            Note::GivesUp => say!(
                lang,
                out,
                "the queue never stored m1: gives up the order, nothing to undo",
                "队列从未存下 m1：放弃订单，无需撤销"
            ),
            Note::NotStoredYet { n } => say!(
                lang,
                out,
                "m{n} not stored yet: sends it again",
                "m{n} 还没有存下：再次发送"
            ),
            Note::RelaysAgain => say!(
                lang,
                out,
                "the relay forwards its local message table again",
                "中继再次转发本地消息表"
            ),
            Note::StoresPending { n } => say!(
                lang,
                out,
                "stores m{n}: pending confirmation",
                "存下 m{n}：待确认"
            ),
            Note::StoresReady { n } => {
                say!(lang, out, "stores m{n}: ready to send", "存下 m{n}：待发送")
            }
            Note::Confirmed { n } => say!(
                lang,
                out,
                "m{n} confirmed: ready to send",
                "m{n} 已确认：待发送"
            ),
            Note::RolledBack { n } => say!(
                lang,
                out,
                "m{n} rolled back: deletes it",
                "m{n} 已回滚：删除该消息"
            ),
            Note::ChecksBack { key } => say!(
                lang,
                out,
                "{key} is still unconfirmed: checks back",
                "{key} 仍未确认：回查"
            ),
            Note::DeliversAgain { key } => say!(
                lang,
                out,
                "{key} not acknowledged: delivers it again",
                "{key} 未被确认：再次投递"
            ),
            Note::AsksConsumer { key } => say!(
                lang,
                out,
                "{key} not acknowledged: asks the consumer what it did, to roll it back (the text's way)",
                "{key} 未被确认：向消费者确认操作结果，准备回滚（原文的做法）"
            ),
            Note::DeletesAfterCheck { key } => say!(
                lang,
                out,
                "deletes {key} and tells the order system the step failed",
                "删除 {key}，并告知订单系统这一步失败"
            ),
            Note::RollsBackLocal { key, amount } => say!(
                lang,
                out,
                "rolls {key} back: undoes its local transaction (now {amount})",
                "回滚 {key}：撤销本地事务（现在是 {amount}）"
            ),
            Note::NeverDid { key } => say!(
                lang,
                out,
                "never did {key}, and now never will",
                "从未执行 {key}，以后也不再执行"
            ),
            Note::AlreadyProcessed { key } => say!(
                lang,
                out,
                "has already processed {key}: answers again, does nothing twice",
                "已处理过 {key}：再次应答，不重复执行"
            ),
            Note::RefundedAlready => say!(
                lang,
                out,
                "this order was refunded already: refuses to charge it",
                "这笔订单已经退款：拒绝扣款"
            ),
            Note::Charges { price, balance } => say!(
                lang,
                out,
                "charges {price}: balance {balance}",
                "扣款 {price}：余额 {balance}"
            ),
            Note::ShortOf { balance, price } => say!(
                lang,
                out,
                "balance {balance} is short of {price}",
                "余额 {balance} 不足 {price}"
            ),
            Note::Ships { stock } => {
                say!(
                    lang,
                    out,
                    "ships one: stock {stock}",
                    "发货一件：库存 {stock}"
                )
            }
            Note::OutOfStock => say!(lang, out, "out of stock: cannot ship", "缺货：无法发货"),
            Note::Refunds { price, balance } => say!(
                lang,
                out,
                "refunds {price}: balance {balance}",
                "退款 {price}：余额 {balance}"
            ),
            Note::Ignores { msg } => {
                let msg = named(msg, lang);
                say!(lang, out, "ignores {msg}", "忽略 {msg}")
            }
        }
    }
}
