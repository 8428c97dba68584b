//! The one way the page runs long work: in a Web Worker, so that no frame ever waits for
//! it ([`crate::web::offload`]), or, where a worker cannot be started or has crashed, in the
//! page itself in slices between frames, so that the editor still answers. A slice runs
//! [`Sliced::advance`] until [`SLICE_MS`] have passed, then hands the page back and asks
//! for the next slice as a new task.

use crate::sliced::Sliced;
use crate::task::Task;
use crate::web::offload::{take_turn, Encoded, Reply, Turn, Worker};
use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

mod spread;

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

/// Where a [`Slicer`]'s work runs.
enum Place {
    /// Nowhere yet: a worker is started when work arrives.
    Idle,
    /// In this worker (busy or waiting for the next piece of work).
    Worker(Worker),
    /// In the page: a worker could not be started or crashed.
    Page,
}

/// Whether a view shows a piece of work's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A bar or a Stop button reads it: every report renders the holder again.
    Shown,
    /// Nothing reads it: reports change nothing on the page. Each one rendered the app
    /// again, 20–90 ms a time with a 1 000-component design (traced 2026-11-26), ten
    /// times a second while the failure sweep ran.
    Hidden,
}

/// The share of the work done, as the page sees it.
#[derive(Clone, PartialEq)]
struct Bar {
    /// `None` when idle.
    state: UseStateHandle<Option<f64>>,
    progress: Progress,
}

impl Bar {
    /// Records a new share, rendering the holder again, when a view shows it. (No
    /// comparison with the value held: a handle kept in a reply's closure holds the value
    /// of the render it was taken in, not the latest.)
    fn set(&self, share: Option<f64>) {
        if self.progress == Progress::Shown {
            self.state.set(share);
        }
    }
}

/// Long work in progress: start it, stop it, and watch its progress.
pub struct Slicer<W: Task> {
    /// Share done while running, `None` when idle.
    progress: Bar,
    /// Bumped by every start and stop, so that replies to superseded work are ignored.
    generation: Rc<Cell<u64>>,
    place: Rc<RefCell<Place>>,
    /// The workers that share work split into parts ([`Task::split`]).
    crew: Rc<RefCell<Vec<Worker>>>,
    work: PhantomData<fn(W)>,
}

impl<W: Task> Clone for Slicer<W> {
    fn clone(&self) -> Self {
        Slicer {
            progress: self.progress.clone(),
            generation: self.generation.clone(),
            place: self.place.clone(),
            crew: self.crew.clone(),
            work: PhantomData,
        }
    }
}

impl<W: Task> PartialEq for Slicer<W> {
    fn eq(&self, other: &Self) -> bool {
        self.progress == other.progress && Rc::ptr_eq(&self.generation, &other.generation)
    }
}

/// What receives the result (or why there is none) and the milliseconds spent on it.
type Done<O> = Box<dyn FnOnce(Result<O, String>, f64)>;

impl<W: Task + 'static> Slicer<W> {
    /// Starts the work built from `input` after `delay_ms` (replacing any work in
    /// progress); `done` receives its result, or why it could not be done, and the
    /// milliseconds spent computing it.
    pub fn start(
        &self,
        input: W::Input,
        delay_ms: u32,
        done: impl FnOnce(Result<W::Output, String>, f64) + 'static,
    ) {
        let mine = self.generation.get() + 1;
        self.generation.set(mine);
        self.progress.set(Some(0.0));
        let this = self.clone();
        let go = move || this.launch(mine, input, Box::new(done));
        if delay_ms == 0 {
            go();
        } else {
            Timeout::new(delay_ms, go).forget();
        }
    }

    /// Stops the work in progress, if any, at once; its result never arrives.
    pub fn stop(&self) {
        self.generation.set(self.generation.get() + 1);
        self.progress.set(None);
        self.end_busy_worker();
    }

    /// The share done while work runs, `None` when idle (always `None` when the
    /// progress is [`Progress::Hidden`]).
    pub fn progress(&self) -> Option<f64> {
        *self.progress.state
    }

    /// Ends the workers that are busy with superseded work: waiting for them would delay
    /// the new work by what is left of the old.
    fn end_busy_worker(&self) {
        let mut place = self.place.borrow_mut();
        if matches!(&*place, Place::Worker(w) if w.busy()) {
            *place = Place::Idle;
        }
        self.crew.borrow_mut().retain(|w| !w.busy());
    }

    fn current(&self, mine: u64) -> bool {
        self.generation.get() == mine
    }

    /// Starts the work once the cores allow: work a person asked for at once, the rest
    /// in turn ([`take_turn`]).
    fn launch(&self, mine: u64, input: W::Input, done: Done<W::Output>) {
        if !self.current(mine) {
            return;
        }
        self.end_busy_worker();
        if W::KIND.asked_for() {
            return match W::split(&input) {
                Err(why) => {
                    self.progress.set(None);
                    done(Err(why), 0.0);
                }
                Ok(parts) if parts.len() > 1 && !matches!(*self.place.borrow(), Place::Page) => {
                    self.spread(mine, input, parts, done)
                }
                Ok(_) => self.launch_in(Turn::asked(), mine, input, done),
            };
        }
        let this = self.clone();
        take_turn(move |turn| this.launch_in(turn, mine, input, done));
    }

    fn launch_in(&self, turn: Turn, mine: u64, input: W::Input, done: Done<W::Output>) {
        if !self.current(mine) {
            return;
        }
        let mut place = self.place.borrow_mut();
        if let Place::Idle = *place {
            *place = Worker::spawn().map_or(Place::Page, Place::Worker);
        }
        let Place::Worker(worker) = &mut *place else {
            drop(place);
            return self.in_page(mine, input, done);
        };
        let request = Encoded::of::<W>(&input);
        let this = self.clone();
        let mut left = Some((input, done));
        worker.post::<W>(turn, request, move |reply| {
            if !this.current(mine) {
                return;
            }
            match reply {
                Reply::Ready => {}
                Reply::Progress(share) => this.progress.set(Some(share)),
                Reply::Done { output, ms } => this.finish(mine, &mut left, Ok(output), ms),
                Reply::Refused(why) => this.finish(mine, &mut left, Err(why), 0.0),
                Reply::Crashed(why) => {
                    gloo::console::warn!(format!(
                        "ArchSim's worker stopped ({why}); the page does the work itself"
                    ));
                    if let Some((input, done)) = left.take() {
                        let this = this.clone();
                        // Not from within the worker's own listener, which this ends.
                        soon(move || {
                            *this.place.borrow_mut() = Place::Page;
                            this.in_page(mine, input, done);
                        });
                    }
                }
            }
        });
    }

    /// Hands the result over, once the worker's listener has returned (what `done` sets
    /// off may start new work in the same worker, which replaces that listener), unless an
    /// edit has superseded the work meanwhile.
    fn finish(
        &self,
        mine: u64,
        left: &mut Option<(W::Input, Done<W::Output>)>,
        result: Result<W::Output, String>,
        ms: f64,
    ) {
        if let Some((_, done)) = left.take() {
            let this = self.clone();
            soon(move || {
                if this.current(mine) {
                    this.progress.set(None);
                    done(result, ms);
                }
            });
        }
    }

    /// Runs the work in the page's slices.
    fn in_page(&self, mine: u64, input: W::Input, done: Done<W::Output>) {
        if !self.current(mine) {
            return;
        }
        match W::build(input) {
            Err(why) => {
                self.progress.set(None);
                done(Err(why), 0.0);
            }
            Ok(work) => Job {
                work: Rc::new(RefCell::new(Some(work))),
                generation: self.generation.clone(),
                mine,
                progress: self.progress.clone(),
                shown: 0.0,
                spent: 0.0,
                done: Rc::new(RefCell::new(Some(done))),
            }
            .slice(),
        }
    }
}

/// One piece of work between its slices.
struct Job<W: Sliced> {
    work: Rc<RefCell<Option<W>>>,
    generation: Rc<Cell<u64>>,
    mine: u64,
    progress: Bar,
    /// The progress last shown (the bar is redrawn only when it moves by a percent).
    shown: f64,
    /// Milliseconds spent in slices so far.
    spent: f64,
    done: Rc<RefCell<Option<Done<W::Output>>>>,
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
                done(Ok(w.finish()), self.spent);
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

/// Long work run in slices, its progress shown or not; see [`Slicer`].
#[hook]
pub fn use_sliced<W: Task + 'static>(progress: Progress) -> Slicer<W> {
    let progress = Bar {
        state: use_state(|| None::<f64>),
        progress,
    };
    let generation = use_memo((), |_| Cell::new(0u64));
    let place = use_memo((), |_| RefCell::new(Place::Idle));
    let crew = use_memo((), |_| RefCell::new(Vec::new()));
    Slicer {
        progress,
        generation,
        place,
        crew,
        work: PhantomData,
    }
}
