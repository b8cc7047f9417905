//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What coordinators and local programs say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    OpensRing,
    StaleGlobal { hop: u64 },
    StaleLocal { hop: u64 },
    LocalBack,
    NotCoordinator { msg: Msg },
    HoldsLocal,
    WaitsForLocal,
    AlreadyAsked,
    CoordinatorsRoute,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::OpensRing => say!(
                lang,
                out,
                "holds the global token: sends the local token round its ring",
                "持有全局令牌：让局部令牌在本环内传一圈"
            ),
            Note::StaleGlobal { hop } => say!(
                lang,
                out,
                "drops a stale global token copy (hop {hop})",
                "丢弃过期的全局令牌副本（跳数 {hop}）"
            ),
            Note::StaleLocal { hop } => say!(
                lang,
                out,
                "drops a stale local token copy (hop {hop})",
                "丢弃过期的局部令牌副本（跳数 {hop}）"
            ),
            Note::LocalBack => say!(
                lang,
                out,
                "the local token is back: passes the global token on",
                "局部令牌回来了：把全局令牌传下去"
            ),
            Note::NotCoordinator { msg } => say!(
                lang,
                out,
                "ignores {msg:?}: not a coordinator",
                "忽略 {msg:?}：不是协调者"
            ),
            Note::HoldsLocal => say!(
                lang,
                out,
                "holds the local token: uses the machine",
                "持有局部令牌：使用咖啡机"
            ),
            Note::WaitsForLocal => {
                say!(lang, out, "waits for the local token", "等待局部令牌")
            }
            Note::AlreadyAsked => say!(
                lang,
                out,
                "already waiting for or using the machine",
                "已在等待或正在使用咖啡机"
            ),
            Note::CoordinatorsRoute => say!(
                lang,
                out,
                "coordinators only route the tokens",
                "协调者只负责传递令牌"
            ),
        }
    }
}
