//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// Why a backup becomes the primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Takeover {
    /// The learner promoted it.
    Told,
    /// Its failover timer ran out without a heartbeat from `primary`.
    Silence { primary: NodeId },
}

impl Words for Takeover {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Takeover::Told => say!(lang, out, "told to take over", "被告知接管"),
            Takeover::Silence { primary } => say!(
                lang,
                out,
                "no word from primary {primary} in time",
                "没有及时收到主节点 {primary} 的消息"
            ),
        }
    }
}

/// What a replica or a client says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Note {
    AppliesAtOnce {
        value: Value,
    },
    AppliesAndWaits {
        value: Value,
        waiting: BTreeSet<NodeId>,
    },
    NotPrimary {
        primary: NodeId,
    },
    StalePrimary {
        from: NodeId,
        epoch: u64,
        primary: NodeId,
        current: u64,
    },
    NewerEpochStepsDown {
        from: NodeId,
    },
    TakesValue {
        value: Value,
    },
    CaughtUp {
        backup: NodeId,
    },
    StepsDown {
        primary: NodeId,
        epoch: u64,
    },
    Promoted {
        why: Takeover,
        epoch: u64,
        value: Value,
    },
    DroppedToAsync {
        silent: BTreeSet<NodeId>,
    },
    WriteFails {
        silent: BTreeSet<NodeId>,
    },
    StillWaiting,
    WriteAcknowledged {
        value: Value,
    },
    Reads {
        value: Value,
        from: NodeId,
    },
    Refused {
        by: NodeId,
        primary: NodeId,
    },
    Stores {
        versions: usize,
        value: Value,
        stamp: Stamp,
        needs: usize,
    },
    NoAnswer,
    NoClientCommands,
    OnlyBackupPromoted,
    NotAReplica {
        node: NodeId,
    },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::AppliesAtOnce { value } => say!(
                lang,
                out,
                "applies {value} and acknowledges at once",
                "应用 {value} 并立即确认"
            ),
            Note::AppliesAndWaits { value, waiting } => {
                let waiting = list_in(lang, waiting);
                say!(
                    lang,
                    out,
                    "applies {value}; acknowledges once {waiting} confirm",
                    "应用 {value}；等 {waiting} 确认后再确认"
                )
            }
            Note::NotPrimary { primary } => say!(
                lang,
                out,
                "not the primary: refuses, the primary is {primary}",
                "不是主节点：拒绝，主节点是 {primary}"
            ),
            Note::StalePrimary {
                from,
                epoch,
                primary,
                current,
            } => say!(
                lang,
                out,
                "{from} is a primary of epoch {epoch}, but {primary} leads epoch {current}",
                "{from} 是纪元 {epoch} 的主节点，但 {primary} 领导着纪元 {current}"
            ),
            Note::NewerEpochStepsDown { from } => say!(
                lang,
                out,
                "{from} leads a newer epoch: steps down",
                "{from} 领导着更新的纪元：退位"
            ),
            Note::TakesValue { value } => say!(
                lang,
                out,
                "takes {value} from the primary",
                "从主节点取得 {value}"
            ),
            Note::CaughtUp { backup } => say!(
                lang,
                out,
                "{backup} has caught up: replicates to it synchronously again",
                "{backup} 已经追上：重新对它同步复制"
            ),
            Note::StepsDown { primary, epoch } => say!(
                lang,
                out,
                "{primary} leads epoch {epoch}: steps down",
                "{primary} 领导着纪元 {epoch}：退位"
            ),
            Note::Promoted { why, epoch, value } => {
                why.write(lang, out);
                say!(
                    lang,
                    out,
                    ": becomes the primary in epoch {epoch} with value {value} and tells everyone",
                    "：在纪元 {epoch} 成为主节点，值为 {value}，并通知所有节点"
                )
            }
            Note::DroppedToAsync { silent } => {
                let silent = list_in(lang, silent);
                say!(
                    lang,
                    out,
                    "{silent} did not confirm in time: replicates to them asynchronously from \
                     now on, and acknowledges",
                    "{silent} 没有及时确认：从现在起对它们异步复制，并确认写入"
                )
            }
            Note::WriteFails { silent } => {
                let silent = list_in(lang, silent);
                say!(
                    lang,
                    out,
                    "{silent} did not confirm in time: the write fails (maximum protection)",
                    "{silent} 没有及时确认：写入失败（最大保护模式）"
                )
            }
            Note::StillWaiting => say!(
                lang,
                out,
                "still waiting for its last operation: ignores the command",
                "还在等上一个操作：忽略该命令"
            ),
            Note::WriteAcknowledged { value } => say!(
                lang,
                out,
                "write {value} acknowledged",
                "写入 {value} 已确认"
            ),
            Note::Reads { value, from } => say!(
                lang,
                out,
                "reads {value} from {from}",
                "从 {from} 读到 {value}"
            ),
            Note::Refused { by, primary } => say!(
                lang,
                out,
                "{by} refuses; will ask {primary} from now on",
                "{by} 拒绝；从现在起改问 {primary}"
            ),
            Note::Stores {
                versions,
                value,
                stamp: Stamp(counter, writer),
                needs,
            } => say!(
                lang,
                out,
                "{versions} versions in: stores {value} at {counter}.{writer} on every replica, \
                 needs {needs}",
                "已收到 {versions} 个版本：在每个副本上把 {value} 存为 {counter}.{writer}，\
                 需要 {needs}"
            ),
            Note::NoAnswer => say!(
                lang,
                out,
                "no answer in time: the operation fails",
                "没有及时回复：操作失败"
            ),
            Note::NoClientCommands => say!(
                lang,
                out,
                "a replica takes no client commands",
                "副本不接受客户端命令"
            ),
            Note::OnlyBackupPromoted => say!(
                lang,
                out,
                "only a backup can be promoted",
                "只有备副本才能被提升为主节点"
            ),
            Note::NotAReplica { node } => {
                say!(lang, out, "{node} is not a replica", "{node} 不是副本")
            }
        }
    }
}
