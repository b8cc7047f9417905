//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a node says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Adopts {
        from: NodeId,
        leader: NodeId,
        data: u64,
        over: u64,
    },
    QuorumForMe {
        round: u64,
    },
    Follows {
        leader: NodeId,
    },
    JoinsLeader {
        leader: NodeId,
    },
    ProposesEpoch {
        joined: usize,
        epoch: u64,
    },
    RefusesEpoch {
        epoch: u64,
        promised: u64,
    },
    Leads {
        epoch: u64,
        followers: usize,
    },
    LostQuorum,
    LeaderSilent,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::Adopts {
                from,
                leader,
                data,
                over,
            } => say!(
                lang,
                out,
                "adopts {from}'s vote for {leader} (data {data} beats {over})",
                "采纳 {from} 的选票，改投 {leader}（数据 {data} 胜过 {over}）"
            ),
            Note::QuorumForMe { round } => say!(
                lang,
                out,
                "a quorum votes for me in round {round}: waits for followers",
                "第 {round} 轮有法定人数投票给自己：等待跟随者"
            ),
            Note::Follows { leader } => say!(lang, out, "follows {leader}", "跟随 {leader}"),
            Note::JoinsLeader { leader } => say!(
                lang,
                out,
                "{leader} already leads a quorum: joins it",
                "{leader} 已领导一个法定人数：加入它"
            ),
            Note::ProposesEpoch { joined, epoch } => say!(
                lang,
                out,
                "{joined} nodes joined: proposes epoch {epoch}",
                "{joined} 个节点已加入：提议纪元 {epoch}"
            ),
            Note::RefusesEpoch { epoch, promised } => say!(
                lang,
                out,
                "refuses epoch {epoch}: already promised epoch {promised}",
                "拒绝纪元 {epoch}：已承诺纪元 {promised}"
            ),
            Note::Leads { epoch, followers } => say!(
                lang,
                out,
                "a quorum accepted epoch {epoch}: leads ({followers} followers)",
                "法定人数接受了纪元 {epoch}：成为领导者（{followers} 个跟随者）"
            ),
            Note::LostQuorum => say!(
                lang,
                out,
                "lost the quorum: gives up leading",
                "失去法定人数：放弃领导"
            ),
            Note::LeaderSilent => say!(lang, out, "the leader went silent", "领导者没有动静了"),
        }
    }
}
