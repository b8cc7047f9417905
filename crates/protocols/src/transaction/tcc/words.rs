//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// Why the coordinator decides as it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Why {
    TryFailed(NodeId),
    AllTried,
    NoResult(Vec<NodeId>),
    NothingLogged,
}

impl Words for Why {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Why::TryFailed(of) => say!(lang, out, "the Try of {of} failed", "{of} 的 Try 失败"),
            Why::AllTried => say!(lang, out, "every Try succeeded", "每个 Try 都成功"),
            Why::NoResult(silent) => {
                let silent = list_in(lang, silent);
                say!(
                    lang,
                    out,
                    "no Try result from {silent} in time",
                    "{silent} 没有及时返回 Try 的结果"
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

/// What a node of TCC says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Begins,
    Reserves { amount: u64 },
    TryFails { amount: u64, available: u64 },
    LateTry,
    Confirms { amount: u64 },
    AlreadyConfirmed,
    NothingToConfirm,
    GivesBack { amount: u64 },
    EmptyRollback,
    NothingReserved,
    AlreadyCancelled,
    CannotCancel,
    Decides { why: Why, decision: Decision },
    AllAnswered,
    Stale { msg: Msg, from: NodeId },
    Repeats { decision: Decision },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Begins => say!(
                lang,
                out,
                "begins the business activity: Try on every participant",
                "开始业务活动：在每个参与者上执行 Try"
            ),
            Note::Reserves { amount } => say!(
                lang,
                out,
                "Try: reserves {amount}, commits locally",
                "Try：预留 {amount}，本地提交"
            ),
            Note::TryFails { amount, available } => say!(
                lang,
                out,
                "Try: needs {amount} but has {available}: fails",
                "Try：需要 {amount}，但只有 {available}：失败"
            ),
            Note::LateTry => say!(
                lang,
                out,
                "the Cancel came first: refuses the late Try",
                "Cancel 先到了：拒绝迟到的 Try"
            ),
            Note::Confirms { amount } => say!(
                lang,
                out,
                "Confirm: uses the {amount} it reserved",
                "Confirm：使用预留的 {amount}"
            ),
            Note::AlreadyConfirmed => say!(
                lang,
                out,
                "already confirmed: does nothing again, answers again",
                "已确认过：不再重复执行，只再次应答"
            ),
            Note::NothingToConfirm => say!(
                lang,
                out,
                "has no reservation to confirm: ignores Confirm",
                "没有可以确认的预留：忽略 Confirm"
            ),
            Note::GivesBack { amount } => say!(
                lang,
                out,
                "Cancel: gives back the {amount} it reserved",
                "Cancel：归还预留的 {amount}"
            ),
            Note::EmptyRollback => say!(
                lang,
                out,
                "Cancel before any Try: records it (empty rollback)",
                "Cancel 先于 Try 到达：记下它（空回滚）"
            ),
            Note::NothingReserved => say!(
                lang,
                out,
                "Cancel: nothing was reserved",
                "Cancel：没有预留任何东西"
            ),
            Note::AlreadyCancelled => say!(
                lang,
                out,
                "already cancelled: does nothing again",
                "已取消过：不再重复执行"
            ),
            Note::CannotCancel => say!(
                lang,
                out,
                "already confirmed: cannot cancel",
                "已经确认：无法取消"
            ),
            Note::Decides { why, decision } => {
                why.write(lang, out);
                let sends = Tcc::decision_msg(*decision).label();
                let decision = decision.word(lang);
                say!(
                    lang,
                    out,
                    ": logs {decision} and sends {sends} to everyone",
                    "：记录{decision}并向所有参与者发送 {sends}"
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
                    (Lang::Zh, Msg::Tried { ok: true }) => "Try 成功回复".to_string(),
                    (Lang::Zh, Msg::Tried { ok: false }) => "Try 失败回复".to_string(),
                    _ => msg.label(),
                };
                say!(
                    lang,
                    out,
                    "ignores stale {msg} from {from}",
                    "忽略来自 {from} 的过期 {msg}"
                )
            }
            Note::Repeats { decision } => {
                let decision = decision.word(lang);
                say!(
                    lang,
                    out,
                    "reads {decision} from its log: repeats it",
                    "从日志读到决定是{decision}：重复发送"
                )
            }
        }
    }
}
