//! What the page shows of a run's views, in Simplified Chinese: node views here, findings and
//! outcomes through the same phrases. The event log needs none of this: its lines and notes are
//! typed words that render themselves in each language (`clusterplay_sim::words`).
//!
//! A protocol's [`NodeView`](clusterplay_view::NodeView) is written once, in English: field
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
    ("compensated", "已补偿"),
    ("compensations run", "补偿执行次数"),
    ("steps done", "已完成的步骤"),
    ("steps run", "步骤执行次数"),
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
    ("asks when in doubt", "不确定时询问"),
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
    ("taken for failed", "判定为故障"),
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
    ("asks", "向谁申请"),
    ("backup holds version", "备份已有的版本"),
    ("book version", "记录版本"),
    ("token epoch", "令牌代数"),
    ("skips", "跳过"),
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
    ("copy of the queue", "队列副本"),
    ("regenerating the token", "正在重建令牌"),
    // The inspector's commands (web's `Lang::command`).
    ("begin", "开始事务"),
    ("generate", "生成"),
    ("elect", "发起选举"),
    ("acquire", "申请加锁"),
    ("take over", "接管"),
    ("propose", "提议"),
    ("read from", "读自节点"),
    ("promote", "提升为主节点"),
    ("put", "写入"),
    ("timeout", "让计时器超时"),
    ("look", "寻找领导者"),
    ("saga orchestrator", "Saga 编排者"),
    // Node labels: the numbers a learner follows, named.
    ("ballot", "编号"),
    ("chosen", "已选定"),
    ("chosen up to slot", "已选定到槽位"),
    ("height", "高度"),
    ("tip", "链头"),
    ("promised", "已承诺"),
    ("proposal", "提案编号"),
    ("value", "值"),
    ("orchestrator", "编排者"),
    ("compensate", "补偿"),
    ("compensated", "已补偿"),
    ("step", "步骤"),
    // Violations: whole clauses, so that the Chinese reads as a sentence.
    ("wrote after client", "在客户端"),
    (
        "had written under a newer holding: two holders wrote to the resource at once",
        "凭更新的锁写入之后仍在写入：两个持有者同时写了资源",
    ),
    (
        "the resource accepted a write with an older token after a newer one",
        "资源接受了较新的令牌之后，又接受了带较旧令牌的写入",
    ),
    (
        "a majority of acceptors accepted each of",
        "多数接受者分别接受了",
    ),
    ("a majority accepted each of", "多数分别接受了"),
    (" in slot", "，槽位"),
    ("learned", "学到了"),
    (" but", "，但"),
    ("dropped block", "丢弃了区块"),
    (", which lay", "，它曾深埋"),
    ("deep", "层"),
    ("'s chain applies", " 的链执行了"),
    ("twice", "两次"),
    ("programs", "程序"),
    ("use the coffee machine at the same time", "同时使用咖啡机"),
    ("are both primary", "都是主节点"),
    ("acknowledged version", "确认过版本"),
    ("leads epoch", "领导纪元"),
    ("with version", "，数据版本为"),
    (": the acknowledged write is lost", "：已确认的写入丢失了"),
    (" read ", " 读到 "),
    (" after client ", "，而此前客户端 "),
    ("'s write of", " 写入的"),
    (" was acknowledged: a stale read", " 已被确认：读到了旧值"),
    ("'s read had returned the newer", " 的读取已返回更新的"),
    (": the value went back", "：读到的值倒退了"),
    (" before client ", "，早于客户端 "),
    (" began to write it", " 开始写入它"),
    (", a value nobody wrote", "，一个没人写过的值"),
    (
        ": no order of the overlapping operations explains it",
        "：重叠的操作无论怎样排序都解释不了",
    ),
    ("generator", "生成器"),
    ("generators", "生成器"),
    ("issued", "发放了"),
    ("both issued", "都发放了"),
    ("both led epoch", "都领导了纪元"),
    ("both led term", "都领导了任期"),
    ("both hold", "都持有"),
    (" of term", "，任期"),
    (
        " but their logs differ up to it",
        "，但两者到此为止的日志不同",
    ),
    ("applied different entries at", "应用了不同的条目，位置"),
    ("lacks the committed entry", "缺少已提交的条目"),
    ("both act as leader", "都以领导者自居"),
    ("all act as leader", "都以领导者自居"),
    (" (split brain)", "（脑裂）"),
    ("participant", "参与者"),
    ("available", "可用"),
    ("used of", "已用，总共"),
    ("RMs disagree: ", "各 RM 结果不一："),
    ("participants disagree: ", "各参与者结果不一："),
    ("committed while", "已提交，而"),
    ("aborted", "已中止"),
    ("message queue", "消息队列"),
    ("charged twice", "重复扣款"),
    ("shipped twice", "重复发货"),
    ("node", "节点"),
    ("nodes", "节点"),
    (
        "wait and only a fault (a recovery, a heal) could change anything",
        "都在等待，只有故障（恢复、愈合）才能改变局面",
    ),
    // Findings marked on the space-time diagram.
    ("read", "读"),
    ("write", "写"),
    // Badges drawn as words.
    ("conflict", "冲突"),
    ("fork", "分叉"),
    ("secret", "秘密"),
    // Outcome values.
    ("async", "异步"),
    ("sync", "同步"),
    ("quorum", "法定人数"),
    ("max-availability", "最大可用"),
    ("for-update", "SELECT … FOR UPDATE"),
    ("insert", "插入唯一行"),
    ("auto-increment", "数据库自增"),
    ("redis-incr", "Redis INCR"),
    ("snowflake", "雪花算法"),
    ("uuid", "UUID"),
    ("any", "任一节点"),
    ("blocked in the database", "在数据库中阻塞"),
    ("off the chain after", "不在主链上，分叉于"),
    ("locked by", "锁定者"),
    ("no id yet", "尚无 ID"),
    ("loading AOF", "正在加载 AOF"),
    ("nothing yet", "尚无"),
    ("no leader known", "不知道领导者"),
    ("no leader", "无领导者"),
    (" in epoch", "，纪元"),
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
    ("ok", "同意"),
    ("on", "开"),
    ("order", "订单"),
    ("paid", "已支付"),
    ("pay", "支付"),
    ("payment", "支付"),
    ("pending-confirmation", "待确认"),
    ("poll", "次轮询"),
    ("polls", "次轮询"),
    ("prepare", "准备"),
    ("prepared", "已准备"),
    ("primary", "主"),
    ("promises", "个承诺"),
    ("queue", "队列"),
    ("reading", "读取中"),
    ("ready", "已就绪"),
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
    // Messages in flight and their kinds (issue 17). Where the texts name a message in English
    // (Bully's Election, Alive and Victory; 2PC's and 3PC's CanCommit, PreCommit, DoCommit;
    // Redis' and SQL's commands) it keeps that name; the rest read as the texts' own words.
    ("append-entries", "追加日志"),
    ("what did you do?", "结果如何？"),
    ("check-result", "确认结果"),
    ("undone", "已撤销"),
    ("never done", "未执行"),
    ("checking", "确认结果中"),
    ("deleted", "已删除"),
    ("epoch", "纪元"),
    ("token", "令牌"),
    ("version", "版本"),
    ("heartbeat-reply", "心跳回复"),
    ("heartbeat", "心跳"),
    ("request-vote", "请求投票"),
    ("vote for me,", "请投票给我，"),
    ("yes,", "同意，"),
    ("no,", "拒绝，"),
    ("term", "任期"),
    ("entry", "日志"),
    ("entries", "日志"),
    ("ok, up to", "成功，已对齐到"),
    ("no match", "不匹配"),
    ("vote", "投票"),
    ("block", "区块"),
    ("tx", "交易"),
    ("alive", "Alive"),
    ("election", "Election"),
    ("victory", "Victory"),
    ("promise", "承诺"),
    ("accepted", "已接受"),
    ("slots", "个槽位"),
    ("nack", "拒绝"),
    ("ack", "ACK"),
    ("ack-epoch", "确认纪元"),
    ("follower-info", "跟随者信息"),
    ("new-epoch", "新纪元"),
    ("join", "加入"),
    ("notification", "选票通知"),
    ("can-commit", "CanCommit"),
    ("pre-commit", "PreCommit"),
    ("do-commit", "DoCommit"),
    ("do-abort", "DoAbort"),
    ("have-committed", "HaveCommitted"),
    ("decision?", "结果如何？"),
    ("query", "询问"),
    ("peer-answer", "参与者的答复"),
    ("alive?", "还活着吗？"),
    ("still here", "还在"),
    ("still-here", "还在"),
    ("probe", "存活探测"),
    ("don't know", "不知道"),
    (
        "the coordinator and the other participants",
        "协调者和其他参与者",
    ),
    ("check-back", "回查"),
    ("half-message", "半消息"),
    ("half", "半消息"),
    ("deliver", "投递"),
    ("publish", "发布"),
    ("stored", "已存储"),
    ("grant", "授予"),
    ("release", "释放"),
    ("req", "请求"),
    ("global token", "全局令牌"),
    ("local token", "本地令牌"),
    ("new primary", "新主节点"),
    ("new-primary", "新主节点"),
    ("read-ok", "读取成功"),
    ("refused", "被拒绝"),
    ("replicate", "复制"),
    ("written", "已写入"),
    ("has", "已有"),
    ("store", "存储"),
    ("next id?", "下一个 ID？"),
    ("create", "创建"),
    ("delete", "删除"),
    ("get-children", "获取子节点"),
    ("notify", "通知"),
    ("watch all", "监听全部"),
    ("watch", "监听"),
    ("count", "计数"),
    ("keep-alive", "保活"),
    ("lock again", "再次加锁"),
    ("reenter", "重入"),
    ("rolled-back", "已回滚"),
    ("select-for-update", "SELECT FOR UPDATE"),
    ("set-nx", "SETNX"),
    ("set-reply", "SET 回复"),
    ("taken", "已被占用"),
    ("unlock", "解锁"),
    ("del", "DEL"),
    ("renew", "续期"),
    ("renew-reply", "续期回复"),
    ("renewed", "已续期"),
    ("try", "Try"),
    ("copy", "副本"),
    ("copied", "副本已存"),
    ("new-coordinator", "新协调者"),
    ("go-on", "继续"),
    ("received", "已收到"),
    ("regenerate, from", "重建令牌，发起者"),
    ("regenerate", "重建令牌"),
    ("rejoin", "重新加入"),
    ("try-result", "Try 结果"),
    ("Confirmed", "Confirm 完成"),
    ("Cancelled", "Cancel 完成"),
    ("Do", "执行"),
    ("do", "执行"),
    ("Done", "完成"),
    ("Failed", "失败"),
    ("step-result", "步骤结果"),
    // Timers, as the inspector lists them under "Timers".
    ("Answer", "等待应答"),
    ("Ask", "询问"),
    ("Attack", "攻击"),
    ("Attempt", "尝试"),
    ("Check", "检查"),
    ("ChooseToAbort", "决定中止"),
    ("Connection", "连接"),
    ("Coordinator", "等待协调者"),
    ("Day", "一天"),
    ("Election", "选举超时"),
    ("Expire", "过期"),
    ("Failover", "故障转移"),
    ("Heartbeat", "心跳"),
    ("Handoff", "等待确认收到令牌"),
    ("RoundHandoff", "等待确认收到重建"),
    ("Watch", "等令牌"),
    ("Beat", "发心跳"),
    ("Takeover", "接管超时"),
    ("LeaderCheck", "检查主节点"),
    ("LeaderSilent", "领导者无音讯"),
    ("LeaseEnd", "租约到期"),
    ("Mine", "挖矿"),
    ("Participant", "等待参与者"),
    ("Prepare", "准备"),
    ("Probe", "存活探测"),
    ("Renew", "续期"),
    ("Replicate", "复制"),
    ("Resend", "重发"),
    ("Retry", "重试"),
    ("Session", "会话"),
    ("Slot", "出块时段"),
    ("Snapshot", "快照"),
    ("Stake", "质押"),
    ("Start", "开始"),
    ("Step", "下一步"),
    ("Store", "存储"),
    ("Tick", "计时"),
    ("Timeout", "超时"),
    ("Votes", "等待投票"),
    ("Work", "工作"),
    ("Write", "写入"),
];

/// Terms the texts themselves use untranslated (message and command names among them); they
/// stay as they are.
pub const KEPT: &[&str] = &[
    "Saga",
    "Compensate",
    "Compensated",
    "Abort",
    "accept",
    "Ack",
    "Acks",
    "AOF",
    "Cancel",
    "CanCommit",
    "cd",
    "compare-and-delete",
    "Confirm",
    "DEL",
    "FOR",
    "HaveCommitted",
    "ID",
    "INCR",
    "lock",
    "ms",
    "No",
    "PreCommit",
    "prepare",
    "RDB",
    "Redis",
    "redo",
    "RM",
    "rmState",
    "SELECT",
    "TM",
    "tmPrepared",
    "tmState",
    "Try",
    "ts",
    "undo",
    "UPDATE",
    "UUID",
    "Victory",
    "Alive",
    "Election",
    "ping",
    "pong",
    "ACK",
    "Commit",
    "Prepared",
    "DoCommit",
    "DoAbort",
    "OK",
    "COMMIT",
    "INSERT",
    "SET",
    "SETNX",
    "NX",
    "PX",
    "PEXPIRE",
    "CAD",
    "Yes",
    "ZooKeeper",
];

/// The invariants protocols check, by their stable names. English shows the name itself.
const INVARIANTS: &[(&str, &str)] = &[
    ("applied-once", "每笔交易只执行一次"),
    ("atomicity", "原子性"),
    ("buried-block-kept", "深埋的区块不会丢"),
    ("consistency", "一致性"),
    ("election-safety", "选举安全"),
    ("exactly-once", "恰好一次"),
    ("fencing", "fencing 令牌"),
    ("leader-completeness", "领导者完整性"),
    ("log-matching", "日志匹配"),
    ("mutual-exclusion", "互斥"),
    ("one-leader-per-epoch", "每个纪元一个领导者"),
    ("one-primary-per-epoch", "每个纪元一个主节点"),
    ("acknowledged-writes-survive", "已确认的写入不丢失"),
    ("linearizable", "线性一致"),
    ("one-value-chosen", "只选定一个值"),
    ("one-value-learned", "只学到一个值"),
    ("one-value-learned-per-slot", "每个槽位只学到一个值"),
    ("one-value-per-slot", "每个槽位只选定一个值"),
    ("one-writer", "同一时刻只有一个写者"),
    ("single-leader", "只有一个领导者"),
    ("state-machine-safety", "状态机安全"),
    ("unique-ids", "ID 不重复"),
];

/// The keys of protocols' outcomes: English where the key alone would not read well, and
/// Chinese for all.
const OUTCOME_KEYS: &[(&str, &str, &str)] = &[
    ("compensated", "", "已补偿的步骤"),
    ("completed", "", "已完成的步骤"),
    ("status", "", "状态"),
    ("aborted", "", "已中止"),
    ("accept_messages", "", "Accept 消息数"),
    ("acceptors", "", "接受者"),
    ("acquisitions", "Acquired by", "依次加锁成功的客户端"),
    ("agreed_length", "", "一致的长度"),
    ("agreement", "", "一致"),
    ("all_decided", "", "全部已决定"),
    ("answered", "", "已应答"),
    ("attempts", "", "尝试次数"),
    ("capacity", "Capacity of the layout", "这种布局的容量"),
    ("attempts_per_block", "", "每块尝试次数"),
    ("availability", "", "可用性"),
    ("back_to_sync", "", "恢复同步"),
    ("balances", "", "余额"),
    ("ballot", "", "编号"),
    ("blocked_waits", "", "阻塞等待次数"),
    ("blocks_made", "", "已出块数"),
    ("blocks_per_minute", "", "每分钟出块数"),
    ("chain_length", "", "链长"),
    ("chosen", "Chosen value", "选定的值"),
    ("chosen_at_ms", "Chosen at (ms)", "选定时刻（毫秒）"),
    ("chosen_proposal", "", "选定的提案"),
    ("client_values", "", "各客户端的值"),
    ("clients", "", "客户端"),
    ("commit_index", "", "提交索引"),
    ("committed", "", "已提交"),
    ("connection_timeouts", "", "连接超时次数"),
    ("consistent", "", "一致"),
    ("critical_section_order", "Order of use", "使用顺序"),
    ("decision", "", "决定"),
    ("deepest_reorg", "Deepest reorganisation", "最深的重组"),
    ("delegates_first", "Delegates, first round", "首轮代表"),
    ("delegates_last", "Delegates, last round", "末轮代表"),
    ("double_spends", "", "双花次数"),
    ("duplicate_ids", "Duplicate ids", "重复的 ID"),
    ("elections", "", "选举次数"),
    ("entries", "", "条目"),
    ("eventually_consistent", "", "最终一致"),
    ("failed", "", "失败"),
    ("fencing", "", "fencing 令牌"),
    ("final_value", "", "最终的值"),
    ("finished_ms", "Finished at (ms)", "结束时刻（毫秒）"),
    (
        "first_leader_ms",
        "First leader at (ms)",
        "首次选出领导者（毫秒）",
    ),
    ("forks", "", "分叉数"),
    ("formula", "", "公式"),
    ("formula_value", "", "公式的值"),
    ("formula_zh", "", "公式"),
    (
        "free_while_waiting_ms",
        "Free while others wait (ms)",
        "有人等待时的空闲时间（毫秒）",
    ),
    ("generators", "", "生成器"),
    ("global_tokens", "", "全局令牌传递次数"),
    ("guard_waits", "", "回拨保护等待次数"),
    ("history", "", "历史"),
    ("in_doubt", "", "不确定"),
    ("issued", "", "已发放"),
    ("k", "k (confirmations)", "k（确认数）"),
    ("late_majorities", "Majorities too late", "迟到的多数派"),
    ("leader", "", "领导者"),
    ("leader_changes", "", "切换领导者次数"),
    ("leaderships", "", "担任领导者次数"),
    ("learned", "", "已学到"),
    ("linearizable", "", "线性一致"),
    ("local_message_table", "", "本地消息表"),
    ("log", "", "日志"),
    ("logs", "", "日志"),
    ("lost_writes", "", "丢失的写入"),
    ("max_simultaneous_holders", "", "同时持有者最多"),
    ("messages_per_entry", "", "每次进入的消息数"),
    ("messages_per_value", "", "每个值的消息数"),
    ("missed_slots", "", "错过的时段"),
    ("mode", "", "模式"),
    ("n", "n (nodes)", "n（节点数）"),
    ("nodes", "", "节点"),
    ("notifications", "", "通知消息数"),
    ("offending", "Offending read", "违规的读取"),
    ("order", "", "订单"),
    ("orphaned", "", "孤块"),
    ("participants", "", "参与者"),
    ("payment", "", "支付"),
    ("phase1_messages", "Phase 1 messages", "阶段一消息数"),
    ("phase1_runs", "Phase 1 runs", "阶段一次数"),
    ("polls", "", "轮询次数"),
    ("prepared", "", "已准备"),
    ("promotions", "", "提升为主次数"),
    ("proposers", "", "提案者"),
    ("queue", "", "队列"),
    ("r", "R (read quorum)", "R（读法定人数）"),
    ("read_from", "", "读取自"),
    ("redeliveries", "", "重投次数"),
    ("reentrant", "", "可重入"),
    ("reentries", "", "重入次数"),
    ("refused_rounds", "", "被拒绝的轮次"),
    ("reorgs", "Reorganisations", "重组次数"),
    ("replicas", "", "副本"),
    ("requests", "", "请求数"),
    ("restarts", "", "重启次数"),
    ("years", "Years", "可用年数"),
    (
        "ids_per_ms",
        "Ids per ms per machine",
        "每台机器每毫秒的 ID 数",
    ),
    ("machines", "Machines", "机器数"),
    ("rolled_back", "", "已回滚"),
    ("row_counts", "", "行数"),
    ("scheme", "", "方案"),
    ("secret_blocks_published", "", "公布的秘密区块"),
    ("settled", "", "已结束"),
    ("split_votes", "", "平票次数"),
    ("stakes", "", "权益"),
    ("stale_reads", "", "过期读取"),
    ("stale_writes_accepted", "", "已接受的过期写入"),
    ("stale_writes_rejected", "", "已拒绝的过期写入"),
    ("still_waiting", "", "仍在等待"),
    (
        "switched_to_async",
        "Switched to asynchronous",
        "切换为异步",
    ),
    ("term", "", "任期"),
    (
        "time_to_choose_ms",
        "Time to choose (ms)",
        "选定用时（毫秒）",
    ),
    (
        "time_to_decision_ms",
        "Time to decision (ms)",
        "达成决定用时（毫秒）",
    ),
    ("tip", "", "链头"),
    ("tm_state", "TM state", "TM 状态"),
    ("tokens", "", "令牌"),
    ("transactions", "", "事务"),
    ("two_writers", "", "两个写者同时写入"),
    ("unique", "", "唯一"),
    ("using", "", "使用中"),
    ("voted_in", "", "选入"),
    ("voted_out", "", "选出"),
    ("w", "W (write quorum)", "W（写法定人数）"),
    ("waiting", "", "等待中"),
    ("warehouse", "", "仓库"),
    ("wins", "", "获胜次数"),
    ("working", "", "工作中"),
    ("writes", "", "写入"),
    ("writes_accepted", "", "已接受的写入"),
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

/// An invariant's name in `lang`; unknown names as they are.
pub fn invariant<'a>(name: &'a str, lang: &str) -> &'a str {
    if !zh(lang) {
        return name;
    }
    INVARIANTS
        .iter()
        .find(|(en, _)| *en == name)
        .map_or(name, |(_, zh)| zh)
}

/// Whether the glossary knows an invariant or an outcome key: what the test over every preset
/// asks of each one a run shows.
pub fn knows_invariant(name: &str) -> bool {
    INVARIANTS.iter().any(|(en, _)| *en == name)
}

pub fn knows_outcome_key(key: &str) -> bool {
    OUTCOME_KEYS.iter().any(|(k, _, _)| *k == key)
}

/// An outcome key as a heading: its Chinese, its English where the key alone reads badly, or
/// else the key itself, capitalised and spaced.
pub fn outcome_key(key: &str, lang: &str) -> String {
    let entry = OUTCOME_KEYS.iter().find(|(k, _, _)| *k == key);
    match entry {
        Some((_, _, zh_name)) if zh(lang) => (*zh_name).to_owned(),
        Some((_, en, _)) if !en.is_empty() => (*en).to_owned(),
        _ => {
            let spaced = key.replace('_', " ");
            let mut chars = spaced.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        }
    }
}

/// Outcome keys that the page shows in their own places, not in the list of plain values.
const SHOWN_ELSEWHERE: [&str; 5] = [
    "critical_section_order",
    "formula",
    "formula_zh",
    "formula_value",
    "messages_per_entry",
];

/// A protocol's outcome as the page lists it, in `lang`: each plain value under its key, keys in
/// alphabetical order. Scalars show as they are (words translated), a short list of scalars
/// joined, a list of records by how many there are, and an object by its `text` (how protocols
/// explain a finding; `text_zh` is its Chinese). What is bigger stays for the command line.
pub fn outcome_lines<'a>(outcome: &'a serde_json::Value, lang: &str) -> Vec<(&'a str, String)> {
    let Some(fields) = outcome.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(key, _)| !SHOWN_ELSEWHERE.contains(&key.as_str()))
        .filter_map(|(key, value)| Some((key.as_str(), plain(value, lang)?)))
        .collect()
}

fn plain(value: &serde_json::Value, lang: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => Some("–".to_owned()),
        Value::Bool(b) => Some(phrase(&b.to_string(), lang).into_owned()),
        Value::Number(n) => Some(n.as_f64().map_or_else(|| n.to_string(), number)),
        Value::String(s) => Some(phrase(s, lang).into_owned()),
        Value::Array(items) if items.is_empty() => Some("–".to_owned()),
        Value::Array(items) if items.len() <= 20 => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|v| match v {
                    Value::Array(_) | Value::Object(_) => None,
                    scalar => plain(scalar, lang),
                })
                .collect();
            Some(parts.map_or_else(|| items.len().to_string(), |p| p.join(", ")))
        }
        Value::Object(fields) => {
            let own = if zh(lang) {
                fields.get("text_zh")
            } else {
                None
            };
            own.or_else(|| fields.get("text"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        }
        Value::Array(items) => Some(items.len().to_string()),
    }
}

/// A number as a person writes it: whole numbers without a point, others to two places at most.
pub fn number(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
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
        // A phrase matches whole words: where it begins or ends with a letter, the text must
        // not run on into another word there.
        let at_word_start = prev.is_none_or(|p| !wordy(p));
        let found = PHRASES
            .iter()
            .filter(|(en, _)| {
                rest.starts_with(en)
                    && (at_word_start || !en.starts_with(wordy))
                    && !(en.ends_with(wordy) && rest[en.len()..].starts_with(wordy))
            })
            .max_by_key(|(en, _)| en.len());
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
    // Chinese takes full-width brackets and commas (with no space around them).
    if out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        out = out
            .replace(" (", "（")
            .replace('(', "（")
            .replace(')', "）")
            .replace(", ", "，");
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
        assert_eq!(phrase("follower (follows 3)", "zh"), "跟随者（跟随 3）");
        assert_eq!(phrase("follower (no leader)", "zh"), "跟随者（无领导者）");
        assert_eq!(
            phrase("database 1 · locked by 3 #5", "zh"),
            "数据库 1 · 锁定者 3 #5"
        );
        assert_eq!(phrase("2 of 3 agree", "zh"), "2 / 3 同意");
        assert_eq!(
            phrase("TM · PreCommit, 2 Acks in", "zh"),
            "TM · PreCommit，2 个 Ack 已到"
        );
    }

    #[test]
    fn words_inside_other_words_and_english_stay() {
        assert_eq!(phrase("t3 #2/4", "zh"), "t3 #2/4");
        assert_eq!(phrase("x=1, inventory", "zh"), "x=1，库存");
        assert_eq!(phrase("onion", "zh"), "onion", "not 'on' + 'ion'");
        assert_eq!(phrase("waits · 2 polls", "en"), "waits · 2 polls");
        assert_eq!(phrase("waits · 1 poll", "zh-CN"), "等待中 · 1 次轮询");
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

    /// Each form of sentence the protocols' invariant checks write, as they write it; the
    /// presets break only some of them, so the rest are pinned here.
    #[test]
    fn every_violation_sentence_reads_in_chinese() {
        let cases = [
            "client 4 wrote after client 5 had written under a newer holding: two holders \
             wrote to the resource at once",
            "the resource accepted a write with an older token after a newer one",
            "a majority of acceptors accepted each of 4 and 8",
            "X learned 4 but Y learned 8",
            "a majority accepted each of a and b in slot 3",
            "node 2 learned a in slot 3 but node 4 learned b",
            "A dropped block 1.7, which lay 6 deep (k = 6)",
            "A's chain applies tx3 twice",
            "programs 1 and 3 use the coffee machine at the same time",
            "1 and 2 are both primary in epoch 3",
            "1 acknowledged version 1.2 but 2 leads epoch 2 with version 1.1: the acknowledged \
             write is lost",
            "generator 1 issued 10 twice",
            "client 4 read 0 after client 5's write of 5001 was acknowledged: a stale read",
            "client 4 read 5001 after client 6's read had returned the newer 5002: the value \
             went back",
            "client 4 read 5001 before client 5 began to write it",
            "client 4 read 77, a value nobody wrote",
            "client 4 read 5001: no order of the overlapping operations explains it",
            "generators 1 and 2 both issued 17",
            "nodes 1 and 2 both led epoch 3",
            "nodes 1 and 2 both led term 3",
            "nodes 1 and 2 both hold #3 of term 2 but their logs differ up to it",
            "nodes 1 and 5 applied different entries at #2",
            "leader 5 of term 4 lacks the committed entry #2 of term 1",
            "nodes 3 and 5 both act as leader (split brain)",
            "nodes 1, 2, 3 all act as leader (split brain)",
            "participant 2 holds 3 available, 1 reserved, 1 used of 5",
            "RMs disagree: 1 committed while 2 aborted",
            "participants disagree: 3 and 4 committed while 2 rolled back",
            "payment charged twice",
            "warehouse shipped twice",
            "nodes wait and only a fault (a recovery, a heal) could change anything",
        ];
        for case in cases {
            let zh = phrase(case, "zh");
            assert_eq!(untranslated(&zh), Vec::<&str>::new(), "{case} → {zh}");
        }
        assert_eq!(
            phrase("nodes 3 and 5 both act as leader (split brain)", "zh"),
            "节点 3 和 5 都以领导者自居（脑裂）"
        );
        assert_eq!(
            phrase("A's chain applies tx3 twice", "zh"),
            "A 的链执行了 tx3 两次"
        );
        assert_eq!(
            phrase(
                "leader 5 of term 4 lacks the committed entry #2 of term 1",
                "zh"
            ),
            "领导者 5，任期 4 缺少已提交的条目 #2，任期 1"
        );
        assert_eq!(phrase("follows 3 in epoch 2", "zh"), "跟随 3，纪元 2");
        assert_eq!(invariant("mutual-exclusion", "zh"), "互斥");
        assert_eq!(invariant("mutual-exclusion", "en"), "mutual-exclusion");
    }

    #[test]
    fn outcome_lines_translate_keys_and_values() {
        let outcome = serde_json::json!({
            "decision": "commit",
            "formula": "3 messages per use",
            "first_leader_ms": 151.5,
            "stale_writes_accepted": 2,
            "order": ["completed"],
            "linearizable": false,
            "offending": {"text": "client 5's read", "text_zh": "客户端 5 的读取"},
            "history": [[1, 2], [3]],
        });
        assert_eq!(
            outcome_lines(&outcome, "zh"),
            vec![
                ("decision", "提交".to_owned()),
                ("first_leader_ms", "151.5".to_owned()),
                ("history", "2".to_owned()),
                ("linearizable", "否".to_owned()),
                ("offending", "客户端 5 的读取".to_owned()),
                ("order", "已完成".to_owned()),
                ("stale_writes_accepted", "2".to_owned()),
            ]
        );
        let en = outcome_lines(&outcome, "en");
        assert_eq!(en[0], ("decision", "commit".to_owned()));
        assert_eq!(en[4], ("offending", "client 5's read".to_owned()));
        assert_eq!(outcome_key("first_leader_ms", "en"), "First leader at (ms)");
        assert_eq!(
            outcome_key("stale_writes_accepted", "en"),
            "Stale writes accepted"
        );
        assert_eq!(
            outcome_key("stale_writes_accepted", "zh"),
            "已接受的过期写入"
        );
        assert_eq!(outcome_key("no_such_key", "zh"), "No such key");
    }

    #[test]
    fn every_phrase_and_field_appears_once() {
        for table in [FIELDS, PHRASES, INVARIANTS] {
            let mut seen = std::collections::BTreeSet::new();
            for (en, _) in table {
                assert!(seen.insert(en), "{en} twice");
            }
        }
        let mut keys = std::collections::BTreeSet::new();
        for (key, _, _) in OUTCOME_KEYS {
            assert!(keys.insert(key), "{key} twice");
        }
    }
}
