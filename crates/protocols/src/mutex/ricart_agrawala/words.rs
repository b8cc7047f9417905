//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;
use crate::list_in;

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
    Probes { silent: Vec<NodeId> },
    Skips { failed: Vec<NodeId> },
    StillHere { to: NodeId, ts: u64 },
    StaleStillHere { from: NodeId, ts: u64 },
    TakesBack { who: NodeId },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
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
            Note::Probes { silent } => {
                let silent = list_in(lang, silent);
                say!(
                    lang,
                    out,
                    "still no agreement from {silent}: asks \"alive?\"",
                    "仍未收到 {silent} 的同意：询问“还活着吗？”"
                )
            }
            Note::Skips { failed } => {
                let failed = list_in(lang, failed);
                say!(
                    lang,
                    out,
                    "no answer to \"alive?\" from {failed}: skipped as failed, no longer waited for",
                    "{failed} 没有回应存活询问：判定为故障，不再等待其同意"
                )
            }
            Note::StillHere { to, ts } => say!(
                lang,
                out,
                "{to} asks \"alive?\": still here, deferring its request (ts {ts})",
                "{to} 询问“还活着吗？”：还在，只是推迟答复它的请求（ts {ts}）"
            ),
            Note::StaleStillHere { from, ts } => say!(
                lang,
                out,
                "ignores a stale \"still here\" (ts {ts}) from {from}",
                "忽略来自 {from} 的过期“还在”（ts {ts}）"
            ),
            Note::TakesBack { who } => say!(
                lang,
                out,
                "{who} asks something, so it is up: waits for its agreement and sends it the request it may have missed",
                "{who} 发来了询问，说明它还在运行：继续等待它的同意，并把它可能错过的请求补发给它"
            ),
        }
    }
}
