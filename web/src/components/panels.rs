use crate::geometry::{clock, ms_to_time, number};
use crate::i18n::{Lang, W};
use crate::state::{Action, AppState, Selection};
use clusterplay_scenario::view::LogLine;
use clusterplay_scenario::{glossary, Report};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub lang: Lang,
    pub report: Rc<Report>,
    #[prop_or_default]
    pub dispatch: Option<UseReducerDispatcher<AppState>>,
}

/// Messages by type, and the protocol's outcome beside the texts' formula.
#[component]
pub fn Metrics(props: &ReportProps) -> Html {
    let lang = props.lang;
    let report = &props.report;
    let outcome = &report.outcome;
    let order = outcome
        .get("critical_section_order")
        .and_then(|v| v.as_array());
    let order_text = order
        .map(|o| {
            o.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let per_entry = outcome
        .get("messages_per_entry")
        .and_then(|v| v.as_f64())
        .map(number)
        .unwrap_or_default();
    let formula_key = if lang == Lang::Zh {
        "formula_zh"
    } else {
        "formula"
    };
    let formula = outcome
        .get(formula_key)
        .or_else(|| outcome.get("formula"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    // A little after the end of the latest marked stretch: seeking there puts the finding in
    // the diagram with room for its label.
    let marked_until = report
        .highlights
        .iter()
        .map(|h| h.to.unwrap_or(h.from) + 20_000)
        .max();
    let show = match (marked_until, &props.dispatch) {
        (Some(t), Some(dispatch)) => {
            let dispatch = dispatch.clone();
            Some(Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::Seek(t))
            }))
        }
        _ => None,
    };
    html! {
        <section class="panel metrics" data-testid="metrics">
            <h2 class="panel-title">{ lang.t(W::Metrics) }</h2>
            <dl class="fields">
                <dt>{ lang.t(W::MessagesTotal) }</dt>
                <dd data-testid="messages-total">{ report.messages.total }</dd>
                <dt>{ lang.t(W::ByType) }</dt>
                <dd>
                    <ul class="by-type">
                        { for report.messages.by_type.iter().map(|(kind, count)| html! {
                            <li><span class="kind-dot" style={format!("background:{}", crate::palette::kind_color(kind))}></span>
                                { format!("{}: {count}", glossary::phrase(kind, lang.tag())) }</li>
                        }) }
                    </ul>
                </dd>
                if order.is_some() {
                    <dt>{ lang.t(W::CsOrder) }</dt>
                    <dd>
                        <span data-testid="cs-order">{ order_text.clone() }</span>
                        if order_text.is_empty() {
                            <span class="muted">{ lang.t(W::Nobody) }</span>
                        }
                    </dd>
                    <dt>{ lang.t(W::MessagesPerEntry) }</dt>
                    <dd>
                        <span data-testid="messages-per-entry">{ per_entry.clone() }</span>
                        if per_entry.is_empty() {
                            <span class="muted">{ "–" }</span>
                        }
                    </dd>
                }
                if let Some(formula) = formula {
                    <dt>{ lang.t(W::Formula) }</dt>
                    <dd class="formula">{ formula }</dd>
                }
                { for glossary::outcome_lines(outcome, lang.tag()).into_iter().map(|(key, value)| html! {
                    <>
                        <dt>{ glossary::outcome_key(key, lang.tag()) }</dt>
                        <dd data-testid={format!("outcome-{key}")}>{ value }</dd>
                    </>
                }) }
            </dl>
            if let Some(onclick) = show {
                <button type="button" class="ctl small" data-testid="show-highlights" {onclick}>
                    { lang.t(W::ShowOnDiagram) }
                </button>
            }
        </section>
    }
}

/// Every broken invariant so far, with a button that jumps to the moment it broke.
#[component]
pub fn Violations(props: &ReportProps) -> Html {
    let lang = props.lang;
    let items = props.report.violations.iter().map(|v| {
        let jump = props.dispatch.clone().map(|dispatch| {
            let t = ms_to_time(v.time_ms);
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Seek(t)))
        });
        let nodes = v
            .nodes
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        html! {
            <li class="violation">
                <strong>{ glossary::invariant(v.invariant, lang.tag()) }</strong>
                { format!(" · {} · {}", clock(ms_to_time(v.time_ms)), glossary::phrase(&v.text, lang.tag())) }
                if !nodes.is_empty() {
                    <span class="muted">{ format!(" ({} {nodes})", lang.t(W::Node)) }</span>
                }
                if let Some(onclick) = jump {
                    <button type="button" class="ctl small" data-testid="violation-jump" {onclick}>
                        { lang.t(W::Jump) }
                    </button>
                }
            </li>
        }
    });
    let broken = !props.report.violations.is_empty();
    html! {
        <section class={classes!("panel", "violations", broken.then_some("broken"))}
            data-testid="violations" aria-live="assertive">
            <h2 class="panel-title">{ lang.t(W::Violations) }</h2>
            if broken {
                <ul class="violation-list">{ for items }</ul>
            } else {
                <p class="muted ok">{ "✓ " }{ lang.t(W::NoViolations) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub lang: Lang,
    pub lines: Rc<Vec<LogLine>>,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Lines about the selected node, message or event are highlighted.
    #[prop_or_default]
    pub selection: Selection,
}

/// Whether a log line concerns what is selected.
pub fn concerns(line: &LogLine, selection: Selection) -> bool {
    match selection {
        Selection::None => false,
        Selection::Node(n) => line.node == Some(n),
        Selection::Message(id) => line.msg == Some(id) || line.sent.contains(&id),
        Selection::Event(i) => line.index == i,
    }
}

/// The last events, newest at the bottom; a click seeks to that event's time.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let lang = props.lang;
    let selection = props.selection;
    let lines = props.lines.iter().map(|line| {
        let t = line.time;
        let index = line.index;
        let dispatch = props.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Select(Selection::Event(index)));
            dispatch.dispatch(Action::Seek(t));
        });
        let lit = concerns(line, selection);
        let who = line
            .node
            .map(|n| format!("{} {n}", lang.t(W::Node)))
            .unwrap_or_default();
        html! {
            <li key={line.index} data-event={line.index.to_string()}
                class={classes!(lit.then_some("lit"))}
                data-testid={format!("log-{}", line.index)}>
                <button type="button" class="log-line" {onclick}>
                    <span class="log-time">{ clock(line.time) }</span>
                    <span class="log-node">{ who }</span>
                    <span class="log-text">{ line.text.render(lang.words()) }</span>
                    { for line.notes.iter().map(|note| html! {
                        <span class="log-note">{ note.render(lang.words()) }</span>
                    }) }
                </button>
            </li>
        }
    });
    html! {
        <section class="panel log" data-testid="log">
            <h2 class="panel-title">{ lang.t(W::Log) }</h2>
            if props.lines.is_empty() {
                <p class="muted">{ lang.t(W::LogEmpty) }</p>
            }
            // The scroller lays its one child out from the bottom, so the newest line stays
            // in view as lines arrive without the page reading the list's height after each
            // render, a forced layout that cost about a tenth of the page's time while
            // playing (issue 22).
            <div class="log-scroll">
                <ol class="log-lines">{ for lines }</ol>
            </div>
        </section>
    }
}
