//! # clusterplay-explore-worker
//!
//! The page's "Find me a failure", off the main thread. Trunk builds this binary as a web
//! worker (`data-type="worker"` in `index.html`), so the page's own WebAssembly carries none of
//! the explorer (`clusterplay-scenario`'s `explore` feature: the search instantiated once per
//! protocol) and the page keeps drawing and answering clicks however long a search takes.
//!
//! What the page and the worker say to each other is JSON text through `postMessage`, in the
//! types of `clusterplay_scenario::explore`:
//!
//! 1. the worker posts `"ready"` once its WebAssembly has loaded (a message posted before
//!    that would find nobody listening);
//! 2. the page posts `{"explore": {"scenario": …, "options": …}}`;
//! 3. the worker explores in slices of about [`SLICE_MS`] and posts `{"progress": …}` after
//!    each; between two slices it reads its messages, so `"cancel"` stops it after the current
//!    slice;
//! 4. at the end (exhausted, stopped by a bound, or cancelled) it posts `{"done": {"report":
//!    …, "states_per_second": …, "elapsed_ms": …, "cancelled": …}}`: each violation with the
//!    scenario that replays it, the nearest blocked state, the counts;
//! 5. a refused scenario is posted as `{"refused": …}` (the error itself, which the page words
//!    in its language); a request it cannot read, or a panic, as `{"error": "…"}`;
//! 6. a history to check, `{"check_history": {"text": …}}`, is answered at once (it is bounded
//!    by the checker's step budget) with `{"checked": …}` or `{"history_refused": …}`.
//!
//! The page starts one worker per search and terminates it when the search is over, which also
//! frees the explored states at once.

use clusterplay_scenario::explore::{explore, Exploration, WorkerReply, WorkerRequest};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// States per call of `run_for`: a fraction of a millisecond to a few, so a slice ends close to
/// its time.
const STEP: u64 = 200;
/// How long the worker explores before it posts its progress and reads its messages.
const SLICE_MS: f64 = 100.0;

/// The search under way.
struct Search {
    exploration: Box<dyn Exploration>,
    started_ms: f64,
    /// When breadth-first search ended and random walks began (`auto`): the states per second
    /// are counted over the breadth-first part only.
    walking_since_ms: Option<f64>,
    cancelled: bool,
}

thread_local! {
    static SEARCH: RefCell<Option<Search>> = const { RefCell::new(None) };
    /// Runs the next slice; handed to `setTimeout` so that messages are read in between.
    static NEXT_SLICE: Closure<dyn FnMut()> = Closure::new(slice);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(reply: &WorkerReply) {
    let text = serde_json::to_string(reply).unwrap_or_else(|e| {
        serde_json::to_string(&WorkerReply::Error(format!(
            "the report would not encode: {e}"
        )))
        .unwrap_or_default()
    });
    if let Err(e) = scope().post_message(&JsValue::from_str(&text)) {
        web_sys::console::error_2(&"clusterplay explorer: cannot post".into(), &e);
    }
}

fn main() {
    // The page shows the text; the worker then traps (panic = "abort") and is terminated.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        post(&WorkerReply::Error(format!("the explorer broke: {info}")));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        receive(event.data());
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&WorkerReply::Ready);
}

fn receive(data: JsValue) {
    let request = data
        .as_string()
        .ok_or_else(|| "a request is JSON text".to_owned())
        .and_then(|text| {
            serde_json::from_str::<WorkerRequest>(&text).map_err(|e| format!("not a request: {e}"))
        });
    match request {
        Err(e) => post(&WorkerReply::Error(e)),
        Ok(WorkerRequest::Cancel) => SEARCH.with_borrow_mut(|search| {
            if let Some(search) = search {
                search.cancelled = true;
            }
        }),
        #[cfg(feature = "replication")]
        Ok(WorkerRequest::CheckHistory { text }) => {
            use clusterplay_scenario::history::{self, History};
            let started = js_sys::Date::now();
            post(&match History::parse(&text) {
                Err(e) => WorkerReply::HistoryRefused(e),
                Ok(h) => WorkerReply::Checked {
                    report: Box::new(history::check(&h)),
                    history: Box::new(h),
                    elapsed_ms: js_sys::Date::now() - started,
                },
            });
        }
        Ok(WorkerRequest::Explore { .. }) if SEARCH.with_borrow(Option::is_some) => post(
            &WorkerReply::Error("a search is already under way in this worker".to_owned()),
        ),
        Ok(WorkerRequest::Explore { scenario, options }) => match explore(&scenario, options) {
            Err(e) => post(&WorkerReply::Refused(e)),
            Ok(exploration) => {
                SEARCH.set(Some(Search {
                    exploration,
                    started_ms: js_sys::Date::now(),
                    walking_since_ms: None,
                    cancelled: false,
                }));
                next_slice();
            }
        },
    }
}

fn next_slice() {
    NEXT_SLICE.with(|f| {
        if let Err(e) = scope()
            .set_timeout_with_callback_and_timeout_and_arguments_0(f.as_ref().unchecked_ref(), 0)
        {
            web_sys::console::error_2(&"clusterplay explorer: no timer".into(), &e);
            post(&WorkerReply::Error(
                "the worker cannot set a timer".to_owned(),
            ));
        }
    });
}

/// Explore for about [`SLICE_MS`], then post the progress and come back, or the report.
fn slice() {
    let Some(mut search) = SEARCH.take() else {
        return;
    };
    let until = js_sys::Date::now() + SLICE_MS;
    let mut progress = search.exploration.progress();
    while !search.cancelled && !progress.done {
        progress = search.exploration.run_for(STEP);
        if progress.walks > 0 && search.walking_since_ms.is_none() {
            search.walking_since_ms = Some(js_sys::Date::now());
        }
        if js_sys::Date::now() >= until {
            break;
        }
    }
    if !(progress.done || search.cancelled) {
        post(&WorkerReply::Progress(progress));
        SEARCH.set(Some(search));
        next_slice();
        return;
    }
    let elapsed_ms = js_sys::Date::now() - search.started_ms;
    let bfs_ms = search
        .walking_since_ms
        .map_or(elapsed_ms, |t| t - search.started_ms);
    post(&WorkerReply::Done {
        report: Box::new(search.exploration.report()),
        states_per_second: (progress.unique_states as f64 / (bfs_ms / 1000.0).max(1e-3)).round(),
        elapsed_ms,
        cancelled: !progress.done,
    });
}
