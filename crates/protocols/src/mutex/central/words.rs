//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the coordinator and the programs say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    Grants {
        to: NodeId,
    },
    AlreadyQueued {
        seq: u64,
        from: NodeId,
    },
    Queues {
        from: NodeId,
        place: usize,
    },
    Granted,
    Stale {
        msg: Msg,
        from: NodeId,
    },
    AlreadyAsked,
    CoordinatorOnlyGrants,
    WaitsForCopy {
        to: NodeId,
    },
    GoesOn,
    Retires {
        successor: NodeId,
    },
    TakesOver {
        holder: Option<NodeId>,
        queued: usize,
    },
    Follows {
        node: NodeId,
    },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::Grants { to } => {
                say!(lang, out, "grants the machine to {to}", "把咖啡机授予 {to}")
            }
            Note::AlreadyQueued { seq, from } => say!(
                lang,
                out,
                "already has request {seq} of {from}",
                "已有 {from} 的请求 {seq}"
            ),
            Note::Queues { from, place } => say!(
                lang,
                out,
                "{from} queues as number {place}",
                "{from} 排在第 {place} 位"
            ),
            Note::Granted => say!(lang, out, "granted: uses the machine", "获准：使用咖啡机"),
            Note::Stale { msg, from } => {
                let (en, zh) = match msg {
                    Msg::Request { .. } => ("request", "请求"),
                    Msg::Grant { .. } => ("grant", "授权"),
                    Msg::Release { .. } => ("release", "释放"),
                    Msg::Copy { .. } => ("copy", "副本"),
                    Msg::Copied { .. } => ("acknowledgement of a copy", "副本确认"),
                    Msg::Heartbeat { .. } => ("heartbeat", "心跳"),
                    Msg::GoOn => ("go-on", "继续"),
                    Msg::NewCoordinator { .. } => ("announcement", "接管通知"),
                };
                say!(
                    lang,
                    out,
                    "ignores a stale {en} from {from}",
                    "忽略来自 {from} 的过期{zh}消息"
                )
            }
            Note::AlreadyAsked => say!(
                lang,
                out,
                "already waiting for or using the machine",
                "已在等待或正在使用咖啡机"
            ),
            Note::CoordinatorOnlyGrants => say!(
                lang,
                out,
                "the coordinator only hands out the machine",
                "协调者只负责分配咖啡机"
            ),
            Note::WaitsForCopy { to } => say!(
                lang,
                out,
                "will grant the machine to {to} once the backup holds the copy",
                "等备用协调者保存好副本后，再把咖啡机授予 {to}"
            ),
            Note::GoesOn => say!(
                lang,
                out,
                "the backup has not taken over: coordinates again",
                "备用协调者没有接管：继续担任协调者"
            ),
            Note::Retires { successor } => say!(
                lang,
                out,
                "node {successor} took over while it was down: retires",
                "自己故障期间节点 {successor} 已接管：退位"
            ),
            Note::TakesOver { holder: Some(h), queued } => say!(
                lang,
                out,
                "heard nothing from the coordinator: takes over with its copy ({h} has the machine, {queued} queued)",
                "收不到协调者的消息：用自己的副本接管（{h} 持有咖啡机，{queued} 个在排队）"
            ),
            Note::TakesOver { holder: None, queued } => say!(
                lang,
                out,
                "heard nothing from the coordinator: takes over with its copy (machine free, {queued} queued)",
                "收不到协调者的消息：用自己的副本接管（咖啡机空闲，{queued} 个在排队）"
            ),
            Note::Follows { node } => say!(
                lang,
                out,
                "node {node} coordinates now",
                "现在由节点 {node} 担任协调者"
            ),
        }
    }
}
