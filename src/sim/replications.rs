//! A run as R independent replications: the same design and settings, each replication on a
//! seed of its own derived from the scenario's, merged into one report whose intervals come
//! from the spread between replications (Law 2015, §9.4, the replication/deletion method).
//!
//! Replications are independent by construction, so they may run one after another (in a
//! page's slices), side by side in Web Workers, or on native threads: [`Replicated`] is the
//! sequential form, [`Replica::split`] hands out the parts and [`Replica::merge`] joins
//! their results. The merge depends only on the results in replication order, so every way
//! of running them gives the same report, byte for byte.

use super::paired::{beside, PairedRun, PairedRuns};
use super::run::Run;
use crate::model::{Problems, Scenario, Simulation};
use crate::sliced::Sliced;

/// The seed of replication `i` of a run seeded `seed`: the first replication runs on the
/// seed itself (so one replication is exactly the run a scenario always gave), the others
/// on SplitMix64 outputs of the seed's Weyl sequence (Steele, Lea & Flood 2014), which are
/// distinct for distinct `i` and spread over all 64 bits.
pub fn replication_seed(seed: u64, i: u32) -> u64 {
    if i == 0 {
        return seed;
    }
    let mut z = seed.wrapping_add(u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Replication `i` of the scenario: its settings with the replication's seed, as a run of
/// one replication.
fn replica_of(s: &Scenario, i: u32) -> Scenario {
    let mut r = s.clone();
    let mut sim = Simulation::of(s);
    sim.seed = replication_seed(sim.seed, i);
    sim.replications = 1;
    r.simulation = Some(sim);
    r
}

/// One replication's work, and how replications of it are told apart and joined.
pub trait Replica: Sliced + Sized {
    /// What the work is built from (the design, or the baseline and the design).
    type Design: Clone;

    /// The replications the design asks for.
    fn replications(d: &Self::Design) -> u32;

    /// Checks the whole design, replications included, before any replication is built.
    ///
    /// # Errors
    /// The design's problems.
    fn check(d: &Self::Design) -> Result<(), Problems>;

    /// The design of replication `i`, a run of one replication.
    fn part(d: &Self::Design, i: u32) -> Self::Design;

    /// Prepares one replication's run of a design [`Replica::check`] accepted (the
    /// whole is checked once; its replications differ only in their seed).
    ///
    /// # Errors
    /// A design whose run cannot be built.
    fn build(d: &Self::Design) -> Result<Self, Problems>;

    /// Joins the replications' results, in replication order: the first, then the rest
    /// (none: the first is returned as it is).
    fn merge(first: Self::Output, rest: Vec<Self::Output>) -> Self::Output;

    /// The designs of every replication, in order: what workers or threads run side by
    /// side.
    fn split(d: &Self::Design) -> Vec<Self::Design> {
        (0..Self::replications(d).max(1))
            .map(|i| Self::part(d, i))
            .collect()
    }
}

impl Replica for Run {
    type Design = Scenario;

    fn replications(s: &Scenario) -> u32 {
        Simulation::of(s).replications
    }

    fn check(s: &Scenario) -> Result<(), Problems> {
        Run::check(s)
    }

    fn part(s: &Scenario, i: u32) -> Scenario {
        replica_of(s, i)
    }

    fn build(s: &Scenario) -> Result<Run, Problems> {
        Run::prepare(s)
    }

    fn merge(first: super::SimReport, rest: Vec<super::SimReport>) -> super::SimReport {
        super::merge::reports(first, rest)
    }
}

impl Replica for PairedRun {
    /// The baseline, then the current design, whose settings both run with.
    type Design = (Scenario, Scenario);

    fn replications((_, current): &Self::Design) -> u32 {
        Simulation::of(current).replications
    }

    fn check((baseline, current): &Self::Design) -> Result<(), Problems> {
        Run::check(&beside(baseline, current))?;
        Run::check(current)
    }

    /// Both designs get the same replication seed: each replication is a pair on common
    /// random numbers.
    fn part((baseline, current): &Self::Design, i: u32) -> Self::Design {
        (baseline.clone(), replica_of(current, i))
    }

    fn build((baseline, current): &Self::Design) -> Result<PairedRun, Problems> {
        PairedRun::prepare(baseline, current)
    }

    fn merge(first: PairedRuns, rest: Vec<PairedRuns>) -> PairedRuns {
        super::paired::merge(first, rest)
    }
}

/// A run's replications, done one after another and merged.
pub struct Replicated<P: Replica> {
    /// The replication in progress.
    running: P,
    /// The designs of the replications still to run, the next last.
    waiting: Vec<P::Design>,
    /// The results of the replications done, in order.
    done: Vec<P::Output>,
    /// Replications asked for.
    count: usize,
}

impl<P: Replica> Replicated<P> {
    /// Prepares the replications.
    ///
    /// # Errors
    /// The design's problems.
    pub fn new(d: &P::Design) -> Result<Replicated<P>, Problems> {
        P::check(d)?;
        let count = P::replications(d).max(1);
        Ok(Replicated {
            running: P::build(&P::part(d, 0))?,
            waiting: (1..count).rev().map(|i| P::part(d, i)).collect(),
            done: Vec::new(),
            count: count as usize,
        })
    }
}

impl<P: Replica> Sliced for Replicated<P> {
    type Output = P::Output;

    fn advance(&mut self) -> bool {
        if !self.running.advance() {
            return false;
        }
        // Only the seed differs between replications, and the first was built from the
        // same design, so the next builds too; were it ever not to, the report merges the
        // replications done and says how many.
        let Some(next) = self.waiting.pop().and_then(|d| P::build(&d).ok()) else {
            self.waiting.clear();
            return true;
        };
        let finished = std::mem::replace(&mut self.running, next);
        self.done.push(finished.finish());
        false
    }

    fn progress(&self) -> f64 {
        let done = self.done.len() as f64 + self.running.progress();
        (done / self.count as f64).min(1.0)
    }

    fn finish(self) -> P::Output {
        let last = self.running.finish();
        let mut done = self.done.into_iter();
        match done.next() {
            None => last,
            Some(first) => P::merge(first, done.chain([last]).collect()),
        }
    }
}

/// Runs every replication of `d` to the end and merges them: natively on all cores (rayon),
/// in a page one after another.
///
/// # Errors
/// The design's problems.
pub fn replicate<P>(d: &P::Design) -> Result<P::Output, Problems>
where
    P: Replica + Send,
    P::Design: Sync + Send,
    P::Output: Send,
{
    P::check(d)?;
    let first = P::build(&P::part(d, 0))?;
    let rest: Vec<P::Design> = (1..P::replications(d).max(1))
        .map(|i| P::part(d, i))
        .collect();
    let run = |p: &P::Design| P::build(p).map(Sliced::run_to_end);
    #[cfg(not(target_arch = "wasm32"))]
    let (first, rest) = {
        use rayon::prelude::*;
        rayon::join(
            || first.run_to_end(),
            || {
                rest.par_iter()
                    .map(run)
                    .collect::<Result<Vec<_>, Problems>>()
            },
        )
    };
    #[cfg(target_arch = "wasm32")]
    let (first, rest) = (
        first.run_to_end(),
        rest.iter().map(run).collect::<Result<Vec<_>, Problems>>(),
    );
    Ok(P::merge(first, rest?))
}

/// Runs the scenario's simulation, every replication, to the end.
///
/// # Errors
/// As [`Run::new`], and a run too large over all its replications.
pub fn simulate(s: &Scenario) -> Result<super::SimReport, Problems> {
    replicate::<Run>(s)
}

/// Simulates both designs on common random numbers, every replication of the current
/// design's settings.
///
/// # Errors
/// Either design's problems.
pub fn simulate_pair(baseline: &Scenario, current: &Scenario) -> Result<PairedRuns, Problems> {
    replicate::<PairedRun>(&(baseline.clone(), current.clone()))
}
