//! The one way the page runs long work: in slices between frames, so the editor always
//! answers. A slice runs [`Sliced::advance`] until [`SLICE_MS`] have passed, then hands the
//! page back and asks for the next slice as a new task.

use crate::sliced::Sliced;
use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Wall-clock time one slice may take, ms. The browser paints between slices, so a slice
/// costs at least one frame: at 12 ms a 60 Hz page spent 28 % of a run painting; at 28 ms
/// it paints every other frame, and input still gets an answer within the 50 ms that feels
/// instant (measured by scripts/bench-browser.mjs: the longest frame gap while running).
pub const SLICE_MS: f64 = 28.0;

/// Runs `f` as a new task as soon as the browser has painted and handled input. A message
/// to a channel does that without the 4 ms minimum that browsers put on nested zero-delay
/// timeouts (measured: the same run took 1.0 s of wall time with timeouts).
fn soon(f: impl FnOnce() + 'static) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        Timeout::new(0, f).forget();
        return;
    };
    // Freed by wasm-bindgen once called.
    let callback = Closure::once_into_js(f);
    channel
        .port1()
        .set_onmessage(Some(callback.unchecked_ref()));
    if channel.port2().post_message(&JsValue::NULL).is_err() {
        channel.port1().set_onmessage(None);
    }
}

/// Long work in progress in the page: start it, stop it, and watch its progress.
pub struct Slicer<W: Sliced> {
    /// Share done while running, `None` when idle.
    progress: UseStateHandle<Option<f64>>,
    /// Bumped by every start and stop, so slices of superseded work stop themselves.
    generation: Rc<Cell<u64>>,
    work: PhantomData<fn(W)>,
}

impl<W: Sliced> Clone for Slicer<W> {
    fn clone(&self) -> Self {
        Slicer {
            progress: self.progress.clone(),
            generation: self.generation.clone(),
            work: PhantomData,
        }
    }
}

impl<W: Sliced> PartialEq for Slicer<W> {
    fn eq(&self, other: &Self) -> bool {
        self.progress == other.progress && Rc::ptr_eq(&self.generation, &other.generation)
    }
}

impl<W: Sliced + 'static> Slicer<W> {
    /// Starts `work` after `delay_ms` (replacing any work in progress); `done` receives the
    /// result and the milliseconds spent computing it.
    pub fn start(&self, work: W, delay_ms: u32, done: impl FnOnce(W::Output, f64) + 'static) {
        let mine = self.generation.get() + 1;
        self.generation.set(mine);
        self.progress.set(Some(0.0));
        let job = Job {
            work: Rc::new(RefCell::new(Some(work))),
            generation: self.generation.clone(),
            mine,
            progress: self.progress.clone(),
            shown: 0.0,
            spent: 0.0,
            done: Rc::new(RefCell::new(Some(Box::new(done)))),
        };
        if delay_ms == 0 {
            soon(move || job.slice());
        } else {
            Timeout::new(delay_ms, move || job.slice()).forget();
        }
    }

    /// Stops the work in progress, if any; its result never arrives.
    pub fn stop(&self) {
        self.generation.set(self.generation.get() + 1);
        self.progress.set(None);
    }

    /// The share done while work runs, `None` when idle.
    pub fn progress(&self) -> Option<f64> {
        *self.progress
    }
}

/// The result's receiver.
type Done<O> = Rc<RefCell<Option<Box<dyn FnOnce(O, f64)>>>>;

/// One piece of work between its slices.
struct Job<W: Sliced> {
    work: Rc<RefCell<Option<W>>>,
    generation: Rc<Cell<u64>>,
    mine: u64,
    progress: UseStateHandle<Option<f64>>,
    /// The progress last shown (the bar is redrawn only when it moves by a percent).
    shown: f64,
    /// Milliseconds spent in slices so far.
    spent: f64,
    done: Done<W::Output>,
}

impl<W: Sliced + 'static> Job<W> {
    fn slice(mut self) {
        if self.generation.get() != self.mine {
            return;
        }
        let start = js_sys::Date::now();
        let mut finished = false;
        let mut share = 0.0;
        if let Some(w) = self.work.borrow_mut().as_mut() {
            while !finished && js_sys::Date::now() - start < SLICE_MS {
                finished = w.advance();
            }
            share = w.progress();
        }
        self.spent += js_sys::Date::now() - start;
        if finished {
            self.progress.set(None);
            let work = self.work.borrow_mut().take();
            let done = self.done.borrow_mut().take();
            if let (Some(w), Some(done)) = (work, done) {
                done(w.finish(), self.spent);
            }
        } else {
            if share - self.shown >= 0.01 {
                self.progress.set(Some(share));
                self.shown = share;
            }
            soon(move || self.slice());
        }
    }
}

/// Long work run in slices; see [`Slicer`].
#[hook]
pub fn use_sliced<W: Sliced + 'static>() -> Slicer<W> {
    let progress = use_state(|| None::<f64>);
    let generation = use_memo((), |_| Cell::new(0u64));
    Slicer {
        progress,
        generation,
        work: PhantomData,
    }
}
