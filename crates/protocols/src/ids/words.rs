//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a generator or a client says in the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Note {
    IssuesAgain { id: u128 },
    ClockBehind { now: u64, last: u64 },
    ClockWentBack { now: u64, last: u64 },
    SequenceFull,
    SavesSnapshot { counter: u64 },
    TooMany { asked: u32 },
    RestartsFromRdb { counter: u64, reached: u64 },
    ReplaysAof { counter: u64 },
    LoadsAof { counter: u64, loading: Span },
    AofLoaded { waiting: usize },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::IssuesAgain { id } => say!(lang, out, "issues {id} again", "再次发放 {id}"),
            Note::ClockBehind { now, last } => say!(
                lang,
                out,
                "the clock reads {now} ms, behind the last timestamp {last} ms: waits",
                "时钟读数 {now} 毫秒，落后于上一个时间戳 {last} 毫秒：等待"
            ),
            Note::ClockWentBack { now, last } => say!(
                lang,
                out,
                "the clock went back to {now} ms from {last} ms: carries on from there",
                "时钟从 {last} 毫秒回拨到 {now} 毫秒：从那里继续"
            ),
            Note::SequenceFull => say!(
                lang,
                out,
                "4 096 ids this millisecond: waits for the next",
                "这一毫秒已发放 4 096 个 ID：等待下一毫秒"
            ),
            Note::SavesSnapshot { counter } => say!(
                lang,
                out,
                "RDB: saves the counter {counter} to disk",
                "RDB：把计数器 {counter} 存到磁盘"
            ),
            Note::TooMany { asked } => say!(
                lang,
                out,
                "asks for {asked} ids at once; at most {MAX_BURST} are handed out per command",
                "一次申请 {asked} 个 ID；每条命令最多发放 {MAX_BURST} 个"
            ),
            Note::RestartsFromRdb { counter, reached } => say!(
                lang,
                out,
                "restarts from its RDB snapshot: counter {counter} (it had reached {reached})",
                "从 RDB 快照重启：计数器 {counter}（之前已到 {reached}）"
            ),
            Note::ReplaysAof { counter } => say!(
                lang,
                out,
                "replays its AOF: counter {counter}",
                "重放 AOF：计数器 {counter}"
            ),
            Note::LoadsAof { counter, loading } => {
                let ms = clusterplay_sim::to_ms(loading);
                say!(
                    lang,
                    out,
                    "replays its AOF, {counter} INCRs: serves again in {ms} ms",
                    "重放 AOF 中的 {counter} 条 INCR：{ms} 毫秒后才能再次服务"
                )
            }
            Note::AofLoaded { waiting } => say!(
                lang,
                out,
                "AOF replayed: serves again ({waiting} requests waited)",
                "AOF 重放完毕，恢复服务（{waiting} 个请求在等待）"
            ),
        }
    }
}
