//! The page's side of a worker: start one, hand it work, hear its replies, end it.
//!
//! This is `web_sys::Worker` itself rather than gloo-worker's bridge: gloo-worker 0.5 can
//! neither end a worker that is busy (its bridge asks the worker to close, which a worker
//! in the middle of a run hears only when the run is over) nor say that a worker failed to
//! load or crashed. Stop must cancel at once, and a failure must not leave a panel waiting
//! for ever, so the page holds the worker and calls `terminate`.

use super::codec::{from_js, to_js};
use super::pool::Turn;
use crate::task::{Task, TaskKind};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent};

/// The script that loads the worker's Wasm (static/archsim-worker-loader.js, copied beside
/// the page by trunk, index.html).
const LOADER: &str = "./archsim-worker-loader.js";

/// What the page asks a worker to do.
#[derive(Serialize, Deserialize)]
pub(super) struct Request<I> {
    /// Which work.
    pub kind: TaskKind,
    /// What to build it from.
    pub input: I,
}

/// A request encoded for posting. Encoding borrows the input, so that the page can keep
/// it (to do the work itself, should the worker fail) without a copy.
pub struct Encoded(JsValue);

impl Encoded {
    /// The request for the work `T` built from `input`.
    ///
    /// # Errors
    /// Why the input could not be encoded.
    pub fn of<T: Task>(input: &T::Input) -> Result<Encoded, String> {
        to_js(&Request {
            kind: T::KIND,
            input,
        })
        .map(Encoded)
    }
}

/// What a worker says.
#[derive(Debug, Serialize, Deserialize)]
pub enum Reply<O> {
    /// It has loaded and listens (a message posted before this would be lost).
    Ready,
    /// The share of the work done so far.
    Progress(f64),
    /// The result, and the milliseconds the worker spent on it.
    Done {
        /// The result.
        output: O,
        /// Milliseconds spent.
        ms: f64,
    },
    /// The work cannot be built from its input: why, in words.
    Refused(String),
    /// The worker failed to load or hit an internal error, and is of no further use.
    Crashed(String),
}

impl<O> Reply<O> {
    /// Whether this is the last reply to a request.
    fn ends(&self) -> bool {
        matches!(
            self,
            Reply::Done { .. } | Reply::Refused(_) | Reply::Crashed(_)
        )
    }
}

#[wasm_bindgen]
extern "C" {
    /// The page's stand-in for a worker (static/archsim-in-page.js): it loads the worker's
    /// own Wasm into the page and answers as a worker does.
    #[wasm_bindgen(js_name = ArchsimInPage)]
    type InPageWorker;

    #[wasm_bindgen(constructor, catch, js_class = "ArchsimInPage")]
    fn new() -> Result<InPageWorker, JsValue>;
}

/// The listeners of the request in hand, kept alive while it may still be answered.
type Listeners = (Closure<dyn FnMut(MessageEvent)>, Closure<dyn FnMut(Event)>);

/// A Web Worker doing one piece of work at a time; dropping it ends it at once, whatever
/// it is doing.
pub struct Worker {
    /// A Web Worker, or the page's stand-in for one, which answers to the same calls.
    inner: web_sys::Worker,
    /// Whether this is the page's stand-in.
    in_page: bool,
    /// Whether it has said [`Reply::Ready`].
    ready: Rc<Cell<bool>>,
    /// A request posted before it was ready, sent when it is.
    waiting: Rc<RefCell<Option<JsValue>>>,
    /// Its turn to compute, held while a request is in hand.
    turn: Rc<RefCell<Option<Turn>>>,
    listeners: Option<Listeners>,
}

impl Worker {
    /// Starts a worker; `None` where the browser has no workers.
    pub fn spawn() -> Option<Worker> {
        Some(Worker::of(web_sys::Worker::new(LOADER).ok()?, false))
    }

    /// The worker's code run in the page, in slices between frames, for where no Web
    /// Worker can run; `None` if the page lacks its stand-in script.
    pub fn in_page() -> Option<Worker> {
        let inner = InPageWorker::new().ok()?;
        Some(Worker::of(inner.unchecked_into(), true))
    }

    fn of(inner: web_sys::Worker, in_page: bool) -> Worker {
        Worker {
            inner,
            in_page,
            ready: Rc::new(Cell::new(false)),
            waiting: Rc::new(RefCell::new(None)),
            turn: Rc::new(RefCell::new(None)),
            listeners: None,
        }
    }

    /// Whether this is the page's stand-in for a worker ([`Worker::in_page`]).
    pub fn is_in_page(&self) -> bool {
        self.in_page
    }

    /// Whether it is working on a request.
    pub fn busy(&self) -> bool {
        self.turn.borrow().is_some()
    }

    /// Hands it `request` for the work `T` ([`Encoded::of`]), to compute in `turn`, which
    /// it gives up with its last reply; `on_reply` hears the progress, then one last reply
    /// (the result, a refusal, or a crash). A request that could not be encoded, and a
    /// worker that fails to load or crashes, end with [`Reply::Crashed`].
    pub fn post<T: Task + 'static>(
        &mut self,
        turn: Turn,
        request: Result<Encoded, String>,
        on_reply: impl FnMut(Reply<T::Output>) + 'static,
    ) {
        let on_reply = Rc::new(RefCell::new(on_reply));
        let request = match request {
            Ok(Encoded(r)) => r,
            Err(why) => return (on_reply.borrow_mut())(Reply::Crashed(why)),
        };
        *self.turn.borrow_mut() = Some(turn);
        let on_message = {
            let (ready, waiting, busy) =
                (self.ready.clone(), self.waiting.clone(), self.turn.clone());
            let (inner, on_reply) = (self.inner.clone(), on_reply.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let reply = from_js::<Reply<T::Output>>(e.data()).unwrap_or_else(Reply::Crashed);
                if let Reply::Ready = reply {
                    ready.set(true);
                    if let Some(request) = waiting.borrow_mut().take() {
                        send(&inner, &request, &busy, &on_reply);
                    }
                    return;
                }
                if busy.borrow().is_none() {
                    return;
                }
                if reply.ends() {
                    busy.borrow_mut().take();
                }
                (on_reply.borrow_mut())(reply);
            })
        };
        let on_error = {
            let (busy, on_reply) = (self.turn.clone(), on_reply.clone());
            // An error in the worker's code comes as an `ErrorEvent`; a worker script that
            // cannot be fetched, as a bare `Event`.
            Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                e.prevent_default();
                if busy.borrow_mut().take().is_some() {
                    let why = match e.dyn_ref::<ErrorEvent>().map(ErrorEvent::message) {
                        Some(m) if !m.is_empty() => m,
                        _ => "the worker could not be loaded".to_string(),
                    };
                    (on_reply.borrow_mut())(Reply::Crashed(why));
                }
            })
        };
        self.inner
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        self.inner
            .set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.listeners = Some((on_message, on_error));
        if self.ready.get() {
            send(&self.inner, &request, &self.turn, &on_reply);
        } else {
            *self.waiting.borrow_mut() = Some(request);
        }
    }
}

/// Posts `request`; a refusal to carry it is the request's last reply.
fn send<O>(
    worker: &web_sys::Worker,
    request: &JsValue,
    busy: &RefCell<Option<Turn>>,
    on_reply: &RefCell<impl FnMut(Reply<O>) + ?Sized>,
) {
    if let Err(e) = worker.post_message(request) {
        busy.borrow_mut().take();
        let why = e
            .as_string()
            .unwrap_or_else(|| "the work could not be sent to the worker".to_string());
        (on_reply.borrow_mut())(Reply::Crashed(why));
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.inner.terminate();
        self.inner.set_onmessage(None);
        self.inner.set_onerror(None);
    }
}
