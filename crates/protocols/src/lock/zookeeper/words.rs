//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the ZooKeeper service and its clients say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    SessionTimesOut { client: NodeId },
    NodeGone,
    Lowest { seq: u64 },
    Watches { seq: u64, pred: u64 },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::SessionTimesOut { client } => say!(
                lang,
                out,
                "the session of {client} times out: its ephemeral node is deleted",
                "{client} 的会话超时：其临时节点被删除"
            ),
            Note::NodeGone => say!(
                lang,
                out,
                "its node is gone (its session expired): creates a new one",
                "它的节点已不在（会话已过期）：重新创建一个"
            ),
            Note::Lowest { seq } => say!(
                lang,
                out,
                "child {seq} is the lowest: holds the lock",
                "子节点 {seq} 序号最小：持有锁"
            ),
            Note::Watches { seq, pred } => say!(
                lang,
                out,
                "child {seq} waits: watches {pred}",
                "子节点 {seq} 等待：监视 {pred}"
            ),
        }
    }
}
