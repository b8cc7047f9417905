//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a proposer, an acceptor or a learner says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    NotProposer,
    AlreadyChosen { v: u64 },
    Prepares { n: u64 },
    RefusesPrepare { n: u64, promised: u64 },
    RefusesAccept { n: u64, v: u64, promised: u64 },
    MustPropose { n: u64, highest: Proposal, v: u64 },
    ProposesOwn { n: u64, v: u64 },
    Refused { n: u64, by: NodeId, promised: u64 },
    Chosen { p: Proposal, v: u64 },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::NotProposer => say!(lang, out, "not a proposer", "不是提议者"),
            Note::AlreadyChosen { v } => say!(
                lang,
                out,
                "already knows that {v} is chosen",
                "已经知道 {v} 被选定"
            ),
            Note::Prepares { n } => say!(
                lang,
                out,
                "prepares proposal number {n}",
                "准备提案编号 {n}"
            ),
            Note::RefusesPrepare { n, promised } => say!(
                lang,
                out,
                "refuses prepare {n}: promised {promised}",
                "拒绝 prepare {n}：已承诺 {promised}"
            ),
            Note::RefusesAccept { n, v, promised } => say!(
                lang,
                out,
                "refuses accept [{n}, {v}]: promised {promised}",
                "拒绝 accept [{n}, {v}]：已承诺 {promised}"
            ),
            Note::MustPropose { n, highest, v } => say!(
                lang,
                out,
                "a majority promised {n}; the highest accepted proposal is {highest}: \
                 must propose {v}",
                "多数承诺了 {n}；已接受的最高提案是 {highest}：必须提议 {v}"
            ),
            Note::ProposesOwn { n, v } => say!(
                lang,
                out,
                "a majority promised {n}, none has accepted anything: proposes its own {v}",
                "多数承诺了 {n}，且都没有接受过任何值：提议自己的 {v}"
            ),
            Note::Refused { n, by, promised } => say!(
                lang,
                out,
                "round {n} refused: {by} promised {promised}; backs off",
                "第 {n} 轮被拒：{by} 已承诺 {promised}；退避"
            ),
            Note::Chosen { p, v } => say!(
                lang,
                out,
                "a majority accepted {p}: {v} is chosen",
                "多数已接受 {p}：{v} 被选定"
            ),
        }
    }
}
