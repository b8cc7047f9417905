//! The local message table in the catalogue: its names, its presets, and the message queue's
//! parameters, read as the message queue reads them.

use crate::algorithm::{Algorithm, Cluster, ParamError, Params};
use crate::transaction::mq::{self, Mq};
use crate::Text;

pub struct Entry;

impl Algorithm for Entry {
    type Protocol = Mq;
    const ID: &'static str = "mq-local-table";
    const FAMILY: &'static str = "transaction";
    const NAME: Text = Text::new("Local message table", "本地消息表");
    const HOW: Text = Text::new(
        "The order system writes each message into a local message table in the same local \
         transaction as the order, and a relay forwards the table to the queue, retrying until the \
         queue has stored it. The queue then delivers until acknowledged, consumers are idempotent, \
         and a later failure is undone by a refund.",
        "订单系统在创建订单的同一个本地事务里把消息写入本地消息表，再由转发程序把消息发到队列，\
         直到队列存下为止。队列随后投递直到被确认消费，消费者幂等，后面的步骤失败时靠退款补偿。",
    );
    const PRESETS: &'static [&'static str] = &[include_str!("presets/mq-local-table.json")];

    fn configure(params: &Params, cluster: Cluster) -> Result<Mq, ParamError> {
        let half_message = mq::Entry::configure(params, cluster)?;
        Ok(Mq {
            local_table: true,
            ..half_message
        })
    }
}
