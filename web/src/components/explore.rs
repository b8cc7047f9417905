//! "Find me a failure": the explorer on the page. It searches every interleaving of the current
//! scenario (with the faults the learner allows) in a web worker, `clusterplay-explore-worker`,
//! which Trunk builds beside the page (see `index.html`): the page's own WebAssembly carries no
//! explorer, and however long a search runs the page keeps drawing and answering clicks.
//!
//! Each search gets a worker of its own. The worker says `ready`, the page posts the scenario
//! and the options, the worker posts its progress after every slice (the progress bar) and at
//! the end the report: each violation with a scenario that replays it, one click away, and the
//! nearest state where nodes wait that only a fault could unblock. Cancel asks the worker to
//! stop after its current slice and shows what it found until then; a second click (or a worker
//! that has not loaded yet) terminates it outright. A worker that cannot be made, fails to load
//! or breaks is told on the panel, never a panic. The messages are the JSON of
//! [`WorkerRequest`] and [`WorkerReply`].

use crate::i18n::{Lang, W};
use crate::state::{Action, AppState};
use crate::worker::{self, end, Slot, WORKER_SCRIPT};
use clusterplay_scenario::explore::{
    ExploreOptions, ExploreReport, Faults, Finding, Progress, Semantics, Strategy, WorkerReply,
    WorkerRequest,
};
use clusterplay_scenario::{glossary, Act, Scenario};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

const MAX_STATES: u64 = 200_000;
/// Random walks after breadth-first search stopped at its bound (each at most 100 steps).
const WALKS: u64 = 20_000;

#[derive(Properties, PartialEq)]
pub struct ExploreProps {
    pub lang: Lang,
    pub scenario: Rc<Scenario>,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// The worker's script; [`WORKER_SCRIPT`] unless a test wants another.
    #[prop_or(AttrValue::Static(WORKER_SCRIPT))]
    pub worker: AttrValue,
}

/// The timeline without its scripted faults, so the explorer has to find them by itself.
fn without_scripted_faults(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    s.timeline
        .retain(|step| matches!(step.act, Act::Command { .. }));
    s
}

#[derive(Clone, Copy, PartialEq)]
struct Choices {
    crash: bool,
    partition: bool,
    loss: bool,
    duplicate: bool,
    scripted: bool,
}

impl Choices {
    fn options(self) -> ExploreOptions {
        let one = |on: bool| on.then_some(1);
        ExploreOptions {
            semantics: Semantics::default(),
            faults: Faults {
                crash: one(self.crash),
                partition: one(self.partition),
                loss: one(self.loss),
                duplicate: one(self.duplicate),
            },
            max_depth: 100,
            max_states: MAX_STATES,
            // Every state is one the learner can replay and watch; merging renamings would
            // hide which node did what.
            symmetry: false,
            // Breadth first (shortest paths) until the bound, then random walks, which reach
            // the deep failures breadth-first search never gets to.
            strategy: Strategy::Auto,
            walks: WALKS,
            seed: 0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    /// The worker is loading; the request waits for its `ready`.
    Starting,
    Running,
    /// Cancel was asked for; the report of what was found comes after the current slice.
    Stopping,
}

/// What the search ended with.
#[derive(PartialEq)]
struct Done {
    report: ExploreReport,
    states_per_second: f64,
    cancelled: bool,
}

/// The panel's state, as the worker's handlers update it.
#[derive(Clone)]
struct View {
    phase: UseStateHandle<Phase>,
    progress: UseStateHandle<Option<Progress>>,
    done: UseStateHandle<Option<Rc<Done>>>,
    error: UseStateHandle<Option<String>>,
}

/// A message that the worker could not run, for the panel.
fn failed(lang: Lang, why: &str) -> String {
    format!("{}: {why}", lang.t(W::ExploreFailed))
}

/// What the worker said (or how it failed).
fn receive(slot: &Slot, view: &View, lang: Lang, reply: Result<WorkerReply, String>) {
    if slot.borrow().is_none() {
        // A worker already ended (its handlers go with it a moment later).
        return;
    }
    match reply {
        // The worker has the request.
        Ok(WorkerReply::Ready) => view.phase.set(Phase::Running),
        Ok(WorkerReply::Progress(p)) => view.progress.set(Some(p)),
        Ok(WorkerReply::Done {
            report,
            states_per_second,
            cancelled,
            ..
        }) => {
            end(slot);
            view.done.set(Some(Rc::new(Done {
                report: *report,
                states_per_second,
                cancelled,
            })));
            view.progress.set(None);
            view.phase.set(Phase::Idle);
        }
        Ok(WorkerReply::Refused(e)) => receive(slot, view, lang, Err(lang.scenario_error(&e))),
        #[cfg(feature = "replication")]
        Ok(WorkerReply::Checked { .. } | WorkerReply::HistoryRefused(_)) => receive(
            slot,
            view,
            lang,
            Err("the worker answered another question".to_owned()),
        ),
        Ok(WorkerReply::Error(why)) | Err(why) => {
            // A panic posts its text, then the worker traps: the job ends on the first, clearer
            // one and the trap goes unheard.
            view.error.set(Some(failed(lang, &why)));
            end(slot);
            view.progress.set(None);
            view.phase.set(Phase::Idle);
        }
    }
}

#[component]
pub fn ExplorePanel(props: &ExploreProps) -> Html {
    let lang = props.lang;
    let choices = use_state(|| Choices {
        crash: true,
        partition: true,
        loss: false,
        duplicate: false,
        scripted: false,
    });
    // The closures hold it weakly: when the panel goes, the worker goes with it.
    let slot: Slot = use_mut_ref(|| None);
    let view = View {
        phase: use_state(|| Phase::Idle),
        progress: use_state(|| None::<Progress>),
        done: use_state(|| None::<Rc<Done>>),
        error: use_state(|| None::<String>),
    };
    let phase = *view.phase;
    let running = phase != Phase::Idle;

    let toggle = |pick: fn(&mut Choices) -> &mut bool| {
        let choices = choices.clone();
        Callback::from(move |_: Event| {
            let mut next = *choices;
            let flag = pick(&mut next);
            *flag = !*flag;
            choices.set(next);
        })
    };
    let start = {
        let (slot, view) = (slot.clone(), view.clone());
        let scenario = props.scenario.clone();
        let script = worker::script(&props.worker);
        let choices = *choices;
        Callback::from(move |_: MouseEvent| {
            let target = if choices.scripted {
                (*scenario).clone()
            } else {
                without_scripted_faults(&scenario)
            };
            view.done.set(None);
            view.error.set(None);
            view.progress.set(None);
            let request = WorkerRequest::Explore {
                scenario: Box::new(target),
                options: choices.options(),
            };
            let on_reply = {
                let view = view.clone();
                Rc::new(move |slot: &Slot, reply| receive(slot, &view, lang, reply))
            };
            let started = serde_json::to_string(&request)
                .map_err(|e| e.to_string())
                .and_then(|request| worker::spawn(&script, request, &slot, on_reply));
            match started {
                Ok(()) => view.phase.set(Phase::Starting),
                Err(why) => {
                    view.error.set(Some(failed(lang, &why)));
                    view.phase.set(Phase::Idle);
                }
            }
        })
    };
    let cancel = {
        let (slot, view) = (slot.clone(), view.clone());
        Callback::from(move |_: MouseEvent| {
            let asked = phase == Phase::Running
                && slot.borrow().as_ref().is_some_and(|job| {
                    let cancel = serde_json::to_string(&WorkerRequest::Cancel).unwrap_or_default();
                    job.worker.post_message(&JsValue::from_str(&cancel)).is_ok()
                });
            if asked {
                view.phase.set(Phase::Stopping);
            } else {
                end(&slot);
                view.progress.set(None);
                view.phase.set(Phase::Idle);
            }
        })
    };
    let replay = |finding: &Finding| {
        let dispatch = props.dispatch.clone();
        let scenario = finding.scenario.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = scenario.clone() {
                dispatch.dispatch(Action::Load(s));
            }
        })
    };
    let finding = |f: &Finding, testid: String| {
        html! {
            <li class="finding">
                if let Some(inv) = &f.invariant {
                    <strong>{ glossary::invariant(inv, lang.tag()) }</strong>{ " · " }
                }
                { glossary::phrase(&f.text, lang.tag()) }
                <span class="muted">{ format!(" ({} {})", f.depth, lang.t(W::Steps)) }</span>
                // Which search found it: a walk's path is shrunk, not proven shortest.
                if let (Some("random"), Some(unshrunk)) = (f.found_by.as_deref(), f.unshrunk_depth) {
                    <span class="muted" data-testid="found-by-walk">{
                        format!(" · {}", lang.t(W::FoundByWalk).replace("{n}", &unshrunk.to_string()))
                    }</span>
                }
                // The path in words, so that a finding reads as a story before it is replayed.
                if !f.path.is_empty() {
                    <details class="finding-path">
                        <summary>{ lang.t(W::HowItGetsThere) }</summary>
                        <ol>
                            { for f.path.iter().map(|step| {
                                let words = glossary::phrase(step, lang.tag()).into_owned();
                                html! { <li>{ words }</li> }
                            }) }
                        </ol>
                    </details>
                }
                if f.scenario.is_some() {
                    <button type="button" class="ctl small primary" data-testid={testid}
                        onclick={replay(f)}>{ lang.t(W::Replay) }</button>
                } else if let Some(why) = &f.replay_error {
                    <span class="muted">{ format!(" {why}") }</span>
                }
            </li>
        }
    };
    let results = view.done.as_ref().map(|done| {
        let r = &done.report;
        let verdict = if done.cancelled {
            lang.t(W::ExploreCancelled)
        } else if r.exhausted {
            lang.t(W::Exhausted)
        } else {
            lang.t(W::NotExhausted)
        };
        html! {
            <div class="explore-result" data-testid="explore-result"
                data-exhausted={r.exhausted.to_string()}
                data-cancelled={done.cancelled.to_string()}
                data-violations={r.violations.len().to_string()}
                data-states={r.unique_states.to_string()}
                data-states-per-second={format!("{:.0}", done.states_per_second)}>
                <p>
                    { format!(
                        "{} {} · {} {} · {} {} · ",
                        r.unique_states, lang.t(W::States),
                        lang.t(W::Depth), r.depth,
                        done.states_per_second, lang.t(W::StatesPerSecond),
                    ) }
                    { verdict }
                    if r.walks > 0 {
                        { format!(" · {}", lang.t(W::ThenWalks).replace("{n}", &r.walks.to_string())) }
                    }
                </p>
                if r.violations.is_empty() {
                    <p data-testid="explore-none">{ lang.t(if r.exhausted {
                        W::NoViolationFound
                    } else {
                        W::NoViolationFoundYet
                    }) }</p>
                } else {
                    <ul>{ for r.violations.iter().enumerate().map(|(i, f)| finding(f, format!("explore-replay-{i}"))) }</ul>
                }
                if let Some(blocked) = &r.blocked.first {
                    <p class="muted" data-testid="explore-blocked">
                        { format!("{} {}: ", r.blocked.states, lang.t(W::BlockedStates)) }
                    </p>
                    <ul>{ finding(blocked, "explore-replay-blocked".into()) }</ul>
                }
            </div>
        }
    });
    let bar = running.then(|| {
        let p = view.progress.as_ref();
        let text = match (phase, p) {
            (Phase::Starting, _) | (_, None) => lang.t(W::ExploreStarting).to_owned(),
            (_, Some(p)) => {
                // Breadth first: states and depth; then the walks.
                let searched = if p.walks > 0 {
                    lang.t(W::Walking)
                        .replace("{n}", &p.walks.to_string())
                        .replace("{of}", &WALKS.to_string())
                } else {
                    format!(
                        "{} {} · {} {}",
                        p.unique_states,
                        lang.t(W::States),
                        lang.t(W::Depth),
                        p.depth
                    )
                };
                let stopping = if phase == Phase::Stopping {
                    format!(" · {}", lang.t(W::ExploreStopping))
                } else {
                    String::new()
                };
                format!(
                    "{searched} · {} {}{stopping}",
                    p.violations,
                    lang.t(W::ViolationsFound)
                )
            }
        };
        html! {
            <div class="explore-progress" data-phase={format!("{phase:?}").to_lowercase()}>
                // Without a value (the worker is loading) the bar is indeterminate.
                <progress data-testid="explore-progress" max={MAX_STATES.to_string()}
                    value={p.map(|p| p.unique_states.to_string())} />
                <span data-testid="explore-progress-text">{ text }</span>
            </div>
        }
    });
    let check = |label: W, on: bool, pick: fn(&mut Choices) -> &mut bool, id: &'static str| {
        html! {
            <label class="check">
                <input type="checkbox" checked={on} disabled={running}
                    data-testid={id} onchange={toggle(pick)} />
                { lang.t(label) }
            </label>
        }
    };
    html! {
        <details class="panel explore" data-testid="explore">
            <summary class="panel-title">{ lang.t(W::Explore) }</summary>
            <p class="muted">{ lang.t(W::ExploreHelp) }</p>
            <fieldset disabled={running}>
                { check(W::AllowCrash, choices.crash, |c| &mut c.crash, "explore-crash") }
                { check(W::AllowPartition, choices.partition, |c| &mut c.partition, "explore-partition") }
                { check(W::AllowLoss, choices.loss, |c| &mut c.loss, "explore-loss") }
                { check(W::AllowDuplicate, choices.duplicate, |c| &mut c.duplicate, "explore-dup") }
                { check(W::KeepScriptedFaults, choices.scripted, |c| &mut c.scripted, "explore-scripted") }
            </fieldset>
            <div class="row">
                if running {
                    <button type="button" class="ctl" data-testid="explore-cancel" onclick={cancel}>
                        { lang.t(W::Cancel) }
                    </button>
                } else {
                    <button type="button" class="ctl primary" data-testid="explore-start" onclick={start}>
                        { lang.t(W::FindFailure) }
                    </button>
                }
            </div>
            { for bar }
            if let Some(e) = &*view.error {
                <p class="explore-error" role="alert" data-testid="explore-error">{ e }</p>
            }
            { for results }
        </details>
    }
}
