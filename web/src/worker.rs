//! The page's web worker, `clusterplay-explore-worker`, which Trunk builds beside the page (see
//! `index.html`): "Find me a failure" explores in it, and "Check a history" checks a large
//! history in it, so that however long either takes the page keeps drawing and answering
//! clicks. Each job gets a worker of its own: the worker says `ready`, the page posts the
//! request, and the worker's replies go to the job's handler. A worker that cannot be made,
//! fails to load or breaks is told to the handler, never a panic. The messages are the JSON of
//! [`WorkerRequest`](clusterplay_scenario::explore::WorkerRequest) and [`WorkerReply`].

use clusterplay_scenario::explore::WorkerReply;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AttrValue;

/// The worker's script as Trunk's build leaves it, beside `index.html` (its glue and wasm are
/// named after the binary; web/clusterplay-explore-worker_loader.js starts them). The release
/// build renames all three by content and the page reads the loader's name from
/// [`crate::catalogue::worker_script`]. Relative, so it resolves against the page's own
/// address, in an iframe embed and under a sub-path alike.
pub const WORKER_SCRIPT: &str = "clusterplay-explore-worker_loader.js";

/// The script to start: the release build's content-hashed name for [`WORKER_SCRIPT`], or
/// what a test gave.
pub fn script(given: &AttrValue) -> AttrValue {
    match (given, crate::catalogue::worker_script()) {
        (AttrValue::Static(WORKER_SCRIPT), Some(hashed)) => AttrValue::Static(hashed),
        (given, _) => given.clone(),
    }
}

/// What hears a job's worker.
pub type OnReply = Rc<dyn Fn(&Slot, Result<WorkerReply, String>)>;

/// A worker and its job. Dropping it terminates the worker.
pub struct Job {
    pub worker: web_sys::Worker,
    /// The request, posted on `ready`.
    request: String,
    ready: bool,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
    }
}

pub type Slot = Rc<RefCell<Option<Job>>>;

/// Terminate the slot's worker, if any. Not dropped at once: this may run inside one of the
/// job's own handlers.
pub fn end(slot: &Slot) {
    if let Some(job) = slot.borrow_mut().take() {
        wasm_bindgen_futures::spawn_local(async move { drop(job) });
    }
}

/// Start a worker from `script` that is to run `request` (JSON): posted once the worker says
/// it is ready, after which `on_reply` hears `ready` and everything else the worker says, or
/// how it failed.
pub fn spawn(script: &str, request: String, slot: &Slot, on_reply: OnReply) -> Result<(), String> {
    let worker = web_sys::Worker::new(script).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"))
    })?;
    let weak: Weak<RefCell<Option<Job>>> = Rc::downgrade(slot);
    let on_message = {
        let (weak, on_reply) = (weak.clone(), on_reply.clone());
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(slot) = weak.upgrade() {
                let reply = event
                    .data()
                    .as_string()
                    .ok_or_else(|| "the worker's message is not text".to_owned())
                    .and_then(|text| {
                        serde_json::from_str::<WorkerReply>(&text)
                            .map_err(|e| format!("the worker's message is not understood: {e}"))
                    });
                receive(&slot, &on_reply, reply);
            }
        })
    };
    let on_error = {
        let script = script.to_owned();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // A script that does not load gives a bare `Event`; an uncaught error (a trap) an
            // `ErrorEvent` with its message.
            let why = event
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("its script {script} did not load"));
            event.prevent_default();
            if let Some(slot) = weak.upgrade() {
                receive(&slot, &on_reply, Err(why));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    end(slot);
    *slot.borrow_mut() = Some(Job {
        worker,
        request,
        ready: false,
        _on_message: on_message,
        _on_error: on_error,
    });
    Ok(())
}

/// Post the request on `ready`; pass everything to the job's handler.
fn receive(slot: &Slot, on_reply: &OnReply, reply: Result<WorkerReply, String>) {
    if slot.borrow().is_none() {
        // A worker already ended (its handlers go with it a moment later).
        return;
    }
    if let Ok(WorkerReply::Ready) = reply {
        let mut guard = slot.borrow_mut();
        let Some(job) = guard.as_mut().filter(|j| !j.ready) else {
            return;
        };
        job.ready = true;
        let posted = job
            .worker
            .post_message(&JsValue::from_str(&job.request))
            .map_err(|e| format!("{e:?}"));
        drop(guard);
        // (A cancel while the worker loaded has ended the job: nothing gets here.)
        return on_reply(slot, posted.map(|()| WorkerReply::Ready));
    }
    on_reply(slot, reply)
}
