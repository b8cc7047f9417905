//! The compare view's own parts: one side (its name, its cluster, its invariants and figures)
//! and the table that puts the two runs' figures in rows.

use super::{ClusterView, Metrics, Violations};
use crate::geometry::number;
use crate::i18n::{Lang, W};
use crate::state::{Action, AppState, Selection};
use clusterplay_scenario::compare::{Row, Which};
use clusterplay_scenario::presets::Words;
use clusterplay_scenario::view::{ClusterView as View, MessageOut};
use clusterplay_scenario::{glossary, Report};
use clusterplay_sim::Time;
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompareSideProps {
    pub lang: Lang,
    pub which: Which,
    pub label: Words,
    pub view: Rc<View>,
    pub messages: Rc<Vec<MessageOut>>,
    pub report: Rc<Report>,
    pub playhead: Time,
    /// The selection, when it is on this side.
    pub selection: Selection,
    pub marked: BTreeSet<u32>,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Embed mode: the cluster and its name only.
    #[prop_or_default]
    pub minimal: bool,
}

/// One side of a comparison.
#[component]
pub fn CompareSide(props: &CompareSideProps) -> Html {
    let lang = props.lang;
    let which = props.which;
    let side = match which {
        Which::Left => "left",
        Which::Right => "right",
    };
    let on_select = props
        .dispatch
        .to_callback()
        .reform(move |s: Selection| Action::SelectOn(which, s));
    let on_mark = props.dispatch.to_callback().reform(Action::ToggleMark);
    let alone = props
        .dispatch
        .to_callback()
        .reform(move |_: MouseEvent| Action::OpenSide(which));
    let alert: BTreeSet<u32> = props
        .report
        .violations
        .iter()
        .flat_map(|v| v.nodes.iter().copied())
        .collect();
    html! {
        <section class={classes!("compare-side", side)} data-testid={format!("side-{side}")}>
            <header class="compare-side-head">
                <h2 class="compare-label" data-testid={format!("label-{side}")}>
                    { props.label.get(lang.key()) }
                </h2>
                if !props.minimal {
                    <button type="button" class="ctl small" data-testid={format!("alone-{side}")}
                        onclick={alone}>
                        { lang.t(W::OpenAlone) }
                    </button>
                }
            </header>
            <ClusterView
                {lang}
                view={props.view.clone()}
                messages={props.messages.clone()}
                playhead={props.playhead}
                selection={props.selection}
                marked={props.marked.clone()}
                {alert}
                {on_select}
                {on_mark}
            />
            if !props.minimal {
                <Violations {lang} report={props.report.clone()}
                    dispatch={Some(props.dispatch.clone())} />
                <details class="compare-metrics">
                    <summary>{ lang.t(W::Metrics) }</summary>
                    <Metrics {lang} report={props.report.clone()}
                        dispatch={props.dispatch.clone()} />
                </details>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareTableProps {
    pub lang: Lang,
    pub labels: [Words; 2],
    pub rows: Rc<Vec<Row>>,
}

/// The two runs' comparable figures, a row each, the ones that differ marked.
#[component]
pub fn CompareTable(props: &CompareTableProps) -> Html {
    let lang = props.lang;
    let key = lang.key();
    html! {
        <table class="compare-table" data-testid="compare-table">
            <thead>
                <tr>
                    <th scope="col">{ lang.t(W::CompareFigure) }</th>
                    <th scope="col">{ props.labels[0].get(key) }</th>
                    <th scope="col">{ props.labels[1].get(key) }</th>
                </tr>
            </thead>
            <tbody>
                { for props.rows.iter().map(|row| html! {
                    <tr class={classes!(row.differs.then_some("differs"))}
                        data-testid={format!("row-{}", row.key)}>
                        <th scope="row">
                            { row.label.get(key) }
                            if row.differs {
                                <span class="differs-mark" title={lang.t(W::CompareDiffers)}
                                    aria-label={lang.t(W::CompareDiffers)}>{ " ≠" }</span>
                            }
                        </th>
                        <td data-testid={format!("row-{}-left", row.key)}>{ figure(&row.left, lang) }</td>
                        <td data-testid={format!("row-{}-right", row.key)}>{ figure(&row.right, lang) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// A figure as a reader writes it: numbers plainly, words in the reader's language, a list
/// separated by commas, and "none" for what the run has not got (no leader, never decided).
pub fn figure(value: &Value, lang: Lang) -> String {
    match value {
        Value::Null => lang.t(W::NoneYet).to_owned(),
        Value::Bool(true) => lang.t(W::Yes).to_owned(),
        Value::Bool(false) => lang.t(W::No).to_owned(),
        Value::Number(n) => n.as_f64().map(number).unwrap_or_else(|| n.to_string()),
        Value::String(s) => glossary::phrase(s, lang.tag()).into_owned(),
        Value::Array(items) if items.is_empty() => lang.t(W::NoneYet).to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|v| figure(v, lang))
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "、" } else { ", " }),
        Value::Object(_) => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_words_in_both_languages() {
        assert_eq!(figure(&Value::Null, Lang::En), "none");
        assert_eq!(figure(&Value::Null, Lang::Zh), "无");
        assert_eq!(figure(&serde_json::json!(4.5), Lang::En), "4.5");
        assert_eq!(figure(&serde_json::json!(true), Lang::Zh), "是");
        assert_eq!(figure(&serde_json::json!([1, 3, 2]), Lang::En), "1, 3, 2");
        assert_eq!(figure(&serde_json::json!([1, 3, 2]), Lang::Zh), "1、3、2");
    }
}
