//! The worker's side: hear a request, rebuild its work, run it to the end while telling
//! the page how far it has got, and post the result.

use super::codec::{from_js, to_js};
use super::worker::{Reply, Request};
use crate::sim::{PairedRun, Replicated, Run};
use crate::solve::{FailureSweep, LoadCurves, SensitivitySweep};
use crate::task::{Task, TaskKind};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Milliseconds between progress reports: ten a second move the bar smoothly enough, and
/// each one costs the page a message, a render, a layout and a paint (`make bench` measures
/// the main thread's own time during a run).
const PROGRESS_MS: f64 = 100.0;

/// Serves the page's requests; the worker's entry point.
pub fn serve_tasks() {
    // A panic ends the worker; the page hears why and runs the work itself.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&Reply::<()>::Crashed(format!("internal error: {info}")));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| answer(e.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener serves for the worker's whole life.
    on_message.forget();
    post(&Reply::<()>::Ready);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// The part of a request that says which work it is.
#[derive(Deserialize)]
struct Kind {
    kind: TaskKind,
}

fn answer(request: JsValue) {
    match from_js::<Kind>(request.clone()).map(|k| k.kind) {
        Ok(TaskKind::Run) => work::<Replicated<Run>>(request),
        Ok(TaskKind::PairedRun) => work::<Replicated<PairedRun>>(request),
        Ok(TaskKind::LoadCurves) => work::<LoadCurves>(request),
        Ok(TaskKind::FailureSweep) => work::<FailureSweep>(request),
        Ok(TaskKind::Sensitivity) => work::<SensitivitySweep>(request),
        Err(why) => post(&Reply::<()>::Crashed(why)),
    }
}

/// Builds the work and runs it to the end, reporting progress as it goes.
fn work<T: Task>(request: JsValue) {
    let start = js_sys::Date::now();
    let built = from_js::<Request<T::Input>>(request).map(|r| T::build(r.input));
    let reply = match built {
        Err(why) => Reply::Crashed(why),
        Ok(Err(why)) => Reply::Refused(why),
        Ok(Ok(mut w)) => {
            let mut told = start;
            while !w.advance() {
                let now = js_sys::Date::now();
                if now - told >= PROGRESS_MS {
                    post(&Reply::<()>::Progress(w.progress()));
                    told = now;
                }
            }
            Reply::Done {
                output: w.finish(),
                ms: js_sys::Date::now() - start,
            }
        }
    };
    post(&reply);
}

fn post<O: Serialize>(reply: &Reply<O>) {
    let message = to_js(reply).or_else(|why| to_js(&Reply::<()>::Crashed(why)));
    if let Ok(m) = message {
        // Posting fails only once the page has gone.
        let _ = scope().post_message(&m);
    }
}
