//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// Why the coordinator decides as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Why {
    SaidNo(Vec<NodeId>),
    AllAcknowledged,
    LateVotes,
    LateAcks,
    BackAfterPreCommit,
    BackDuringCanCommit,
}

impl Words for Why {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Why::SaidNo(no) => {
                let no = list_in(lang, no);
                say!(lang, out, "{no} said No", "{no} 回答了 No")
            }
            Why::AllAcknowledged => say!(
                lang,
                out,
                "every participant acknowledged",
                "每个参与者都已确认"
            ),
            Why::LateVotes => say!(
                lang,
                out,
                "not every vote came in time",
                "并非所有投票都及时到达"
            ),
            Why::LateAcks => say!(
                lang,
                out,
                "not every Ack came in time",
                "并非所有 Ack 都及时到达"
            ),
            Why::BackAfterPreCommit => say!(
                lang,
                out,
                "comes back after PreCommit",
                "在 PreCommit 之后恢复"
            ),
            Why::BackDuringCanCommit => say!(
                lang,
                out,
                "comes back during CanCommit",
                "在 CanCommit 阶段恢复"
            ),
        }
    }
}

/// What a node of three-phase commit says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Begins,
    AnswersYes,
    AnswersNo,
    PastCanCommit,
    AnswersAck,
    NotWaitingForPreCommit,
    Commits,
    RollsBack,
    TooLateToAbort,
    TooLateToCommit,
    CannotAct { msg: Msg },
    SendsPreCommit,
    DidTheOpposite { from: NodeId, did: Decision },
    AllAnswered,
    Stale { msg: Msg, from: NodeId },
    NoPreCommit,
    CommitsOnItsOwn,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Begins => say!(
                lang,
                out,
                "begins the transaction: asks every participant CanCommit",
                "开始事务：向每个参与者发送 CanCommit"
            ),
            Note::AnswersYes => say!(
                lang,
                out,
                "could commit: answers Yes, locks nothing yet",
                "可以提交：回答 Yes，暂不加锁"
            ),
            Note::AnswersNo => say!(
                lang,
                out,
                "could not commit: answers No",
                "无法提交：回答 No"
            ),
            Note::PastCanCommit => say!(
                lang,
                out,
                "past CanCommit: ignores it",
                "已过了 CanCommit 阶段：忽略它"
            ),
            Note::AnswersAck => say!(
                lang,
                out,
                "executes, writes undo and redo, locks: answers Ack",
                "执行，写 undo 和 redo 日志，加锁：回复 Ack"
            ),
            Note::NotWaitingForPreCommit => say!(
                lang,
                out,
                "not waiting for PreCommit: ignores it",
                "并没有在等 PreCommit：忽略它"
            ),
            Note::Commits => say!(lang, out, "commits and releases its locks", "提交并释放锁"),
            Note::RollsBack => say!(
                lang,
                out,
                "rolls back and releases what it held",
                "回滚并释放所持有的"
            ),
            Note::TooLateToAbort => say!(
                lang,
                out,
                "already committed on its own: too late to abort",
                "已经自行提交：来不及中止了"
            ),
            Note::TooLateToCommit => say!(
                lang,
                out,
                "already rolled back on its own: too late to commit",
                "已经自行回滚：来不及提交了"
            ),
            Note::CannotAct { msg } => {
                let msg = msg.label();
                say!(
                    lang,
                    out,
                    "ignores {msg} it cannot act on",
                    "忽略它无法执行的 {msg}"
                )
            }
            Note::SendsPreCommit => say!(
                lang,
                out,
                "every participant said Yes: sends PreCommit",
                "每个参与者都回答 Yes：发送 PreCommit"
            ),
            Note::DidTheOpposite { from, did } => {
                let did = did.word(lang);
                say!(
                    lang,
                    out,
                    "{from} answers that it did the opposite: {did}",
                    "{from} 回答它做了相反的决定：{did}"
                )
            }
            Note::AllAnswered => say!(
                lang,
                out,
                "every participant answered: the transaction is over",
                "每个参与者都已回复：事务结束"
            ),
            Note::Stale { msg, from } => {
                let msg = match (lang, msg) {
                    (Lang::Zh, Msg::Done(Decision::Commit)) => "Ack：已提交".to_string(),
                    (Lang::Zh, Msg::Done(Decision::Abort)) => "Ack：已回滚".to_string(),
                    _ => msg.label(),
                };
                say!(
                    lang,
                    out,
                    "ignores stale {msg} from {from}",
                    "忽略来自 {from} 的过期 {msg}"
                )
            }
            Note::NoPreCommit => say!(
                lang,
                out,
                "heard no PreCommit in time: aborts",
                "没有及时收到 PreCommit：中止"
            ),
            Note::CommitsOnItsOwn => say!(
                lang,
                out,
                "acknowledged PreCommit and heard nothing since: commits on its own",
                "已确认 PreCommit，之后再无消息：自行提交"
            ),
        }
    }
}
