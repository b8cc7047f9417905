//! The event log in Simplified Chinese.
//!
//! Each log line and each note a protocol writes is an English sentence around values (node
//! ids, message labels, numbers). Word-by-word translation would keep the English word order,
//! so these are whole-sentence templates: `{}` stands for a value, and the Chinese form may
//! take the values in another order (`{1}`, `{0}`). A line no template matches falls back to
//! [`phrase`](super::phrase). The test over every preset fails on a note or line that no
//! template matches, so a protocol that writes a new sentence adds it here.

use std::borrow::Cow;

/// What the engine writes of each event: its cause, and the learner's actions.
const EVENTS: &[(&str, &str)] = &[
    ("starts", "启动"),
    ("receives {} from {}", "收到来自 {1} 的 {0}"),
    (
        "{} from {} to {} is lost: receiver down",
        "{0}（{1} → {2}）丢失：接收方已宕机",
    ),
    (
        "{} from {} to {} is lost: partition",
        "{0}（{1} → {2}）丢失：网络分区",
    ),
    (
        "{} from {} to {} is lost: lost",
        "{0}（{1} → {2}）在网络中丢失",
    ),
    (
        "{} from {} to {} is lost: dropped",
        "{0}（{1} → {2}）被丢弃",
    ),
    ("message {}", "消息 {}"),
    ("timer {} fires", "定时器 {} 到期"),
    ("node {}: {}", "节点 {}：{}"),
    ("crash node {}", "使节点 {} 崩溃"),
    ("recover node {}", "恢复节点 {}"),
    ("partition {}", "分区 {}"),
    ("heal the network", "修复网络"),
    ("cut link {}", "切断链路 {}"),
    ("restore link {}", "恢复链路 {}"),
    ("drop message {}", "丢弃消息 {}"),
    ("delay message {} by {} ms", "把消息 {} 延迟 {} 毫秒"),
    ("deliver message {} now", "立即投递消息 {}"),
    ("duplicate message {}", "复制消息 {}"),
    ("pause node {} for {} ms", "让节点 {} 暂停 {} 毫秒"),
    (
        "node {}'s clock jumps back {} ms",
        "节点 {} 的时钟向后跳 {} 毫秒",
    ),
    (
        "node {}'s clock jumps ahead {} ms",
        "节点 {} 的时钟向前跳 {} 毫秒",
    ),
    ("node {} resumes", "节点 {} 恢复运行"),
    ("node {} is down and ignores it", "节点 {} 已宕机，忽略它"),
    ("node {} is already down", "节点 {} 已经宕机"),
    ("node {} is already up", "节点 {} 已经在运行"),
    (
        "node {} is down and cannot pause",
        "节点 {} 已宕机，无法暂停",
    ),
    (
        "message to missing node {} not sent",
        "目标节点 {} 不存在，消息未发送",
    ),
    ("message {} is not in flight any more", "消息 {} 已不在途中"),
];

/// What protocols note while handling an event, sentence by sentence.
const NOTES: &[(&str, &str)] = &[
    ("Cancel: gives back the {} it reserved", "Cancel：归还预留的 {}"),
    ("Cancel: nothing was reserved", "Cancel：没有预留任何东西"),
    ("Confirm: uses the {} it reserved", "Confirm：使用预留的 {}"),
    ("DEL from {} deletes the lock of {}: it does not check whose it is", "来自 {} 的 DEL 删除了 {} 的锁：它不检查锁属于谁"),
    ("RDB: saves the counter {} to disk", "RDB：把计数器 {} 存到磁盘"),
    ("Try: needs {} but has {}: fails", "Try：需要 {}，但只有 {}：失败"),
    ("Try: reserves {}, commits locally", "Try：预留 {}，本地提交"),
    ("Washington pays London {}", "华盛顿向伦敦支付 {}"),
    ("a majority accepted {}: {} is chosen", "多数已接受 {}：{} 被选定"),
    ("a majority holds {}: committed", "多数已持有 {}：已提交"),
    ("a majority promised {}, none has accepted anything: proposes its own {}", "多数承诺了 {}，且都没有接受过任何值：提议自己的 {}"),
    ("a majority promised {}: leads, re-proposing {} slot(s)", "多数承诺了 {}：成为领导者，重新提议 {} 个槽位"),
    ("a majority promised {}; the highest accepted proposal is {}: must propose {}", "多数承诺了 {}；已接受的最高提案是 {}：必须提议 {}"),
    ("a quorum accepted epoch {}: leads ({} followers)", "法定人数接受了纪元 {}：成为领导者（{} 个跟随者）"),
    ("a quorum votes for me in round {}: waits for followers", "第 {} 轮有法定人数投票给自己：等待跟随者"),
    ("accepts a stale write of {}", "接受了 {} 的过期写入"),
    ("accepts the write of {}", "接受 {} 的写入"),
    ("acknowledged PreCommit and heard nothing since: commits on its own", "已确认 PreCommit，之后再无消息：自行提交"),
    ("adopts {}'s vote for {} (data {} beats {})", "采纳 {} 的选票，改投 {}（数据 {} 胜过 {}）"),
    ("agrees to {} (ts {})", "同意 {}（ts {}）"),
    ("already committed on its own: too late to abort", "已经自行提交：来不及中止了"),
    ("already confirmed: does nothing again, answers again", "已确认过：不再重复执行，只再次应答"),
    ("answers {}: I am bigger", "应答 {}：我更大"),
    ("appends {} at {}", "在 {1} 追加 {0}"),
    ("applies up to {}", "应用到 {}"),
    ("applies {} and acknowledges at once", "应用 {} 并立即确认"),
    ("applies {}; acknowledges once {} and {} confirm", "应用 {}；等 {} 和 {} 确认后再确认"),
    ("applies {}; acknowledges once {} confirm", "应用 {}；等 {} 确认后再确认"),
    ("asks for the lock it already holds (a nested call)", "请求自己已持有的锁（嵌套调用）"),
    ("begins the business activity: Try on every participant", "开始业务活动：在每个参与者上执行 Try"),
    ("begins the transaction: asks every participant CanCommit", "开始事务：向每个参与者发送 CanCommit"),
    ("cannot execute the transaction: votes No", "无法执行事务：投反对票"),
    ("charges {}: balance {}", "扣款 {}：余额 {}"),
    ("checks its lease: still valid, writes", "检查租约：仍然有效，写入"),
    ("child {} is the lowest: holds the lock", "子节点 {} 序号最小：持有锁"),
    ("child {} waits: watches {}", "子节点 {} 等待：监视 {}"),
    ("commits and releases its locks", "提交并释放锁"),
    ("compare-and-delete from {} fails: the value is {}'s token", "来自 {} 的 compare-and-delete 失败：值是 {} 的令牌"),
    ("could commit: answers Yes, locks nothing yet", "可以提交：回答 Yes，暂不加锁"),
    ("defers {} (ts {}): own request ts {} is earlier", "推迟答复 {}（ts {}）：自己的请求 ts {} 更早"),
    ("done: sends the deferred agreement to {}", "用完：把推迟的同意发给 {}"),
    ("drops {} onward (term {}): they conflict with the leader", "删除从 {} 起的条目（任期 {}）：它们与领导者冲突"),
    ("every RM has prepared: the TM may commit", "每个 RM 都已准备好：TM 可以提交"),
    ("every Try succeeded: logs commit and sends Confirm to everyone", "每个 Try 都成功：记录提交并向所有参与者发送 Confirm"),
    ("every participant answered HaveCommitted: the transaction is over", "每个参与者都回复了 HaveCommitted：事务结束"),
    ("every participant answered: the transaction is over", "每个参与者都已回复：事务结束"),
    ("every participant said Yes: sends PreCommit", "每个参与者都回答 Yes：发送 PreCommit"),
    ("every participant voted Yes: logs commit and tells everyone", "每个参与者都投了 Yes：记录提交并通知所有参与者"),
    ("executes, writes undo and redo, locks: answers Ack", "执行，写 undo 和 redo 日志，加锁：回复 Ack"),
    ("executes, writes undo and redo, locks: votes Yes", "执行，写 undo 和 redo 日志，加锁：投 Yes"),
    ("finds block {} at height {} and keeps it secret", "在高度 {1} 找到区块 {0}，秘而不宣"),
    ("follows {}", "跟随 {}"),
    ("granted: uses the machine", "获准：使用咖啡机"),
    ("grants the lock to {} with token {}", "把锁授予 {}，令牌 {}"),
    ("grants the machine to {}", "把咖啡机授予 {}"),
    ("has already processed {}: answers again, does nothing twice", "已处理过 {}：再次应答，不重复执行"),
    ("has every agreement for timestamp {}: uses the machine", "时间戳 {} 的请求已获全部同意：使用咖啡机"),
    ("has heard nothing on the connection of {} for {} ms: closes it, rolls its transaction back and releases the row lock", "{} 的连接已 {} 毫秒没有动静：关闭连接，回滚其事务并释放行锁"),
    ("has no entry {} of term {}: refuses", "没有任期 {1} 的条目 {0}：拒绝"),
    ("has nothing to undo: rolls back", "没有需要撤销的：回滚"),
    ("has {} of {} votes: leader of term {}", "得到 {} / {} 票：成为任期 {} 的领导者"),
    ("hears nothing from the primary: the replica is promoted", "收不到主节点的消息：副本被提升为主"),
    ("holds an election: asks {} higher nodes", "发起选举：询问 {} 个更大的节点"),
    ("holds the global token: sends the local token round its ring", "持有全局令牌：让局部令牌在本环内传一圈"),
    ("holds the local token: uses the machine", "持有局部令牌：使用咖啡机"),
    ("holds the lock {} times now", "现在持有锁 {} 次"),
    ("holds the token: uses the machine", "持有令牌：使用咖啡机"),
    ("ignores stale Try ok from {}", "忽略来自 {} 的过期 Try 成功回复"),
    ("issues {} again", "再次发放 {}"),
    ("its delegate {} missed a slot: votes for {} instead", "它的代表 {} 错过了一个时段：改投 {}"),
    ("its lease ran out on its own clock: it no longer holds the lock", "按自己的时钟租约已到期：不再持有锁"),
    ("locks the row for the transaction of {} (token {})", "为 {} 的事务锁定该行（令牌 {}）"),
    ("looks in its log: {} was committed", "查看日志：{} 已提交"),
    ("makes block {} at height {} with {} transaction(s)", "在高度 {1} 出块 {0}，含 {2} 笔交易"),
    ("no answer from {}: sends Confirm again", "{} 没有回复：再次发送 Confirm"),
    ("no answer in time: the operation fails", "没有及时回复：操作失败"),
    ("no final Ack from {} and {}: sends Abort again", "{} 和 {} 没有发来最终的 Ack：再次发送 Abort"),
    ("no higher node answered: announces Victory", "没有更大的节点应答：宣布 Victory"),
    ("not every Ack came in time: logs abort and tells everyone", "并非所有 Ack 都及时到达：记录中止并通知所有参与者"),
    ("only {} of {} instances said yes in time: releases on every instance and retries", "只有 {} / {} 个实例及时同意：在每个实例上释放并重试"),
    ("out of stock: cannot ship", "缺货：无法发货"),
    ("paid: asks the warehouse to ship", "已支付：通知仓库发货"),
    ("pays Washington {} in public and mines in secret a chain where it pays itself", "公开向华盛顿支付 {}，同时秘密挖一条付款给自己的链"),
    ("prepares ballot {} for every slot", "为每个槽位准备编号 {}"),
    ("prepares proposal number {}", "准备提案编号 {}"),
    ("reads {} from {}", "从 {1} 读到 {0}"),
    ("refunds {}: balance {}", "退款 {}：余额 {}"),
    ("refuses accept {}: promised {}", "拒绝 accept {}：已承诺 {}"),
    ("refuses prepare {}: promised {}", "拒绝 prepare {}：已承诺 {}"),
    ("refuses the write of {}: token {} is older than one it has seen", "拒绝 {} 的写入：令牌 {} 比见过的更旧"),
    ("refuses {}: already voted for {} in term {}", "拒绝 {0}：任期 {2} 已投票给 {1}"),
    ("refuses {}: my log is more up to date", "拒绝 {}：我的日志更新"),
    ("refuses {}: {} holds the lock", "拒绝 {}：{} 持有锁"),
    ("releases one of its {} holds", "释放 {} 次持有中的一次"),
    ("replays its AOF: counter {}", "重放 AOF：计数器 {}"),
    ("restarts from its RDB snapshot: counter {} (it had reached {})", "从 RDB 快照重启：计数器 {}（之前已到 {}）"),
    ("rolls back and releases what it held", "回滚并释放所持有的"),
    ("rolls back from its undo log and releases its locks", "按 undo 日志回滚并释放锁"),
    ("round {} refused: {} promised {}; backs off", "第 {} 轮被拒：{} 已承诺 {}；退避"),
    ("sees term {}: steps down", "看到任期 {}：退位"),
    ("sends half message {} (pay)", "发送半消息 {}（支付）"),
    ("sends half message {} (refund)", "发送半消息 {}（退款）"),
    ("sends half message {} (ship)", "发送半消息 {}（发货）"),
    ("shipped: the order is complete", "已发货：订单完成"),
    ("ships one: stock {}", "发货一件：库存 {}"),
    ("skips its final write and releases anyway", "跳过最后的写入，照样解锁"),
    ("still in doubt, locks held: asks the coordinator for the decision", "仍不确定，锁未释放：向协调者询问决定"),
    ("stores {}: pending confirmation", "存下 {}：待确认"),
    ("stores {}: ready to send", "存下 {}：待发送"),
    ("switches from {} to the longer branch of {}: {} block(s) dropped", "从 {} 切换到 {} 所在的更长分支：丢弃 {} 个区块"),
    ("takes {} from the primary", "从主节点取得 {}"),
    ("the SELECT … FOR UPDATE of {} waits for the row lock of {}'s transaction: it blocks inside the database", "{} 的 SELECT … FOR UPDATE 等待 {} 的事务持有的行锁：在数据库内阻塞"),
    ("the Try of {} failed: logs abort and sends Cancel to everyone", "{} 的 Try 失败：记录中止并向所有参与者发送 Cancel"),
    ("the clock reads {} ms, behind the last timestamp {} ms: waits", "时钟读数 {} 毫秒，落后于上一个时间戳 {} 毫秒：等待"),
    ("the clock went back to {} ms from {} ms: carries on from there", "时钟从 {1} 毫秒回拨到 {0} 毫秒：从那里继续"),
    ("the key of {} expires: the lock is free", "{} 的键过期：锁空闲了"),
    ("the leader went silent", "领导者没有动静了"),
    ("the local token is back: passes the global token on", "局部令牌回来了：把全局令牌传下去"),
    ("the payment has {} confirmation(s) and its secret chain is longer: publishes {} block(s)", "付款已有 {} 个确认，且秘密链更长：公布 {} 个区块"),
    ("the queue has {}: deletes it from the local table", "队列已有 {}：从本地表中删除"),
    ("the queue never stored {}: gives up the order, nothing to undo", "队列从未存下 {}：放弃订单，无需撤销"),
    ("the relay forwards its local message table again", "中继再次转发本地消息表"),
    ("the row lock passes to {}, whose SELECT … FOR UPDATE was waiting", "行锁交给 {}，它的 SELECT … FOR UPDATE 一直在等"),
    ("the session of {} times out: its ephemeral node is deleted", "{} 的会话超时：其临时节点被删除"),
    ("the warehouse cannot ship: compensates with a refund", "仓库无法发货：以退款补偿"),
    ("the watchdog renewed the lease", "看门狗续了租约"),
    ("times out: candidate in term {}", "超时：成为任期 {} 的候选者"),
    ("told to take over: becomes the primary in epoch {} with value {} and tells everyone", "被告知接管：在纪元 {} 成为主节点，值为 {}，并通知所有节点"),
    ("user A orders for {}", "用户 A 下单 {}"),
    ("votes for {} in term {}", "任期 {1} 投票给 {0}"),
    ("waits for the local token", "等待局部令牌"),
    ("waits for the token to come round", "等令牌转过来"),
    ("wants resource A at timestamp {}", "在时间戳 {} 申请资源 A"),
    ("write {} acknowledged", "写入 {} 已确认"),
    ("writes the order and {} (pay) to its local message table in one transaction", "在一个事务里写入订单和 {}（支付）到本地消息表"),
    ("writes the order and {} (ship) to its local message table in one transaction", "在一个事务里写入订单和 {}（发货）到本地消息表"),
    ("{} already holds the row: its count goes up to {}", "{} 已持有该行：计数增加到 {}"),
    ("{} already leads a quorum: joins it", "{} 已领导一个法定人数：加入它"),
    ("{} answers that it did the opposite: commit", "{} 回答它做了相反的决定：提交"),
    ("{} commits: its transaction ends and the row lock is released", "{} 提交：事务结束，行锁释放"),
    ("{} confirmed: ready to send", "{} 已确认：待发送"),
    ("{} deletes a lock nobody holds", "{} 删除了一个无人持有的锁"),
    ("{} did not confirm in time: replicates to them asynchronously from now on, and acknowledges", "{} 没有及时确认：从现在起对它们异步复制，并确认写入"),
    ("{} did not confirm in time: the write fails (maximum protection)", "{} 没有及时确认：写入失败（最大保护模式）"),
    ("{} event(s) waited for it and happen now", "{} 个事件一直在等它，现在发生"),
    ("{} is lower and claims to lead: takes over", "{} 更小却自称领导者：接管"),
    ("{} is still unconfirmed: checks back", "{} 仍未确认：回查"),
    ("{} is stored: runs its local transaction (order cancelled) and confirms", "{} 已存下：执行本地事务（订单已取消）并确认"),
    ("{} is stored: runs its local transaction (order created) and confirms", "{} 已存下：执行本地事务（订单已创建）并确认"),
    ("{} is stored: runs its local transaction (order paid) and confirms", "{} 已存下：执行本地事务（订单已支付）并确认"),
    ("{} is the primary now", "{} 现在是主节点"),
    ("{} leads a newer epoch: steps down", "{} 领导着更新的纪元：退位"),
    ("{} nodes joined: proposes epoch {}", "{} 个节点已加入：提议纪元 {}"),
    ("{} not acknowledged: delivers it again", "{} 未被确认：再次投递"),
    ("{} of {} instances: holds the lock for {} ms (its validity)", "{} / {} 个实例同意：持有锁 {} 毫秒（有效期）"),
    ("{} queues as number {}", "{} 排在第 {} 位"),
    ("{} refuses; will ask {} from now on", "{} 拒绝；从现在起改问 {}"),
    ("{} releases its last hold: the count reaches {} and the row is deleted", "{} 释放最后一次持有：计数降到 {}，该行被删除"),
    ("{} releases once: the row's count goes down to {}", "{} 释放一次：该行的计数降到 {}"),
    ("{} releases the lock", "{} 释放锁"),
    ("{} versions in: stores {} at {} on every replica, needs {}", "已收到 {} 个版本：在每个副本上把 {} 存为 {}，需要 {}"),
    ("{} voted No: logs abort and tells everyone", "{} 投了 No：记录中止并通知所有参与者"),
];

/// A template taken apart once: the words before its first value, between its values and
/// after its last.
struct Template {
    first: &'static str,
    middle: Vec<&'static str>,
    last: &'static str,
    /// How many values it takes.
    holes: usize,
    /// How many characters of its own it has: the most specific match wins.
    own: usize,
    zh: &'static str,
}

impl Template {
    fn new(en: &'static str, zh: &'static str) -> Self {
        let holes = en.matches("{}").count();
        let (first, middle, last) = match (en.split_once("{}"), en.rsplit_once("{}")) {
            (Some((first, _)), Some((_, last))) => {
                let inner = &en[first.len() + 2..en.len() - last.len()];
                let middle = inner
                    .strip_suffix("{}")
                    .map_or_else(Vec::new, |m| m.split("{}").collect());
                (first, middle, last)
            }
            _ => (en, Vec::new(), ""),
        };
        Template {
            first,
            middle,
            last,
            holes,
            own: en.len() - 2 * holes,
            zh,
        }
    }

    /// `text` read against this template: the values, or `None` if it does not match.
    fn values<'a>(&self, text: &'a str) -> Option<Vec<&'a str>> {
        if self.holes == 0 {
            return (text == self.first).then(Vec::new);
        }
        // Nearly every template fails on its first or last words: check those first.
        let mut rest = text.strip_prefix(self.first)?.strip_suffix(self.last)?;
        let mut found = Vec::with_capacity(self.holes);
        for literal in &self.middle {
            let at = rest.find(literal).filter(|_| !literal.is_empty())?;
            if at == 0 {
                return None;
            }
            found.push(&rest[..at]);
            rest = &rest[at + literal.len()..];
        }
        if rest.is_empty() {
            return None;
        }
        found.push(rest);
        Some(found)
    }
}

/// Every template, taken apart on first use: the page reads every line of its log against
/// all of them on every frame.
fn templates() -> &'static [Template] {
    static TEMPLATES: std::sync::OnceLock<Vec<Template>> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        EVENTS
            .iter()
            .chain(NOTES)
            .map(|(en, zh)| Template::new(en, zh))
            .collect()
    })
}

/// The Chinese template `zh` with `values` put in: `{}` takes the next, `{N}` the N-th.
fn fill(zh: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(zh.len() + 16);
    let mut next = 0;
    let mut rest = zh;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inside = &rest[open + 1..open + close];
        let index = if inside.is_empty() {
            next += 1;
            next - 1
        } else {
            inside.parse().unwrap_or(usize::MAX)
        };
        out.push_str(values.get(index).copied().unwrap_or(""));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The template that matches `text` with the most words of its own: "message {} is not in
/// flight any more" rather than "message {}".
fn template(text: &str) -> Option<(&'static str, Vec<&str>)> {
    templates()
        .iter()
        .filter_map(|t| Some((t, t.values(text)?)))
        .max_by_key(|(t, _)| t.own)
        .map(|(t, values)| (t.zh, values))
}

/// A log line or note in `lang`.
pub fn line<'a>(text: &'a str, lang: &str) -> Cow<'a, str> {
    if !super::zh(lang) {
        return Cow::Borrowed(text);
    }
    match template(text) {
        Some((zh, values)) => Cow::Owned(fill(zh, &values)),
        None => super::phrase(text, lang),
    }
}

/// Whether a template covers `text`: what the test over every preset asks of each line.
pub fn knows_line(text: &str) -> bool {
    template(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_where_the_chinese_puts_them() {
        assert_eq!(line("receives ok 8 from 2", "zh"), "收到来自 2 的 ok 8");
        assert_eq!(
            line("defers 3 (ts 12): own request ts 8 is earlier", "zh"),
            "推迟答复 3（ts 12）：自己的请求 ts 8 更早"
        );
        assert_eq!(line("votes for 2 in term 3", "zh"), "任期 3 投票给 2");
        assert_eq!(line("starts", "zh"), "启动");
        assert_eq!(
            line("message 7 is not in flight any more", "zh"),
            "消息 7 已不在途中",
            "the most specific template wins"
        );
        assert_eq!(line("receives ok 8 from 2", "en"), "receives ok 8 from 2");
    }

    #[test]
    fn a_template_matches_whole_lines_only() {
        assert!(knows_line("follows 3"));
        assert!(!knows_line("follows"), "a value cannot be empty");
        assert!(!knows_line("starts again"));
        assert_eq!(
            line("the leader went silent twice", "zh"),
            "the 领导者 went silent 两次",
            "no template: phrase by phrase"
        );
    }

    #[test]
    fn every_template_appears_once_and_fills_each_value() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, zh) in EVENTS.iter().chain(NOTES) {
            assert!(seen.insert(en), "{en} twice");
            let wanted = en.matches("{}").count();
            let given = zh.matches('{').count();
            assert_eq!(wanted, given, "{en} → {zh}");
        }
    }
}
