//! "Check a history": a learner pastes or uploads a history of one register (Jepsen's log
//! lines or JSON), picks one the page offers, or takes the current run's, and sees it drawn the
//! way history checkers draw one: a row per client, each operation a bar from invocation to
//! answer (open-ended when the answer never came), the linearization points of the longest
//! prefix that can be explained joined in their order, and the operation that breaks it in red
//! with the one it conflicts with. Beside it, which of the texts' models hold: strong
//! (linearizable), sequential, and reads settling (eventual).
//!
//! A small history is checked here at once; a large one in the page's web worker (the one
//! "Find me a failure" uses), so the page never freezes while the search runs up to its
//! bound. A link `#h=…` (with a replication preset, so that the loader picks the module that
//! carries this panel) opens a history in it.

use crate::i18n::{Lang, W};
use crate::worker::{self, end, Slot, WORKER_SCRIPT};
use clusterplay_scenario::explore::{WorkerReply, WorkerRequest};
use clusterplay_scenario::history::{self, History, HistoryError, HistoryReport, Kind, Outcome};
use clusterplay_scenario::link;
use clusterplay_scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub lang: Lang,
    /// The current scenario: its run's history is what "This run's history" checks, and a
    /// link to that history is the scenario's link.
    pub scenario: Rc<Scenario>,
    /// The run keeps a history of its clients (a replicated register's run).
    pub run_has_history: bool,
    /// The worker's script; [`WORKER_SCRIPT`] unless a test wants another.
    #[prop_or(AttrValue::Static(WORKER_SCRIPT))]
    pub worker: AttrValue,
}

/// Histories of more operations than this are checked in the worker: a few hundred overlapping
/// ones can take the search a second or more.
const INLINE_OPERATIONS: usize = 60;

/// A history and what the checker found.
#[derive(PartialEq)]
struct Checked {
    history: History,
    report: HistoryReport,
}

type Verdict = Option<Result<Rc<Checked>, HistoryError>>;

/// A refusal for what went wrong with the worker, in the words it gave.
fn broke(why: String) -> HistoryError {
    HistoryError {
        line: None,
        problem_zh: format!("后台检查失败：{why}"),
        problem: format!("the check in the background failed: {why}"),
    }
}

/// The history the clients of `scenario`'s run made, from its start to its end, as JSON the
/// checker reads: the same whether asked for by the button or by the run's link.
fn run_history(scenario: &Scenario) -> Option<String> {
    let report = clusterplay_scenario::run(scenario).ok()?;
    let h = report.outcome.get("history").filter(|h| h.is_array())?;
    Some(serde_json::json!({ "initial": 0, "history": h }).to_string())
}

/// What the address asks for when the page opens: a history carried whole (`h=`), one the
/// page offers (`history=ID`), or the history of the run the link itself carries
/// (`history=run`), played to its end.
fn asked_for(scenario: &Scenario) -> Option<(String, Option<&'static str>)> {
    let hash = web_sys::window()?.location().hash().ok()?;
    if link::has_history(&hash) {
        return link::decode_history(&hash).ok().map(|t| (t, None));
    }
    let id = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|p| p.strip_prefix("history="))?;
    if id == RUN {
        return run_history(scenario).map(|t| (t, Some(RUN)));
    }
    history::history_preset(id).map(|p| (p.text.to_string(), Some(p.id)))
}

/// What stands for "this run's history" where a preset's id would be.
const RUN: &str = "run";

#[component]
pub fn HistoryPanel(props: &HistoryProps) -> Html {
    let lang = props.lang;
    // Read the address during the first render, before the page rewrites it for its scenario.
    let asked = {
        let scenario = props.scenario.clone();
        use_memo((), move |_| asked_for(&scenario))
    };
    let text = use_state(|| {
        asked
            .as_ref()
            .as_ref()
            .map(|(t, _)| t.clone())
            .unwrap_or_default()
    });
    let preset = use_state(|| asked.as_ref().as_ref().and_then(|(_, p)| *p));
    let verdict = use_state(|| -> Verdict { None });
    // Operations being checked in the worker, while it runs.
    let checking = use_state(|| None::<usize>);
    // The closures hold it weakly: when the panel goes, the worker goes with it.
    let slot: Slot = use_mut_ref(|| None);

    let load = {
        let (text, verdict, preset, checking) = (
            text.clone(),
            verdict.clone(),
            preset.clone(),
            checking.clone(),
        );
        let (slot, script) = (slot.clone(), worker::script(&props.worker));
        Callback::from(move |(t, id): (String, Option<&'static str>)| {
            end(&slot);
            checking.set(None);
            preset.set(id);
            let parsed = History::parse(&t);
            text.set(t.clone());
            let h = match parsed {
                Err(e) => return verdict.set(Some(Err(e))),
                Ok(h) if h.history.len() <= INLINE_OPERATIONS => {
                    let report = history::check(&h);
                    return verdict.set(Some(Ok(Rc::new(Checked { history: h, report }))));
                }
                Ok(h) => h,
            };
            verdict.set(None);
            let on_reply: worker::OnReply = {
                let (verdict, checking) = (verdict.clone(), checking.clone());
                Rc::new(move |slot: &Slot, reply: Result<WorkerReply, String>| {
                    let outcome = match reply {
                        Ok(WorkerReply::Ready) => return,
                        Ok(WorkerReply::Checked {
                            history, report, ..
                        }) => Ok(Rc::new(Checked {
                            history: *history,
                            report: *report,
                        })),
                        Ok(WorkerReply::HistoryRefused(e)) => Err(e),
                        Ok(WorkerReply::Error(why)) | Err(why) => Err(broke(why)),
                        Ok(_) => Err(broke("it answered another question".to_owned())),
                    };
                    end(slot);
                    checking.set(None);
                    verdict.set(Some(outcome));
                })
            };
            let request = serde_json::to_string(&WorkerRequest::CheckHistory { text: t })
                .map_err(|e| e.to_string());
            match request.and_then(|r| worker::spawn(&script, r, &slot, on_reply)) {
                Ok(()) => checking.set(Some(h.history.len())),
                Err(why) => verdict.set(Some(Err(broke(why)))),
            }
        })
    };
    {
        // A history the address asked for, once.
        let (load, asked) = (load.clone(), asked.clone());
        use_effect_with((), move |_| {
            if let Some((t, id)) = asked.as_ref() {
                load.emit((t.clone(), *id));
            }
        });
    }
    let on_preset = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            if let Some(p) = history::history_preset(&select.value()) {
                load.emit((p.text.to_string(), Some(p.id)));
            }
        })
    };
    let on_input = {
        let (text, preset) = (text.clone(), preset.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                text.set(area.value());
                // Edited, it is no longer the example or the run: its link carries the text.
                preset.set(None);
            }
        })
    };
    let on_check = {
        let (load, text) = (load.clone(), text.clone());
        Callback::from(move |_: MouseEvent| load.emit(((*text).clone(), None)))
    };
    let on_file = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let load = load.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                if let Some(t) = text.ok().and_then(|t| t.as_string()) {
                    load.emit((t, None));
                }
            });
        })
    };
    // Played and serialized only when asked for, not on every frame the run draws.
    let on_run = props.run_has_history.then(|| {
        let (load, scenario) = (load.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(h) = run_history(&scenario) {
                load.emit((h, Some(RUN)));
            }
        })
    });

    let presets = history::history_presets();
    let chosen = (*preset).and_then(history::history_preset);
    // A run's history travels as the run's own link; an example by its id; anything else
    // packed whole, beside a replication preset so that the loader picks this panel's module.
    let link_href = (!text.trim().is_empty()).then(|| match *preset {
        Some(RUN) => format!("#{}&history={RUN}", link::fragment(&props.scenario)),
        Some(id) => format!("#p=replica-stale-read&history={id}"),
        None => format!("#p=replica-stale-read&{}", link::history_fragment(&text)),
    });
    let result = match &*verdict {
        None => html! {},
        Some(Err(e)) => html! {
            <p class="explore-error" role="alert" data-testid="history-error">
                { if lang == Lang::Zh { e.zh() } else { e.to_string() } }
            </p>
        },
        Some(Ok(c)) => result(lang, c),
    };
    html! {
        <details class="panel history" data-testid="history" open={asked.is_some()}>
            <summary class="panel-title">{ lang.t(W::HistoryTitle) }</summary>
            <p class="muted">{ lang.t(W::HistoryHelp) }</p>
            <div class="row">
                <select data-testid="history-preset" onchange={on_preset}
                    aria-label={lang.t(W::HistoryExamples)}>
                    <option value="" selected={chosen.is_none()}>{ lang.t(W::HistoryExamples) }</option>
                    { for presets.iter().map(|p| html! {
                        <option value={p.id} selected={*preset == Some(p.id)}>
                            { if lang == Lang::Zh { p.title.zh } else { p.title.en } }
                        </option>
                    }) }
                </select>
                if let Some(on_run) = on_run {
                    <button type="button" class="ctl" data-testid="history-this-run" onclick={on_run}>
                        { lang.t(W::HistoryThisRun) }
                    </button>
                }
            </div>
            if let Some(p) = chosen {
                <p class="history-caption" data-testid="history-caption">
                    { if lang == Lang::Zh { p.caption.zh } else { p.caption.en } }
                </p>
            }
            <textarea class="history-text" data-testid="history-text" rows="6" spellcheck="false"
                placeholder={lang.t(W::HistoryPlaceholder)} value={(*text).clone()}
                oninput={on_input} />
            <div class="row">
                <button type="button" class="ctl primary" data-testid="history-check" onclick={on_check}>
                    { lang.t(W::HistoryCheck) }
                </button>
                <label class="ctl file">
                    { lang.t(W::HistoryUpload) }
                    <input type="file" accept=".log,.txt,.json,.edn" onchange={on_file}
                        data-testid="history-file" />
                </label>
                if let Some(href) = link_href {
                    <a class="ctl" href={href} data-testid="history-link">{ lang.t(W::HistoryLink) }</a>
                }
            </div>
            if let Some(n) = *checking {
                <p class="muted" role="status" data-testid="history-checking">
                    { format!("{} ({n} {})", lang.t(W::HistoryChecking), lang.t(W::HistoryOperations)) }
                </p>
            }
            { result }
        </details>
    }
}

/// The models, the sentence and the drawing.
fn result(lang: Lang, c: &Checked) -> Html {
    let r = &c.report;
    let mark = |v: Option<bool>| match v {
        Some(true) => ("✓", "yes"),
        Some(false) => ("✗", "no"),
        None => ("?", "unknown"),
    };
    let model = |name: W, v: Option<bool>, id: &'static str| {
        let (sign, class) = mark(v);
        html! {
            <li class={classes!("model", class)} data-testid={id} data-holds={format!("{v:?}")}>
                <span class="model-mark">{ sign }</span>{ " " }{ lang.t(name) }
            </li>
        }
    };
    let sentence = match (&r.offending, &r.undecided) {
        (Some(o), _) => {
            if lang == Lang::Zh {
                o.text_zh.clone()
            } else {
                o.text.clone()
            }
        }
        (None, Some(_)) => lang.t(W::HistoryUndecided).to_string(),
        (None, None) if r.linearizable == Some(true) => lang.t(W::HistoryExplained).to_string(),
        (None, None) => String::new(),
    };
    html! {
        <div class="history-result" data-testid="history-result">
            <ul class="models">
                { model(W::ModelStrong, r.linearizable, "model-linearizable") }
                { model(W::ModelSequential, r.sequential, "model-sequential") }
                { model(W::ModelEventual, r.reads_settle, "model-settle") }
            </ul>
            <p class="muted">{ format!("{} {} · {} {} · {} {}",
                r.operations, lang.t(W::HistoryOperations),
                r.clients, lang.t(W::HistoryClients),
                r.indeterminate, lang.t(W::HistoryIndeterminate)) }</p>
            <p class="history-sentence" data-testid="history-sentence">{ sentence }</p>
            { drawing(lang, c) }
        </div>
    }
}

const ROW: f64 = 22.0;
const LEFT: f64 = 44.0;
const WIDTH: f64 = 640.0;

/// A row per client, a bar per operation, the linearization points joined in order.
fn drawing(lang: Lang, c: &Checked) -> Html {
    let ops = &c.history.history;
    let mut clients: Vec<u64> = ops.iter().map(|o| o.client).collect();
    clients.sort_unstable();
    clients.dedup();
    let row = |client: u64| clients.binary_search(&client).unwrap_or(0) as f64;
    let start = ops
        .iter()
        .map(|o| o.invoke_ms)
        .fold(f64::INFINITY, f64::min);
    let end = ops
        .iter()
        .map(|o| o.response_ms.unwrap_or(o.invoke_ms))
        .fold(f64::NEG_INFINITY, f64::max);
    let span = (end - start).max(1.0);
    let right = WIDTH - 8.0;
    let x = |t: f64| LEFT + (t - start) / span * (right - LEFT - 16.0);
    let height = clients.len() as f64 * ROW + 18.0;
    let offending = c.report.offending.as_ref().map(|o| o.operation);
    let conflict = c.report.offending.as_ref().and_then(|o| o.conflict);
    let order = c
        .report
        .prefix
        .as_ref()
        .map(|p| p.linearization.clone())
        .unwrap_or_default();
    // A point inside each operation's bar, in the order's sequence: as early as its invocation
    // and the point before allow.
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(order.len());
    let mut at = f64::NEG_INFINITY;
    for &i in &order {
        let o = &ops[i];
        let until = o.response_ms.unwrap_or(end + span * 0.02);
        at = (at + span * 0.002).max(o.invoke_ms).min(until);
        points.push((x(at), row(o.client) * ROW + ROW / 2.0));
    }
    let path = points
        .iter()
        .map(|(px, py)| format!("{px:.1},{py:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let bars = ops.iter().enumerate().map(|(i, o)| {
        let y = row(o.client) * ROW + 4.0;
        let x0 = x(o.invoke_ms);
        let open = o.response_ms.is_none() || o.result == Outcome::Info;
        let x1 = if open { right } else { x(o.response_ms.unwrap_or(o.invoke_ms)) };
        let class = classes!(
            "op",
            match o.kind {
                Kind::Read => "read",
                Kind::Write => "write",
                Kind::Cas => "cas",
            },
            open.then_some("open"),
            (o.result == Outcome::Fail).then_some("failed"),
            (Some(i) == offending).then_some("offending"),
            (Some(i) == conflict).then_some("conflict"),
        );
        let v = |v: Option<u64>| v.map_or("nil".to_string(), |v| v.to_string());
        let label = match o.kind {
            Kind::Read if open => "r".to_string(),
            Kind::Read => format!("r {}", v(o.value)),
            Kind::Write => format!("w {}", v(o.value)),
            Kind::Cas => format!(
                "{}→{}{}",
                v(o.expect),
                v(o.value),
                match o.result {
                    Outcome::Fail => " ✗",
                    Outcome::Info => " ?",
                    Outcome::Ok => "",
                }
            ),
        };
        html! {
            <g class={class} data-op={i.to_string()}>
                <title>{ format!("{} {} · {label}", lang.t(W::HistoryClient), o.client) }</title>
                <rect x={format!("{x0:.1}")} y={format!("{y:.1}")}
                    width={format!("{:.1}", (x1 - x0).max(3.0))} height={format!("{:.1}", ROW - 8.0)} rx="3" />
                <text x={format!("{:.1}", x0 + 2.0)} y={format!("{:.1}", y + ROW - 12.0)}>{ label }</text>
            </g>
        }
    });
    let rows = clients.iter().enumerate().map(|(k, client)| {
        html! {
            <text class="row-label" x="2" y={format!("{:.1}", k as f64 * ROW + ROW / 2.0 + 4.0)}>
                { format!("{} {client}", lang.t(W::HistoryClientShort)) }
            </text>
        }
    });
    html! {
        <div class="history-drawing">
            <svg data-testid="history-svg" viewBox={format!("0 0 {WIDTH} {height:.0}")}
                width={WIDTH.to_string()} height={format!("{height:.0}")} role="img"
                aria-label={lang.t(W::HistoryTitle)}>
                { for rows }
                { for bars }
                <polyline class="linearization" points={path} />
                { for points.iter().map(|(px, py)| html! {
                    <circle class="point" cx={format!("{px:.1}")} cy={format!("{py:.1}")} r="2.5" />
                }) }
            </svg>
        </div>
    }
}
