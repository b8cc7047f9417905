//! What the page shows of a node, in Simplified Chinese.
//!
//! A protocol's [`NodeView`](clusterplay_sim::NodeView) is written once, in English: field
//! names are fixed strings and labels are short phrases around numbers ("waits · 2 polls",
//! "follower (follows 3)"). Writing every view twice would double each protocol's drawing code
//! and let the two languages drift apart, so the page translates instead: field names by exact
//! lookup, labels and values phrase by phrase, longest phrase first, leaving numbers, ids and
//! the texts' own technical terms (`SET NX PX`, `PreCommit`, `TM`) as they are. A test runs
//! every preset and fails on any English word a view shows that this glossary does not know,
//! so a new protocol adds its words here together with its module.

use std::borrow::Cow;

/// Field names, exactly as protocols write them.
const FIELDS: &[(&str, &str)] = &[
    ("Cancels received", "已收到的 Cancel"),
    ("Confirms received", "已收到的 Confirm"),
    ("HaveCommitted from", "已回复 HaveCommitted 的节点"),
    ("Lamport clock", "Lamport 时钟"),
    ("PreCommit Acks from", "已确认 PreCommit 的节点"),
    ("accepted (slot ballot:value)", "已接受（槽位 编号:值）"),
    ("accepted [n, v]", "已接受 [n, v]"),
    ("accepted epoch", "已接受的纪元"),
    ("agreed", "已同意"),
    ("answered", "已应答"),
    ("asks generator", "向哪个生成器请求"),
    ("asynchronous to", "异步复制给"),
    ("attempts spent", "已尝试次数"),
    ("available", "可用"),
    ("balance", "余额"),
    ("believed primary", "认定的主节点"),
    ("believes it holds", "自认为持有锁"),
    ("bits", "各位"),
    ("blocked transactions", "阻塞的事务"),
    ("blocks made", "已出块数"),
    ("chain", "链"),
    ("children", "子节点"),
    ("chosen up to slot", "已选定到槽位"),
    ("coin age", "币龄"),
    ("commit index", "提交索引"),
    ("counter (memory)", "计数器（内存）"),
    ("counter on disk", "磁盘上的计数器"),
    ("current epoch", "当前纪元"),
    ("data id", "数据 ID"),
    ("datacenter (5 bits)", "数据中心（5 位）"),
    ("datacenter id (5 bits)", "数据中心 ID（5 位）"),
    ("day", "天数"),
    ("delegates this round", "本轮代表"),
    ("decision (log)", "决定（日志）"),
    ("deferred", "推迟答复"),
    ("doing", "正在做"),
    ("election id", "选举 ID"),
    ("election round", "选举轮次"),
    ("epoch", "纪元"),
    ("failed", "失败"),
    ("fencing", "fencing 令牌"),
    ("fork branches", "分叉"),
    ("grants so far", "已授予次数"),
    ("guard against clock going back", "时钟回拨保护"),
    ("hash power", "算力"),
    ("height", "高度"),
    ("highest tokens", "最高令牌"),
    ("holder", "持有者"),
    ("holding", "持有中"),
    ("holds it (times)", "持有（次数）"),
    ("holds the global token", "持有全局令牌"),
    ("holds the token", "持有令牌"),
    ("ids issued", "已发放的 ID"),
    ("ids received", "已收到的 ID"),
    ("issued again", "重复发放"),
    ("last global hop", "上一次全局传递"),
    ("last id", "最后一个 ID"),
    ("last local hop", "上一次本地传递"),
    ("last read", "最近一次读取"),
    ("last token hop", "上一次令牌传递"),
    ("leader", "领导者"),
    ("learned", "已学到"),
    ("lease until (local ms)", "租约到期（本地毫秒）"),
    ("local message table", "本地消息表"),
    ("local token out", "本地令牌已传出"),
    ("local transactions", "本地事务"),
    ("lock", "锁"),
    ("locks", "锁"),
    ("log length", "日志长度"),
    ("match index", "匹配索引"),
    ("may stake", "可否出块"),
    ("message", "消息"),
    ("missed slots", "错过的时段"),
    ("name", "名称"),
    ("needs", "需要"),
    ("next id", "下一个 ID"),
    ("offset", "偏移量"),
    ("order", "订单"),
    ("own value", "自己的值"),
    ("persistence", "持久化"),
    ("phase", "阶段"),
    ("polls", "轮询次数"),
    ("primary", "主节点"),
    ("processed", "已处理"),
    ("promised ballot", "已承诺的编号"),
    ("promised n", "已承诺的 n"),
    ("proposal number", "提案编号"),
    ("queue", "队列"),
    ("re-entrancy count", "重入计数"),
    ("request", "请求"),
    ("request timestamp", "请求时间戳"),
    ("requests sent", "已发请求"),
    ("requests waiting", "等待中的请求"),
    ("reserved", "已预留"),
    ("role", "角色"),
    ("round", "轮次"),
    ("secret blocks", "秘密区块"),
    ("sequence (12 bits)", "序列号（12 位）"),
    ("sign (1 bit)", "符号位（1 位）"),
    ("stale writes accepted", "已接受的过期写入"),
    ("stale writes rejected", "已拒绝的过期写入"),
    ("state", "状态"),
    ("step", "步骤"),
    ("stock", "库存"),
    ("system", "系统"),
    ("term", "任期"),
    ("timestamp (41 bits)", "时间戳（41 位）"),
    ("tip", "链头"),
    ("token", "令牌"),
    ("transactions waiting", "等待中的事务"),
    ("unacknowledged writes", "未确认的写入"),
    ("used", "已用"),
    ("value", "值"),
    ("version", "版本"),
    ("vote (scenario)", "选票（场景设定）"),
    ("voted for", "投票给"),
    ("votes", "票数"),
    ("votes for", "投给"),
    ("worker (5 bits)", "机器（5 位）"),
    ("worker id (5 bits)", "机器 ID（5 位）"),
    ("writes accepted", "已接受的写入"),
];

/// Words and phrases of labels and values. Several-word phrases come first where their words
/// alone would read badly; the lookup always takes the longest phrase that matches.
const PHRASES: &[(&str, &str)] = &[
    ("blocked in the database", "在数据库中阻塞"),
    ("off the chain after", "不在主链上，分叉于"),
    ("locked by", "锁定者"),
    ("no id yet", "尚无 ID"),
    ("nothing yet", "尚无"),
    ("no leader known", "不知道领导者"),
    ("no leader", "无领导者"),
    ("in epoch", "，纪元"),
    ("leads with ballot", "领导中，编号"),
    ("slot(s) in flight", "个槽位在途"),
    ("gathering followers", "正在收集跟随者"),
    ("waiting to retry", "等待重试"),
    ("in doubt", "不确定"),
    ("rolled back", "已回滚"),
    ("pre committed", "已预提交"),
    ("voted no", "投了反对票"),
    ("votes for", "投票给"),
    ("is chosen", "已选定"),
    ("Acks in", "个 Ack 已到"),
    ("attempts/ms", "次尝试/毫秒"),
    ("days of rest", "天的休息"),
    ("every INCR logged", "每次 INCR 都记录"),
    ("transaction manager", "事务管理器"),
    ("loyalty points", "积分"),
    ("order system", "订单系统"),
    ("waits for", "等待"),
    ("of", "/"),
    ("Beijing", "北京"),
    ("London", "伦敦"),
    ("Paris", "巴黎"),
    ("Shanghai", "上海"),
    ("Washington", "华盛顿"),
    ("Yes", "是"),
    ("No", "否"),
    ("abandoned", "已放弃"),
    ("abort", "中止"),
    ("acquiring", "加锁中"),
    ("agree", "同意"),
    ("and", "和"),
    ("at", "位于"),
    ("backup", "备"),
    ("balance", "余额"),
    ("blocked", "阻塞"),
    ("cancel", "取消"),
    ("cancelled", "已取消"),
    ("candidate", "候选者"),
    ("children", "个子节点"),
    ("client", "客户端"),
    ("clock", "时钟"),
    ("coin-days", "币天"),
    ("commit", "提交"),
    ("committed", "已提交"),
    ("completed", "已完成"),
    ("confirm", "确认"),
    ("confirmed", "已确认"),
    ("consumed", "已消费"),
    ("coordinator", "协调者"),
    ("created", "已创建"),
    ("data", "数据"),
    ("database", "数据库"),
    ("done", "完成"),
    ("electing", "选举中"),
    ("empty", "空"),
    ("failed", "失败"),
    ("false", "否"),
    ("follower", "跟随者"),
    ("followers", "个跟随者"),
    ("follows", "跟随"),
    ("free", "空闲"),
    ("got", "得到"),
    ("held", "已占用"),
    ("holds", "持有"),
    ("id", "ID"),
    ("idle", "空闲"),
    ("in", "已到"),
    ("init", "初始"),
    ("inventory", "库存"),
    ("joined", "已加入"),
    ("joining", "加入"),
    ("last", "最近"),
    ("leader", "领导者"),
    ("leads", "领导"),
    ("needs", "需要"),
    ("no", "否"),
    ("nobody", "无人"),
    ("none", "无"),
    ("off", "关"),
    ("ok", "成功"),
    ("on", "开"),
    ("order", "订单"),
    ("paid", "已支付"),
    ("pay", "支付"),
    ("payment", "支付"),
    ("pending-confirmation", "待确认"),
    ("polls", "次轮询"),
    ("prepare", "准备"),
    ("prepared", "已准备"),
    ("primary", "主"),
    ("promises", "个承诺"),
    ("queue", "队列"),
    ("reading", "读取中"),
    ("ready-to-send", "待发送"),
    ("redis", "Redis"),
    ("refund", "退款"),
    ("releasing", "解锁中"),
    ("replica", "副本"),
    ("request", "请求"),
    ("reserved", "已预留"),
    ("rested", "已休息"),
    ("sent", "已发送"),
    ("ship", "发货"),
    ("snapshots", "快照"),
    ("stock", "库存"),
    ("storage", "存储"),
    ("true", "是"),
    ("unknown", "未知"),
    ("used", "已用"),
    ("using", "使用中"),
    ("votes", "票"),
    ("voting", "投票中"),
    ("waiting", "等待中"),
    ("waits", "等待中"),
    ("warehouse", "仓库"),
    ("working", "工作中"),
    ("writes", "次写入"),
    ("writing", "写入中"),
    ("yes", "是"),
    ("zookeeper", "ZooKeeper"),
];

/// Terms the texts themselves use untranslated; they stay as they are.
pub const KEPT: &[&str] = &[
    "AOF",
    "Ack",
    "Acks",
    "ID",
    "INCR",
    "PreCommit",
    "RDB",
    "Redis",
    "TM",
    "Try",
    "ZooKeeper",
    "accept",
    "cd",
    "lock",
    "ms",
    "rmState",
    "tmPrepared",
    "tmState",
    "ts",
];

fn zh(lang: &str) -> bool {
    lang.starts_with("zh")
}

/// A field name in `lang`; English, or unknown names, as they are.
pub fn field<'a>(name: &'a str, lang: &str) -> &'a str {
    if !zh(lang) {
        return name;
    }
    FIELDS
        .iter()
        .find(|(en, _)| *en == name)
        .map_or(name, |(_, zh)| zh)
}

/// Whether `c` can be part of a word: a phrase only matches whole words.
fn wordy(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A label or value in `lang`, phrase by phrase; numbers, ids and symbols stay.
pub fn phrase<'a>(text: &'a str, lang: &str) -> Cow<'a, str> {
    if !zh(lang) || !text.chars().any(|c| c.is_ascii_alphabetic()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    let mut prev: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let at_word_start = prev.is_none_or(|p| !wordy(p));
        let found = at_word_start
            .then(|| {
                PHRASES
                    .iter()
                    .filter(|(en, _)| rest.starts_with(en) && !rest[en.len()..].starts_with(wordy))
                    .max_by_key(|(en, _)| en.len())
            })
            .flatten();
        match found {
            Some((en, zh)) => {
                out.push_str(zh);
                rest = &rest[en.len()..];
                prev = en.chars().last();
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                prev = Some(c);
            }
        }
    }
    Cow::Owned(out)
}

/// The English words of `text` (two letters or more) that have no translation: what the test
/// over every preset looks for.
pub fn untranslated(text: &str) -> Vec<&str> {
    text.split(|c: char| !wordy(c))
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .filter(|w| !KEPT.contains(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_translate_phrase_by_phrase_and_keep_numbers() {
        assert_eq!(phrase("waits · 2 polls", "zh-CN"), "等待中 · 2 次轮询");
        assert_eq!(phrase("follower (follows 3)", "zh"), "跟随者 (跟随 3)");
        assert_eq!(phrase("follower (no leader)", "zh"), "跟随者 (无领导者)");
        assert_eq!(
            phrase("database 1 · locked by 3 #5", "zh"),
            "数据库 1 · 锁定者 3 #5"
        );
        assert_eq!(phrase("2 of 3 agree", "zh"), "2 / 3 同意");
        assert_eq!(
            phrase("TM · PreCommit, 2 Acks in", "zh"),
            "TM · PreCommit, 2 个 Ack 已到"
        );
    }

    #[test]
    fn words_inside_other_words_and_english_stay() {
        assert_eq!(phrase("t3 #2/4", "zh"), "t3 #2/4");
        assert_eq!(phrase("x=1, inventory", "zh"), "x=1, 库存");
        assert_eq!(phrase("onion", "zh"), "onion", "not 'on' + 'ion'");
        assert_eq!(phrase("waits · 2 polls", "en"), "waits · 2 polls");
        assert_eq!(field("commit index", "zh"), "提交索引");
        assert_eq!(field("commit index", "en"), "commit index");
        assert_eq!(field("no such field", "zh"), "no such field");
    }

    #[test]
    fn untranslated_words_are_found_and_kept_terms_are_not() {
        assert_eq!(untranslated("等待中 · 2 次轮询"), Vec::<&str>::new());
        assert_eq!(untranslated("TM · PreCommit (ts 3)"), Vec::<&str>::new());
        assert_eq!(untranslated("跟随者 (dancing 3)"), vec!["dancing"]);
        assert_eq!(untranslated("t3 h12 x=1"), Vec::<&str>::new());
    }

    #[test]
    fn every_phrase_and_field_appears_once() {
        for table in [FIELDS, PHRASES] {
            let mut seen = std::collections::BTreeSet::new();
            for (en, _) in table {
                assert!(seen.insert(en), "{en} twice");
            }
        }
    }
}
