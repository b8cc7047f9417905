//! The message queue with half messages in the catalogue: its names, its parameters (which
//! the local message table reads too), its presets.

use super::{Mq, NODES};
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::transaction::MAX_AMOUNT;
use crate::Text;
use serde::Deserialize;

pub struct Entry;

fn default_balance() -> u64 {
    150
}

fn default_price() -> u64 {
    50
}

fn default_stock() -> u64 {
    10
}

fn default_mq_timeout() -> f64 {
    50.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MqParams {
    /// User A's balance at the payment system.
    #[serde(default = "default_balance")]
    balance: u64,
    /// What the order costs.
    #[serde(default = "default_price")]
    price: u64,
    /// The warehouse's stock; the order takes one.
    #[serde(default = "default_stock")]
    stock: u64,
    #[serde(default = "default_mq_timeout")]
    store_timeout_ms: f64,
    #[serde(default = "default_mq_timeout")]
    retry_ms: f64,
    /// What the queue does when a consumer's acknowledgement does not come: `redeliver` (real
    /// queues, with idempotent consumers) or `roll-back` (the text's failure 2: ask the
    /// consumer, have it roll back, delete the message).
    #[serde(default = "default_lost_ack")]
    lost_ack: String,
}

fn default_lost_ack() -> String {
    "redeliver".into()
}

impl Algorithm for Entry {
    type Protocol = Mq;
    const ID: &'static str = "mq";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new(
        "Message queue: eventual consistency",
        "基于消息队列的最终一致性",
    );
    const HOW: Text = Text::new(
        "Each system commits its own local transaction; the queue carries the next step. The order \
         system first stores a half message (pending confirmation), then creates the order, then \
         confirms; the queue delivers only confirmed messages, checks back when a confirmation is \
         lost, and delivers again until acknowledged, so consumers must be idempotent. A later \
         failure is undone by compensation: a refund.",
        "每个系统只提交自己的本地事务，由消息队列传递下一步。订单系统先存入半消息（待确认），再创建订单，\
         然后确认；队列只投递已确认的消息，确认丢失时回查订单系统，未被确认消费就重新投递，所以消费者\
         必须幂等。后面的步骤失败时，靠补偿（退款）来撤销。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/mq-happy-path.json"),
        include_str!("presets/mq-half-message-lost.json"),
        include_str!("presets/mq-ack-lost.json"),
        include_str!("presets/mq-ack-lost-rolled-back.json"),
        include_str!("presets/mq-confirm-lost.json"),
        include_str!("presets/mq-compensation.json"),
        include_str!("presets/mq-insufficient-balance.json"),
    ];
    const LESSONS: &'static [&'static str] = &[include_str!("lessons/mq-order-flow.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Mq, ParamError> {
        let p: MqParams = read(params)?;
        if cluster.nodes != NODES {
            return Err(ParamError::new(
                "nodes",
                format!(
                    "is {}; the shop has exactly {} systems: order (1), message queue (2), payment (3), warehouse (4)",
                    cluster.nodes,
                    NODES
                ),
                format!(
                    "为 {}；这家网店恰好由 {} 个系统组成：订单（1）、消息队列（2）、支付（3）、仓库（4）",
                    cluster.nodes,
                    NODES
                ),
            ));
        }
        for (what, v) in [
            ("params.balance", p.balance),
            ("params.price", p.price),
            ("params.stock", p.stock),
        ] {
            if v > MAX_AMOUNT {
                return Err(ParamError::new(
                    what,
                    format!("is {v}; at most {MAX_AMOUNT}"),
                    format!("为 {v}；至多允许 {MAX_AMOUNT}"),
                ));
            }
        }
        Ok(Mq {
            local_table: false,
            balance: p.balance,
            price: p.price,
            stock: p.stock,
            store_timeout: span("params.store_timeout_ms", p.store_timeout_ms)?,
            retry: span("params.retry_ms", p.retry_ms)?,
            roll_back_lost_ack: match p.lost_ack.as_str() {
                "redeliver" => false,
                "roll-back" => true,
                other => {
                    return Err(ParamError::new(
                        "params.lost_ack",
                        format!(
                            "is \"{}\"; it is \"redeliver\" (deliver again) or \"roll-back\" (the text's way)",
                            other.chars().take(20).collect::<String>()
                        ),
                        format!(
                            "为“{}”；只能是“redeliver”（重新投递）或“roll-back”（原文的做法：回滚）",
                            other.chars().take(20).collect::<String>()
                        ),
                    ))
                }
            },
        })
    }
}
