//! # Histories from outside: Jepsen's logs and the JSON the playground prints
//!
//! The register presets check the histories their own clients make. A learner or an engineer
//! can also bring one: a Jepsen log of reads, writes and compare-and-sets on one register (as
//! Jepsen's etcd test writes them, `INFO  jepsen.util - 2 :invoke :cas [2 4]`, tab-separated), or JSON in the
//! shape `clusterplay run` prints for a replication run. Both become one [`History`], which
//! [`check`] runs through the same linearizability checker the presets use, and through the
//! two weaker models seed 003 names beside it.
//!
//! What the answers mean follows Jepsen: `:ok` took effect; `:fail` did not (a write or read
//! that failed is dropped, but a compare-and-set that failed is kept as what it is, an
//! observation that the register held something else); `:info` may have taken effect at any
//! time after its invocation, or never. An invocation that never got any answer is `:info`.
//!
//! A Jepsen log has no clock, only an order, so its lines are its time: an operation runs from
//! its invocation's line to its answer's line, and explanations name lines. JSON carries
//! virtual milliseconds.
//!
//! The JSON history is either the whole output of `clusterplay run` (its `outcome.history`),
//! an object `{"initial": null, "history": [...]}`, or the array alone. Each operation:
//!
//! ```json
//! {"client": 2, "kind": "cas", "expect": 3, "value": 0, "invoke_ms": 12.5,
//!  "response_ms": 14.0, "result": "ok"}
//! ```
//!
//! `kind` is `read`, `write` or `cas`; `value` is what a read returned, what a write wrote or
//! what a compare-and-set sets, `null` for "unset"; `result` is `ok`, `fail` or `info`, and
//! `pending` or `failed` as the register's runs print them (a request that timed out, which may
//! have been applied: `info`). `initial` is the register's value before the first operation:
//! 0, as the playground's register starts, unless given (`null` for unset, as in Jepsen).

pub use clusterplay_protocols::replication::linearizability::Kind;
use clusterplay_protocols::replication::linearizability::{
    self, Counterexample, Operation, Reason, Value, Verdict, STEP_BUDGET,
};
use clusterplay_protocols::Text;
use clusterplay_sim::{to_ms, Time, MICROS_PER_MS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The checker's stand-in for "unset" (Jepsen's `nil`): no history can write it.
const UNSET: Value = Value::MAX;

/// Largest history accepted, in operations: the checker answers within its step budget far
/// below this for a handful of clients, and a page stays responsive while it parses.
pub const MAX_OPERATIONS: usize = 20_000;

/// States the sequential-consistency search may visit. Without real time to guide it, a
/// history that is not linearizable can have very many interleavings to rule out; past this
/// bound the answer is "undecided" rather than a wait.
pub const SEQUENTIAL_BUDGET: u64 = 50_000;

/// Largest history text accepted, in bytes.
pub const MAX_BYTES: usize = 4 << 20;

/// Why a history was refused: where, and what is wrong, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}{problem}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct HistoryError {
    /// The line of the input, counting from 1, when one line is to blame.
    pub line: Option<usize>,
    pub problem: String,
    pub problem_zh: String,
}

impl HistoryError {
    fn at(line: usize, problem: impl Into<String>, problem_zh: impl Into<String>) -> Self {
        HistoryError {
            line: Some(line),
            problem: problem.into(),
            problem_zh: problem_zh.into(),
        }
    }

    fn whole(problem: impl Into<String>, problem_zh: impl Into<String>) -> Self {
        HistoryError {
            line: None,
            problem: problem.into(),
            problem_zh: problem_zh.into(),
        }
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        match self.line {
            Some(l) => format!("第 {l} 行：{}", self.problem_zh),
            None => self.problem_zh.clone(),
        }
    }
}

/// How an operation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It took effect, and the client knows its answer.
    Ok,
    /// It did not take effect (a compare-and-set: the register held something else).
    Fail,
    /// Unknown: it may have taken effect at any time after its invocation, or never.
    #[serde(alias = "pending", alias = "failed")]
    Info,
}

/// One operation of a history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryOp {
    /// The client (Jepsen's process) that invoked it.
    #[serde(alias = "process")]
    pub client: u64,
    pub kind: Kind,
    /// What a read returned, a write wrote, a compare-and-set sets; `None` for unset.
    #[serde(default)]
    pub value: Option<u64>,
    /// What a compare-and-set expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<u64>,
    pub result: Outcome,
    /// When it was invoked: virtual milliseconds, or for a Jepsen log its line.
    pub invoke_ms: f64,
    /// When it was answered; `None` without an answer.
    #[serde(default)]
    pub response_ms: Option<f64>,
}

/// A history of one register, as read from a Jepsen log or JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The register before the first operation; `None` for unset.
    pub initial: Option<u64>,
    /// The operations in invocation order.
    pub history: Vec<HistoryOp>,
    /// Times are lines of a Jepsen log rather than milliseconds.
    #[serde(default)]
    pub lines: bool,
}

impl History {
    /// Reads a Jepsen log or a JSON history, whichever `text` is.
    pub fn parse(text: &str) -> Result<History, HistoryError> {
        if text.len() > MAX_BYTES {
            return Err(HistoryError::whole(
                format!("the history is larger than {} MB", MAX_BYTES >> 20),
                format!("历史超过 {} MB", MAX_BYTES >> 20),
            ));
        }
        let h = match text.trim_start().chars().next() {
            Some('{' | '[') => Self::from_json(text)?,
            _ => Self::from_jepsen(text)?,
        };
        if h.history.is_empty() {
            return Err(HistoryError::whole(
                "the history has no operations (expected Jepsen log lines or a JSON history)",
                "历史中没有任何操作（应为 Jepsen 日志行或 JSON 格式的历史）",
            ));
        }
        if h.history.len() > MAX_OPERATIONS {
            return Err(HistoryError::whole(
                format!("the history has more than {MAX_OPERATIONS} operations"),
                format!("历史中的操作超过 {MAX_OPERATIONS} 个"),
            ));
        }
        Ok(h)
    }

    /// Reads Jepsen's log lines; lines of other loggers and the nemesis are skipped.
    pub fn from_jepsen(text: &str) -> Result<History, HistoryError> {
        let mut history: Vec<HistoryOp> = Vec::new();
        let mut open: BTreeMap<u64, usize> = BTreeMap::new();
        let mut dropped: Vec<usize> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let n = i + 1;
            let Some(rest) = raw.split_once("jepsen.util").map(|(_, r)| r) else {
                continue;
            };
            let rest = rest.trim_start().trim_start_matches('-');
            let mut words = rest.split_whitespace();
            let (Some(process), Some(status), Some(f)) = (words.next(), words.next(), words.next())
            else {
                return Err(unreadable(n));
            };
            if process == ":nemesis" {
                continue;
            }
            let value = words.collect::<Vec<_>>().join(" ");
            let process: u64 = process.parse().map_err(|_| {
                HistoryError::at(
                    n,
                    format!("\"{process}\" is not a process number"),
                    format!("“{process}”不是进程编号"),
                )
            })?;
            let kind = match f {
                ":read" => Kind::Read,
                ":write" => Kind::Write,
                ":cas" => Kind::Cas,
                other => {
                    return Err(HistoryError::at(
                        n,
                        format!("unknown operation {other} (this checker reads :read, :write and :cas on one register)"),
                        format!("未知操作 {other}（只能检查单个寄存器上的 :read、:write 和 :cas）"),
                    ))
                }
            };
            match status {
                ":invoke" => {
                    if open.contains_key(&process) {
                        return Err(HistoryError::at(
                            n,
                            format!("process {process} invokes again before its last operation was answered"),
                            format!("进程 {process} 上一个操作还没有答复就再次调用"),
                        ));
                    }
                    let (expect, value) = match kind {
                        Kind::Read => (None, None),
                        Kind::Write => (None, jepsen_value(&value, n)?),
                        Kind::Cas => {
                            let (a, b) = jepsen_pair(&value, n)?;
                            (Some(a), Some(b))
                        }
                    };
                    open.insert(process, history.len());
                    history.push(HistoryOp {
                        client: process,
                        kind,
                        value,
                        expect,
                        result: Outcome::Info,
                        invoke_ms: n as f64,
                        response_ms: None,
                    });
                }
                ":ok" | ":fail" | ":info" => {
                    let Some(at) = open.remove(&process) else {
                        return Err(HistoryError::at(
                            n,
                            format!("process {process} answers {status} without an invocation"),
                            format!("进程 {process} 的答复 {status} 没有对应的调用"),
                        ));
                    };
                    let op = &mut history[at];
                    if op.kind != kind {
                        return Err(HistoryError::at(
                            n,
                            format!(
                                "process {process} answers {f} to an invocation of another kind"
                            ),
                            format!("进程 {process} 以 {f} 答复了另一种操作的调用"),
                        ));
                    }
                    match status {
                        ":ok" => {
                            op.result = Outcome::Ok;
                            op.response_ms = Some(n as f64);
                            if kind == Kind::Read {
                                op.value = jepsen_value(&value, n)?;
                            }
                        }
                        ":fail" if kind == Kind::Cas => {
                            op.result = Outcome::Fail;
                            op.response_ms = Some(n as f64);
                        }
                        // A read or write that failed did nothing and told nothing.
                        ":fail" => dropped.push(at),
                        _ => {}
                    }
                }
                other => {
                    return Err(HistoryError::at(
                        n,
                        format!("unknown answer {other} (expected :invoke, :ok, :fail or :info)"),
                        format!("未知的状态 {other}（应为 :invoke、:ok、:fail 或 :info）"),
                    ))
                }
            }
        }
        dropped.sort_unstable();
        for at in dropped.into_iter().rev() {
            history.remove(at);
        }
        Ok(History {
            initial: None,
            history,
            lines: true,
        })
    }

    /// Reads a JSON history: `clusterplay run`'s output, `{"initial", "history"}` or the array.
    pub fn from_json(text: &str) -> Result<History, HistoryError> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Ops(Vec<HistoryOp>),
            Run { outcome: Wrapped },
            Wrapped(Wrapped),
        }
        #[derive(Deserialize)]
        struct Wrapped {
            #[serde(default = "zero")]
            initial: Option<u64>,
            history: Vec<HistoryOp>,
            #[serde(default)]
            lines: bool,
        }
        fn zero() -> Option<u64> {
            Some(0)
        }
        let shape: Shape = serde_json::from_str(text).map_err(|e| {
            HistoryError::at(
                e.line(),
                format!("not a history: {e}"),
                format!("不是有效的历史：{e}"),
            )
        })?;
        let (initial, mut history, lines) = match shape {
            Shape::Ops(ops) => (Some(0), ops, false),
            Shape::Run { outcome: w } | Shape::Wrapped(w) => (w.initial, w.history, w.lines),
        };
        for (i, op) in history.iter().enumerate() {
            let bad = |en: String, zh: String| {
                HistoryError::whole(format!("history[{i}] {en}"), format!("history[{i}] {zh}"))
            };
            let times_ok = op.invoke_ms.is_finite()
                && op.invoke_ms >= 0.0
                && op.invoke_ms < 1e12
                && op
                    .response_ms
                    .is_none_or(|r| r.is_finite() && r >= op.invoke_ms && r < 1e12);
            if !times_ok {
                return Err(bad(
                    "has a time that is negative, not a number, or an answer before its invocation"
                        .into(),
                    "的时间为负数、不是数字，或答复早于调用".into(),
                ));
            }
            if op.value == Some(UNSET) || op.expect == Some(UNSET) {
                return Err(bad(
                    format!("uses {UNSET}, which stands for \"unset\" here; write null"),
                    format!("使用了 {UNSET}，这里它代表“未设置”；请写 null"),
                ));
            }
            if op.kind == Kind::Cas && op.expect.is_none() {
                return Err(bad(
                    "is a cas without \"expect\"".into(),
                    "是缺少 \"expect\" 的 cas".into(),
                ));
            }
            if op.kind == Kind::Write && op.value.is_none() {
                return Err(bad(
                    "is a write without a value".into(),
                    "是没有写入值的 write".into(),
                ));
            }
            if op.result == Outcome::Ok && op.response_ms.is_none() {
                return Err(bad(
                    "is ok but has no response_ms".into(),
                    "结果为 ok，却没有 response_ms".into(),
                ));
            }
        }
        // A failed read or write did nothing and told nothing.
        history.retain(|o| !(o.result == Outcome::Fail && o.kind != Kind::Cas));
        history.sort_by(|a, b| a.invoke_ms.total_cmp(&b.invoke_ms));
        Ok(History {
            initial,
            history,
            lines,
        })
    }

    /// The operations as the checker takes them.
    pub fn operations(&self) -> Vec<Operation> {
        let value = |v: Option<u64>| v.unwrap_or(UNSET);
        self.history
            .iter()
            .map(|o| {
                let invoke = self.time(o.invoke_ms);
                let response = match o.result {
                    Outcome::Info => None,
                    _ => o.response_ms.map(|r| self.time(r)),
                };
                let client = u32::try_from(o.client).unwrap_or(u32::MAX);
                match o.kind {
                    Kind::Read => Operation::read(client, value(o.value), invoke, response),
                    Kind::Write => Operation::write(client, value(o.value), invoke, response),
                    Kind::Cas => Operation::cas(
                        client,
                        value(o.expect),
                        value(o.value),
                        invoke,
                        response,
                        o.result == Outcome::Fail,
                    ),
                }
            })
            .collect()
    }

    /// The register's value before the first operation, as the checker takes it.
    pub fn initial_value(&self) -> Value {
        self.initial.unwrap_or(UNSET)
    }

    fn time(&self, t: f64) -> Time {
        if self.lines {
            t as Time
        } else {
            (t * MICROS_PER_MS as f64).round() as Time
        }
    }

    /// The checker's time `t` as the history writes it: milliseconds, or a Jepsen log's line.
    pub fn shown_time(&self, t: Time) -> f64 {
        if self.lines {
            t as f64
        } else {
            to_ms(t)
        }
    }

    /// When `t` (the checker's time) was, in words.
    fn when(&self, t: Time, zh: bool) -> String {
        match (self.lines, zh) {
            (true, false) => format!("line {t}"),
            (true, true) => format!("第 {t} 行"),
            (false, false) => format!("{} ms", to_ms(t)),
            (false, true) => format!("{} 毫秒", to_ms(t)),
        }
    }
}

fn unreadable(n: usize) -> HistoryError {
    HistoryError::at(
        n,
        "cannot read this line (expected: process, :invoke/:ok/:fail/:info, :read/:write/:cas, value)",
        "无法读取这一行（应为：进程、:invoke/:ok/:fail/:info、:read/:write/:cas、值）",
    )
}

/// A Jepsen value: `nil` or a whole number.
fn jepsen_value(s: &str, n: usize) -> Result<Option<u64>, HistoryError> {
    match s.trim() {
        "nil" => Ok(None),
        v => v
            .parse::<u64>()
            .ok()
            .filter(|&v| v != UNSET)
            .map(Some)
            .ok_or_else(|| {
                HistoryError::at(
                    n,
                    format!("\"{v}\" is not a value (expected nil or a whole number)"),
                    format!("“{v}”不是有效的值（应为 nil 或非负整数）"),
                )
            }),
    }
}

/// A compare-and-set's `[expected new]`.
fn jepsen_pair(s: &str, n: usize) -> Result<(u64, u64), HistoryError> {
    let inner = s
        .trim()
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .map(|s| s.split_whitespace().collect::<Vec<_>>());
    match inner.as_deref() {
        Some([a, b]) => match (jepsen_value(a, n)?, jepsen_value(b, n)?) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(not_pair(s, n)),
        },
        _ => Err(not_pair(s, n)),
    }
}

fn not_pair(s: &str, n: usize) -> HistoryError {
    HistoryError::at(
        n,
        format!("\"{s}\" is not a compare-and-set (expected [expected new])"),
        format!("“{s}”不是有效的 cas 参数（应为 [期望值 新值]）"),
    )
}

/// A history the page offers to check, with what it shows.
pub struct HistoryPreset {
    pub id: &'static str,
    pub title: Text,
    pub caption: Text,
    /// Jepsen lines or JSON, as a learner would paste them.
    pub text: &'static str,
}

/// The histories the page offers: a linearizable run of Jepsen against etcd, etcd's stale
/// read trimmed to what shows it, and two small ones that tell the models apart.
pub fn history_presets() -> &'static [HistoryPreset] {
    const PRESETS: &[HistoryPreset] = &[
        HistoryPreset {
            id: "etcd-linearizable",
            title: Text::new(
                "Jepsen vs etcd: a linearizable run",
                "Jepsen 测试 etcd：一次线性一致的运行",
            ),
            caption: Text::new(
                "Five clients read, write and compare-and-set one key while Jepsen crashes and partitions etcd (its history etcd_002, which Porcupine also finds linearizable). Operations that timed out (:info) stay open: they may have happened at any time after they began, or never. One order of all operations, each at an instant inside its bar, explains every answer.",
                "五个客户端在 Jepsen 让 etcd 崩溃、分区的同时，对同一个键做读、写和比较并交换（历史 etcd_002，Porcupine 同样判定为线性一致）。超时的操作（:info）保持开放：它们可能在开始之后的任何时刻生效，也可能从未生效。存在一种全部操作的顺序，每个操作落在自己的时间条内的某一时刻，能解释每一个答复。",
            ),
            text: include_str!("../histories/etcd-linearizable.log"),
        },
        HistoryPreset {
            id: "etcd-stale-read",
            title: Text::new(
                "Jepsen vs etcd: a stale read",
                "Jepsen 测试 etcd：读到旧值",
            ),
            caption: Text::new(
                "The smallest non-linearizable history of the set (etcd_097), cut at the read that cannot be explained and trimmed to the operations around it. Client 8's write of 0 was acknowledged at line 6; afterwards reads return 0, and a compare-and-set expecting 2 fails; then client 19, starting at line 16, reads 2. No order that respects real time allows that. It is sequentially consistent: put the read before the write and every client's own order still holds — which is why real time is what linearizability (seed 003's strong consistency) adds.",
                "这组历史中最小的非线性一致历史（etcd_097），截止到无法解释的那次读取，并只保留它周围的操作。客户端 8 写入 0，在第 6 行得到确认；此后的读取都返回 0，期望值为 2 的比较并交换也失败了；随后客户端 19 在第 16 行开始读取，却读到 2。任何遵守真实时间先后的顺序都解释不了它。但它满足顺序一致性：把这次读取排在那次写入之前，每个客户端自己的顺序依然成立——这正是线性一致（种子文本 003 所说的强一致性）比顺序一致多出的要求：真实时间。",
            ),
            text: include_str!("../histories/etcd-stale-read.log"),
        },
        HistoryPreset {
            id: "stale-read",
            title: Text::new(
                "Sequentially consistent, not linearizable",
                "满足顺序一致，但不是线性一致",
            ),
            caption: Text::new(
                "Client 1 writes 1 and is told it is done; client 2 then reads 1, but client 3, starting later still, reads 0 — what a client of a lagging replica sees. Ignore real time and an order exists (client 3's first read before the write), so the history is sequentially consistent; with real time, none does. Once the writes stop, every client's last read returns 1: reads settle, as eventual consistency asks.",
                "客户端 1 写入 1 并得到完成的答复；随后客户端 2 读到 1，而更晚开始的客户端 3 却读到 0——这正是读取落后副本的客户端会看到的情形。若不管真实时间，存在一种顺序（客户端 3 的第一次读取排在写入之前），所以这段历史满足顺序一致；考虑真实时间，就找不到这样的顺序。写入停止之后，每个客户端最后一次读到的都是 1：读取收敛了，这正是最终一致性的要求。",
            ),
            text: include_str!("../histories/stale-read.json"),
        },
        HistoryPreset {
            id: "own-write-lost",
            title: Text::new(
                "Not even sequentially consistent",
                "连顺序一致都不满足",
            ),
            caption: Text::new(
                "Client 1 writes 1, reads 1, then reads 0: it lost its own write, which no order that keeps client 1's own order can explain, real time or not. Client 2 read 1 in between, so the value did not simply never arrive.",
                "客户端 1 写入 1，读到 1，接着又读到 0：它丢失了自己的写入。只要保持客户端 1 自己的操作顺序，无论是否考虑真实时间，都没有任何顺序能解释这一点。客户端 2 在此期间读到了 1，可见这个值并非从未到达。",
            ),
            text: include_str!("../histories/own-write-lost.json"),
        },
    ];
    PRESETS
}

/// The history preset called `id`.
pub fn history_preset(id: &str) -> Option<&'static HistoryPreset> {
    history_presets().iter().find(|p| p.id == id)
}

/// What `clusterplay check-history` prints and the page's history view shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryReport {
    /// Some order of the operations, each at an instant between its invocation and its
    /// answer, explains every answer. `null` when the search stopped at its bound.
    pub linearizable: Option<bool>,
    /// Some order keeping each client's own order explains every answer (real time between
    /// clients ignored). `null` when the search stopped at its bound.
    pub sequential: Option<bool>,
    /// Once writes stopped, every client's last read returned the same value; `null` when no
    /// read began that late.
    pub reads_settle: Option<bool>,
    /// Operations checked (failed reads and writes are left out: they did nothing).
    pub operations: usize,
    /// Distinct clients.
    pub clients: usize,
    /// Operations whose effect is unknown (`info`).
    pub indeterminate: usize,
    /// The search stopped at its bound; in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undecided: Option<String>,
    /// When not linearizable: the first operation no order explains, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offending: Option<Offending>,
    /// The longest prefix that is linearizable (the whole history when it is), with one order
    /// explaining it; `null` when the search stopped at its bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<Prefix>,
}

/// The operation no order can place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Offending {
    /// Index into the history.
    pub operation: usize,
    /// The operation it conflicts with, when one alone shows the problem.
    pub conflict: Option<usize>,
    /// `stale`, `went-back`, `from-the-future`, `never-written` or `no-order`.
    pub reason: String,
    pub text: String,
    pub text_zh: String,
}

/// The longest linearizable prefix: everything invoked until `until` (answers after it count
/// as not yet received), and one order of its operations that explains it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prefix {
    /// The prefix ends here: milliseconds, or a Jepsen log's line; `null` when even the
    /// first answer cannot be explained.
    pub until: Option<f64>,
    /// Operations in the prefix's order, by index into the history.
    pub linearization: Vec<usize>,
}

/// Checks `h` against linearizability and the weaker models, each within the checker's step
/// bound.
pub fn check(h: &History) -> HistoryReport {
    let ops = h.operations();
    let initial = h.initial_value();
    let (verdict, order) = linearizability::check_explained(&ops, initial);
    let sequential = match verdict {
        // Linearizable histories are sequentially consistent.
        Verdict::Linearizable => Some(true),
        _ => linearizability::sequentially_consistent(&ops, initial, SEQUENTIAL_BUDGET),
    };
    let mut clients: Vec<u64> = h.history.iter().map(|o| o.client).collect();
    clients.sort_unstable();
    clients.dedup();
    let mut report = HistoryReport {
        linearizable: None,
        sequential,
        reads_settle: linearizability::reads_settle(&ops),
        operations: ops.len(),
        clients: clients.len(),
        indeterminate: h
            .history
            .iter()
            .filter(|o| o.result == Outcome::Info)
            .count(),
        undecided: None,
        offending: None,
        prefix: None,
    };
    match verdict {
        Verdict::Linearizable => {
            report.linearizable = Some(true);
            report.prefix = Some(Prefix {
                until: ops
                    .iter()
                    .filter_map(|o| o.response)
                    .max()
                    .map(|t| h.shown_time(t)),
                linearization: order,
            });
        }
        Verdict::Unknown => {
            report.undecided = Some(format!(
                "the search stopped after {STEP_BUDGET} steps: too many operations overlap to decide"
            ));
        }
        Verdict::NotLinearizable(c) => {
            report.linearizable = Some(false);
            report.offending = Some(Offending {
                operation: c.op,
                conflict: c.conflict,
                reason: c.reason.key().to_string(),
                text: explain(h, &ops, &c, false),
                text_zh: explain(h, &ops, &c, true),
            });
            report.prefix = Some(Prefix {
                until: c.prefix_cut.map(|t| h.shown_time(t)),
                linearization: c.linearization,
            });
        }
    }
    report
}

/// A value in words: `nil` for unset.
fn shown(v: Value) -> String {
    if v == UNSET {
        "nil".to_string()
    } else {
        v.to_string()
    }
}

/// Operation `i` in words, e.g. "client 2's cas [3 0] (ok)".
fn describe(h: &History, ops: &[Operation], i: usize, zh: bool) -> String {
    let o = &ops[i];
    let what = match (o.kind, o.response.is_some(), o.refused) {
        (Kind::Read, true, _) => format!("read → {}", shown(o.value)),
        (Kind::Read, false, _) => "read".to_string(),
        (Kind::Write, ..) => format!("write {}", shown(o.value)),
        (Kind::Cas, true, true) => format!("cas [{} {}] → fail", shown(o.expect), shown(o.value)),
        (Kind::Cas, true, false) => format!("cas [{} {}] → ok", shown(o.expect), shown(o.value)),
        (Kind::Cas, false, _) => format!("cas [{} {}]", shown(o.expect), shown(o.value)),
    };
    let span = match o.response {
        Some(r) => format!("{}–{}", h.when(o.invoke, zh), h.when(r, zh)),
        None if zh => format!("{} 起，无答复", h.when(o.invoke, zh)),
        None => format!("from {}, never answered", h.when(o.invoke, zh)),
    };
    if zh {
        format!("客户端 {} 的 {what}（{span}）", h.history[i].client)
    } else {
        format!("client {}'s {what} ({span})", h.history[i].client)
    }
}

/// Why the offending operation cannot be placed, as a sentence.
fn explain(h: &History, ops: &[Operation], c: &Counterexample, zh: bool) -> String {
    let op = describe(h, ops, c.op, zh);
    let other = c.conflict.map(|i| describe(h, ops, i, zh));
    let seen = if ops[c.op].kind == Kind::Cas {
        shown(ops[c.op].expect)
    } else {
        shown(ops[c.op].value)
    };
    match (c.reason, other, zh) {
        (Reason::Stale, Some(w), false) => format!(
            "{op} saw {seen}, yet {w} had replaced that value and was acknowledged before it began"
        ),
        (Reason::Stale, Some(w), true) => {
            format!("{op}看到了 {seen}，可{w}在它开始之前就已覆盖这个值并得到确认")
        }
        (Reason::WentBack, Some(r), false) => format!(
            "{op} saw {seen}, yet {r} had already seen a newer value before it began: time went backwards"
        ),
        (Reason::WentBack, Some(r), true) => {
            format!("{op}看到了 {seen}，可{r}在它开始之前就已看到更新的值：时间倒流了")
        }
        (Reason::FromTheFuture, Some(w), false) => {
            format!("{op} saw {seen}, which {w} wrote only after it had its answer")
        }
        (Reason::FromTheFuture, Some(w), true) => {
            format!("{op}看到了 {seen}，而{w}直到它得到答复之后才写入这个值")
        }
        (Reason::NeverWritten, _, false) => format!("{op} saw {seen}, a value nobody wrote"),
        (Reason::NeverWritten, _, true) => format!("{op}看到了 {seen}，可从来没有人写过这个值"),
        (_, _, false) => format!(
            "{op}: no order of the operations overlapping it explains its answer together with everything answered before"
        ),
        (_, _, true) => format!("{op}：与它重叠的操作无论怎样排序，都无法同时解释它和之前所有的答复"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jepsen_lines_become_operations_with_their_answers() {
        let log = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n\
                   INFO  jepsen.util - 1\t:invoke\t:cas\t[3 0]\n\
                   INFO  jepsen.util - 0\t:ok\t:read\t3\n\
                   INFO  jepsen.util - 1   :fail   :cas    [3 0]\n\
                   INFO  jepsen.util - 2\t:invoke\t:write\t4\n\
                   INFO  jepsen.util - 2\t:info\t:write\t:timed-out\n\
                   INFO  jepsen.util - 7\t:invoke\t:write\t1\n\
                   INFO  jepsen.util - 7\t:fail\t:write\t1\n";
        let h = History::parse(log).unwrap();
        assert!(h.lines);
        assert_eq!(h.initial, None);
        let op = |client, kind, value, expect, result, invoke_ms, response_ms| HistoryOp {
            client,
            kind,
            value,
            expect,
            result,
            invoke_ms,
            response_ms,
        };
        assert_eq!(
            h.history,
            vec![
                op(0, Kind::Read, Some(3), None, Outcome::Ok, 1.0, Some(3.0)),
                op(
                    1,
                    Kind::Cas,
                    Some(0),
                    Some(3),
                    Outcome::Fail,
                    2.0,
                    Some(4.0)
                ),
                op(2, Kind::Write, Some(4), None, Outcome::Info, 5.0, None),
            ]
        );
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        let refused = |log: &str| History::parse(log).unwrap_err();
        let e = refused("INFO  jepsen.util - 0\t:ok\t:read\t3\n");
        assert_eq!(e.line, Some(1));
        assert!(e.problem.contains("without an invocation"), "{e}");
        let e = refused(
            "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n",
        );
        assert_eq!(e.line, Some(2));
        let e = refused("x\nINFO  jepsen.util - 0\t:invoke\t:cas\t[1]\n");
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("line 2: "), "{e}");
        assert!(e.zh().starts_with("第 2 行："), "{}", e.zh());
        let e = refused("INFO  jepsen.util - 0\t:invoke\t:append\t3\n");
        assert!(e.problem.contains(":append"), "{e}");
        let e = refused("INFO  jepsen.util - 0\t:invoke\t:write\t-3\n");
        assert!(e.problem.contains("-3"), "{e}");
        assert_eq!(refused("").line, None);
        let e = refused("[{\"client\": 1, \"kind\": \"read\"}]");
        assert!(e.problem.starts_with("not a history"), "{e}");
        let e = refused(
            r#"[{"client": 1, "kind": "write", "value": 1, "result": "ok", "invoke_ms": 5, "response_ms": 2}]"#,
        );
        assert!(e.problem.contains("answer before its invocation"), "{e}");
    }

    #[test]
    fn a_stale_read_is_explained_in_both_languages() {
        let json = r#"{"initial": 0, "history": [
            {"client": 1, "kind": "write", "value": 1, "result": "ok", "invoke_ms": 0, "response_ms": 10},
            {"client": 2, "kind": "read", "value": 0, "result": "ok", "invoke_ms": 20, "response_ms": 30}
        ]}"#;
        let r = check(&History::parse(json).unwrap());
        assert_eq!(r.linearizable, Some(false));
        assert_eq!(r.sequential, Some(true));
        let o = r.offending.unwrap();
        assert_eq!(
            (o.operation, o.conflict, o.reason.as_str()),
            (1, Some(0), "stale")
        );
        assert_eq!(
            o.text,
            "client 2's read → 0 (20 ms–30 ms) saw 0, yet client 1's write 1 (0 ms–10 ms) had replaced that value and was acknowledged before it began"
        );
        assert!(o.text_zh.starts_with("客户端 2 的 read → 0（20 毫秒–30 毫秒）看到了 0，可客户端 1 的 write 1（0 毫秒–10 毫秒）在它开始之前"), "{}", o.text_zh);
        let p = r.prefix.unwrap();
        assert_eq!((p.until, p.linearization), (Some(10.0), vec![0]));
    }
}
