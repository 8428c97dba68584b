//! Work that splits into independent parts (a run's replications) spread over as many
//! workers as the browser says it has cores (`navigator.hardwareConcurrency`). Each worker
//! takes the next part waiting when it finishes one, and the parts' results are joined in
//! their order ([`Task::merge`]), so the result is the same, byte for byte, however many
//! workers shared it, and the same as the CLI's.

use super::{Done, Place, Slicer};
use crate::task::Task;
use crate::web::offload::{cores, soon, Encoded, Reply, Turn, Worker};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Parts in flight.
struct Spread<W: Task> {
    /// Parts not yet handed out: their index and request.
    waiting: VecDeque<(usize, Result<Encoded, String>)>,
    /// The parts' results, by index, as they arrive.
    outputs: Vec<Option<W::Output>>,
    /// The share of each part done.
    shares: Vec<f64>,
    /// The whole work's input and receiver: should a worker crash, the page's stand-in
    /// for one does the whole work.
    left: Option<(W::Input, Done<W::Output>)>,
    /// When the work started, ms: its result comes with the wall time it took.
    started: f64,
}

type Shared<W> = Rc<RefCell<Spread<W>>>;

impl<W: Task + 'static> Slicer<W> {
    /// Starts work split into `parts`, which a person asked for (each part starts at once,
    /// as a run does).
    pub(super) fn spread(
        &self,
        mine: u64,
        input: W::Input,
        parts: Vec<W::Input>,
        done: Done<W::Output>,
    ) {
        let count = parts.len();
        let hands = {
            let mut crew = self.crew.borrow_mut();
            // An idle worker of whole work joins the crew rather than load a new one.
            let mut place = self.place.borrow_mut();
            if matches!(&*place, Place::Worker(w) if !w.busy()) {
                let idle = Place::Idle { in_page: false };
                if let Place::Worker(w) = std::mem::replace(&mut *place, idle) {
                    crew.push(w);
                }
            }
            // One worker per core.
            while crew.len() < cores().min(count) {
                match Worker::spawn() {
                    Some(w) => crew.push(w),
                    None => break,
                }
            }
            crew.len().min(count)
        };
        if hands == 0 {
            *self.place.borrow_mut() = Place::Idle { in_page: true };
            return self.launch(mine, input, done);
        }
        let state = Rc::new(RefCell::new(Spread {
            waiting: parts
                .iter()
                .enumerate()
                .map(|(i, p)| (i, Encoded::of::<W>(p)))
                .collect(),
            outputs: (0..count).map(|_| None).collect(),
            shares: vec![0.0; count],
            left: Some((input, done)),
            started: js_sys::Date::now(),
        }));
        for hand in 0..hands {
            self.hand_out(mine, hand, &state);
        }
    }

    /// Gives worker `hand` of the crew the next part waiting, if any.
    fn hand_out(&self, mine: u64, hand: usize, state: &Shared<W>) {
        if !self.current(mine) {
            return;
        }
        let Some((part, request)) = state.borrow_mut().waiting.pop_front() else {
            return;
        };
        let mut crew = self.crew.borrow_mut();
        let Some(worker) = crew.get_mut(hand) else {
            return;
        };
        let (this, state) = (self.clone(), state.clone());
        worker.post::<W>(Turn::asked(), request, move |reply| {
            this.heard(mine, hand, part, &state, reply)
        });
    }

    /// What worker `hand` said about part `part`.
    fn heard(
        &self,
        mine: u64,
        hand: usize,
        part: usize,
        state: &Shared<W>,
        reply: Reply<W::Output>,
    ) {
        if !self.current(mine) {
            return;
        }
        let (this, state) = (self.clone(), state.clone());
        match reply {
            Reply::Ready => {}
            Reply::Progress(share) => {
                let mean = {
                    let mut s = state.borrow_mut();
                    s.shares[part] = share;
                    s.shares.iter().sum::<f64>() / s.shares.len() as f64
                };
                self.progress.set(Some(mean));
            }
            Reply::Done { output, .. } => {
                let all = {
                    let mut s = state.borrow_mut();
                    s.outputs[part] = Some(output);
                    s.shares[part] = 1.0;
                    s.outputs.iter().all(Option::is_some)
                };
                // Not from within the worker's own listener, which new work replaces.
                if all {
                    soon(move || this.join(mine, &state));
                } else {
                    soon(move || this.hand_out(mine, hand, &state));
                }
            }
            Reply::Refused(why) => {
                let left = state.borrow_mut().left.take();
                if let Some((_, done)) = left {
                    soon(move || {
                        if this.current(mine) {
                            this.progress.set(None);
                            done(Err(why), 0.0);
                        }
                    });
                }
            }
            Reply::Crashed(why) => {
                let left = state.borrow_mut().left.take();
                if let Some((input, done)) = left {
                    self.to_page(&why, mine, input, done);
                }
            }
        }
    }

    /// Joins the parts' results and hands the whole over.
    fn join(&self, mine: u64, state: &Shared<W>) {
        if !self.current(mine) {
            return;
        }
        let (outputs, left, started) = {
            let mut s = state.borrow_mut();
            let outputs: Vec<W::Output> = s.outputs.iter_mut().filter_map(Option::take).collect();
            (outputs, s.left.take(), s.started)
        };
        let Some((_, done)) = left else {
            return;
        };
        let mut outputs = outputs.into_iter();
        self.progress.set(None);
        match outputs.next() {
            Some(first) => done(
                Ok(W::merge(first, outputs.collect())),
                js_sys::Date::now() - started,
            ),
            None => done(Err("no replication finished".to_string()), 0.0),
        }
    }
}
