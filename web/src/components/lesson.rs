//! The lesson being taken: where it is, the narration, the question and its choices, the
//! task, Next, and the score at the end. Everything it shows comes from the lesson state
//! (`lesson_run.rs`); it only dispatches.

use crate::i18n::{Lang, W};
use crate::lesson_run::{LessonRun, Phase};
use crate::state::{Action, AppState};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lang: Lang,
    pub run: Rc<LessonRun>,
    pub nodes: usize,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let lang = props.lang;
    let key = lang.key();
    let run = &props.run;
    let lesson = &run.lesson;
    let total = lesson.stops.len();
    let stop = lesson.stops.get(run.stop.min(total.saturating_sub(1)));
    let next = props
        .dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::LessonNext);
    let exit = props
        .dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::LessonExit);
    let back = props
        .dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::LessonBack);
    let restart = {
        let lesson = lesson.clone();
        props
            .dispatch
            .to_callback()
            .reform(move |_: MouseEvent| Action::OpenLesson(lesson.clone()))
    };
    let play = props
        .dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::Play);
    let (right, _, asked) = run.score();
    let progress = match run.phase {
        Phase::Done => lang.t(W::LessonDone).to_owned(),
        _ => lang
            .t(W::LessonStop)
            .replace("{k}", &(run.stop + 1).to_string())
            .replace("{n}", &total.to_string()),
    };

    let body = match (run.phase, stop) {
        (Phase::Heading(_), _) => html! {
            <div class="lesson-body">
                <p class="muted">{ lang.t(W::LessonPlayOn) }</p>
                <button type="button" class="ctl primary" data-testid="lesson-play" onclick={play}>
                    { "▶ " }{ lang.t(W::Play) }
                </button>
            </div>
        },
        (Phase::Lost, Some(stop)) => html! {
            <div class="lesson-body">
                <p data-testid="lesson-lost">{
                    lang.t(W::LessonLost).replace("{what}", &stop.when.describe())
                }</p>
                <button type="button" class="ctl" onclick={restart.clone()}>{ lang.t(W::LessonRestart) }</button>
            </div>
        },
        (Phase::Done, _) => html! {
            <div class="lesson-body">
                <p class="lesson-score" data-testid="lesson-score">{
                    lang.t(W::LessonScore)
                        .replace("{right}", &right.to_string())
                        .replace("{asked}", &asked.to_string())
                }</p>
                <div class="lesson-nav">
                    <button type="button" class="ctl" data-testid="lesson-back"
                        disabled={run.back_to().is_none()} onclick={back.clone()}>
                        { lang.t(W::LessonBack) }
                    </button>
                    <button type="button" class="ctl" onclick={restart.clone()}>{ lang.t(W::LessonRestart) }</button>
                </div>
            </div>
        },
        (phase, Some(stop)) => {
            let question = stop.ask.as_ref().map(|q| {
                let answered = run.answered();
                let options = q.options(props.nodes);
                html! {
                    <div class="lesson-question" role="group" aria-label={q.prompt.get(key).to_owned()}>
                        <p class="lesson-prompt" data-testid="lesson-question">{ q.prompt.get(key) }</p>
                        <div class="lesson-choices">
                            { for options.iter().enumerate().map(|(i, (value, label))| {
                                let text = match label {
                                    Some(words) => words.get(key).to_owned(),
                                    None => match value.as_u64() {
                                        Some(n) if matches!(q.choices, clusterplay_scenario::lesson::Choices::Named(_)) => {
                                            format!("{} {n}", lang.t(W::Node))
                                        }
                                        _ => value.as_str().map_or_else(|| value.to_string(), str::to_owned),
                                    },
                                };
                                let state = match answered {
                                    Some(_) if Some(i) == run.truth => "right",
                                    Some((chosen, false)) if chosen == i => "wrong",
                                    _ => "",
                                };
                                let onclick = props.dispatch.to_callback().reform(move |_: MouseEvent| Action::LessonAnswer(i));
                                html! {
                                    <button type="button" class={classes!("ctl", "choice", (!state.is_empty()).then_some(state))}
                                        data-testid={format!("lesson-choice-{i}")}
                                        disabled={answered.is_some()} {onclick}>
                                        { text }
                                    </button>
                                }
                            }) }
                        </div>
                        if let Some((_, correct)) = answered {
                            <p class={classes!("lesson-explain", if correct { "right" } else { "wrong" })}
                                data-testid="lesson-explain" role="status">
                                <strong>{ lang.t(if correct { W::LessonRight } else { W::LessonWrong }) }</strong>
                                { " " }{ q.explain.get(key) }
                            </p>
                        }
                    </div>
                }
            });
            let must_answer = stop.ask.is_some() && run.answered().is_none();
            let task = stop.act.as_ref().and_then(|t| match phase {
                Phase::Acting => Some(html! {
                    <div class="lesson-task" role="status">
                        <p data-testid="lesson-task">
                            <strong>{ lang.t(W::LessonYourTurn) }</strong>{ " " }{ t.prompt.get(key) }
                        </p>
                        <button type="button" class="ctl small" data-testid="lesson-do-task"
                            onclick={props.dispatch.to_callback().reform(|_: MouseEvent| Action::LessonDoTask)}>
                            { lang.t(W::LessonDoIt) }
                        </button>
                    </div>
                }),
                Phase::Acted => Some(html! {
                    <p class="lesson-task done" data-testid="lesson-task-done" role="status">{ t.then.get(key) }</p>
                }),
                _ => None,
            });
            let can_go = !must_answer && phase != Phase::Acting;
            html! {
                <div class="lesson-body">
                    <p class="lesson-say" data-testid="lesson-say">{ stop.say.get(key) }</p>
                    { for question }
                    { for task }
                    <div class="lesson-nav">
                    <button type="button" class="ctl" data-testid="lesson-back"
                        disabled={run.back_to().is_none()} onclick={back.clone()}>
                        { lang.t(W::LessonBack) }
                    </button>
                    <button type="button" class="ctl primary" data-testid="lesson-next"
                        disabled={!can_go} onclick={next}>
                        { lang.t(if run.stop + 1 == total && (stop.act.is_none() || phase == Phase::Acted) { W::LessonFinish } else { W::LessonNext }) }
                    </button>
                    </div>
                </div>
            }
        }
        _ => Html::default(),
    };

    html! {
        <section class="panel lesson" data-testid="lesson" aria-live="polite">
            <header class="lesson-head">
                <h2>{ lesson.title.get(key) }</h2>
                <span class="muted" data-testid="lesson-progress">{ progress }</span>
                <button type="button" class="ctl small" data-testid="lesson-exit" onclick={exit}>
                    { lang.t(W::LessonExit) }
                </button>
            </header>
            { body }
        </section>
    }
}

/// Where finished lessons are remembered in the browser: `{id: [right, asked]}`.
const PROGRESS_KEY: &str = "clusterplay.lessons";

/// The lessons the learner finished, with their scores.
pub fn progress() -> std::collections::BTreeMap<String, (usize, usize)> {
    crate::i18n::local_storage()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Remember that lesson `id` was finished with `right` of `asked` questions right (the best
/// score stays).
pub fn remember_progress(id: &str, right: usize, asked: usize) {
    let mut all = progress();
    let best = all.get(id).map_or(right, |&(r, _)| r.max(right));
    all.insert(id.to_owned(), (best, asked));
    if let (Some(storage), Ok(json)) = (crate::i18n::local_storage(), serde_json::to_string(&all)) {
        let _ = storage.set_item(PROGRESS_KEY, &json);
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub lang: Lang,
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// Every lesson of the playground, by family, with its length and the learner's score; a
/// lesson of another family reloads the page into that family's module.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let lang = props.lang;
    let key = lang.key();
    let done = progress();
    let catalogue = crate::catalogue::catalogue();
    let mut families: Vec<&str> = catalogue
        .lessons
        .iter()
        .map(|l| l.family.as_str())
        .collect();
    families.dedup();
    html! {
        <div class="lessons" data-testid="lessons">
            { for families.into_iter().map(|family| html! {
                <section class="lesson-family">
                    <h3 class="family-name">{ lang.family(family) }</h3>
                    <ul class="lesson-cards">
                        { for catalogue.lessons.iter().filter(|l| l.family == family).map(|l| {
                            let id = l.id.clone();
                            let dispatch = props.dispatch.clone();
                            let onclick = Callback::from(move |_: MouseEvent| {
                                match clusterplay_scenario::lesson::lesson(&id) {
                                    Ok(lesson) => dispatch.dispatch(Action::OpenLesson(Rc::new(lesson.clone()))),
                                    Err(_) => crate::catalogue::reload_at(&format!("lesson={id}"), false),
                                }
                            });
                            let score = done.get(&l.id).map(|(right, asked)| {
                                lang.t(W::LessonBest)
                                    .replace("{right}", &right.to_string())
                                    .replace("{asked}", &asked.to_string())
                            });
                            html! {
                                <li class="lesson-card" data-lesson={l.id.clone()}>
                                    <h4 class="preset-title">{ l.title.get(key) }</h4>
                                    <p class="preset-meta">
                                        <span>{ lang.t(W::LessonStops).replace("{n}", &l.stops.to_string()) }</span>
                                        if let Some(score) = score {
                                            <span class="lesson-done">{ score }</span>
                                        }
                                    </p>
                                    <p class="preset-caption">{ l.summary.get(key) }</p>
                                    <button type="button" class="ctl" data-testid={format!("open-lesson-{}", l.id)} {onclick}>
                                        { lang.t(W::LessonStart) }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }) }
        </div>
    }
}
