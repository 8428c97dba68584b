//! The worker's side: hear a request, rebuild its work, run it to the end while telling
//! the page how far it has got, and post the result. Where no Web Worker can run, the page
//! loads the worker's own Wasm and runs the same code on its main thread in slices
//! ([`InPage`]): the page's Wasm holds none of the work's code, and the replies are the
//! same, byte for byte.

use super::codec::{from_js, to_js};
use super::soon::soon;
use super::worker::{Reply, Request};
use crate::sim::{PairedRun, Replicated, Run};
use crate::solve::{FailureSweep, LoadCurves, Planning, SensitivitySweep};
use crate::task::{Task, TaskKind};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Milliseconds between progress reports: ten a second move the bar smoothly enough, and
/// each one costs the page a message, a render, a layout and a paint (`make bench` measures
/// the main thread's own time during a run).
const PROGRESS_MS: f64 = 100.0;

/// Wall-clock time one slice may take in the page, ms. The browser paints between slices,
/// so a slice costs at least one frame: at 12 ms a 60 Hz page spent 28 % of a run painting;
/// at 28 ms it paints every other frame, and input still gets an answer within the 50 ms
/// that feels instant (measured by scripts/bench-browser.mjs: the longest frame gap while
/// running).
const SLICE_MS: f64 = 28.0;

/// Where replies go.
#[derive(Clone)]
enum Outbox {
    /// To the page that started this worker.
    Scope,
    /// To the page's stand-in for a worker (static/archsim-in-page.js), which calls its
    /// listener with the reply.
    Page(js_sys::Function),
}

impl Outbox {
    fn post<O: Serialize>(&self, reply: &Reply<O>) {
        let message = to_js(reply).or_else(|why| to_js(&Reply::<()>::Crashed(why)));
        let Ok(m) = message else { return };
        // Posting fails only once the page has gone (or its stand-in was ended).
        let _ = match self {
            Outbox::Scope => js_sys::global()
                .unchecked_into::<DedicatedWorkerGlobalScope>()
                .post_message(&m),
            Outbox::Page(f) => f.call1(&JsValue::NULL, &m).map(drop),
        };
    }
}

thread_local! {
    /// Where the work in hand replies: a panic's last word goes there.
    static OUTBOX: RefCell<Option<Outbox>> = const { RefCell::new(None) };
}

/// Says why the work stopped, to whoever asked for it, before the Wasm ends.
fn on_panic(info: &std::panic::PanicHookInfo) {
    console_error_panic_hook::hook(info);
    if let Some(outbox) = OUTBOX.with_borrow(Clone::clone) {
        outbox.post(&Reply::<()>::Crashed(format!("internal error: {info}")));
    }
}

/// The worker's entry point: in a Web Worker, serves the page's requests; in the page (the
/// stand-in loaded this Wasm), waits for [`InPage`] to be made.
pub fn serve_tasks() {
    std::panic::set_hook(Box::new(on_panic));
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    OUTBOX.set(Some(Outbox::Scope));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| answer(e.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The listener serves for the worker's whole life.
    on_message.forget();
    Outbox::Scope.post(&Reply::<()>::Ready);
}

/// Work built from a request, whatever its kind.
trait Job {
    /// Does a little more; whether it is finished.
    fn step(&mut self) -> bool;
    /// The share done.
    fn share(&self) -> f64;
    /// Posts the result, with the milliseconds since `start`.
    fn reply(self: Box<Self>, outbox: &Outbox, start: f64);
}

impl<T: Task + 'static> Job for T {
    fn step(&mut self) -> bool {
        self.advance()
    }

    fn share(&self) -> f64 {
        self.progress()
    }

    fn reply(self: Box<Self>, outbox: &Outbox, start: f64) {
        outbox.post(&Reply::Done {
            output: (*self).finish(),
            ms: js_sys::Date::now() - start,
        });
    }
}

/// The part of a request that says which work it is.
#[derive(Deserialize)]
struct Kind {
    kind: TaskKind,
}

/// The work a request asks for, or the reply that says why there is none.
fn open(request: JsValue) -> Result<Box<dyn Job>, Reply<()>> {
    match from_js::<Kind>(request.clone()).map(|k| k.kind) {
        Ok(TaskKind::Run) => build::<Replicated<Run>>(request),
        Ok(TaskKind::PairedRun) => build::<Replicated<PairedRun>>(request),
        Ok(TaskKind::LoadCurves) => build::<LoadCurves>(request),
        Ok(TaskKind::FailureSweep) => build::<FailureSweep>(request),
        Ok(TaskKind::Sensitivity) => build::<SensitivitySweep>(request),
        Ok(TaskKind::Plan) => build::<Planning>(request),
        Err(why) => Err(Reply::Crashed(why)),
    }
}

fn build<T: Task + 'static>(request: JsValue) -> Result<Box<dyn Job>, Reply<()>> {
    match from_js::<Request<T::Input>>(request).map(|r| T::build(r.input)) {
        Err(why) => Err(Reply::Crashed(why)),
        Ok(Err(why)) => Err(Reply::Refused(why)),
        Ok(Ok(work)) => Ok(Box::new(work)),
    }
}

/// In a worker: runs the work to the end, reporting progress as it goes.
fn answer(request: JsValue) {
    let start = js_sys::Date::now();
    let mut job = match open(request) {
        Ok(job) => job,
        Err(reply) => return Outbox::Scope.post(&reply),
    };
    let mut told = start;
    while !job.step() {
        let now = js_sys::Date::now();
        if now - told >= PROGRESS_MS {
            Outbox::Scope.post(&Reply::<()>::Progress(job.share()));
            told = now;
        }
    }
    job.reply(&Outbox::Scope, start);
}

/// The worker's code on the page's main thread, for a page where no Web Worker can run:
/// it takes the same requests and gives the same replies, running the work in slices of
/// [`SLICE_MS`] so that the editor still answers. Made by static/archsim-in-page.js.
pub struct InPage {
    outbox: Outbox,
    /// Bumped by every request and by [`InPage::end`], so that superseded work stops.
    generation: Rc<Cell<u64>>,
}

impl InPage {
    /// A stand-in whose replies go to `listener`; it says it is ready as soon as it has
    /// been made (not from within its making: the page answers "ready" with its request).
    pub fn new(listener: js_sys::Function) -> InPage {
        let outbox = Outbox::Page(listener);
        let ready = outbox.clone();
        soon(move || ready.post(&Reply::<()>::Ready));
        InPage {
            outbox,
            generation: Rc::new(Cell::new(0)),
        }
    }

    /// Starts the work `request` asks for, ending any in hand. Nothing is done or posted
    /// from within this call: the page's listener, which posted the request, would be
    /// called again before it returned.
    pub fn answer(&self, request: JsValue) {
        let mine = self.generation.get() + 1;
        self.generation.set(mine);
        let (outbox, generation) = (self.outbox.clone(), self.generation.clone());
        soon(move || {
            if generation.get() != mine {
                return;
            }
            match open(request) {
                Ok(job) => Slices {
                    job,
                    outbox,
                    generation,
                    mine,
                    start: js_sys::Date::now(),
                    told: 0.0,
                }
                .next(),
                Err(reply) => outbox.post(&reply),
            }
        });
    }

    /// Ends the work in hand, if any: nothing more is posted for it.
    pub fn end(&self) {
        self.generation.set(self.generation.get() + 1);
    }
}

/// Work in the page between its slices.
struct Slices {
    job: Box<dyn Job>,
    outbox: Outbox,
    generation: Rc<Cell<u64>>,
    mine: u64,
    start: f64,
    /// When progress was last posted.
    told: f64,
}

impl Slices {
    fn next(mut self) {
        if self.generation.get() != self.mine {
            return;
        }
        OUTBOX.set(Some(self.outbox.clone()));
        let begun = js_sys::Date::now();
        let mut finished = false;
        while !finished && js_sys::Date::now() - begun < SLICE_MS {
            finished = self.job.step();
        }
        if finished {
            let (outbox, start) = (self.outbox.clone(), self.start);
            return self.job.reply(&outbox, start);
        }
        let now = js_sys::Date::now();
        if now - self.told >= PROGRESS_MS {
            self.outbox.post(&Reply::<()>::Progress(self.job.share()));
            self.told = now;
        }
        soon(move || self.next());
    }
}
