//! "Find me a failure": the explorer on the page. It searches every interleaving of the current
//! scenario (with the faults the learner allows) in slices of a few hundred states per
//! animation frame, so the page keeps drawing and the learner can cancel; each violation found
//! comes with a scenario that replays it, one click away.

use crate::i18n::{Lang, W};
use crate::state::{Action, AppState};
use clusterplay_scenario::explore::{
    explore, Exploration, ExploreOptions, ExploreReport, Faults, Finding, Progress, Semantics,
};
use clusterplay_scenario::{Act, Scenario};
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// States explored per animation frame: small enough that a frame stays short in wasm.
const SLICE: u64 = 400;
const MAX_STATES: u64 = 200_000;

#[derive(Properties, PartialEq)]
pub struct ExploreProps {
    pub lang: Lang,
    pub scenario: Rc<Scenario>,
    pub dispatch: UseReducerDispatcher<AppState>,
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
        }
    }
}

/// Everything a running search needs between frames.
struct Run {
    search: Box<dyn Exploration>,
    /// Kept alive: dropping it cancels the next slice.
    frame: Option<AnimationFrame>,
}

fn pump(
    run: Rc<RefCell<Option<Run>>>,
    progress: UseStateHandle<Option<Progress>>,
    report: UseStateHandle<Option<Rc<ExploreReport>>>,
) {
    let mut slot = run.borrow_mut();
    let Some(current) = slot.as_mut() else {
        return;
    };
    let now = current.search.run_for(SLICE);
    progress.set(Some(now.clone()));
    if now.done {
        report.set(Some(Rc::new(current.search.report())));
        *slot = None;
        return;
    }
    let again = run.clone();
    current.frame = Some(request_animation_frame(move |_| {
        pump(again, progress, report)
    }));
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
    let run: Rc<RefCell<Option<Run>>> = use_mut_ref(|| None);
    let progress = use_state(|| None::<Progress>);
    let report = use_state(|| None::<Rc<ExploreReport>>);
    let error = use_state(|| None::<String>);
    let running = progress.as_ref().is_some_and(|p| !p.done) && run.borrow().is_some();

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
        let (run, progress, report, error) =
            (run.clone(), progress.clone(), report.clone(), error.clone());
        let scenario = props.scenario.clone();
        let choices = *choices;
        Callback::from(move |_: MouseEvent| {
            let target = if choices.scripted {
                (*scenario).clone()
            } else {
                without_scripted_faults(&scenario)
            };
            report.set(None);
            match explore(&target, choices.options()) {
                Ok(search) => {
                    error.set(None);
                    *run.borrow_mut() = Some(Run {
                        search,
                        frame: None,
                    });
                    pump(run.clone(), progress.clone(), report.clone());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let cancel = {
        let (run, progress, report) = (run.clone(), progress.clone(), report.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(stopped) = run.borrow_mut().take() {
                report.set(Some(Rc::new(stopped.search.report())));
            }
            progress.set(None);
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
                if let Some(inv) = f.invariant {
                    <strong>{ inv }</strong>{ " · " }
                }
                { &f.text }
                <span class="muted">{ format!(" ({} {})", f.depth, lang.t(W::Steps)) }</span>
                if f.scenario.is_some() {
                    <button type="button" class="ctl small primary" data-testid={testid}
                        onclick={replay(f)}>{ lang.t(W::Replay) }</button>
                } else if let Some(why) = &f.replay_error {
                    <span class="muted">{ format!(" {why}") }</span>
                }
            </li>
        }
    };
    let results = report.as_ref().map(|r| {
        html! {
            <div class="explore-result" data-testid="explore-result"
                data-exhausted={r.exhausted.to_string()}
                data-violations={r.violations.len().to_string()}>
                <p>
                    { format!("{} {} · {} {} · ", r.unique_states, lang.t(W::States), lang.t(W::Depth), r.depth) }
                    { if r.exhausted { lang.t(W::Exhausted) } else { lang.t(W::NotExhausted) } }
                </p>
                if r.violations.is_empty() {
                    <p data-testid="explore-none">{ lang.t(W::NoViolationFound) }</p>
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
    let bar = progress.as_ref().filter(|p| !p.done).map(|p| {
        html! {
            <div class="explore-progress">
                <progress data-testid="explore-progress" max={MAX_STATES.to_string()}
                    value={p.unique_states.to_string()} />
                <span>{ format!("{} {} · {} {}", p.unique_states, lang.t(W::States), p.violations, lang.t(W::Violations)) }</span>
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
            if let Some(e) = &*error {
                <p class="error" role="alert">{ e }</p>
            }
            { for results }
        </details>
    }
}
