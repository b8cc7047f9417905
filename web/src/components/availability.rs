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
