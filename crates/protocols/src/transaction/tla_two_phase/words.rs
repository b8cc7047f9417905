//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the TM and the RMs say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    AllPrepared,
    ChangesNothing { msg: Msg },
    ChoosesToAbort,
    NoCommands,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::AllPrepared => say!(
                lang,
                out,
                "every RM has prepared: the TM may commit",
                "每个 RM 都已准备好：TM 可以提交"
            ),
            Note::ChangesNothing { msg } => {
                let msg = msg.label();
                say!(
                    lang,
                    out,
                    "{msg} changes nothing here",
                    "{msg} 在这里不改变任何状态"
                )
            }
            Note::ChoosesToAbort => say!(lang, out, "chooses to abort", "自行选择放弃"),
            Note::NoCommands => say!(
                lang,
                out,
                "the spec has no commands: every step is spontaneous",
                "规约没有命令：每一步都是自发的"
            ),
        }
    }
}
