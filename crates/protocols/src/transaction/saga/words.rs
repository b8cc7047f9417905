//! What the Saga's orchestrator and participants write in the event log, in English and
//! Simplified Chinese.

use super::Msg;
use clusterplay_sim::{say, Lang, Message, NodeId, Words};

/// What a node of the Saga says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Begins { first: NodeId },
    Next { done: NodeId, next: NodeId },
    AllDone,
    TurnsBack { failed: NodeId },
    InDoubt { step: NodeId },
    Compensates { step: NodeId },
    AsksAgain { step: NodeId },
    AllCompensated,
    Resumes,
    AlreadyBegun,
    OnlyTheOrchestrator,
    StepCommits,
    StepFails,
    AlreadyDone,
    RefusesLateStep,
    Undoes,
    EmptyCompensation,
    NothingToUndo,
    AlreadyCompensated,
    Ignores { msg: Msg, from: NodeId },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Begins { first } => say!(
                lang,
                out,
                "begins the saga: logs it and asks {first} for the first step",
                "开始 Saga：写入 Saga 日志，请 {first} 执行第一步"
            ),
            Note::Next { done, next } => say!(
                lang,
                out,
                "{done} did its step: logs it and asks {next} for the next",
                "{done} 已完成它的步骤：记入日志，请 {next} 执行下一步"
            ),
            Note::AllDone => say!(
                lang,
                out,
                "every step is done: the saga is complete",
                "所有步骤都已完成：Saga 成功结束"
            ),
            Note::TurnsBack { failed } => say!(
                lang,
                out,
                "the step of {failed} failed: compensates the done steps, newest first",
                "{failed} 的步骤失败：从最近的一步开始，逐个补偿已完成的步骤"
            ),
            Note::InDoubt { step } => say!(
                lang,
                out,
                "no answer from {step} in time: its step may have committed, so it is \
                 compensated too, then the done steps, newest first",
                "{step} 没有及时回复：它的步骤可能已经提交，所以也要补偿它，然后从最近的一步开始补偿已完成的步骤"
            ),
            Note::Compensates { step } => say!(
                lang,
                out,
                "logs it and asks {step} to compensate its step",
                "记入日志，请 {step} 补偿它的步骤"
            ),
            Note::AsksAgain { step } => say!(
                lang,
                out,
                "no answer from {step}: a compensation must not fail, asks again",
                "{step} 没有回复：补偿不能失败，再次请求"
            ),
            Note::AllCompensated => say!(
                lang,
                out,
                "every done step is compensated: the saga is rolled back",
                "所有已完成的步骤都已补偿：Saga 已回滚"
            ),
            Note::Resumes => say!(
                lang,
                out,
                "comes back, reads its saga log and asks again",
                "恢复后读取 Saga 日志，再次发出请求"
            ),
            Note::AlreadyBegun => say!(
                lang,
                out,
                "the saga has already begun",
                "Saga 已经开始"
            ),
            Note::OnlyTheOrchestrator => say!(
                lang,
                out,
                "only the orchestrator begins the saga",
                "只有编排者才能开始 Saga"
            ),
            Note::StepCommits => say!(
                lang,
                out,
                "runs its local transaction and commits it at once",
                "执行本地事务并立即提交"
            ),
            Note::StepFails => say!(
                lang,
                out,
                "its local transaction fails (out of stock) and rolls itself back",
                "本地事务失败（缺货），自行回滚"
            ),
            Note::AlreadyDone => say!(
                lang,
                out,
                "already did its step: answers again, does nothing twice",
                "已执行过这一步：再次应答，不重复执行"
            ),
            Note::RefusesLateStep => say!(
                lang,
                out,
                "already compensated: refuses the late step",
                "已经补偿过：拒绝迟到的步骤"
            ),
            Note::Undoes => say!(
                lang,
                out,
                "runs the compensating transaction: its step is undone",
                "执行补偿事务：撤销它的步骤"
            ),
            Note::EmptyCompensation => say!(
                lang,
                out,
                "compensation before the step: records it (nothing to undo)",
                "补偿先于步骤到达：记下它（没有需要撤销的）"
            ),
            Note::NothingToUndo => say!(
                lang,
                out,
                "its step failed: nothing to undo",
                "它的步骤失败了：没有需要撤销的"
            ),
            Note::AlreadyCompensated => say!(
                lang,
                out,
                "already compensated: answers again, does nothing twice",
                "已补偿过：再次应答，不重复执行"
            ),
            Note::Ignores { msg, from } => {
                let msg = msg.label();
                say!(
                    lang,
                    out,
                    "ignores stale {msg} from {from}",
                    "忽略来自 {from} 的过期 {msg}"
                )
            }
        }
    }
}
