//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// Why the coordinator decides as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Why {
    AllYes,
    VotedNo(Vec<NodeId>),
    NoVote(Vec<NodeId>),
    NothingLogged,
}

impl Words for Why {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Why::AllYes => say!(
                lang,
                out,
                "every participant voted Yes",
                "每个参与者都投了 Yes"
            ),
            Why::VotedNo(no) => {
                let no = list_in(lang, no);
                say!(lang, out, "{no} voted No", "{no} 投了 No")
            }
            Why::NoVote(silent) => {
                let silent = list_in(lang, silent);
                say!(
                    lang,
                    out,
                    "no vote from {silent} in time",
                    "{silent} 没有及时投票"
                )
            }
            Why::NothingLogged => say!(
                lang,
                out,
                "comes back with no decision logged",
                "恢复后日志里没有决定"
            ),
        }
    }
}

/// What a node of two-phase commit says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Begins,
    VotesYes,
    VotesNo,
    FinishedIgnoresCanCommit,
    Commits,
    NeverVotedYes,
    RollsBack,
    GivesUpAndRollsBack,
    NothingToUndo,
    CommittedIgnoresAbort,
    NothingDecided { asker: NodeId },
    AllAnswered,
    Stale { msg: Msg, from: NodeId },
    StillInDoubt,
    BackInDoubt,
    StillInDoubtAsksAll,
    AbortsUnvoted { asker: NodeId },
    LearnsFromPeer { decision: Decision, from: NodeId },
    PeerInDoubt { peer: NodeId },
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
            Note::VotesYes => say!(
                lang,
                out,
                "executes, writes undo and redo, locks: votes Yes",
                "执行，写 undo 和 redo 日志，加锁：投 Yes"
            ),
            Note::VotesNo => say!(
                lang,
                out,
                "cannot execute the transaction: votes No",
                "无法执行事务：投反对票"
            ),
            Note::FinishedIgnoresCanCommit => say!(
                lang,
                out,
                "already finished: ignores CanCommit",
                "已经结束：忽略 CanCommit"
            ),
            Note::Commits => say!(lang, out, "commits and releases its locks", "提交并释放锁"),
            Note::NeverVotedYes => say!(
                lang,
                out,
                "never voted Yes: ignores DoCommit",
                "从未投 Yes：忽略 DoCommit"
            ),
            Note::RollsBack => say!(
                lang,
                out,
                "rolls back from its undo log and releases its locks",
                "按 undo 日志回滚并释放锁"
            ),
            Note::GivesUpAndRollsBack => say!(
                lang,
                out,
                "tired of waiting in doubt, rolls back on its own (a bug: it voted Yes)",
                "等不到决定，自行回滚（这是错误做法：它已投了 Yes）"
            ),
            Note::NothingToUndo => say!(
                lang,
                out,
                "has nothing to undo: rolls back",
                "没有需要撤销的：回滚"
            ),
            Note::CommittedIgnoresAbort => say!(
                lang,
                out,
                "already committed: ignores DoAbort",
                "已经提交：忽略 DoAbort"
            ),
            Note::NothingDecided { asker } => say!(
                lang,
                out,
                "{asker} asks, but nothing is decided yet",
                "{asker} 来询问，但还没有作出决定"
            ),
            Note::AllAnswered => say!(
                lang,
                out,
                "every participant answered HaveCommitted: the transaction is over",
                "每个参与者都回复了 HaveCommitted：事务结束"
            ),
            Note::Stale { msg, from } => {
                let msg = match (lang, msg) {
                    (Lang::Zh, Msg::Query) => "决定询问".to_string(),
                    (Lang::Zh, Msg::Known(Some(d))) => format!("答复（{}）", d.word(lang)),
                    (Lang::Zh, Msg::Known(None)) => "答复（不知道）".to_string(),
                    _ => msg.label(),
                };
                say!(
                    lang,
                    out,
                    "ignores stale {msg} from {from}",
                    "忽略来自 {from} 的过期 {msg}"
                )
            }
            Note::StillInDoubt => say!(
                lang,
                out,
                "still in doubt, locks held: asks the coordinator for the decision",
                "仍不确定，锁未释放：向协调者询问决定"
            ),
            Note::BackInDoubt => say!(
                lang,
                out,
                "comes back in doubt, its locks still held",
                "恢复后仍不确定，锁仍未释放"
            ),
            Note::StillInDoubtAsksAll => say!(
                lang,
                out,
                "still in doubt, locks held: asks the coordinator and the other participants",
                "仍不确定，锁未释放：向协调者和其他参与者询问决定"
            ),
            Note::AbortsUnvoted { asker } => say!(
                lang,
                out,
                "has not voted and now never will: aborts, and tells {asker} the answer is abort",
                "还没有投票，今后也不会再投：中止事务，并告诉 {asker} 结果是中止"
            ),
            Note::LearnsFromPeer { decision, from } => {
                let word = decision.word(lang);
                match decision {
                    Decision::Commit => say!(
                        lang,
                        out,
                        "learns {word} from {from}: commits and releases its locks",
                        "从 {from} 得知结果是{word}：提交并释放锁"
                    ),
                    Decision::Abort => say!(
                        lang,
                        out,
                        "learns {word} from {from}: rolls back from its undo log and releases its locks",
                        "从 {from} 得知结果是{word}：按 undo 日志回滚并释放锁"
                    ),
                }
            }
            Note::PeerInDoubt { peer } => say!(
                lang,
                out,
                "{peer} voted Yes and does not know the decision either",
                "{peer} 也投了 Yes，同样不知道决定"
            ),
        }
    }
}
