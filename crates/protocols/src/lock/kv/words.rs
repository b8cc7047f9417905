//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What the lock record's server (a database row, a Redis key) and its clients say in the
/// event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    ReplicaIgnores {
        label: String,
        from: NodeId,
    },
    Grants {
        to: NodeId,
        token: u64,
    },
    Refuses {
        to: NodeId,
        holder: NodeId,
    },
    DelDeletesOther {
        from: NodeId,
        owner: NodeId,
    },
    Releases {
        client: NodeId,
    },
    CompareAndDeleteFails {
        from: NodeId,
        holder: NodeId,
    },
    DeletesNothing {
        client: NodeId,
    },
    ServerIgnores {
        server: u32,
        label: String,
        from: NodeId,
    },
    KeyExpires {
        owner: NodeId,
    },
    Promoted,
    Renewed,
    RenewalFoundKeyGone,
    NewPrimary {
        primary: NodeId,
    },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match self {
            Note::ReplicaIgnores { label, from } => say!(
                lang,
                out,
                "a replica: ignores {label} from {from}",
                "副本：忽略来自 {from} 的 {label}"
            ),
            Note::Grants { to, token } => say!(
                lang,
                out,
                "grants the lock to {to} with token #{token}",
                "把锁授予 {to}，令牌 #{token}"
            ),
            Note::Refuses { to, holder } => say!(
                lang,
                out,
                "refuses {to}: {holder} holds the lock",
                "拒绝 {to}：{holder} 持有锁"
            ),
            Note::DelDeletesOther { from, owner } => say!(
                lang,
                out,
                "DEL from {from} deletes the lock of {owner}: it does not check whose it is",
                "来自 {from} 的 DEL 删除了 {owner} 的锁：它不检查锁属于谁"
            ),
            Note::Releases { client } => {
                say!(lang, out, "{client} releases the lock", "{client} 释放锁")
            }
            Note::CompareAndDeleteFails { from, holder } => say!(
                lang,
                out,
                "compare-and-delete from {from} fails: the value is {holder}'s token",
                "来自 {from} 的 compare-and-delete 失败：值是 {holder} 的令牌"
            ),
            Note::DeletesNothing { client } => say!(
                lang,
                out,
                "{client} deletes a lock nobody holds",
                "{client} 删除了一个无人持有的锁"
            ),
            Note::ServerIgnores {
                server,
                label,
                from,
            } => say!(
                lang,
                out,
                "server {server}: ignores {label} from {from}",
                "服务器 {server}：忽略来自 {from} 的 {label}"
            ),
            Note::KeyExpires { owner } => say!(
                lang,
                out,
                "the key of {owner} expires: the lock is free",
                "{owner} 的键过期：锁空闲了"
            ),
            Note::Promoted => say!(
                lang,
                out,
                "hears nothing from the primary: the replica is promoted",
                "收不到主节点的消息：副本被提升为主"
            ),
            Note::Renewed => say!(
                lang,
                out,
                "the watchdog renewed the lease",
                "看门狗续了租约"
            ),
            Note::RenewalFoundKeyGone => say!(
                lang,
                out,
                "the renewal found the key gone: it no longer holds the lock",
                "续期时发现键已不在：不再持有锁"
            ),
            Note::NewPrimary { primary } => say!(
                lang,
                out,
                "{primary} is the primary now",
                "{primary} 现在是主节点"
            ),
        }
    }
}
