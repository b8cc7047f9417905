//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a program says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Wants { ts: u64 },
    Agrees { to: NodeId, ts: u64 },
    Defers { to: NodeId, ts: u64, own: u64 },
    DefersWhileUsing { to: NodeId, ts: u64 },
    StaleAgreement { from: NodeId, ts: u64 },
    Enters { ts: u64 },
    SendsDeferred { to: NodeId },
    AlreadyAsked,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::Wants { ts } => say!(
                lang,
                out,
                "wants resource {RESOURCE} at timestamp {ts}",
                "在时间戳 {ts} 申请资源 {RESOURCE}"
            ),
            Note::Agrees { to, ts } => say!(
                lang,
                out,
                "agrees to {to} (ts {ts})",
                "同意 {to}（ts {ts}）"
            ),
            Note::Defers { to, ts, own } => say!(
                lang,
                out,
                "defers {to} (ts {ts}): own request ts {own} is earlier",
                "推迟答复 {to}（ts {ts}）：自己的请求 ts {own} 更早"
            ),
            Note::DefersWhileUsing { to, ts } => say!(
                lang,
                out,
                "defers {to} (ts {ts}): using the machine",
                "推迟答复 {to}（ts {ts}）：正在使用咖啡机"
            ),
            Note::StaleAgreement { from, ts } => say!(
                lang,
                out,
                "ignores a stale agreement (ts {ts}) from {from}",
                "忽略来自 {from} 的过期同意（ts {ts}）"
            ),
            Note::Enters { ts } => say!(
                lang,
                out,
                "has every agreement for timestamp {ts}: uses the machine",
                "时间戳 {ts} 的请求已获全部同意：使用咖啡机"
            ),
            Note::SendsDeferred { to } => say!(
                lang,
                out,
                "done: sends the deferred agreement to {to}",
                "用完：把推迟的同意发给 {to}"
            ),
            Note::AlreadyAsked => say!(
                lang,
                out,
                "already waiting for or using the machine",
                "已在等待或正在使用咖啡机"
            ),
        }
    }
}
