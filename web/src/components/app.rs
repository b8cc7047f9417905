use super::compare::{CompareSide, CompareTable};
use super::spacetime::{span_for, window, Strip, NARROW, WIDE};
use super::{
    remember_progress, ClusterView, Controls, EventLog, ExplorePanel, HeldMessages, Inspector,
    LangSwitch, Legend, LessonPanel, Masthead, Metrics, ParamsEditor, PresetPicker, Settings,
    Share, SpaceTimeDiagram, Violations,
};
use crate::browser;
use crate::geometry::{virtual_span, FADE};
use crate::hooks::{
    use_animation, use_global_keys, use_hash_change, use_media, use_post_message, Pace,
};
use crate::i18n::{set_document_lang, Lang, W};
use crate::lesson_run::Phase;
use crate::state::{Action, AppState, Boot, Selection};
use clusterplay_scenario::compare::Which;
use clusterplay_scenario::{preset, Act};
use clusterplay_sim::{Fate, NodeId, Time};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// Screens this narrow (a phone held upright) get the narrow space-time drawing.
const NARROW_SCREEN: &str = "(max-width: 640px)";

/// How many lines the event log shows.
const LOG_LINES: u64 = 200;
/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let hash = browser::hash();
        let saved = browser::saved_scenario();
        AppState::boot(
            Lang::initial(),
            Boot {
                hash: &hash,
                saved: saved.as_deref(),
            },
        )
    });
    let lang = state.lang;
    let dispatch = state.dispatcher();

    use_effect_with(lang, |lang| set_document_lang(*lang));
    use_effect_with((), |_| browser::mark_ready());
    {
        // The URL and the saved copy follow every change of the scenario; while a lesson is
        // taken, the URL is the lesson's.
        let sim = state.sim.clone();
        let embed = state.embed;
        let lesson = state.lesson.as_ref().map(|l| l.lesson.clone());
        let key = (state.scenario_rev, lesson.as_ref().map(|l| l.id.clone()));
        let compare = state.compare.clone();
        use_effect_with(key, move |(rev, _)| {
            // A comparison's address is the comparison's: `compare=ID` while it is the preset.
            // Packed here, when it changed, not on every render.
            if let Some(c) = compare {
                let left = sim.borrow();
                let comparison = c.comparison(left.as_ref());
                let id = c.unchanged_preset(left.as_ref());
                let fragment =
                    browser::compare_fragment_for(&comparison, id, embed, Default::default());
                browser::remember_compare(&fragment);
                return;
            }
            if *rev > 0 {
                browser::remember_scenario(sim.borrow().scenario(), embed);
            }
            if let Some(lesson) = lesson {
                browser::remember_lesson(&lesson, embed);
            }
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            dispatch.dispatch(Action::SetReducedMotion(browser::prefers_reduced_motion()))
        });
    }
    // The page's root: what moves with time alone is under it (`paint.rs`).
    let root = use_node_ref();
    // The diagram's zoom: automatic until the learner picks one, and again for each run.
    let zoom = use_state(|| None::<usize>);
    {
        let zoom = zoom.clone();
        use_effect_with(Rc::as_ptr(&state.sim) as *const () as usize, move |_| {
            zoom.set(None)
        });
    }
    let span = span_for(*zoom, state.playing, state.playhead);
    let narrow = use_media(NARROW_SCREEN);
    let strip_width = if narrow { NARROW } else { WIDE };
    // The diagram's strip runs out after a while without events: render again by then.
    let strip_lasts = (!state.embed).then(|| Strip::new(state.playhead, span, strip_width).lasts());
    use_global_keys(dispatch.clone());
    use_hash_change(dispatch.clone());

    // Everything drawn, read once per render from the live run at the playhead.
    // The report (metrics, violations, the protocol's outcome) is the one read that grows with
    // the run: a 35 000-event run of the coffee machine takes 2 ms natively to report, most
    // of it the outcome's list of entries. `report_rev` says when it is due.
    let report = {
        let sim = state.sim.clone();
        let key = (state.report_rev, Rc::as_ptr(&state.sim) as usize);
        use_memo(key, move |_| sim.borrow().live_report())
    };
    // A comparison's right side: its report, and the table of both runs' figures, as due.
    let right_report = {
        let right = state.compare.as_ref().map(|c| c.right.clone());
        let key = (
            state.report_rev,
            right.as_ref().map(|r| Rc::as_ptr(r) as *const () as usize),
        );
        use_memo(key, move |_| {
            right.map(|r| Rc::new(r.borrow().live_report()))
        })
    };
    let rows = {
        let (left, right) = (report.clone(), right_report.clone());
        let key = (state.report_rev, right_report.is_some());
        use_memo(key, move |_| {
            (*right)
                .as_ref()
                .map(|right| clusterplay_scenario::compare::rows(&left, right))
                .unwrap_or_default()
        })
    };
    // The scenario changes only with `scenario_rev` (or a new run): one copy, shared by the
    // panels that read it, rather than four clones on every frame.
    let scenario: Rc<clusterplay_scenario::Scenario> = {
        let sim = state.sim.clone();
        let key = (state.scenario_rev, Rc::as_ptr(&state.sim) as usize);
        use_memo(key, move |_| sim.borrow().scenario().clone())
    };
    let (view, messages, log, message, event, can_step, spacetime) = {
        let sim = state.sim.borrow();
        let until = state.until();
        let events = sim.events();
        let message = match state.selection {
            Selection::Message(id) => state.selected_run().borrow().message(id),
            _ => None,
        };
        let event = match state.selection {
            Selection::Event(i) => sim.log(i, i + 1).into_iter().next(),
            _ => None,
        };
        let spacetime = (!state.embed).then(|| {
            let (_, first) = window(state.playhead, span);
            Rc::new(sim.spacetime(first, state.playhead))
        });
        (
            Rc::new(sim.cluster()),
            Rc::new(sim.messages_since(state.playhead.saturating_sub(FADE))),
            Rc::new(sim.log(events.saturating_sub(LOG_LINES), events)),
            message,
            event,
            !state.full && state.next_time().is_some_and(|t| t <= until),
            spacetime,
        )
    };
    // A comparison's right side, drawn as the left one is.
    let right = state.compare.as_ref().map(|c| {
        let sim = c.right.borrow();
        (
            Rc::new(sim.cluster()),
            Rc::new(sim.messages_since(state.playhead.saturating_sub(FADE))),
        )
    });
    // Until when a message is in flight: after it, a quiet stretch the loop skips through.
    let busy_until = messages
        .iter()
        .chain(right.iter().flat_map(|(_, m)| m.iter()))
        .filter(|m| matches!(m.fate, Fate::InFlight))
        .map(|m| if m.held { Time::MAX } else { m.due })
        .max()
        .unwrap_or(0);
    let next_event = state.next_time();
    let pace = Pace {
        playing: state.playing,
        playhead: state.playhead,
        next_event,
        next_due: next_event.into_iter().chain(strip_lasts).min(),
        busy_until,
        until: state.until(),
        speed: state.speed,
    };
    use_animation(
        pace,
        state.unplayed.clone(),
        state.reduced_motion,
        root.clone(),
        dispatch.clone(),
    );
    // Where the page is now, for a link that opens there: the time on screen (while playing,
    // ahead of the last render by what the loop has played since) and the speed.
    let view_now = {
        let (playhead, speed, unplayed) = (state.playhead, state.speed, state.unplayed.clone());
        let playing = state.playing;
        Callback::from(move |()| {
            let t = if playing {
                playhead.saturating_add(virtual_span(unplayed.get(), speed))
            } else {
                playhead
            };
            browser::View {
                t_ms: Some(clusterplay_sim::to_ms(t)),
                speed: Some(speed),
                autoplay: false,
            }
        })
    };
    // What the selected event touched: its node, its message and what it sent; and what the
    // lesson's stop points at.
    let (mut related_nodes, mut related_msgs) = match &event {
        Some(e) => (
            e.node.into_iter().collect::<BTreeSet<u32>>(),
            e.msg
                .into_iter()
                .chain(e.sent.clone())
                .collect::<BTreeSet<_>>(),
        ),
        None => Default::default(),
    };
    if let Some(run) = &state.lesson {
        related_nodes.extend(run.highlight.iter().copied());
        related_msgs.extend(run.messages.iter().copied());
    }
    {
        // A course page hears each answer and the end of a lesson; the browser remembers the
        // score.
        let run = state.lesson.clone();
        let key = run.as_ref().map(|r| {
            (
                r.lesson.id.clone(),
                r.answers.clone(),
                r.phase == Phase::Done,
            )
        });
        use_effect_with(key, move |_| {
            if let Some(run) = run {
                crate::hooks::post_lesson(&run);
                if run.phase == Phase::Done {
                    let (right, _, asked) = run.score();
                    remember_progress(&run.lesson.id, right, asked);
                }
            }
        });
    }
    let held: Vec<_> = messages
        .iter()
        .filter(|m| m.held && matches!(m.fate, Fate::InFlight))
        .cloned()
        .collect();
    let can_step_back = state.runs().iter().any(|r| r.borrow().events() > 0);
    use_post_message(&state, report.violations.len(), dispatch.clone());
    let alert: BTreeSet<u32> = report
        .violations
        .iter()
        .flat_map(|v| v.nodes.iter().copied())
        .collect();

    let on_select = dispatch.to_callback().reform(Action::Select);
    let on_mark = dispatch.to_callback().reform(Action::ToggleMark);

    let controls = html! {
        <Controls
            {lang}
            playing={state.playing}
            playhead={state.playhead}
            until={state.until()}
            speed={state.speed}
            {can_step}
            {can_step_back}
            dispatch={dispatch.clone()}
            minimal={state.embed}
            lesson={state.lesson.is_some()}
        />
    };
    let cluster = html! {
        <ClusterView
            {lang}
            view={view.clone()}
            messages={messages.clone()}
            playhead={state.playhead}
            selection={state.selection}
            marked={state.marked.clone()}
            alert={alert.clone()}
            related_nodes={related_nodes.clone()}
            related_msgs={related_msgs.clone()}
            on_select={on_select.clone()}
            on_mark={on_mark.clone()}
        />
    };

    // Both sides of a comparison, each with its name (and, on the full page, its invariants and
    // figures).
    let sides = match (&state.compare, &right, &*right_report) {
        (Some(compare), Some((right_view, right_messages)), Some(right_report)) => {
            let side = |which: Which, view: &Rc<_>, messages: &Rc<_>, report: &Rc<_>| {
                html! {
                    <CompareSide
                        {lang}
                        {which}
                        label={compare.label(which).clone()}
                        view={Rc::clone(view)}
                        messages={Rc::clone(messages)}
                        report={Rc::clone(report)}
                        playhead={state.playhead}
                        selection={if compare.side == which { state.selection } else { Selection::None }}
                        marked={state.marked.clone()}
                        dispatch={dispatch.clone()}
                        minimal={state.embed}
                    />
                }
            };
            Some(html! {
                <div class="compare-sides" data-testid="compare">
                    { side(Which::Left, &view, &messages, &report) }
                    { side(Which::Right, right_view, right_messages, right_report) }
                </div>
            })
        }
        _ => None,
    };
    let compare_table = state.compare.as_ref().map(|c| {
        html! { <CompareTable {lang} labels={c.labels.clone()} rows={rows.clone()} /> }
    });

    if state.embed {
        if let (Some(compare), Some(sides)) = (&state.compare, sides) {
            let href = format!(
                "{}#{}",
                browser::base_url(),
                browser::compare_fragment_for(
                    &compare.comparison(state.sim.borrow().as_ref()),
                    None,
                    false,
                    view_now.emit(())
                )
            );
            return html! {
                <div class="page embed compare" lang={lang.tag()} ref={root}>
                    <p class="embed-title" data-testid="embed-title">{ compare.title.get(lang.key()) }</p>
                    { sides }
                    { embed_bar(lang, controls, href) }
                    { for compare_table }
                </div>
            };
        }
        let href = format!(
            "{}#{}",
            browser::base_url(),
            browser::fragment_for(state.sim.borrow().scenario(), false, view_now.emit(()))
        );
        // The scenario's title, so that a course page's reader knows what they watch.
        let title = state
            .preset
            .as_deref()
            .and_then(|id| preset(id).ok())
            .map(|p| p.title.get(lang.key()).to_owned());
        return html! {
            <div class="page embed" lang={lang.tag()} ref={root}>
                if let Some(title) = title {
                    <p class="embed-title" data-testid="embed-title">{ title }</p>
                }
                <div class="stage">{ cluster }</div>
                { embed_bar(lang, controls, href) }
                if let Some(run) = &state.lesson {
                    <LessonPanel {lang} run={run.clone()} nodes={view.nodes.len()}
                        dispatch={dispatch.clone()} />
                }
            </div>
        };
    }

    let on_lang = {
        let dispatch = dispatch.clone();
        Callback::from(move |lang: Lang| {
            lang.remember();
            dispatch.dispatch(Action::SetLang(lang));
        })
    };
    let broken = state
        .error
        .as_ref()
        .map(|e| lang.scenario_error(e))
        .or_else(|| state.compare_error.as_ref().map(|e| lang.compare_error(e)));
    let banner = broken.map(|error| {
        html! {
            <div class="banner error" role="alert" data-testid="error-banner">
                <p>
                    <strong>{ lang.t(W::LinkError) }</strong>{ " " }{ error }
                    <br />{ lang.t(if state.error_kept_current { W::KeptCurrent } else { W::ShowingDefault }) }
                </p>
                <button type="button" class="ctl small" onclick={dispatch.to_callback().reform(|_: MouseEvent| Action::DismissError)}>
                    { lang.t(W::Dismiss) }
                </button>
            </div>
        }
    });
    let notice = state.notice.as_ref().map(|notice| {
        html! {
            <div class="banner notice" role="status" data-testid="notice">
                <p><strong>{ lang.t(W::ActionRefused) }</strong>{ " " }{ notice }</p>
                <button type="button" class="ctl small" onclick={dispatch.to_callback().reform(|_: MouseEvent| Action::DismissNotice)}>
                    { lang.t(W::Dismiss) }
                </button>
            </div>
        }
    });

    let full = state.full.then(|| {
        html! {
            <div class="banner notice" role="status" data-testid="run-full">
                <p>{ lang.t(W::RunFull) }</p>
            </div>
        }
    });

    let changed = state
        .preset
        .as_deref()
        .and_then(|id| preset(id).ok())
        .map(|p| crate::changes::changes(&p.scenario, &scenario, lang))
        .unwrap_or_default();
    let marked: Vec<NodeId> = state
        .marked
        .iter()
        .filter_map(|&n| NodeId::from_number(n))
        .collect();
    let partitioned = view.islands.iter().any(|&i| i != 0);
    let cut = {
        let dispatch = dispatch.clone();
        let marked = marked.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Act(Act::Partition {
                groups: vec![marked.clone()],
            }));
            dispatch.dispatch(Action::ClearMarks);
        })
    };
    let heal = dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::Act(Act::Heal));
    let clear = dispatch
        .to_callback()
        .reform(|_: MouseEvent| Action::ClearMarks);
    let marked_text = state
        .marked
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut badges: Vec<&'static str> = view
        .nodes
        .iter()
        .flat_map(|n| n.badges.iter().copied())
        .collect();
    badges.sort_unstable();
    badges.dedup();
    let selected_marked = match state.selection {
        Selection::Node(n) => state.marked.contains(&n),
        _ => false,
    };

    let partition = html! {
        <div class="partition" role="group" aria-label={lang.t(W::Partition)}>
            <span class="muted">
                if marked_text.is_empty() {
                    <span class="hint-mouse">{ lang.t(W::PartitionHint) }</span>
                    <span class="hint-touch">{ lang.t(W::PartitionHintTouch) }</span>
                } else {
                    { format!("{}: {marked_text}", lang.t(W::SelectForCut)) }
                }
            </span>
            <button type="button" class="ctl" data-testid="partition-cut"
                disabled={marked.is_empty()} onclick={cut}>
                { "✂ " }{ lang.t(W::CutOffSelected) }
            </button>
            <button type="button" class="ctl" data-testid="partition-heal"
                disabled={!partitioned} onclick={heal}>
                { lang.t(W::Heal) }
            </button>
            if !marked.is_empty() {
                <button type="button" class="ctl" onclick={clear}>
                    { lang.t(W::ClearSelection) }
                </button>
            }
        </div>
    };
    let masthead = html! {
        <header class="masthead">
            <Masthead {lang} />
            <div class="masthead-tools">
                <Share {lang} sim={state.sim.clone()} scenario_rev={state.scenario_rev}
                    view={view_now.clone()} compare={state.compare.clone()} />
                <LangSwitch {lang} on_change={on_lang} />
            </div>
        </header>
    };
    let picker = html! {
        <PresetPicker
            {lang}
            current={state.preset.clone()}
            protocol={scenario.protocol.clone()}
            {changed}
            lesson={state.lesson.is_some()}
            compare={state.compare.clone()}
            dispatch={dispatch.clone()}
        />
    };

    // The selected node's side: the right cluster's when the selection is there.
    let inspected = match (&state.compare, &right) {
        (Some(c), Some((right_view, _))) if c.side == Which::Right => right_view.clone(),
        _ => view.clone(),
    };
    let inspector = html! {
        <Inspector
            {lang}
            selection={state.selection}
            view={inspected}
            {message}
            {event}
            playhead={state.playhead}
            marked={selected_marked}
            dispatch={dispatch.clone()}
        />
    };

    if let Some(sides) = sides {
        return html! {
            <div class="page compare" lang={lang.tag()} ref={root}>
                { masthead }
                { for banner }
                { for notice }
                { for full }
                <main class="workbench">
                    { picker }
                    <section class="stage">
                        { sides }
                        { controls }
                        <p class="muted compare-hint">{ lang.t(W::CompareSides) }</p>
                        { for compare_table }
                        { partition }
                        <Legend {lang} roles={view.roles.clone()} {badges} />
                    </section>
                    <aside class="panels">{ inspector }</aside>
                </main>
            </div>
        };
    }

    html! {
        <div class="page" lang={lang.tag()} ref={root}>
            { masthead }
            { for banner }
            { for notice }
            { for full }
            <main class="workbench">
                { picker }
                // Beside the cluster on a wide screen, above it on a phone.
                if let Some(run) = &state.lesson {
                    <LessonPanel {lang} run={run.clone()} nodes={view.nodes.len()}
                        dispatch={dispatch.clone()} />
                }
                <section class="stage">
                    { cluster }
                    { controls }
                    if let Some(data) = spacetime {
                        <SpaceTimeDiagram
                            {lang}
                            {data}
                            nodes={view.nodes.len()}
                            playhead={state.playhead}
                            {narrow}
                            zoom={*zoom}
                            {span}
                            selection={state.selection}
                            highlights={Rc::new(report.highlights.clone())}
                            pointed={Rc::new(state.lesson.as_ref().map(|l| l.messages.clone()).unwrap_or_default())}
                            on_select={on_select.clone()}
                            on_seek={dispatch.to_callback().reform(Action::Seek)}
                            on_zoom={{
                                let zoom = zoom.clone();
                                Callback::from(move |z: Option<usize>| zoom.set(z))
                            }}
                        />
                    }
                    { partition.clone() }
                    <Legend {lang} roles={view.roles.clone()} {badges} />
                    if scenario.network.manual {
                        <HeldMessages {lang} held={held} dispatch={dispatch.clone()} />
                    }
                    <Settings {lang} scenario={scenario.clone()}
                        error={state.settings_error.clone()} dispatch={dispatch.clone()} />
                    <ParamsEditor {lang} scenario={scenario.clone()}
                        error={state.settings_error.clone()} dispatch={dispatch.clone()} />
                    <ExplorePanel {lang} scenario={scenario.clone()} dispatch={dispatch.clone()} />
                    { history_panel(lang, &report, &scenario) }
                </section>
                <aside class="panels">
                    { inspector }
                    <Violations {lang} report={report.clone()} dispatch={Some(dispatch.clone())} />
                    <Metrics {lang} report={report.clone()} dispatch={dispatch.clone()} />
                    <EventLog {lang} lines={log} dispatch={dispatch.clone()}
                        selection={state.selection} />
                </aside>
            </main>
        </div>
    }
}

/// "Check a history", in a page that carries the register (and so the checker).
#[cfg(feature = "replication")]
fn history_panel(
    lang: Lang,
    report: &clusterplay_scenario::Report,
    scenario: &Rc<clusterplay_scenario::Scenario>,
) -> Html {
    let run_has_history = report.outcome.get("history").is_some_and(|h| h.is_array());
    html! { <super::HistoryPanel {lang} scenario={scenario.clone()} {run_has_history} /> }
}

#[cfg(not(feature = "replication"))]
fn history_panel(
    _lang: Lang,
    _report: &clusterplay_scenario::Report,
    _scenario: &Rc<clusterplay_scenario::Scenario>,
) -> Html {
    Html::default()
}

/// An embed's controls and its way out to the whole playground.
fn embed_bar(lang: Lang, controls: Html, href: String) -> Html {
    html! {
        <div class="embed-bar">
            { controls }
            <a class="ctl" data-testid="open-in-playground" href={href}
                target="_blank" rel="noopener">
                { lang.t(W::OpenInPlayground) }{ " ↗" }
            </a>
        </div>
    }
}
