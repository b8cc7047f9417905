//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a node says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    StepsDown {
        term: u64,
    },
    Campaigns {
        term: u64,
    },
    Wins {
        votes: usize,
        of: usize,
        term: u64,
    },
    Commits {
        index: u64,
    },
    Applies {
        index: u64,
    },
    AnotherLeader {
        leader: NodeId,
        term: u64,
    },
    NoEntry {
        index: u64,
        term: u64,
    },
    DropsConflict {
        index: u64,
        term: u64,
    },
    BadWrite {
        write: String,
    },
    NotLeader {
        key: String,
        value: String,
        leader: NodeId,
    },
    NoLeader {
        key: String,
        value: String,
    },
    Appends {
        key: String,
        value: String,
        index: u64,
    },
    VotesFor {
        to: NodeId,
        term: u64,
    },
    RefusesOlderLog {
        to: NodeId,
    },
    AlreadyVoted {
        to: NodeId,
        voted: Option<NodeId>,
        term: u64,
    },
    AlreadyLeader,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::StepsDown { term } => say!(
                lang,
                out,
                "sees term {term}: steps down",
                "看到任期 {term}：退位"
            ),
            Note::Campaigns { term } => say!(
                lang,
                out,
                "times out: candidate in term {term}",
                "超时：成为任期 {term} 的候选者"
            ),
            Note::Wins { votes, of, term } => say!(
                lang,
                out,
                "has {votes} of {of} votes: leader of term {term}",
                "得到 {votes} / {of} 票：成为任期 {term} 的领导者"
            ),
            Note::Commits { index } => say!(
                lang,
                out,
                "a majority holds #{index}: committed",
                "多数已持有 #{index}：已提交"
            ),
            Note::Applies { index } => {
                say!(lang, out, "applies up to #{index}", "应用到 #{index}")
            }
            Note::AnotherLeader { leader, term } => say!(
                lang,
                out,
                "another leader, {leader}, in my term {term}",
                "在我的任期 {term} 里还有另一个领导者 {leader}"
            ),
            Note::NoEntry { index, term } => say!(
                lang,
                out,
                "has no entry #{index} of term {term}: refuses",
                "没有任期 {term} 的条目 #{index}：拒绝"
            ),
            Note::DropsConflict { index, term } => say!(
                lang,
                out,
                "drops #{index} onward (term {term}): they conflict with the leader",
                "删除从 #{index} 起的条目（任期 {term}）：它们与领导者冲突"
            ),
            Note::BadWrite { write } => say!(
                lang,
                out,
                "refuses the write {write:?}: expected key=value, at most 16 characters each",
                "拒绝写入 {write:?}：格式应为 key=value，键和值各不超过 16 个字符"
            ),
            Note::NotLeader { key, value, leader } => say!(
                lang,
                out,
                "not the leader: the client should send {key}={value} to {leader}",
                "不是领导者：客户端应把 {key}={value} 发给 {leader}"
            ),
            Note::NoLeader { key, value } => say!(
                lang,
                out,
                "knows no leader: the write {key}={value} fails",
                "不知道领导者：写入 {key}={value} 失败"
            ),
            Note::Appends { key, value, index } => say!(
                lang,
                out,
                "appends {key}={value} at #{index}",
                "在 #{index} 追加 {key}={value}"
            ),
            Note::VotesFor { to, term } => say!(
                lang,
                out,
                "votes for {to} in term {term}",
                "任期 {term} 投票给 {to}"
            ),
            Note::RefusesOlderLog { to } => say!(
                lang,
                out,
                "refuses {to}: my log is more up to date",
                "拒绝 {to}：我的日志更新"
            ),
            Note::AlreadyVoted { to, voted, term } => {
                let voted = voted.map_or("—".into(), |v| v.to_string());
                say!(
                    lang,
                    out,
                    "refuses {to}: already voted for {voted} in term {term}",
                    "拒绝 {to}：任期 {term} 已投票给 {voted}"
                )
            }
            Note::AlreadyLeader => say!(lang, out, "already the leader", "已经是领导者"),
        }
    }
}
