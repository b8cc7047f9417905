//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the database and its clients say in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    RowLockPasses { to: NodeId },
    LocksRow { client: NodeId, token: u64 },
    SelectBlocks { client: NodeId, holder: NodeId },
    Commits { client: NodeId },
    Ignores { label: String, from: NodeId },
    RefusesSecondInsert { client: NodeId },
    SecondSelectWaits { client: NodeId },
    CountUp { client: NodeId, count: u32 },
    LastHold { client: NodeId },
    ReleasesOnce { client: NodeId, count: u32 },
    ConnectionGone { client: NodeId },
    ConnectionTimesOut { client: NodeId, timeout: Span },
    ClosesWaiting { client: NodeId },
    ReleasesOneHold { holds: u32 },
    AsksAgain,
    HoldsTimes { count: u32 },
    RolledBack,
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::RowLockPasses { to } => say!(
                lang,
                out,
                "the row lock passes to {to}, whose SELECT … FOR UPDATE was waiting",
                "行锁交给 {to}，它的 SELECT … FOR UPDATE 一直在等"
            ),
            Note::LocksRow { client, token } => say!(
                lang,
                out,
                "locks the row for the transaction of {client} (token #{token})",
                "为 {client} 的事务锁定该行（令牌 #{token}）"
            ),
            Note::SelectBlocks { client, holder } => say!(
                lang,
                out,
                "the SELECT … FOR UPDATE of {client} waits for the row lock of {holder}'s \
                 transaction: it blocks inside the database",
                "{client} 的 SELECT … FOR UPDATE 等待 {holder} 的事务持有的行锁：在数据库内阻塞"
            ),
            Note::Commits { client } => say!(
                lang,
                out,
                "{client} commits: its transaction ends and the row lock is released",
                "{client} 提交：事务结束，行锁释放"
            ),
            Note::Ignores { label, from } => say!(
                lang,
                out,
                "ignores {label} from {from}",
                "忽略来自 {from} 的 {label}"
            ),
            Note::RefusesSecondInsert { client } => say!(
                lang,
                out,
                "refuses the second INSERT of {client}: the unique index sees the row, not whose \
                 it is, so the holder waits for itself",
                "拒绝 {client} 的第二次 INSERT：唯一索引只看这一行在不在，不看它属于谁，\
                 于是持有者在等自己"
            ),
            Note::SecondSelectWaits { client } => say!(
                lang,
                out,
                "the second SELECT … FOR UPDATE of {client} (another connection) waits for the \
                 row lock of {client}'s own transaction: it waits for itself",
                "{client} 的第二个 SELECT … FOR UPDATE（另一个连接）等待 {client} 自己的事务\
                 持有的行锁：它在等自己"
            ),
            Note::CountUp { client, count } => say!(
                lang,
                out,
                "{client} already holds the row: its count goes up to {count}",
                "{client} 已持有该行：计数增加到 {count}"
            ),
            Note::LastHold { client } => say!(
                lang,
                out,
                "{client} releases its last hold: the count reaches 0 and the row is deleted",
                "{client} 释放最后一次持有：计数降到 0，该行被删除"
            ),
            Note::ReleasesOnce { client, count } => say!(
                lang,
                out,
                "{client} releases once: the row's count goes down to {count}",
                "{client} 释放一次：该行的计数降到 {count}"
            ),
            Note::ConnectionGone { client } => say!(
                lang,
                out,
                "{client}'s connection is gone: its transaction was rolled back",
                "{client} 的连接已断开：它的事务已回滚"
            ),
            Note::ConnectionTimesOut { client, timeout } => {
                let ms = to_ms(*timeout);
                say!(
                    lang,
                    out,
                    "has heard nothing on the connection of {client} for {ms} ms: closes it, \
                     rolls its transaction back and releases the row lock",
                    "{client} 的连接已 {ms} 毫秒没有动静：关闭连接，回滚其事务并释放行锁"
                )
            }
            Note::ClosesWaiting { client } => say!(
                lang,
                out,
                "closes the silent connection of {client}: its waiting SELECT … FOR UPDATE is \
                 abandoned",
                "关闭 {client} 静默的连接：它等待中的 SELECT … FOR UPDATE 被放弃"
            ),
            Note::ReleasesOneHold { holds } => say!(
                lang,
                out,
                "releases one of its {holds} holds",
                "释放 {holds} 次持有中的一次"
            ),
            Note::AsksAgain => say!(
                lang,
                out,
                "asks for the lock it already holds (a nested call)",
                "请求自己已持有的锁（嵌套调用）"
            ),
            Note::HoldsTimes { count } => say!(
                lang,
                out,
                "holds the lock {count} times now",
                "现在持有锁 {count} 次"
            ),
            Note::RolledBack => say!(
                lang,
                out,
                "the database closed its connection and rolled its transaction back: it no \
                 longer holds the lock",
                "数据库关闭了它的连接并回滚了它的事务：不再持有锁"
            ),
        }
    }
}
