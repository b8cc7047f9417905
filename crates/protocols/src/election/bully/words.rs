//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a node says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    HoldsElection { higher: usize },
    AnnouncesVictory,
    AnswersBigger { to: NodeId },
    Follows { leader: NodeId },
    TakesOver { lower: NodeId },
    NoVictory,
    LeaderSilent,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::HoldsElection { higher } => say!(
                lang,
                out,
                "holds an election: asks {higher} higher nodes",
                "发起选举：询问 {higher} 个更大的节点"
            ),
            Note::AnnouncesVictory => say!(
                lang,
                out,
                "no higher node answered: announces Victory",
                "没有更大的节点应答：宣布 Victory"
            ),
            Note::AnswersBigger { to } => {
                say!(lang, out, "answers {to}: I am bigger", "应答 {to}：我更大")
            }
            Note::Follows { leader } => say!(lang, out, "follows {leader}", "跟随 {leader}"),
            Note::TakesOver { lower } => say!(
                lang,
                out,
                "{lower} is lower and claims to lead: takes over",
                "{lower} 更小却自称领导者：接管"
            ),
            Note::NoVictory => say!(
                lang,
                out,
                "the higher node never announced Victory: elects again",
                "更大的节点始终没有宣布 Victory：重新选举"
            ),
            Note::LeaderSilent => say!(lang, out, "the leader went silent", "领导者没有动静了"),
        }
    }
}
