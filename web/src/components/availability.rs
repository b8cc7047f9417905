//! Text 003's availability table, computed: each class's yearly downtime by the text's own
//! formula beside the figure the text gives, with the row where they differ marked.

use crate::i18n::Lang;
use clusterplay_scenario::availability::{
    downtime_minutes_per_year, readable, text_agrees, CLASSES,
};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AvailabilityTableProps {
    pub lang: Lang,
}

#[component]
pub fn AvailabilityTable(props: &AvailabilityTableProps) -> Html {
    let zh = props.lang == Lang::Zh;
    let key = props.lang.key();
    let head = if zh {
        ["可用性分类", "可用水平", "按公式算出的年停机时间", "原文"]
    } else {
        [
            "class",
            "availability",
            "downtime a year, computed",
            "the text says",
        ]
    };
    html! {
        <div class="availability" data-testid="availability">
            <p>{
                if zh {
                    "可用性用允许的停机时间来衡量（003）。下表按原文自己的公式 (1 − 可用水平) × 365 × 24 × 60 分钟计算；原文“99 %：< 43.8 min”一行有误：99 % 每年允许约 87.6 小时的停机。"
                } else {
                    "Availability is measured by the downtime it allows (003). The table computes each class by the text's own formula, (1 − availability) × 365 × 24 × 60 minutes; the text's row \"99 %: < 43.8 min\" is off: 99 % allows about 87.6 hours of downtime a year."
                }
            }</p>
            <table>
                <thead><tr>{ for head.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
                <tbody>
                    { for CLASSES.iter().map(|c| {
                        let agrees = text_agrees(c);
                        html! {
                            <tr class={classes!((!agrees).then_some("off"))}>
                                <td>{ c.name.get(key) }</td>
                                <td>{ format!("{} %", c.percent) }</td>
                                <td>{ readable(downtime_minutes_per_year(c.percent), key) }</td>
                                <td>
                                    { c.text_says }
                                    if !agrees {
                                        <strong>{ if zh { "（有误）" } else { " (wrong)" } }</strong>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CapTableProps {
    pub lang: Lang,
    /// The preset on the page, marked in the table.
    pub current: String,
}

/// CAP over the replication presets: each run to its end, what its fault made it keep of
/// consistency (the linearizability checker's verdict) and availability (requests answered).
/// Computed once per page from the runs themselves.
#[component]
pub fn CapTable(props: &CapTableProps) -> Html {
    use clusterplay_scenario::cap::{rows, Fault, Kept};
    let rows = use_memo((), |_| rows());
    let zh = props.lang == Lang::Zh;
    let key = props.lang.key();
    let head = if zh {
        ["场景", "复制方式", "故障", "已应答", "线性一致", "保住了"]
    } else {
        [
            "scenario",
            "replication",
            "fault",
            "answered",
            "linearizable",
            "kept",
        ]
    };
    let fault = |f: Fault| match (f, zh) {
        (Fault::Partition, false) => "partition",
        (Fault::Partition, true) => "网络分区",
        (Fault::Crash, false) => "primary crash",
        (Fault::Crash, true) => "主节点故障",
        (Fault::None, false) => "none",
        (Fault::None, true) => "无",
    };
    let kept = |k: Kept| match (k, zh) {
        (Kept::Both, false) => "C and A",
        (Kept::Both, true) => "C 和 A",
        (Kept::Consistency, false) => "C, not A",
        (Kept::Consistency, true) => "C，放弃 A",
        (Kept::Availability, false) => "A, not C",
        (Kept::Availability, true) => "A，放弃 C",
        (Kept::Neither, false) => "neither",
        (Kept::Neither, true) => "都没有",
    };
    let mode = |m: &str| match (m, zh) {
        ("sync", true) => "同步".to_owned(),
        ("async", true) => "异步".to_owned(),
        ("max-availability", true) => "最大可用".to_owned(),
        ("quorum", true) => "Quorum".to_owned(),
        (m, _) => m.to_owned(),
    };
    html! {
        <div class="availability cap" data-testid="cap-table">
            <p>{
                if zh {
                    "CAP：网络分区时，一致性（C）和可用性（A）只能二选一（003）。下表把每个复制场景跑到结束，实测它保住了什么：C 看线性一致性检查的结论，A 看请求得到应答的比例。从备份读取的场景即使没有故障也放弃了 C，换来更快的读。"
                } else {
                    "CAP: when the network splits, a system keeps consistency (C) or availability (A), not both (003). The table runs every replication scenario to its end and measures what it kept: C by the linearizability checker's verdict, A by the requests answered. Reading from a backup gives up C even without a fault, for faster reads."
                }
            }</p>
            <table>
                <thead><tr>{ for head.iter().map(|h| html! { <th>{ *h }</th> }) }</tr></thead>
                <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr class={classes!((r.preset == props.current).then_some("current"))}
                            data-testid={format!("cap-{}", r.preset)}>
                            <td>{ r.title.get(key) }</td>
                            <td>{ mode(&r.mode) }</td>
                            <td>{ fault(r.fault) }</td>
                            <td>{ format!("{} / {}", r.answered, r.requests) }</td>
                            <td>{ match r.linearizable { Some(true) => "✓", Some(false) => "✗", None => "?" } }</td>
                            <td>{ kept(r.kept) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
