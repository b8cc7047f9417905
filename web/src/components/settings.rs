//! The settings panel (node count, network, hand delivery, chaos) and the hand-delivery list.
//! Every change is a new scenario, so the URL replays it; the scenario crate validates it and
//! a refusal is shown here, never a panic.

use crate::i18n::{Lang, W};
use crate::palette::kind_color;
use crate::state::{Action, AppState};
use clusterplay_scenario::view::MessageOut;
use clusterplay_scenario::{Act, ChaosSettings, Scenario};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Chaos rate offered when the learner turns chaos on.
pub const DEFAULT_CHAOS_RATE: f64 = 5.0;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub lang: Lang,
    pub scenario: Rc<Scenario>,
    /// Why the last change was refused.
    pub error: Option<String>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn target_input(e: &Event) -> Option<web_sys::HtmlInputElement> {
    e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()
}

/// A field's new value as a number, or a message naming the field.
fn number(e: &Event, field: &str, lang: Lang) -> Result<f64, String> {
    let raw = target_input(e).map(|i| i.value()).unwrap_or_default();
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{field}: «{raw}» {}", lang.t(W::NotANumber)))
}

/// Round to what a person would type (avoids 0.30000000000000004 in links).
fn tidy(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Turn one field's change into a new scenario and dispatch it.
fn field(
    props: &SettingsProps,
    name: &'static str,
    apply: impl Fn(&mut Scenario, f64) + 'static,
) -> Callback<Event> {
    let dispatch = props.dispatch.clone();
    let scenario = props.scenario.clone();
    let lang = props.lang;
    Callback::from(move |e: Event| match number(&e, name, lang) {
        Ok(v) => {
            let mut next = (*scenario).clone();
            apply(&mut next, v);
            dispatch.dispatch(Action::Configure(next));
        }
        Err(msg) => dispatch.dispatch(Action::SettingsError(msg)),
    })
}

fn toggle(props: &SettingsProps, apply: impl Fn(&mut Scenario, bool) + 'static) -> Callback<Event> {
    let dispatch = props.dispatch.clone();
    let scenario = props.scenario.clone();
    Callback::from(move |e: Event| {
        let on = target_input(&e).is_some_and(|i| i.checked());
        let mut next = (*scenario).clone();
        apply(&mut next, on);
        dispatch.dispatch(Action::Configure(next));
    })
}

#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let lang = props.lang;
    let s = &*props.scenario;
    let net = &s.network;
    let on_nodes = field(props, "nodes", |s, v| {
        s.nodes = if v >= 0.0 && v <= f64::from(u32::MAX) {
            v.round() as u32
        } else {
            0
        }
    });
    let on_lat_min = field(props, "latency min", |s, v| {
        s.network.latency_ms[0] = tidy(v)
    });
    let on_lat_max = field(props, "latency max", |s, v| {
        s.network.latency_ms[1] = tidy(v)
    });
    let on_loss = field(props, "loss", |s, v| s.network.loss = tidy(v / 100.0));
    let on_dup = field(props, "duplicate", |s, v| {
        s.network.duplicate = tidy(v / 100.0)
    });
    let on_manual = toggle(props, |s, on| s.network.manual = on);
    let on_chaos = toggle(props, |s, on| {
        s.chaos = on.then_some(ChaosSettings {
            rate_per_s: DEFAULT_CHAOS_RATE,
            seed: s.seed,
            clocks: false,
        })
    });
    let on_rate = field(props, "chaos", |s, v| {
        let (seed, clocks) = s
            .chaos
            .as_ref()
            .map_or((s.seed, false), |c| (c.seed, c.clocks));
        s.chaos = Some(ChaosSettings {
            rate_per_s: tidy(v),
            seed,
            clocks,
        });
    });
    let on_chaos_clocks = toggle(props, |s, on| {
        if let Some(c) = s.chaos.as_mut() {
            c.clocks = on;
        }
    });
    let pct = |p: f64| format!("{}", tidy(p * 100.0));
    html! {
        <details class="panel settings" data-testid="settings">
            <summary class="panel-title">{ lang.t(W::Settings) }</summary>
            <div class="settings-grid">
                <label>
                    <span>{ lang.t(W::NodeCount) }</span>
                    <input type="number" data-testid="set-nodes"
                        min={clusterplay_scenario::model::MIN_NODES.to_string()}
                        max={clusterplay_scenario::model::MAX_NODES.to_string()} step="1"
                        value={s.nodes.to_string()} onchange={on_nodes} />
                </label>
                <label>
                    <span>{ lang.t(W::LatencyMin) }</span>
                    <input type="number" data-testid="set-latency-min" min="0.01" step="any"
                        value={net.latency_ms[0].to_string()} onchange={on_lat_min} />
                </label>
                <label>
                    <span>{ lang.t(W::LatencyMax) }</span>
                    <input type="number" data-testid="set-latency-max" min="0.01" step="any"
                        value={net.latency_ms[1].to_string()} onchange={on_lat_max} />
                </label>
                <label>
                    <span>{ lang.t(W::LossPct) }</span>
                    <input type="number" data-testid="set-loss" min="0" max="100" step="any"
                        value={pct(net.loss)} onchange={on_loss} />
                </label>
                <label>
                    <span>{ lang.t(W::DuplicatePct) }</span>
                    <input type="number" data-testid="set-duplicate" min="0" max="100" step="any"
                        value={pct(net.duplicate)} onchange={on_dup} />
                </label>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="set-manual" checked={net.manual}
                    onchange={on_manual} />
                { lang.t(W::HandDelivery) }
            </label>
            <div class="chaos-row">
                <label class="check">
                    <input type="checkbox" data-testid="set-chaos" checked={s.chaos.is_some()}
                        onchange={on_chaos} />
                    { lang.t(W::Chaos) }
                </label>
                if let Some(c) = &s.chaos {
                    <label>
                        <span>{ lang.t(W::ChaosRate) }</span>
                        <input type="number" data-testid="set-chaos-rate" min="0" max="1000"
                            step="any" value={c.rate_per_s.to_string()} onchange={on_rate} />
                    </label>
                    <label class="check">
                        <input type="checkbox" data-testid="set-chaos-clocks" checked={c.clocks}
                            onchange={on_chaos_clocks} />
                        { lang.t(W::ChaosClocks) }
                    </label>
                }
            </div>
            if let Some(error) = &props.error {
                <p class="settings-error" role="alert" data-testid="settings-error">
                    <strong>{ lang.t(W::SettingsRefused) }</strong>{ " " }{ error }
                </p>
            }
            <p class="muted small">{ lang.t(W::SettingsHint) }</p>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeldProps {
    pub lang: Lang,
    /// Messages held for the learner, oldest first.
    pub held: Vec<MessageOut>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// "You are the network": every held message with deliver and drop.
#[component]
pub fn HeldMessages(props: &HeldProps) -> Html {
    let lang = props.lang;
    let act = |act: Act| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Act(act.clone())))
    };
    let items = props.held.iter().map(|m| {
        let msg = m.id;
        html! {
            <li key={m.id} data-testid={format!("held-{}", m.id)}>
                <span class="kind-dot" style={format!("background:{}", kind_color(m.kind))}></span>
                <span class="held-text">{ format!("#{} {} · {} → {}", m.id, clusterplay_scenario::glossary::phrase(&m.label, lang.tag()), m.from, m.to) }</span>
                <button type="button" class="ctl small primary" data-testid={format!("deliver-{}", m.id)}
                    onclick={act(Act::Deliver { msg })}>{ lang.t(W::Deliver) }</button>
                <button type="button" class="ctl small danger" data-testid={format!("drop-{}", m.id)}
                    onclick={act(Act::Drop { msg })}>{ lang.t(W::Drop) }</button>
            </li>
        }
    });
    html! {
        <section class="panel held" data-testid="held">
            <h2 class="panel-title">{ lang.t(W::YouAreTheNetwork) }</h2>
            if props.held.is_empty() {
                <p class="muted">{ lang.t(W::NothingHeld) }</p>
            } else {
                <ol class="held-list">{ for items }</ol>
            }
        </section>
    }
}
