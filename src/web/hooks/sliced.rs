//! The one way the page runs long work: in a Web Worker, so that no frame ever waits for
//! it ([`crate::web::offload`]), or, where a worker cannot be started or has crashed, in the
//! worker's own code loaded into the page, which runs it in slices between frames so that
//! the editor still answers ([`Worker::in_page`]).

use crate::task::Task;
use crate::web::offload::{soon, take_turn, Encoded, Reply, Turn, Worker};
use gloo::timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use yew::prelude::*;

mod spread;

/// What a panel says when the work could run neither in a worker nor in the page.
const NOWHERE: &str = "the analysis could not start: this browser runs no Web Worker and \
                       the page's stand-in for one is missing";

/// Where a [`Slicer`]'s work runs.
enum Place {
    /// Nowhere yet: a worker is started when work arrives, or the page's stand-in for one
    /// (`in_page`) once a worker could not be started or crashed.
    Idle { in_page: bool },
    /// In this worker (busy or waiting for the next piece of work).
    Worker(Worker),
}

impl Place {
    /// Whether work runs in the page's stand-in for a worker.
    fn in_page(&self) -> bool {
        match self {
            Place::Idle { in_page } => *in_page,
            Place::Worker(w) => w.is_in_page(),
        }
    }
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
            let in_page = place.in_page();
            *place = Place::Idle { in_page };
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
                Ok(parts) if parts.len() > 1 && !self.place.borrow().in_page() => {
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
        if let Place::Idle { in_page } = *place {
            let worker = if in_page { None } else { Worker::spawn() };
            match worker.or_else(Worker::in_page) {
                Some(w) => *place = Place::Worker(w),
                None => {
                    drop(place);
                    self.progress.set(None);
                    return done(Err(NOWHERE.to_string()), 0.0);
                }
            }
        }
        let Place::Worker(worker) = &mut *place else {
            return;
        };
        let in_page = worker.is_in_page();
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
                // The page's own stand-in has nowhere else to turn.
                Reply::Crashed(why) if in_page => this.finish(mine, &mut left, Err(why), 0.0),
                Reply::Crashed(why) => {
                    if let Some((input, done)) = left.take() {
                        this.to_page(&why, mine, input, done);
                    }
                }
            }
        });
    }

    /// After a worker failed to load or crashed: the page's stand-in does the work, and
    /// all later work.
    fn to_page(&self, why: &str, mine: u64, input: W::Input, done: Done<W::Output>) {
        gloo::console::warn!(format!(
            "ArchSim's worker stopped ({why}); the page does the work itself"
        ));
        let this = self.clone();
        // Not from within the worker's own listener, which this ends.
        soon(move || {
            this.crew.borrow_mut().clear();
            *this.place.borrow_mut() = Place::Idle { in_page: true };
            this.launch(mine, input, done);
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
}

/// Long work run in slices, its progress shown or not; see [`Slicer`].
#[hook]
pub fn use_sliced<W: Task + 'static>(progress: Progress) -> Slicer<W> {
    let progress = Bar {
        state: use_state(|| None::<f64>),
        progress,
    };
    let generation = use_memo((), |_| Cell::new(0u64));
    let place = use_memo((), |_| RefCell::new(Place::Idle { in_page: false }));
    let crew = use_memo((), |_| RefCell::new(Vec::new()));
    Slicer {
        progress,
        generation,
        place,
        crew,
        work: PhantomData,
    }
}
