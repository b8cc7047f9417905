use crate::geometry::{clock, local_clock};
use crate::i18n::{Lang, W};
use crate::state::{Action, AppState, Selection, DELAY_MS};
use clusterplay_scenario::view::{ClusterView, LogLine, MessageOut};
use clusterplay_scenario::{glossary, Act};
use clusterplay_sim::{Fate, NodeId, Time};
use std::rc::Rc;
use yew::prelude::*;

/// A pause long enough to outlast the leases of the texts' examples.
const PAUSE_MS: f64 = 200.0;
const JUMP_MS: f64 = 100.0;

/// A node's local time beside virtual time: "212.0 ms (+12.0)".
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub lang: Lang,
    pub selection: Selection,
    pub view: Rc<ClusterView>,
    /// The selected message, if one is selected and still exists.
    pub message: Option<MessageOut>,
    /// The selected event, if one is selected and still in the run.
    #[prop_or_default]
    pub event: Option<LogLine>,
    pub playhead: Time,
    pub marked: bool,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Everything about the selected node or message, and what the learner can do to it.
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let lang = props.lang;
    // The node the "cut the link to" menu points at.
    let cut_to = use_state(|| None::<u32>);
    let act = |act: Act| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Act(act.clone())))
    };
    let body = match props.selection {
        Selection::Node(number) => {
            let node = props.view.nodes.iter().find(|n| n.id == number);
            match (node, NodeId::from_number(number)) {
                (Some(node), Some(id)) => {
                    let role = lang.role(&props.view.roles, node.role).to_owned();
                    let commands = node.commands.iter().map(|command| {
                        let key = command
                            .as_str()
                            .map_or_else(|| command.to_string(), str::to_owned);
                        html! {
                            <button type="button" class="ctl primary"
                                data-testid={format!("action-command-{key}")}
                                onclick={act(Act::Command { node: id, command: command.clone() })}>
                                { lang.command(command) }
                            </button>
                        }
                    });
                    let n = props.view.nodes.len() as u32;
                    let target = (*cut_to)
                        .filter(|t| *t != number && *t <= n)
                        .or_else(|| (1..=n).find(|t| *t != number));
                    let on_target = {
                        let cut_to = cut_to.clone();
                        Callback::from(move |e: Event| {
                            let v = e
                                .target()
                                .and_then(|t| {
                                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t)
                                        .ok()
                                })
                                .and_then(|s| s.value().parse().ok());
                            cut_to.set(v);
                        })
                    };
                    let cut = target
                        .and_then(NodeId::from_number)
                        .map(|to| act(Act::Cut { from: id, to }));
                    let cuts = props
                        .view
                        .cuts
                        .iter()
                        .filter(|(a, b)| *a == number || *b == number)
                        .filter_map(|&(a, b)| {
                            let (from, to) = (NodeId::from_number(a)?, NodeId::from_number(b)?);
                            Some(html! {
                                <li>
                                    { format!("{a} → {b} ") }
                                    <button type="button" class="ctl small"
                                        data-testid={format!("restore-{a}-{b}")}
                                        onclick={act(Act::Restore { from, to })}>
                                        { lang.t(W::Restore) }
                                    </button>
                                </li>
                            })
                        })
                        .collect::<Vec<_>>();
                    let on_mark = {
                        let dispatch = props.dispatch.clone();
                        Callback::from(move |_: Event| {
                            dispatch.dispatch(Action::ToggleMark(number))
                        })
                    };
                    html! {
                        <>
                            <h3 class="inspector-title">
                                { format!("{} {}", lang.t(W::Node), node.id) }
                                <span class="muted">{ format!(" · {}", if node.up { role } else { lang.t(W::Down).to_owned() }) }</span>
                            </h3>
                            <div class="actions">
                                { for commands }
                                if node.up {
                                    <button type="button" class="ctl danger" data-testid="action-crash"
                                        onclick={act(Act::Crash { node: id })}>{ lang.t(W::Crash) }</button>
                                    <button type="button" class="ctl" data-testid="action-pause"
                                        title={lang.t(W::PauseHelp)}
                                        onclick={act(Act::Pause { node: id, for_ms: PAUSE_MS })}>{ lang.t(W::PauseProcess) }</button>
                                    <button type="button" class="ctl" data-testid="action-clock-ahead"
                                        onclick={act(Act::Jump { node: id, by_ms: JUMP_MS })}>{ lang.t(W::ClockAhead) }</button>
                                    <button type="button" class="ctl" data-testid="action-clock-back"
                                        onclick={act(Act::Jump { node: id, by_ms: -JUMP_MS })}>{ lang.t(W::ClockBack) }</button>
                                } else {
                                    <button type="button" class="ctl" data-testid="action-recover"
                                        onclick={act(Act::Recover { node: id })}>{ lang.t(W::Recover) }</button>
                                }
                            </div>
                            <label class="check">
                                <input type="checkbox" data-testid="mark-node" checked={props.marked}
                                    onchange={on_mark} />
                                { lang.t(W::SelectForCut) }
                            </label>
                            <div class="cut-link">
                                <label>
                                    <span>{ lang.t(W::CutLinkTo) }</span>
                                    <select data-testid="cut-target" onchange={on_target}>
                                        { for (1..=n).filter(|t| *t != number).map(|t| html! {
                                            <option value={t.to_string()} selected={Some(t) == target}>{ t }</option>
                                        }) }
                                    </select>
                                </label>
                                <button type="button" class="ctl" data-testid="action-cut-link"
                                    disabled={cut.is_none()} onclick={cut.unwrap_or_default()}>
                                    { "✂ " }{ lang.t(W::CutLink) }
                                </button>
                            </div>
                            if !cuts.is_empty() {
                                <div class="cuts">
                                    <span class="muted">{ lang.t(W::CutLinks) }</span>
                                    <ul>{ for cuts }</ul>
                                </div>
                            }
                            <dl class="fields">
                                <dt>{ lang.t(W::State) }</dt>
                                <dd>{ if node.up { lang.t(W::Up) } else { lang.t(W::Down) } }</dd>
                                if let Some(until) = node.paused_until {
                                    <dt>{ lang.t(W::Paused) }</dt>
                                    <dd data-testid="paused-until">{ format!("→ {}", clock(until)) }</dd>
                                }
                                if node.local_time != props.view.now {
                                    <dt>{ lang.t(W::LocalClock) }</dt>
                                    <dd data-testid="local-clock">{ local_clock(node.local_time, props.view.now) }</dd>
                                }
                                { for node.fields.iter().map(|(k, v)| html! {
                                    <>
                                        <dt>{ glossary::field(k, lang.tag()).to_owned() }</dt>
                                        <dd>{ if v.is_empty() { "–".to_owned() } else { glossary::phrase(v, lang.tag()).into_owned() } }</dd>
                                    </>
                                }) }
                                if !node.timers.is_empty() {
                                    <dt>{ lang.t(W::Timers) }</dt>
                                    <dd>{ for node.timers.iter().map(|t| html! {
                                        <div>{ format!("{} → {}", glossary::phrase(&t.name, lang.tag()), clock(t.fires_at)) }</div>
                                    }) }</dd>
                                }
                            </dl>
                            if let Some(log) = &node.log {
                                <super::LogRow log={log.clone()} {lang} />
                            }
                            if let Some(chain) = &node.chain {
                                <super::ChainTree chain={chain.clone()} {lang} />
                            }
                        </>
                    }
                }
                _ => html! { <p class="muted">{ lang.t(W::InspectorEmpty) }</p> },
            }
        }
        Selection::Message(_) => match &props.message {
            Some(m) => {
                let flying = matches!(m.fate, Fate::InFlight);
                let fate = match m.fate {
                    Fate::InFlight if m.held => {
                        format!("{} ({})", lang.t(W::InFlight), lang.t(W::Held))
                    }
                    Fate::InFlight => lang.t(W::InFlight).to_owned(),
                    Fate::Delivered { time, .. } => {
                        format!("{} {}", lang.t(W::Delivered), clock(time))
                    }
                    Fate::Dropped { time, reason, .. } => {
                        format!("{} {} ({})", lang.t(W::Lost), clock(time), reason.as_str())
                    }
                };
                let msg = m.id;
                html! {
                    <>
                        <h3 class="inspector-title">
                            { format!("{} #{}", lang.t(W::Message), m.id) }
                            <span class="muted">{ format!(" · {}", glossary::phrase(&m.label, lang.tag())) }</span>
                        </h3>
                        if flying {
                            <div class="actions">
                                <button type="button" class="ctl danger" data-testid="action-drop"
                                    onclick={act(Act::Drop { msg })}>{ lang.t(W::Drop) }</button>
                                <button type="button" class="ctl" data-testid="action-delay"
                                    onclick={act(Act::Delay { msg, by_ms: DELAY_MS })}>{ lang.t(W::Delay20) }</button>
                                <button type="button" class="ctl" data-testid="action-deliver"
                                    onclick={act(Act::Deliver { msg })}>{ lang.t(W::DeliverNow) }</button>
                                <button type="button" class="ctl" data-testid="action-duplicate"
                                    onclick={act(Act::Duplicate { msg })}>{ lang.t(W::Duplicate) }</button>
                            </div>
                        }
                        <dl class="fields">
                            <dt>{ lang.t(W::From) }</dt><dd>{ m.from }</dd>
                            <dt>{ lang.t(W::To) }</dt><dd>{ m.to }</dd>
                            <dt>{ lang.t(W::Sent) }</dt><dd>{ clock(m.sent_at) }</dd>
                            <dt>{ lang.t(W::Due) }</dt><dd>{ clock(m.due) }</dd>
                            <dt>{ lang.t(W::Fate) }</dt><dd>{ fate }</dd>
                        </dl>
                        <pre class="detail">{ m.detail.as_deref().unwrap_or_default() }</pre>
                    </>
                }
            }
            None => html! { <p class="muted">{ lang.t(W::InspectorEmpty) }</p> },
        },
        Selection::Event(_) => match &props.event {
            Some(e) => {
                let sent = e.sent.clone().map(|id| {
                    let dispatch = props.dispatch.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        dispatch.dispatch(Action::Select(Selection::Message(id)))
                    });
                    html! {
                        <button type="button" class="ctl small" {onclick}>{ format!("#{id}") }</button>
                    }
                });
                html! {
                    <>
                        <h3 class="inspector-title" data-testid="inspector-event">
                            { format!("{} {}", lang.t(W::Event), e.index) }
                            <span class="muted">{ format!(" · {}", clock(e.time)) }</span>
                        </h3>
                        <dl class="fields">
                            if let Some(node) = e.node {
                                <dt>{ lang.t(W::Node) }</dt><dd>{ node }</dd>
                            }
                            <dt>{ lang.t(W::Event) }</dt><dd>{ e.text.render(lang.words()) }</dd>
                            { for e.notes.iter().map(|n| html! {
                                <><dt></dt><dd class="muted">{ n.render(lang.words()) }</dd></>
                            }) }
                            if let Some(msg) = e.msg {
                                <dt>{ lang.t(W::Message) }</dt>
                                <dd><button type="button" class="ctl small" onclick={{
                                    let dispatch = props.dispatch.clone();
                                    Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Select(Selection::Message(msg))))
                                }}>{ format!("#{msg}") }</button></dd>
                            }
                            if !e.sent.is_empty() {
                                <dt>{ lang.t(W::SentMessages) }</dt><dd class="sent">{ for sent }</dd>
                            }
                        </dl>
                    </>
                }
            }
            None => html! { <p class="muted">{ lang.t(W::InspectorEmpty) }</p> },
        },
        Selection::None => html! { <p class="muted">{ lang.t(W::InspectorEmpty) }</p> },
    };
    // On a narrow screen the inspector of a selection rises from the bottom, over the cluster
    // the finger is on, rather than a thousand pixels further down; × puts it back.
    let sheet = props.selection != Selection::None;
    let close = props
        .dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::Select(Selection::None));
    html! {
        <section class={classes!("panel", "inspector", sheet.then_some("sheet"))}
            data-testid="inspector" aria-live="polite">
            if sheet {
                <button type="button" class="ctl small sheet-close" data-testid="inspector-close"
                    aria-label={lang.t(W::Close)} onclick={close}>{ "×" }</button>
            }
            <h2 class="panel-title">{ lang.t(W::Inspector) }</h2>
            { body }
        </section>
    }
}
