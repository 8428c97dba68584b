//! How many workers may compute at once. The analyses that follow every edit (the failure
//! sweep, the load curves, the levers) would otherwise each take a core, and on a machine
//! with two the page itself, and the browser's painting of it, would wait for them
//! (measured on a 2-core machine: a 1 000-component design's first frames took 670 ms with
//! two busy workers). So they take turns on all cores but one; work a person asked for (a
//! run) starts at once.

use std::cell::RefCell;
use std::collections::VecDeque;

/// Work waiting for its turn: called with the turn it was given.
type Waiting = Box<dyn FnOnce(Turn)>;

#[derive(Default)]
struct Pool {
    /// Turns held now.
    held: usize,
    waiting: VecDeque<Waiting>,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool::default());
}

/// The cores the browser says the machine has (`navigator.hardwareConcurrency`), at least
/// one.
pub fn cores() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).max(1)
}

/// Workers that may compute at once: one fewer than the machine's cores, at least one.
fn limit() -> usize {
    cores().saturating_sub(1).max(1)
}

/// A worker's right to compute; giving it up (dropping it) lets the next waiting work start.
pub struct Turn(());

impl Turn {
    /// A turn for work a person asked for, given at once, even beyond the limit.
    pub fn asked() -> Turn {
        POOL.with_borrow_mut(|p| p.held += 1);
        Turn(())
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let next = POOL.with_borrow_mut(|p| {
            p.held -= 1;
            if p.held < limit() {
                p.waiting.pop_front().inspect(|_| p.held += 1)
            } else {
                None
            }
        });
        if let Some(start) = next {
            // Not from within whatever gave the turn up (a worker's listener, say).
            gloo::timers::callback::Timeout::new(0, move || start(Turn(()))).forget();
        }
    }
}

/// Calls `start` with a turn now if one is free, else once one is given up.
pub fn take_turn(start: impl FnOnce(Turn) + 'static) {
    let free = POOL.with_borrow_mut(|p| {
        let free = p.held < limit();
        if free {
            p.held += 1;
        }
        free
    });
    if free {
        start(Turn(()));
    } else {
        POOL.with_borrow_mut(|p| p.waiting.push_back(Box::new(start)));
    }
}
