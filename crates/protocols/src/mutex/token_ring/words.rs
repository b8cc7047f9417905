//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a program on the ring says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    StaleCopy { hop: u64, from: NodeId, seen: u64 },
    HoldsToken,
    AlreadyAsked,
    WaitsForToken,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::StaleCopy { hop, from, seen } => say!(
                lang,
                out,
                "drops a stale token copy (hop {hop}) from {from}: already saw hop {seen}",
                "丢弃来自 {from} 的过期令牌副本（跳数 {hop}）：已见过跳数 {seen}"
            ),
            Note::HoldsToken => say!(
                lang,
                out,
                "holds the token: uses the machine",
                "持有令牌：使用咖啡机"
            ),
            Note::AlreadyAsked => say!(
                lang,
                out,
                "already waiting for or using the machine",
                "已在等待或正在使用咖啡机"
            ),
            Note::WaitsForToken => say!(
                lang,
                out,
                "waits for the token to come round",
                "等令牌转过来"
            ),
        }
    }
}
