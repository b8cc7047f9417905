//! The algorithm's own parameters (votes, difficulty, timeouts, the broken rule of Figure 8…)
//! as the scenario writes them, editable as JSON. Whatever the learner applies becomes part of
//! the scenario, so the link replays it; the registry checks it and a refusal is shown in the
//! settings panel, never a panic.

use crate::i18n::{Lang, W};
use crate::state::{Action, AppState};
use clusterplay_scenario::Scenario;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParamsProps {
    pub lang: Lang,
    pub scenario: Rc<Scenario>,
    /// Why the last change was refused.
    pub error: Option<String>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

fn pretty(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(&scenario.params).unwrap_or_else(|_| "{}".into())
}

#[component]
pub fn ParamsEditor(props: &ParamsProps) -> Html {
    let lang = props.lang;
    let text = use_state(|| pretty(&props.scenario));
    {
        // A new scenario (a preset, a replay) brings its own parameters.
        let text = text.clone();
        use_effect_with(props.scenario.params.clone(), move |params| {
            text.set(serde_json::to_string_pretty(params).unwrap_or_else(|_| "{}".into()));
        });
    }
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                text.set(area.value());
            }
        })
    };
    let apply = {
        let text = text.clone();
        let scenario = props.scenario.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text) {
                Ok(params) => {
                    let mut next = (*scenario).clone();
                    next.params = params;
                    dispatch.dispatch(Action::Configure(next));
                }
                Err(e) => dispatch.dispatch(Action::SettingsError(format!(
                    "{}: {e}",
                    lang.t(W::ParamsNotJson)
                ))),
            }
        })
    };
    let rows = text.lines().count().clamp(3, 16).to_string();
    // The rules a learner can break on purpose (issue 21): one checkbox each, which writes the
    // parameter, so that the link carries it and "Find me a failure" searches the broken
    // algorithm.
    let bugs = clusterplay_scenario::algorithm(&props.scenario.protocol)
        .map(|a| a.bugs)
        .unwrap_or_default();
    let bug = |b: &'static clusterplay_scenario::registry::Bug| {
        let on = props.scenario.params.get(b.param) == Some(&serde_json::Value::Bool(true));
        let toggle = {
            let scenario = props.scenario.clone();
            let dispatch = props.dispatch.clone();
            Callback::from(move |_: Event| {
                let mut next = (*scenario).clone();
                if on {
                    next.params.remove(b.param);
                } else {
                    next.params.insert(b.param.into(), true.into());
                }
                dispatch.dispatch(Action::Configure(next));
            })
        };
        html! {
            <li>
                <label class="check">
                    <input type="checkbox" checked={on} onchange={toggle}
                        data-testid={format!("bug-{}", b.param)} />
                    { b.name.get(lang.key()) }
                </label>
                <span class="muted">{ " " }{ b.breaks.get(lang.key()) }</span>
            </li>
        }
    };
    html! {
        <details class="panel params" data-testid="params" open={props.error.is_some()}>
            <summary class="panel-title">{ lang.t(W::Params) }</summary>
            <p class="muted">{ lang.t(W::ParamsHelp) }</p>
            <textarea data-testid="params-text" spellcheck="false" {rows}
                value={(*text).clone()} oninput={on_input} aria-label={lang.t(W::Params)} />
            if let Some(error) = &props.error {
                <p class="settings-error" role="alert" data-testid="params-error">
                    <strong>{ lang.t(W::SettingsRefused) }</strong>{ " " }{ error }
                </p>
            }
            <div class="row">
                <button type="button" class="ctl primary" data-testid="params-apply" onclick={apply}>
                    { lang.t(W::Apply) }
                </button>
            </div>
            if !bugs.is_empty() {
                <section class="bugs" data-testid="bugs">
                    <h3 class="panel-subtitle">{ lang.t(W::BreakARule) }</h3>
                    <p class="muted">{ lang.t(W::BreakARuleHelp) }</p>
                    <ul class="bug-list">{ for bugs.iter().map(bug) }</ul>
                </section>
            }
        </details>
    }
}
