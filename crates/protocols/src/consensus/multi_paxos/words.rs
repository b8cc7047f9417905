//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a node says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    StepsDown,
    Prepares { ballot: Ballot },
    Leads { ballot: Ballot, slots: u64 },
    Chosen { slot: u64, value: String },
    TakesOver,
    Queues { value: String },
    NotLeader { leader: NodeId, value: String },
    NoLeaderKnown { value: String },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::StepsDown => say!(
                lang,
                out,
                "a higher ballot exists: steps down",
                "存在更高的编号：退位"
            ),
            Note::Prepares { ballot } => say!(
                lang,
                out,
                "prepares ballot {ballot} for every slot",
                "为每个槽位准备编号 {ballot}"
            ),
            Note::Leads { ballot, slots } => say!(
                lang,
                out,
                "a majority promised {ballot}: leads, re-proposing {slots} slot(s)",
                "多数承诺了 {ballot}：成为领导者，重新提议 {slots} 个槽位"
            ),
            Note::Chosen { slot, value } => say!(
                lang,
                out,
                "a majority accepted #{slot}: {value} is chosen",
                "多数已接受 #{slot}：{value} 被选定"
            ),
            Note::TakesOver => say!(
                lang,
                out,
                "heard no leader: takes over",
                "没有收到领导者的消息：接管"
            ),
            Note::Queues { value } => say!(
                lang,
                out,
                "queues {value} until phase 1 is done",
                "暂存 {value}，等阶段一完成"
            ),
            Note::NotLeader { leader, value } => say!(
                lang,
                out,
                "not the leader ({leader}): drops {value}",
                "不是领导者（领导者为 {leader}）：丢弃 {value}"
            ),
            Note::NoLeaderKnown { value } => say!(
                lang,
                out,
                "not the leader (none known): drops {value}",
                "不是领导者（不知道领导者）：丢弃 {value}"
            ),
        }
    }
}
