//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a program on the ring says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    StaleCopy {
        hop: u64,
        from: NodeId,
        seen: u64,
    },
    StaleToken {
        hop: u64,
        from: NodeId,
        seen: u64,
        epoch: u64,
        now: u64,
    },
    HoldsToken,
    AlreadyAsked,
    WaitsForToken,
    AloneKeepsToken,
    Skips {
        node: NodeId,
    },
    StopsSkipping {
        node: NodeId,
    },
    StartsRound {
        epoch: u64,
    },
    Fences {
        origin: NodeId,
        epoch: u64,
    },
    RoundEnds {
        origin: NodeId,
    },
    RoundLoses {
        origin: NodeId,
    },
    RoundStops,
    Regenerated {
        epoch: u64,
    },
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
            Note::AloneKeepsToken => say!(
                lang,
                out,
                "every other program is skipped: keeps the token",
                "其他程序都被跳过：自己留着令牌"
            ),
            Note::Skips { node } => say!(
                lang,
                out,
                "program {node} did not acknowledge: takes it for crashed and skips it",
                "程序 {node} 没有确认收到：认为它已故障，跳过它"
            ),
            Note::StopsSkipping { node } => say!(
                lang,
                out,
                "program {node} is back: passes to it again",
                "程序 {node} 恢复了：重新把令牌传给它"
            ),
            Note::StaleToken { hop, from, seen, epoch, now } => say!(
                lang,
                out,
                "drops a stale token (epoch {epoch}, hop {hop}) from {from}: it is in epoch {now}, hop {seen}",
                "丢弃来自 {from} 的过期令牌（第 {epoch} 代，跳数 {hop}）：自己已在第 {now} 代，跳数 {seen}"
            ),
            Note::StartsRound { epoch } => say!(
                lang,
                out,
                "has not seen the token for a while: starts a regeneration round for epoch {epoch}",
                "很久没见到令牌：发起重建，提议第 {epoch} 代令牌"
            ),
            Note::Fences { origin, epoch } => say!(
                lang,
                out,
                "passes on {origin}'s round and moves to epoch {epoch}: an older token is stale here now",
                "转发 {origin} 发起的重建并进入第 {epoch} 代：更早的令牌在这里已经过期"
            ),
            Note::RoundEnds { origin } => say!(
                lang,
                out,
                "ends {origin}'s round: the token is alive here, and moves to the round's epoch",
                "终止 {origin} 发起的重建：令牌就在这里，并把它改为该轮提议的那一代"
            ),
            Note::RoundLoses { origin } => say!(
                lang,
                out,
                "ends {origin}'s round: a later round goes on",
                "终止 {origin} 发起的重建：更新的一轮在继续"
            ),
            Note::RoundStops => say!(
                lang,
                out,
                "nobody left to pass the round to",
                "没有可以转发重建消息的程序了"
            ),
            Note::Regenerated { epoch } => say!(
                lang,
                out,
                "its round came back: every live program fenced the old token, so it makes a new one (epoch {epoch})",
                "重建消息转了一圈回来：所有存活的程序都已隔离旧令牌，于是生成新令牌（第 {epoch} 代）"
            ),
        }
    }
}
