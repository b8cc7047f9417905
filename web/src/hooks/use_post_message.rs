//! The `postMessage` API for course pages that embed the playground in an iframe.
//!
//! Parent → playground, each a plain object with a `type`:
//!
//! - `{type: "clusterplay:load", link: "https://…#s=…"}` (or `fragment: "s=…"`,
//!   `scenario: {…}` as JSON, or `preset: "mutex-ra-seed"`): show that scenario from its start;
//! - `{type: "clusterplay:load", compare: "compare-zk-herd"}` (or `comparison: {…}`, or a
//!   `link`/`fragment` with `c=…`): show that comparison side by side, from its start;
//! - `{type: "clusterplay:play"}`, `"clusterplay:pause"`, `"clusterplay:step"`,
//!   `"clusterplay:reset"`;
//! - `{type: "clusterplay:seek", ms: 42.5}`: move the virtual clock;
//! - `{type: "clusterplay:get-state"}`: answer with a state message now.
//!
//! Playground → parent: `{type: "clusterplay:ready", version: 1}` once the first cluster is
//! drawn; `{type: "clusterplay:state", ms, until_ms, events, playing, ended, protocol, preset,
//! violations: [...], outcome: {...}, compare}` (`compare`: `null`, or for a comparison its
//! `title`, `left` and `right` sides each with `label`, `protocol`, `events`, `violations` and
//! `outcome`, and the table's `rows`) whenever playing starts or stops, the scenario changes, a
//! violation appears, the run ends, or the clock moves while paused; and
//! `{type: "clusterplay:error", message}` for a command it could not follow. While a lesson is
//! taken (`#lesson=ID` or `#l=…`): `{type: "clusterplay:lesson-answer", lesson, stop, choice,
//! correct}` for each question answered (stops and choices counted from 1), and
//! `{type: "clusterplay:lesson-complete", lesson, score, questions, answers: [{stop, choice,
//! correct}]}` when its last stop is behind.
//!
//! Commands are accepted only from the embedding page (`event.source === window.parent`) or
//! from the page itself; messages without a `clusterplay:` type are ignored.

use crate::state::{Action, AppState};
use clusterplay_scenario::compare::{self, compare_preset, Comparison, Which};
use clusterplay_scenario::{link, preset, Scenario};
use clusterplay_sim::Time;
use gloo_events::EventListener;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

pub const API_VERSION: u32 = 1;

/// A command from the embedding page.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Load(Box<Scenario>),
    /// A comparison, shown side by side.
    LoadCompare(Box<Comparison>),
    /// Load what another family's module runs: the page reloads at this fragment, and says
    /// `clusterplay:ready` again once that module has drawn it.
    LoadElsewhere(String),
    Play,
    Pause,
    Step,
    Reset,
    Seek(Time),
    GetState,
}

/// Read a message's data. `Ok(None)`: not addressed to the playground.
pub fn parse(data: &Value) -> Result<Option<Command>, String> {
    let Some(kind) = data.get("type").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some(kind) = kind.strip_prefix("clusterplay:") else {
        return Ok(None);
    };
    Ok(Some(match kind {
        "play" => Command::Play,
        "pause" => Command::Pause,
        "step" => Command::Step,
        "reset" => Command::Reset,
        "get-state" => Command::GetState,
        "seek" => {
            let ms = data
                .get("ms")
                .and_then(Value::as_f64)
                .ok_or("seek needs a number `ms`")?;
            let t = clusterplay_scenario::model::micros(
                "ms",
                ms,
                clusterplay_scenario::model::MAX_DURATION_MS,
            )
            .map_err(|e| e.to_string())?;
            Command::Seek(t)
        }
        "load" if is_compare(data) => {
            let comparison = if let Some(id) = data.get("compare").and_then(Value::as_str) {
                if crate::catalogue::compare_elsewhere(id) {
                    return Ok(Some(Command::LoadElsewhere(format!("compare={id}"))));
                }
                compare_preset(id)
                    .map_err(|e| e.to_string())?
                    .comparison
                    .clone()
            } else if let Some(c) = data.get("comparison") {
                let text = match c {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                compare::from_json(text.as_bytes()).map_err(|e| e.to_string())?
            } else {
                let l = data
                    .get("link")
                    .or_else(|| data.get("fragment"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                link::decode_compare(l).map_err(|e| e.to_string())?
            };
            if crate::catalogue::runs_elsewhere(&comparison.left.scenario.protocol) {
                return Ok(Some(Command::LoadElsewhere(link::compare_fragment(
                    &comparison,
                ))));
            }
            comparison.check().map_err(|e| e.to_string())?;
            Command::LoadCompare(Box::new(comparison))
        }
        "load" => {
            let scenario = if let Some(l) = data
                .get("link")
                .or_else(|| data.get("fragment"))
                .and_then(Value::as_str)
            {
                link::decode(l).map_err(|e| e.to_string())?
            } else if let Some(id) = data.get("preset").and_then(Value::as_str) {
                if crate::catalogue::preset_elsewhere(id) {
                    return Ok(Some(Command::LoadElsewhere(format!("p={id}"))));
                }
                preset(id).map_err(|e| e.to_string())?.scenario.clone()
            } else if let Some(s) = data.get("scenario") {
                let text = match s {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                link::from_json(text.as_bytes()).map_err(|e| e.to_string())?
            } else {
                return Err("load needs `link`, `fragment`, `preset` or `scenario`".into());
            };
            if crate::catalogue::runs_elsewhere(&scenario.protocol) {
                return Ok(Some(Command::LoadElsewhere(link::fragment(&scenario))));
            }
            crate::catalogue::load(&scenario).map_err(|e| e.to_string())?;
            Command::Load(Box::new(scenario))
        }
        other => return Err(format!("unknown command clusterplay:{other}")),
    }))
}

/// Whether a load command asks for a comparison: by compare preset (`compare`), whole
/// (`comparison`), or in a link or fragment that carries one (`c=`).
fn is_compare(data: &Value) -> bool {
    data.get("compare").is_some()
        || data.get("comparison").is_some()
        || data
            .get("link")
            .or_else(|| data.get("fragment"))
            .and_then(Value::as_str)
            .is_some_and(link::has_compare)
}

/// The playground's state as the parent hears it.
pub fn state_message(state: &AppState) -> Value {
    let sim = state.sim.borrow();
    let report = sim.live_report();
    let until = state.until();
    json!({
        "type": "clusterplay:state",
        "ms": clusterplay_sim::to_ms(state.shown_time()),
        "until_ms": clusterplay_sim::to_ms(until),
        "events": report.events,
        "playing": state.playing,
        "ended": state.shown_time() >= until,
        "protocol": report.protocol,
        "preset": state.preset,
        "violations": report.violations,
        "outcome": report.outcome,
        "compare": compare_state(state, &report),
    })
}

/// Both sides of the comparison shown, and the table of their figures (`null` for one run).
fn compare_state(state: &AppState, left: &clusterplay_scenario::Report) -> Value {
    let Some(compare) = &state.compare else {
        return Value::Null;
    };
    let right = compare.right.borrow().live_report();
    let side = |which: Which, report: &clusterplay_scenario::Report| {
        json!({
            "label": compare.label(which),
            "protocol": report.protocol,
            "events": report.events,
            "violations": report.violations,
            "outcome": report.outcome,
        })
    };
    json!({
        "id": compare.id,
        "title": compare.title,
        "left": side(Which::Left, left),
        "right": side(Which::Right, &right),
        "rows": compare::rows(left, &right),
    })
}

fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    // A top-level page is its own parent: nobody to tell.
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// Tell the embedding page the lesson's latest answer, and that it is complete when it is.
pub fn post_lesson(run: &crate::lesson_run::LessonRun) {
    let answers: Vec<Value> = run
        .answers
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.map(|(choice, correct)| json!({"stop": i + 1, "choice": choice + 1, "correct": correct}))
        })
        .collect();
    if run.phase == crate::lesson_run::Phase::Done {
        let (right, _, asked) = run.score();
        post(&json!({
            "type": "clusterplay:lesson-complete",
            "lesson": run.lesson.id,
            "score": right,
            "questions": asked,
            "answers": answers,
        }));
    } else if let Some((choice, correct)) = run.answered() {
        post(&json!({
            "type": "clusterplay:lesson-answer",
            "lesson": run.lesson.id,
            "stop": run.stop + 1,
            "choice": choice + 1,
            "correct": correct,
        }));
    }
}

/// Send `message` to the embedding page, if there is one.
pub fn post(message: &Value) {
    let Some(parent) = parent() else {
        return;
    };
    if let Ok(value) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&value, "*");
    }
}

fn from_parent_or_self(event: &web_sys::MessageEvent) -> bool {
    let Some(source) = event.source() else {
        return false;
    };
    let Some(window) = web_sys::window() else {
        return false;
    };
    let source: &JsValue = source.as_ref();
    js_sys::Object::is(source, &window)
        || window
            .parent()
            .ok()
            .flatten()
            .is_some_and(|p| js_sys::Object::is(source, &p))
}

/// Listen to the embedding page and keep it told of the state.
#[hook]
pub fn use_post_message(
    state: &AppState,
    violations: usize,
    dispatch: UseReducerDispatcher<AppState>,
) {
    // The latest state, for `get-state`: its message is made when asked, so that while playing
    // it tells the time the page shows then.
    let latest: Rc<RefCell<Option<AppState>>> = use_mut_ref(|| None);
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "message", move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                        return;
                    };
                    if !from_parent_or_self(event) {
                        return;
                    }
                    let data = js_sys::JSON::stringify(&event.data())
                        .ok()
                        .and_then(|s| s.as_string())
                        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                        .unwrap_or(Value::Null);
                    match parse(&data) {
                        Ok(None) => {}
                        Ok(Some(command)) => {
                            let action = match command {
                                Command::Load(s) => Action::Load(*s),
                                Command::LoadCompare(c) => Action::LoadCompare(c),
                                Command::LoadElsewhere(fragment) => {
                                    let embed = latest.borrow().as_ref().is_some_and(|s| s.embed);
                                    crate::catalogue::reload_at(&fragment, embed);
                                    return;
                                }
                                Command::Play => Action::Play,
                                Command::Pause => Action::Pause,
                                Command::Step => Action::Step,
                                Command::Reset => Action::Reset,
                                Command::Seek(t) => Action::Seek(t),
                                Command::GetState => {
                                    if let Some(state) = &*latest.borrow() {
                                        post(&state_message(state));
                                    }
                                    return;
                                }
                            };
                            dispatch.dispatch(action);
                        }
                        Err(message) => post(&json!({
                            "type": "clusterplay:error",
                            "message": message,
                        })),
                    }
                })
            });
            post(&json!({ "type": "clusterplay:ready", "version": API_VERSION }));
            move || drop(listener)
        });
    }
    let ended = state.playhead >= state.until();
    let key = (
        state.playing,
        state.scenario_rev,
        Rc::as_ptr(&state.sim) as *const () as usize,
        violations,
        ended,
        // While playing, the clock moves every frame: only the other changes are news.
        if state.playing { 0 } else { state.playhead },
        if state.playing {
            0
        } else {
            state.sim.borrow().events()
        },
    );
    let state = state.clone();
    {
        let state = state.clone();
        let latest = latest.clone();
        use_effect(move || *latest.borrow_mut() = Some(state));
    }
    use_effect_with(key, move |_| post(&state_message(&state)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_bad_ones_say_why() {
        assert_eq!(
            parse(&json!({"type": "clusterplay:play"})),
            Ok(Some(Command::Play))
        );
        assert_eq!(
            parse(&json!({"type": "clusterplay:seek", "ms": 12.5})),
            Ok(Some(Command::Seek(12_500)))
        );
        assert_eq!(parse(&json!({"type": "other:thing"})), Ok(None));
        assert_eq!(parse(&json!("hello")), Ok(None));
        assert!(parse(&json!({"type": "clusterplay:seek", "ms": -1}))
            .unwrap_err()
            .contains("negative"));
        assert!(parse(&json!({"type": "clusterplay:fly"})).is_err());
        let s = clusterplay_scenario::Scenario::new("mutex-ra", 4);
        assert_eq!(
            parse(&json!({"type": "clusterplay:load", "fragment": link::fragment(&s)})),
            Ok(Some(Command::Load(Box::new(s.clone()))))
        );
        assert_eq!(
            parse(&json!({"type": "clusterplay:load", "scenario": s})),
            Ok(Some(Command::Load(Box::new(s))))
        );
        assert!(parse(&json!({"type": "clusterplay:load", "preset": "nope"})).is_err());
        assert!(parse(&json!({"type": "clusterplay:load", "link": "s=@@"})).is_err());

        // Comparisons: by compare preset, whole, or in a link; a broken one says why.
        let herd = &compare_preset("compare-zk-herd")
            .expect("preset")
            .comparison;
        let expected = Ok(Some(Command::LoadCompare(Box::new(herd.clone()))));
        assert_eq!(
            parse(&json!({"type": "clusterplay:load", "compare": "compare-zk-herd"})),
            expected
        );
        assert_eq!(
            parse(&json!({"type": "clusterplay:load", "comparison": herd})),
            expected
        );
        assert_eq!(
            parse(&json!({"type": "clusterplay:load", "fragment": link::compare_fragment(herd)})),
            expected
        );
        let e = parse(&json!({"type": "clusterplay:load", "compare": "nope"})).unwrap_err();
        assert!(e.contains("no comparison is called"), "{e}");
        assert!(parse(&json!({"type": "clusterplay:load", "link": "c=@@"})).is_err());
    }
}
