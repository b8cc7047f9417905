//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the coordinator and the programs say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Grants { to: NodeId },
    AlreadyQueued { seq: u64, from: NodeId },
    Queues { from: NodeId, place: usize },
    Granted,
    Stale { msg: Msg, from: NodeId },
    AlreadyAsked,
    CoordinatorOnlyGrants,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Grants { to } => {
                say!(lang, out, "grants the machine to {to}", "把咖啡机授予 {to}")
            }
            Note::AlreadyQueued { seq, from } => say!(
                lang,
                out,
                "already has request {seq} of {from}",
                "已有 {from} 的请求 {seq}"
            ),
            Note::Queues { from, place } => say!(
                lang,
                out,
                "{from} queues as number {place}",
                "{from} 排在第 {place} 位"
            ),
            Note::Granted => say!(lang, out, "granted: uses the machine", "获准：使用咖啡机"),
            Note::Stale { msg, from } => say!(
                lang,
                out,
                "ignores stale {msg:?} from {from}",
                "忽略来自 {from} 的过期消息 {msg:?}"
            ),
            Note::AlreadyAsked => say!(
                lang,
                out,
                "already waiting for or using the machine",
                "已在等待或正在使用咖啡机"
            ),
            Note::CoordinatorOnlyGrants => say!(
                lang,
                out,
                "the coordinator only hands out the machine",
                "协调者只负责分配咖啡机"
            ),
        }
    }
}
