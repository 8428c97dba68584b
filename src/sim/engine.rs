//! The event loop: requests, one at a time, through queues and servers.
//!
//! State is kept in flat vectors indexed by small integers (jobs, requests, nodes) so the
//! loop allocates almost nothing once warm. Events that may have been overtaken (a service
//! completion for a request whose server died, a timeout for an attempt that finished) carry
//! a generation or ticket and are ignored when it no longer matches.

use super::breaker::{Admit, Circuit};
use super::key_cache::KeyCache;
use super::open_second::{OpenSecond, Rates};
use super::random::{Service, Stream};
use super::table::{Balance, Hop, Table};
use crate::model::{Autoscale, Breaker};
use crate::solve::hit_ratio::{CacheSpec, Popularity};
use crate::solve::station::Station;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// "None" for indices.
const NONE: u32 = u32::MAX;

/// Something that happens at a time.
#[derive(Debug, Clone, Copy)]
enum Ev {
    /// The next client request arrives (one is pending at a time).
    Arrival,
    /// A job's service ends.
    Done { job: u32, gen: u32 },
    /// A job has passed a fixed delay (a region's round trip).
    Passed { job: u32, gen: u32 },
    /// An attempt's time is up.
    Timeout { req: u32, ticket: u32 },
    /// A client sends its request again.
    Retry { req: u32 },
    /// The failure timeline moves on.
    Epoch { index: u32 },
    /// An autoscaling policy looks at its pool's utilisation (every second).
    Scale { node: u32 },
    /// An instance the policy launched has warmed up and starts serving.
    Warm { node: u32 },
    /// A waiting job has waited as long as its station allows (load shedding).
    Expire { job: u32, gen: u32 },
    /// A job's call has gone unanswered as long as its link allows.
    CallTimeout { job: u32, gen: u32 },
    /// A replicated write reaches its replica after the network delay.
    Replicated { job: u32, gen: u32 },
    /// A job reaches its next node after a hop's round trip between two places.
    Travelled { job: u32, gen: u32 },
    /// A resharding starts (phase 0: the new shards take their keys) or its copy ends (1).
    Reshard { index: u32, phase: u32 },
}

/// Running sums of `shares`, for drawing an entry with [`pick`].
fn cumulative(shares: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    shares
        .iter()
        .map(|s| {
            acc += s;
            acc
        })
        .collect()
}

/// The entry of cumulative shares `cum` that `u` (uniform in [0, 1)) falls in.
fn pick(cum: &[f64], u: f64) -> u32 {
    cum.partition_point(|&c| c <= u)
        .min(cum.len().saturating_sub(1)) as u32
}

/// Bits kept of a generation or ticket inside a packed event. Stale events are told apart
/// by these bits; a job slot or ticket would have to be reused 2²⁸ times within one event's
/// lifetime for two to be confused.
const LOW: u32 = (1 << 28) - 1;

impl Ev {
    /// The event in 64 bits: kind (4), first field (32), second field (28). Keeping heap
    /// entries at 16 bytes makes the heap, the simulator's hottest structure, twice as
    /// dense as an enum would.
    fn pack(self) -> u64 {
        let (kind, a, b) = match self {
            Ev::Arrival => (0, 0, 0),
            Ev::Done { job, gen } => (1, job, gen),
            Ev::Passed { job, gen } => (2, job, gen),
            Ev::Timeout { req, ticket } => (3, req, ticket),
            Ev::Retry { req } => (4, req, 0),
            Ev::Epoch { index } => (5, index, 0),
            Ev::Scale { node } => (6, node, 0),
            Ev::Warm { node } => (7, node, 0),
            Ev::Expire { job, gen } => (8, job, gen),
            Ev::CallTimeout { job, gen } => (9, job, gen),
            Ev::Replicated { job, gen } => (10, job, gen),
            Ev::Reshard { index, phase } => (11, index, phase),
            Ev::Travelled { job, gen } => (12, job, gen),
        };
        (kind << 60) | (u64::from(a) << 28) | u64::from(b & LOW)
    }

    fn unpack(key: u64) -> Ev {
        let a = (key >> 28) as u32;
        let b = (key as u32) & LOW;
        match key >> 60 {
            1 => Ev::Done { job: a, gen: b },
            2 => Ev::Passed { job: a, gen: b },
            3 => Ev::Timeout { req: a, ticket: b },
            4 => Ev::Retry { req: a },
            5 => Ev::Epoch { index: a },
            6 => Ev::Scale { node: a },
            7 => Ev::Warm { node: a },
            8 => Ev::Expire { job: a, gen: b },
            9 => Ev::CallTimeout { job: a, gen: b },
            10 => Ev::Replicated { job: a, gen: b },
            11 => Ev::Reshard { index: a, phase: b },
            12 => Ev::Travelled { job: a, gen: b },
            _ => Ev::Arrival,
        }
    }
}

/// A scheduled event. Ordered by time, then by its packed form, so simultaneous events
/// are taken in an order that depends only on what they are.
///
/// The time is kept as the integer whose order is `f64::total_cmp`'s (the same map it
/// makes on every comparison), so the heap, the simulator's hottest structure, compares
/// two integers instead of two floats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Item {
    order: i64,
    key: u64,
}

impl Item {
    fn new(t: f64, key: u64) -> Item {
        let bits = t.to_bits() as i64;
        let order = bits ^ (((bits >> 63) as u64) >> 1) as i64;
        Item { order, key }
    }

    fn t(self) -> f64 {
        let bits = self.order ^ (((self.order >> 63) as u64) >> 1) as i64;
        f64::from_bits(bits as u64)
    }
}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    /// Earliest first (reversed for the max-heap).
    fn cmp(&self, other: &Self) -> Ordering {
        (other.order, other.key).cmp(&(self.order, self.key))
    }
}

/// Why a job failed, as its client sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failed {
    /// Refused, lost or timed out along the way.
    Error,
    /// A station shed it after it waited its limit.
    Shed,
    /// A rate limit rejected it (HTTP 429).
    Rejected,
}

/// A token bucket, refilled continuously (see `solve::token_bucket`).
#[derive(Debug, Clone, Copy)]
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: f64,
}

impl Bucket {
    /// Takes a token at time `now`, if there is one.
    fn take(&mut self, now: f64) -> bool {
        self.tokens = (self.tokens + (now - self.last) * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// A unit of work moving through the network: a client's attempt, a call it made, or
/// fire-and-forget work it caused.
#[derive(Debug, Clone, Copy)]
struct Job {
    /// Bumped whenever the slot is reused or the job is killed, to spot stale events.
    gen: u32,
    node: u32,
    class: u8,
    /// The client request it belongs to (`NONE` for background work).
    req: u32,
    /// The attempt it belongs to; stale once the request moved on.
    ticket: u32,
    /// The job waiting for this one's answer (`NONE` when nobody waits), and its generation
    /// when the call was made: an answer that finds another has come too late.
    parent: u32,
    pgen: u32,
    /// The link of the call it waits on (`NONE`: none), and how that link's breaker counts it.
    calling: u32,
    admit: Admit,
    /// Whether it keeps its server while it waits on calls (a blocking caller).
    holding: bool,
    /// The cache whose miss it is fetching for (`NONE`: none), to fill when it completes.
    fill: u32,
    /// For a write a primary replicates: when the primary answered it (its replica's lag
    /// runs from there); negative for every other job.
    born: f64,
    /// Next call edge to work through, and calls left on the current one.
    call: u32,
    left: u32,
    /// Station group it is queued or served in, and its place among the served.
    group: u32,
    slot: u32,
    /// During a resharding copy: the old shard still holding its key, which serves it
    /// after its new shard (`NONE`: its key did not move, or no copy is running).
    old_shard: u32,
}

/// A client request across its attempts.
#[derive(Debug, Clone, Copy)]
struct Request {
    start: f64,
    source: u32,
    class: u8,
    /// The live attempt's ticket (0: none live, waiting to retry).
    ticket: u32,
    attempts: u32,
    key: u64,
    /// The workload key it asks for (`NO_ITEM` without a key space).
    item: u64,
}

/// "No workload key".
const NO_ITEM: u64 = u64::MAX;

/// One queue with its servers.
#[derive(Debug, Clone, Default)]
struct Group {
    servers: u32,
    busy: u32,
    /// Waiting places (`u32::MAX`: unlimited).
    waiting: u32,
    queue: VecDeque<u32>,
    serving: Vec<u32>,
}

/// A shard group copying the keys a resharding moved.
#[derive(Debug, Clone)]
struct Migration {
    /// Cumulative shard shares before the resharding.
    before: Vec<f64>,
    /// The first new shard, the share of keys that moved, and whether exactly the keys on
    /// the new shards moved (consistent hashing) rather than a share of every shard's.
    first_new: u32,
    moved: f64,
    onto_new: bool,
}

/// A shard group growing during the run, as the engine applies it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Growth {
    pub node: u32,
    pub at: f64,
    pub until: f64,
    /// Shards before.
    pub from: usize,
    /// Its key shares over the new shard count.
    pub shares: Vec<f64>,
    pub moved: f64,
    pub onto_new: bool,
}

/// A component's servers during the run.
#[derive(Debug, Clone)]
struct Servers {
    groups: Vec<Group>,
    /// Groups per shard: instances when each queues alone, 1 when they share.
    per_shard: u32,
    /// Cumulative shard shares.
    shard_cum: Vec<f64>,
    /// A resharding copy in progress.
    migration: Option<Migration>,
    service: Service,
    visit: f64,
    shared: bool,
    concurrency: u32,
    /// Waiting places per instance.
    waiting: Option<u64>,
    /// Longest wait before a job is shed, seconds.
    deadline: Option<f64>,
    /// The rate limit in front, full at the start: one bucket, or one per client (in the
    /// order of the run's sources) and a last one for background work.
    buckets: Vec<Bucket>,
    /// Instances in service: the configured count, or what the autoscaling policy keeps.
    active: u32,
    /// Instances actually working (`active` less those lost to failures).
    alive: u32,
    /// Instances the balancers send to (lags `alive` by the detection delay).
    routed: u32,
    /// Instances the failure timeline has taken, actually and as the balancers believe.
    lost: u32,
    routed_lost: u32,
    /// Per instance slot (own-queue pools): its place among the instances in service, or
    /// `NONE`; and whether it is draining (out of service, finishing what it holds).
    place: Vec<u32>,
    draining: Vec<bool>,
    /// How many slots are draining (kept, not counted: it is read on every event).
    drains: u32,
    /// Slots in service, in order: the balancers pick among the first `routed`.
    in_service: Vec<u32>,
    /// The autoscaling policy, with its instances warming up and when it last acted.
    policy: Option<Autoscale>,
    warming: u32,
    last_out: f64,
    last_change: f64,
    /// Totals over the groups, kept up to date for the time integrals.
    busy: u64,
    queued: u64,
    servers: u64,
    /// The time integrals of the second in progress.
    open: OpenSecond,
}

impl Servers {
    fn new(st: &Station, policy: Option<Autoscale>) -> Servers {
        let instances = st.instances.min(u64::from(u32::MAX)) as u32;
        let concurrency = st.concurrency.min(u64::from(u32::MAX)) as u32;
        let per_shard = if st.shared { 1 } else { instances };
        let shard_cum = cumulative(&st.shards);
        let mut servers = Servers {
            groups: vec![Group::default(); st.shards.len() * per_shard as usize],
            per_shard,
            shard_cum,
            migration: None,
            service: Service::new(1.0 / st.mu, st.cs2),
            visit: st.visit,
            shared: st.shared,
            concurrency,
            waiting: st.waiting,
            deadline: st.deadline,
            // One bucket, or one per client and one for background work.
            buckets: st.limit.as_ref().map_or(Vec::new(), |l| {
                let count = if l.clients.is_empty() {
                    1
                } else {
                    l.clients.len() + 1
                };
                vec![
                    Bucket {
                        rate: l.rate,
                        burst: l.burst,
                        tokens: l.burst,
                        last: 0.0,
                    };
                    count
                ]
            }),
            active: instances,
            alive: instances,
            routed: instances,
            lost: 0,
            routed_lost: 0,
            place: (0..per_shard).collect(),
            draining: vec![false; per_shard as usize],
            drains: 0,
            in_service: (0..per_shard).collect(),
            policy,
            warming: 0,
            last_out: f64::NEG_INFINITY,
            last_change: 0.0,
            busy: 0,
            queued: 0,
            servers: 0,
            open: OpenSecond::new(),
        };
        servers.size_groups();
        servers
    }

    /// Sets every group's servers and waiting room from the live instance count. A shared
    /// queue may keep more waiting work than its new room after a scale-in: what was
    /// accepted is never dropped for it.
    fn size_groups(&mut self) {
        let cap = |n: u64| n.min(u64::from(u32::MAX - 1)) as u32;
        for (i, g) in self.groups.iter_mut().enumerate() {
            let slot = (i as u32 % self.per_shard) as usize;
            let (servers, waiting) = if self.shared {
                let alive = u64::from(self.alive);
                (
                    alive * u64::from(self.concurrency),
                    self.waiting.map(|w| w * alive),
                )
            } else if self.place[slot] < self.alive || self.draining[slot] {
                (u64::from(self.concurrency), self.waiting)
            } else {
                (0, Some(0))
            };
            g.servers = cap(servers);
            g.waiting = waiting.map_or(u32::MAX, cap);
        }
        self.recount();
    }

    /// Recomputes the totals after a change to many groups at once.
    fn recount(&mut self) {
        self.busy = self.groups.iter().map(|g| u64::from(g.busy)).sum();
        self.queued = self.groups.iter().map(|g| g.queue.len() as u64).sum();
        self.servers = self.groups.iter().map(|g| u64::from(g.servers)).sum();
    }

    /// Sets the working and routed counts from the instances in service and those lost.
    fn count_alive(&mut self) {
        self.alive = self.active.saturating_sub(self.lost).max(1);
        self.routed = self.active.saturating_sub(self.routed_lost).max(1);
    }

    /// Instances paid for: in service, warming up, or draining (a shared queue's draining
    /// servers are those still busy beyond its new count), in every shard. Like the
    /// analytic cost, a dead instance is still paid for.
    fn billed(&self) -> u64 {
        let draining = if !self.shared {
            u64::from(self.drains)
        } else if self.busy > self.servers {
            (self.busy - self.servers).div_ceil(u64::from(self.concurrency.max(1)))
        } else {
            // No division when none is busy beyond the count: this is asked on every event.
            0
        };
        (u64::from(self.active) + u64::from(self.warming) + draining) * self.shard_cum.len() as u64
    }

    /// Takes the last `n` instances out of service; each drains what it holds.
    fn scale_in(&mut self, n: u32) {
        for _ in 0..n.min(self.active.saturating_sub(1)) {
            self.active -= 1;
            if self.shared {
                continue;
            }
            if let Some(slot) = self.in_service.pop() {
                let slot = slot as usize;
                self.place[slot] = NONE;
                let g = &self.groups[slot];
                self.draining[slot] = g.busy > 0 || !g.queue.is_empty();
                self.drains += u32::from(self.draining[slot]);
            }
        }
        self.count_alive();
        self.size_groups();
    }

    /// Puts one more instance in service: in a free slot, or a new one.
    fn scale_out(&mut self) {
        if !self.shared {
            let free = (0..self.place.len()).find(|&i| self.place[i] == NONE && !self.draining[i]);
            let slot = free.unwrap_or_else(|| {
                self.groups.push(Group::default());
                self.place.push(NONE);
                self.draining.push(false);
                self.per_shard += 1;
                self.place.len() - 1
            });
            self.place[slot] = self.in_service.len() as u32;
            self.in_service.push(slot as u32);
        }
        self.active += 1;
        self.count_alive();
        self.size_groups();
    }

    /// What its time integrals add up now (see [`Rates`]). A shared pool just scaled in
    /// keeps working on what it held beyond its new count (those servers drain, and are
    /// paid for): they count as available while busy.
    fn rates(&self) -> Rates {
        [
            self.busy as f64,
            self.queued as f64,
            self.servers.max(self.busy) as f64,
            self.billed() as f64,
            f64::from(self.alive),
        ]
    }

    /// Jobs in the station per server (least-connections' measure).
    fn pressure(&self) -> f64 {
        (self.busy + self.queued) as f64 / self.servers.max(1) as f64
    }
}

/// Per-node, per-second tallies (index `node * seconds + second`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Meters {
    pub arrivals: Vec<f64>,
    pub drops: Vec<f64>,
    /// Server-seconds busy, waiting-request-seconds, server-seconds available. These and
    /// the instance-seconds below are written when time reaches the second's end (until
    /// then they are summed in the station's [`OpenSecond`]), so a policy that reads them
    /// reads whole seconds only.
    pub busy: Vec<f64>,
    pub queue: Vec<f64>,
    pub capacity: Vec<f64>,
    /// Instance-seconds paid for (see [`Servers::billed`]) and serving (working and in
    /// service, draining excluded).
    pub instances: Vec<f64>,
    pub serving: Vec<f64>,
    /// Requests a rate limit rejected (also counted in `drops`).
    pub rejected: Vec<f64>,
    /// Lookups of a cache holding real keys, and its hits.
    pub lookups: Vec<f64>,
    pub hits: Vec<f64>,
}

/// End-to-end tallies per second.
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    pub offered: Vec<f64>,
    pub attempts: Vec<f64>,
    pub completed: Vec<f64>,
    pub errors: Vec<f64>,
    /// Of the errors, requests whose last attempt a station shed, or a rate limit rejected.
    pub shed: Vec<f64>,
    pub rejected: Vec<f64>,
    pub timeouts: Vec<f64>,
    /// Response times (seconds) of requests completed in each second.
    pub latencies: Vec<Vec<f32>>,
    /// The same tallies per user population on the map (see [`Setup::population_of`]).
    pub populations: Vec<PopulationTotals>,
}

/// One user population's end-to-end tallies per second.
#[derive(Debug, Clone, Default)]
pub(crate) struct PopulationTotals {
    pub offered: Vec<f64>,
    pub completed: Vec<f64>,
    pub errors: Vec<f64>,
    pub latencies: Vec<Vec<f32>>,
}

/// When the routing changes and what is actually broken from then on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Epoch {
    pub start: f64,
    pub table: Table,
    /// Per node: whether it is actually down, instances actually lost, instances the
    /// balancers believe lost.
    pub dead: Vec<bool>,
    pub lost: Vec<u32>,
    pub routed_lost: Vec<u32>,
    /// Per node: whether its failure swallows requests (hangs) instead of refusing them.
    pub hangs: Vec<bool>,
}

/// Run-wide settings the loop needs.
pub(crate) struct Setup {
    pub seconds: usize,
    pub seed: u64,
    /// Per node: its component's id, which keys its random stream.
    pub ids: Vec<String>,
    pub rate: f64,
    /// A closed population instead of the open rate: users, and think time in seconds.
    pub population: Option<(u64, f64)>,
    pub shares: [f64; 3],
    pub sources: Vec<(u32, f64)>,
    /// With users on the map: per node, the index of a client's population among the
    /// run's user populations (`NONE` for every other node).
    pub population_of: Vec<u32>,
    pub profile: crate::model::Profile,
    pub timeout: Option<f64>,
    pub retries: u32,
    pub backoff: f64,
    /// Retries earned per request, and most saved up (`None`: no budget).
    pub retry_budget: Option<(f64, f64)>,
    /// Per node: its autoscaling policy, if any.
    pub policies: Vec<Option<Autoscale>>,
    /// Per node: whether its servers are held while it waits on calls.
    pub blocking: Vec<bool>,
    /// Per scenario link: its call timeout (seconds) and circuit breaker.
    pub guards: Vec<(Option<f64>, Option<Breaker>)>,
    /// The key space requests draw their keys from, if the traffic has one.
    pub workload: Option<Popularity>,
    /// Per node: the network delay before a replicated write reaches it (`None`: it is no
    /// asynchronous replica).
    pub replication_delay: Vec<Option<f64>>,
    /// Per primary that fails over: the asynchronous replicas its stream reaches.
    pub streams: Vec<Vec<u32>>,
    /// Per node: for a primary, its `replication_cost`, the expected apply jobs one write
    /// makes at each replica (the analytic model's work, MODEL.md §2). Every write must be
    /// applied, so an apply job lost in a failover stands for 1/cost writes.
    pub apply_cost: Vec<f64>,
    /// Shard groups growing during the run.
    pub growths: Vec<Growth>,
    /// Per node: a cache sized against the workload (it holds real keys), whether it
    /// coalesces concurrent misses of one key into one fetch, and the classes it caches.
    pub caches: Vec<Option<(CacheSpec, bool, [bool; 3])>>,
}

/// Per-second tallies of one breaker's link.
#[derive(Debug, Clone)]
pub(crate) struct LinkMeters {
    /// Calls sent, refused at once by the open breaker, and failed (timeouts included).
    pub sent: Vec<f64>,
    pub refused: Vec<f64>,
    pub failed: Vec<f64>,
}

/// A run in progress.
pub(crate) struct Engine {
    setup: Setup,
    /// Arrivals: when requests come, from which client, of which class, for which key.
    arrivals: Stream,
    /// Per node: everything decided there (routing, calls, shards), so that the same
    /// component in two designs draws the same numbers.
    rng: Vec<Stream>,
    /// Per node: its service times alone. A stream of their own keeps the n-th service of
    /// a component the same draw in two designs even when other decisions there happen in
    /// another order (the heart of common random numbers: Law 2015, §11.2).
    service: Vec<Stream>,
    heap: BinaryHeap<Item>,
    /// Whether the top of the heap is the event being handled, not yet taken off.
    handling: bool,
    pub now: f64,
    epochs: Vec<Epoch>,
    epoch: usize,
    servers: Vec<Option<Servers>>,
    dead: Vec<bool>,
    hangs: Vec<bool>,
    /// Per node: the keys a workload-sized cache holds, and the misses it is fetching with
    /// the jobs waiting on each (coalescing).
    pub key_caches: Vec<Option<KeyCache>>,
    fetching: Vec<std::collections::HashMap<u64, Vec<u32>>>,
    /// Per scenario link: its breaker, and the tallies of a link with one.
    pub circuits: Vec<Option<Circuit>>,
    pub links: Vec<Option<LinkMeters>>,
    /// Per node and second: the lags of the replicated writes applied (seconds).
    pub lags: Vec<Vec<Vec<f32>>>,
    /// Per replica: the writes its failed primary had answered and it had not applied when
    /// the stream was cut, and the writes lost by failovers that promoted it (`None`: never
    /// promoted).
    at_risk: Vec<u64>,
    pub lost_writes: Vec<Option<u64>>,
    jobs: Vec<Job>,
    free_jobs: Vec<u32>,
    reqs: Vec<Request>,
    free_reqs: Vec<u32>,
    next_ticket: u32,
    /// Round-robin counters per node and class.
    turn: Vec<[u32; 3]>,
    /// Cumulative source and class shares.
    source_cum: Vec<f64>,
    class_cum: [f64; 3],
    pub meters: Meters,
    pub totals: Totals,
    pub events: u64,
    /// Retries the clients may still make under their budget.
    retry_balance: f64,
}

impl Engine {
    pub fn new(setup: Setup, stations: &[Option<Station>], epochs: Vec<Epoch>) -> Engine {
        let n = stations.len();
        let cells = n * setup.seconds;
        let mut acc = 0.0;
        let source_cum = setup
            .sources
            .iter()
            .map(|&(_, share)| {
                acc += share;
                acc
            })
            .collect();
        let class_cum = [
            setup.shares[0],
            setup.shares[0] + setup.shares[1],
            setup.shares[0] + setup.shares[1] + setup.shares[2],
        ];
        let per_second = vec![0.0; setup.seconds];
        let mut engine = Engine {
            arrivals: Stream::new(setup.seed),
            rng: setup
                .ids
                .iter()
                .map(|id| Stream::of_component(setup.seed, id))
                .collect(),
            service: setup
                .ids
                .iter()
                .map(|id| Stream::of_component(!setup.seed, id))
                .collect(),
            heap: BinaryHeap::new(),
            handling: false,
            now: 0.0,
            epoch: 0,
            servers: stations
                .iter()
                .zip(&setup.policies)
                .map(|(s, &policy)| s.as_ref().map(|s| Servers::new(s, policy)))
                .collect(),
            dead: vec![false; n],
            hangs: vec![false; n],
            // A cache's room is shared by the instances it starts the run with.
            key_caches: setup
                .caches
                .iter()
                .zip(stations)
                .map(|(c, st)| {
                    let instances = st.as_ref().map_or(1, |st| st.instances as usize);
                    c.map(|(spec, _, _)| KeyCache::new(spec).over(instances))
                })
                .collect(),
            fetching: vec![std::collections::HashMap::new(); n],
            lags: setup
                .replication_delay
                .iter()
                .map(|d| {
                    if d.is_some() {
                        vec![Vec::new(); setup.seconds]
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            at_risk: vec![0; n],
            lost_writes: vec![None; n],
            circuits: setup
                .guards
                .iter()
                .map(|&(_, b)| b.map(Circuit::new))
                .collect(),
            links: setup
                .guards
                .iter()
                .map(|&(_, b)| {
                    b.map(|_| LinkMeters {
                        sent: per_second.clone(),
                        refused: per_second.clone(),
                        failed: per_second.clone(),
                    })
                })
                .collect(),
            jobs: Vec::new(),
            free_jobs: Vec::new(),
            reqs: Vec::new(),
            free_reqs: Vec::new(),
            next_ticket: 1,
            turn: vec![[0; 3]; n],
            source_cum,
            class_cum,
            meters: Meters {
                arrivals: vec![0.0; cells],
                drops: vec![0.0; cells],
                busy: vec![0.0; cells],
                queue: vec![0.0; cells],
                capacity: vec![0.0; cells],
                instances: vec![0.0; cells],
                serving: vec![0.0; cells],
                rejected: vec![0.0; cells],
                lookups: vec![0.0; cells],
                hits: vec![0.0; cells],
            },
            totals: Totals {
                offered: per_second.clone(),
                attempts: per_second.clone(),
                completed: per_second.clone(),
                errors: per_second.clone(),
                shed: per_second.clone(),
                rejected: per_second.clone(),
                latencies: vec![Vec::new(); setup.seconds],
                populations: {
                    let count = setup.population_of.iter().filter(|&&p| p != NONE).max();
                    let tally = PopulationTotals {
                        offered: per_second.clone(),
                        completed: per_second.clone(),
                        errors: per_second.clone(),
                        latencies: vec![Vec::new(); setup.seconds],
                    };
                    vec![tally; count.map_or(0, |&p| p as usize + 1)]
                },
                timeouts: per_second,
            },
            events: 0,
            retry_balance: 0.0,
            epochs,
            setup,
        };
        engine.apply_epoch(0);
        for i in 1..engine.epochs.len() {
            let t = engine.epochs[i].start;
            engine.schedule(t, Ev::Epoch { index: i as u32 });
        }
        for i in 0..engine.setup.growths.len() {
            let (at, until) = (engine.setup.growths[i].at, engine.setup.growths[i].until);
            let index = i as u32;
            engine.schedule(at, Ev::Reshard { index, phase: 0 });
            engine.schedule(until, Ev::Reshard { index, phase: 1 });
        }
        for v in 0..n {
            if engine.servers[v]
                .as_ref()
                .is_some_and(|st| st.policy.is_some())
            {
                engine.schedule(1.0, Ev::Scale { node: v as u32 });
            }
        }
        match engine.setup.population {
            // Every user starts thinking at time 0.
            Some((users, _)) if !engine.setup.sources.is_empty() => {
                for _ in 0..users {
                    engine.think();
                }
            }
            Some(_) => {}
            None => engine.next_arrival(),
        }
        engine
    }

    /// The shard groups growing during the run.
    pub fn growths(&self) -> &[Growth] {
        &self.setup.growths
    }

    /// Simulated seconds in the run.
    pub fn seconds(&self) -> usize {
        self.setup.seconds
    }

    /// Processes up to `budget` events; returns whether the run has reached its end.
    pub fn advance(&mut self, budget: u64) -> bool {
        let end = self.setup.seconds as f64;
        for _ in 0..budget {
            let item = match self.heap.peek() {
                Some(&item) if item.t() < end => item,
                _ => {
                    self.close(end);
                    return true;
                }
            };
            self.now = item.t();
            self.events += 1;
            // The event stays at the top while it is handled: the first event it schedules
            // takes its place (one sift down instead of a pop and a push).
            self.handling = true;
            match Ev::unpack(item.key) {
                Ev::Arrival => self.arrival(),
                Ev::Done { job, gen } => {
                    if self.jobs[job as usize].gen & LOW == gen {
                        self.finish_service(job);
                    }
                }
                Ev::Passed { job, gen } => {
                    if self.jobs[job as usize].gen & LOW == gen {
                        self.served(job);
                    }
                }
                Ev::Travelled { job, gen } => {
                    if self.jobs[job as usize].gen & LOW == gen {
                        self.enter(job);
                    }
                }
                Ev::Timeout { req, ticket } => {
                    if self.reqs[req as usize].ticket & LOW == ticket {
                        let sec = self.second();
                        self.totals.timeouts[sec] += 1.0;
                        self.attempt_failed(req, Failed::Error);
                    }
                }
                Ev::Retry { req } => self.attempt(req),
                Ev::Epoch { index } => self.apply_epoch(index as usize),
                Ev::Scale { node } => self.autoscale(node as usize),
                Ev::Warm { node } => self.warmed(node as usize),
                Ev::Expire { job, gen } => {
                    if self.jobs[job as usize].gen & LOW == gen {
                        self.expire(job);
                    }
                }
                Ev::Replicated { job, gen } => {
                    if self.jobs[job as usize].gen & LOW == gen {
                        self.enter(job);
                    }
                }
                Ev::Reshard { index, phase } => self.reshard(index as usize, phase == 0),
                Ev::CallTimeout { job, gen } => {
                    let current = self.jobs[job as usize].gen;
                    if current & LOW == gen && self.jobs[job as usize].calling != NONE {
                        self.answer(job, current, Err(Failed::Error));
                    }
                }
            }
            if self.handling {
                self.handling = false;
                self.heap.pop();
            }
        }
        false
    }

    /// Schedules `ev` at `t`. The heap's contents, and so the order events are taken in,
    /// are the same whether it replaces the event being handled or joins beside it.
    fn schedule(&mut self, t: f64, ev: Ev) {
        let item = Item::new(t, ev.pack());
        if self.handling {
            if let Some(mut top) = self.heap.peek_mut() {
                *top = item;
            }
            self.handling = false;
        } else {
            self.heap.push(item);
        }
    }

    fn second(&self) -> usize {
        (self.now as usize).min(self.setup.seconds - 1)
    }

    fn cell(&self, v: u32) -> usize {
        v as usize * self.setup.seconds + self.second()
    }

    /// Brings node `v`'s time integrals up to now (before its counts change).
    fn touch(&mut self, v: u32) {
        // A comparison, not `f64::min`, which in Wasm is a call (its NaN rule is not the
        // instruction's): this runs twice per service, and `now` is never NaN.
        let limit = self.setup.seconds as f64;
        let end = if self.now < limit { self.now } else { limit };
        let Some(st) = self.servers[v as usize].as_mut() else {
            return;
        };
        let rates = st.rates();
        if st.open.extend(&rates, end) {
            return;
        }
        let (m, base) = (&mut self.meters, v as usize * self.setup.seconds);
        st.open.advance(&rates, end, |sec, sums| {
            let cell = base + sec;
            m.busy[cell] += sums[0];
            m.queue[cell] += sums[1];
            m.capacity[cell] += sums[2];
            m.instances[cell] += sums[3];
            m.serving[cell] += sums[4];
        });
    }

    /// Brings every integral up to the end of the run.
    fn close(&mut self, end: f64) {
        self.now = end;
        for v in 0..self.servers.len() {
            self.touch(v as u32);
        }
    }

    /// A user of a closed population thinks, then sends its next request.
    fn think(&mut self) {
        if let Some((_, think)) = self.setup.population {
            let gap = if think > 0.0 {
                self.arrivals.exponential(think)
            } else {
                0.0
            };
            self.schedule(self.now + gap, Ev::Arrival);
        }
    }

    fn next_arrival(&mut self) {
        if self.setup.population.is_some() {
            return;
        }
        let peak = self.setup.rate * self.setup.profile.max_factor();
        if peak <= 0.0 || self.setup.sources.is_empty() {
            return;
        }
        let gap = self.arrivals.exponential(1.0 / peak);
        self.schedule(self.now + gap, Ev::Arrival);
    }

    /// A candidate arrival of the bounding Poisson process, kept with probability
    /// `factor(t) / max factor` (thinning), which leaves a Poisson process of rate
    /// `rate · factor(t)`.
    /// In a closed population every arrival is a user's request (no thinning).
    fn arrival(&mut self) {
        let keep = match self.setup.population {
            Some(_) => 1.0,
            None => self.setup.profile.factor_at(self.now) / self.setup.profile.max_factor(),
        };
        if self.arrivals.uniform() < keep {
            let u = self.arrivals.uniform() * self.source_cum.last().copied().unwrap_or(1.0);
            let s = self.source_cum.partition_point(|&c| c <= u);
            let source = self.setup.sources[s.min(self.setup.sources.len() - 1)].0;
            let u = self.arrivals.uniform() * self.class_cum[2];
            let class = self.class_cum.partition_point(|&c| c <= u).min(2) as u8;
            let req = Request {
                start: self.now,
                source,
                class,
                ticket: 0,
                attempts: 0,
                key: self.arrivals.bits(),
                item: NO_ITEM,
            };
            let req = Request {
                item: match &self.setup.workload {
                    Some(pop) => pop.draw(self.arrivals.uniform(), self.arrivals.uniform()),
                    None => NO_ITEM,
                },
                ..req
            };
            // A write deletes its key from every cache (cache-aside).
            if class == 1 && req.item != NO_ITEM {
                for c in self.key_caches.iter_mut().flatten() {
                    c.invalidate(req.item);
                }
            }
            let r = match self.free_reqs.pop() {
                Some(r) => {
                    self.reqs[r as usize] = req;
                    r
                }
                None => {
                    self.reqs.push(req);
                    (self.reqs.len() - 1) as u32
                }
            };
            let sec = self.second();
            self.totals.offered[sec] += 1.0;
            if let Some(p) = self.population_of(source) {
                p.offered[sec] += 1.0;
            }
            if let Some((earned, most)) = self.setup.retry_budget {
                self.retry_balance = (self.retry_balance + earned).min(most);
            }
            self.attempt(r);
        }
        self.next_arrival();
    }

    /// Sends a (new or repeated) attempt of request `r`.
    fn attempt(&mut self, r: u32) {
        let ticket = self.next_ticket;
        // Tickets whose packed bits are zero would look like "no live attempt".
        self.next_ticket = self.next_ticket.wrapping_add(1);
        if self.next_ticket & LOW == 0 {
            self.next_ticket = self.next_ticket.wrapping_add(1);
        }
        let req = &mut self.reqs[r as usize];
        req.ticket = ticket;
        req.attempts += 1;
        let (source, class) = (req.source, req.class);
        let sec = self.second();
        self.totals.attempts[sec] += 1.0;
        if let Some(t) = self.setup.timeout {
            self.schedule(self.now + t, Ev::Timeout { req: r, ticket });
        }
        let job = self.new_job(source, class, r, ticket, NONE);
        self.enter(job);
    }

    /// The live attempt of `r` failed or timed out: retry after a backoff, or give up.
    fn attempt_failed(&mut self, r: u32, why: Failed) {
        let req = &mut self.reqs[r as usize];
        req.ticket = 0;
        // A retry left by the count is made only if the budget has one to spend.
        let may_retry = req.attempts <= self.setup.retries
            && match self.setup.retry_budget {
                None => true,
                Some(_) if self.retry_balance >= 1.0 => {
                    self.retry_balance -= 1.0;
                    true
                }
                Some(_) => false,
            };
        let req = &self.reqs[r as usize];
        if may_retry {
            let wait = self.setup.backoff * f64::from(1u32 << (req.attempts - 1).min(20));
            self.schedule(self.now + wait, Ev::Retry { req: r });
        } else {
            let (sec, source) = (self.second(), req.source);
            self.totals.errors[sec] += 1.0;
            if let Some(p) = self.population_of(source) {
                p.errors[sec] += 1.0;
            }
            match why {
                Failed::Shed => self.totals.shed[sec] += 1.0,
                Failed::Rejected => self.totals.rejected[sec] += 1.0,
                Failed::Error => {}
            }
            self.free_reqs.push(r);
            // The user has its answer (an error): it thinks again.
            self.think();
        }
    }

    fn new_job(&mut self, node: u32, class: u8, req: u32, ticket: u32, parent: u32) -> u32 {
        let job = Job {
            gen: 0,
            node,
            class,
            req,
            ticket,
            parent,
            pgen: 0,
            calling: NONE,
            admit: Admit::Counted,
            holding: false,
            fill: NONE,
            born: -1.0,
            call: 0,
            left: 0,
            group: NONE,
            slot: NONE,
            old_shard: NONE,
        };
        match self.free_jobs.pop() {
            Some(j) => {
                let gen = self.jobs[j as usize].gen.wrapping_add(1);
                self.jobs[j as usize] = Job { gen, ..job };
                j
            }
            None => {
                self.jobs.push(job);
                (self.jobs.len() - 1) as u32
            }
        }
    }

    fn free_job(&mut self, j: u32) {
        let job = &mut self.jobs[j as usize];
        job.gen = job.gen.wrapping_add(1);
        job.born = -1.0;
        self.free_jobs.push(j);
    }

    /// A job reaches its node.
    fn enter(&mut self, j: u32) {
        let v = self.jobs[j as usize].node;
        let cell = self.cell(v);
        self.meters.arrivals[cell] += 1.0;
        let row = &self.epochs[self.epoch].table.rows[v as usize];
        if row.serve {
            if self.dead[v as usize] {
                return self.lose(j, v);
            }
            self.queue_for_service(j, v);
        } else if self.dead[v as usize] && !row.bypassed {
            self.lose(j, v);
        } else if row.delay > 0.0 {
            let gen = self.jobs[j as usize].gen;
            let t = self.now + row.delay;
            self.schedule(t, Ev::Passed { job: j, gen });
        } else {
            self.served(j);
        }
    }

    fn queue_for_service(&mut self, j: u32, v: u32) {
        let now = self.now;
        let Some(st) = self.servers[v as usize].as_mut() else {
            return self.served(j);
        };
        if !st.buckets.is_empty() {
            let req = self.jobs[j as usize].req;
            let which = if st.buckets.len() == 1 {
                0
            } else if req == NONE {
                st.buckets.len() - 1
            } else {
                let source = self.reqs[req as usize].source;
                self.setup
                    .sources
                    .iter()
                    .position(|&(v, _)| v == source)
                    .unwrap_or(st.buckets.len() - 1)
            };
            if !st.buckets[which].take(now) {
                let cell = self.cell(v);
                self.meters.drops[cell] += 1.0;
                self.meters.rejected[cell] += 1.0;
                return self.fail(j, Failed::Rejected);
            }
        }
        let Some(st) = &self.servers[v as usize] else {
            return self.served(j);
        };
        if st.visit < 1.0 && self.rng[v as usize].uniform() >= st.visit {
            return self.served(j);
        }
        let shard = if st.shard_cum.len() > 1 {
            let u = self.rng[v as usize].uniform();
            pick(&st.shard_cum, u)
        } else {
            0
        };
        if let Some(m) = &st.migration {
            let moved = if m.onto_new {
                shard >= m.first_new
            } else {
                self.rng[v as usize].uniform() < m.moved
            };
            if moved {
                let u = self.rng[v as usize].uniform();
                self.jobs[j as usize].old_shard = pick(&m.before, u);
            }
        }
        self.join(j, v, shard);
    }

    /// Job `j` joins shard `shard` of node `v`: an instance's queue, or a server at once.
    fn join(&mut self, j: u32, v: u32, shard: u32) {
        let Some(st) = &self.servers[v as usize] else {
            return self.served(j);
        };
        let instance = if st.shared {
            0
        } else {
            let i = self.rng[v as usize].below(st.routed.max(1));
            if i >= st.alive {
                // Sent to an instance that died before the health checks noticed.
                return self.lose(j, v);
            }
            st.in_service[i as usize]
        };
        let g = (shard * st.per_shard + instance) as usize;
        self.touch(v);
        let Some(st) = self.servers[v as usize].as_mut() else {
            return;
        };
        let group = &mut st.groups[g];
        self.jobs[j as usize].group = g as u32;
        if group.busy < group.servers {
            self.start_service(j, v, g);
        } else if (group.queue.len() as u64) < u64::from(group.waiting) {
            group.queue.push_back(j);
            st.queued += 1;
            if let Some(d) = st.deadline {
                let gen = self.jobs[j as usize].gen;
                self.schedule(self.now + d, Ev::Expire { job: j, gen });
            }
        } else {
            self.drop_at(j, v);
        }
    }

    fn start_service(&mut self, j: u32, v: u32, g: usize) {
        let Some(st) = self.servers[v as usize].as_mut() else {
            return;
        };
        let group = &mut st.groups[g];
        group.busy += 1;
        st.busy += 1;
        self.jobs[j as usize].slot = group.serving.len() as u32;
        group.serving.push(j);
        let d = st.service.sample(&mut self.service[v as usize]);
        // A new generation: a shedding deadline set while it waited no longer applies.
        let job = &mut self.jobs[j as usize];
        job.gen = job.gen.wrapping_add(1);
        let gen = job.gen;
        self.schedule(self.now + d, Ev::Done { job: j, gen });
    }

    fn finish_service(&mut self, j: u32) {
        let Job {
            node,
            class,
            old_shard,
            ..
        } = self.jobs[j as usize];
        if old_shard != NONE {
            // Its new shard had no copy yet: the old one serves it too.
            self.release(j);
            self.jobs[j as usize].old_shard = NONE;
            return self.join(j, node, old_shard);
        }
        if self.setup.blocking[node as usize]
            && !self.epochs[self.epoch].table.rows[node as usize].ways[class as usize]
                .calls
                .is_empty()
        {
            // A blocking caller keeps its server until its calls are answered.
            self.jobs[j as usize].holding = true;
        } else {
            self.release(j);
        }
        self.served(j);
    }

    /// Job `j` gives its server back: the next waiting job takes it, and a draining
    /// instance left empty leaves.
    fn release(&mut self, j: u32) {
        let Job {
            node: v,
            group: g,
            slot,
            ..
        } = self.jobs[j as usize];
        self.jobs[j as usize].holding = false;
        self.touch(v);
        if let Some(st) = self.servers[v as usize].as_mut() {
            let group = &mut st.groups[g as usize];
            group.serving.swap_remove(slot as usize);
            if let Some(&moved) = group.serving.get(slot as usize) {
                self.jobs[moved as usize].slot = slot;
            }
            group.busy -= 1;
            st.busy -= 1;
            if group.busy < group.servers {
                if let Some(next) = group.queue.pop_front() {
                    st.queued -= 1;
                    self.start_service(next, v, g as usize);
                }
            }
        }
        // A draining instance leaves once it has finished what it held.
        if let Some(st) = self.servers[v as usize].as_mut() {
            let slot = g as usize % st.per_shard as usize;
            let group = &st.groups[g as usize];
            if st.draining[slot] && group.busy == 0 && group.queue.is_empty() {
                st.draining[slot] = false;
                st.drains -= 1;
                st.size_groups();
            }
        }
    }

    /// The node has done its part: spawn its background work, then make its calls.
    fn served(&mut self, j: u32) {
        let Job {
            node, class, born, ..
        } = self.jobs[j as usize];
        // A replicated write is applied: its lag ends here, whatever it does next.
        if born >= 0.0 {
            let sec = self.second();
            if let Some(cell) = self.lags[node as usize].get_mut(sec) {
                cell.push((self.now - born) as f32);
            }
            self.jobs[j as usize].born = -1.0;
        }
        let way = &self.epochs[self.epoch].table.rows[node as usize].ways[class as usize];
        for i in 0..way.asyncs.len() {
            let hop =
                self.epochs[self.epoch].table.rows[node as usize].ways[class as usize].asyncs[i];
            for _ in 0..self.rng[node as usize].count(hop.p) {
                let child = self.new_job(hop.to, class, NONE, 0, NONE);
                match self.setup.replication_delay[hop.to as usize] {
                    // A replicated write: its lag is measured from now.
                    Some(delay) => {
                        self.jobs[child as usize].born = self.now;
                        let gen = self.jobs[child as usize].gen;
                        self.schedule(self.now + delay, Ev::Replicated { job: child, gen });
                    }
                    None => self.enter(child),
                }
            }
        }
        let job = &mut self.jobs[j as usize];
        job.call = 0;
        job.left = 0;
        self.next_call(j);
    }

    /// Makes the job's next synchronous call, or routes it on when none are left.
    fn next_call(&mut self, j: u32) {
        loop {
            let Job {
                node,
                class,
                call,
                left,
                ..
            } = self.jobs[j as usize];
            let source = self.source(j);
            let calls = &self.epochs[self.epoch].table.row(node, source).ways[class as usize].calls;
            if left > 0 {
                let Some(hop) = calls.get(call as usize - 1).copied() else {
                    break;
                };
                self.jobs[j as usize].left -= 1;
                return self.call(j, hop);
            }
            let Some(hop) = calls.get(call as usize).copied() else {
                break;
            };
            let n = self.rng[node as usize].count(hop.p);
            let job = &mut self.jobs[j as usize];
            job.call += 1;
            job.left = n;
        }
        self.route(j);
    }

    /// Job `j` calls over `hop`, through the link's breaker and with its timeout.
    fn call(&mut self, j: u32, hop: Hop) {
        let link = hop.link as usize;
        let sec = self.second();
        let now = self.now;
        let admit = self.circuits[link]
            .as_mut()
            .map_or(Admit::Counted, |c| c.admit(now));
        if let Some(m) = self.links[link].as_mut() {
            if admit == Admit::Refused {
                m.refused[sec] += 1.0;
            } else {
                m.sent[sec] += 1.0;
            }
        }
        if admit == Admit::Refused {
            // An open breaker answers at once: no waiting, nothing sent.
            return self.fail(j, Failed::Error);
        }
        let Job {
            class,
            req,
            ticket,
            gen,
            ..
        } = self.jobs[j as usize];
        let job = &mut self.jobs[j as usize];
        (job.calling, job.admit) = (hop.link, admit);
        if let Some(t) = self.setup.guards[link].0 {
            self.schedule(now + t, Ev::CallTimeout { job: j, gen });
        }
        let child = self.new_job(hop.to, class, req, ticket, j);
        self.jobs[child as usize].pgen = gen;
        self.travel(child, hop.delay);
    }

    /// The client job `j`'s request came from (`NONE` for background work), which decides
    /// how the nodes in front of the data centres look to it ([`Table::row`]).
    fn source(&self, j: u32) -> u32 {
        let req = self.jobs[j as usize].req;
        if req == NONE {
            NONE
        } else {
            self.reqs[req as usize].source
        }
    }

    /// The tallies of the population client `source` belongs to, if it is on the map.
    fn population_of(&mut self, source: u32) -> Option<&mut PopulationTotals> {
        let p = *self.setup.population_of.get(source as usize)?;
        self.totals.populations.get_mut(p as usize)
    }

    /// Job `j`, already moved to its next node, arrives there after `delay` seconds (a
    /// hop's round trip between places), or at once.
    fn travel(&mut self, j: u32, delay: f64) {
        if delay > 0.0 {
            let gen = self.jobs[j as usize].gen;
            self.schedule(self.now + delay, Ev::Travelled { job: j, gen });
        } else {
            self.enter(j);
        }
    }

    /// The answer to job `p`'s call arrives: success, a failure, or its timeout. An answer
    /// for a job that has moved on (its call timed out, it was killed) is ignored.
    fn answer(&mut self, p: u32, pgen: u32, outcome: Result<(), Failed>) {
        let job = &mut self.jobs[p as usize];
        if job.gen != pgen {
            return;
        }
        // A new generation: the call's timeout, or its late answer, no longer applies.
        job.gen = job.gen.wrapping_add(1);
        let (link, admit) = (job.calling as usize, job.admit);
        job.calling = NONE;
        let now = self.now;
        if let Some(c) = self.circuits.get_mut(link).and_then(Option::as_mut) {
            c.record(now, admit, outcome.is_ok());
        }
        if outcome.is_err() {
            let sec = self.second();
            if let Some(m) = self.links.get_mut(link).and_then(Option::as_mut) {
                m.failed[sec] += 1.0;
            }
        }
        match outcome {
            Ok(()) => self.next_call(p),
            Err(why) => self.fail(p, why),
        }
    }

    fn route(&mut self, j: u32) {
        if self.jobs[j as usize].holding {
            self.release(j);
        }
        let Job {
            node: v,
            class,
            req,
            ..
        } = self.jobs[j as usize];
        if self.setup.caches[v as usize].is_some_and(|(_, _, cached)| cached[class as usize])
            && self.look_up(j)
        {
            return;
        }
        let source = self.source(j);
        let row = self.epochs[self.epoch].table.row(v, source);
        let way = &row.ways[class as usize];
        let u = self.rng[v as usize].uniform();
        if u < way.complete {
            return self.complete(j);
        }
        if way.routes.is_empty() {
            return if way.fail > 0.0 {
                self.drop_at(j, v)
            } else {
                self.complete(j)
            };
        }
        if u < way.complete + way.fail {
            return self.drop_at(j, v);
        }
        let n = way.routes.len();
        let pick = match row.balance {
            Balance::Random => {
                let mut x = u - way.complete - way.fail;
                let mut pick = n - 1;
                for (i, hop) in way.routes.iter().enumerate() {
                    if x < hop.p {
                        pick = i;
                        break;
                    }
                    x -= hop.p;
                }
                pick
            }
            Balance::RoundRobin => {
                let turn = &mut self.turn[v as usize][class as usize];
                *turn = turn.wrapping_add(1);
                *turn as usize % n
            }
            Balance::IpHash => {
                let key = if req == NONE {
                    self.rng[v as usize].bits()
                } else {
                    self.reqs[req as usize].key
                };
                (key % n as u64) as usize
            }
            Balance::LeastConnections => {
                // Ties go to the next target in turn, so an idle pool is still spread.
                let turn = &mut self.turn[v as usize][class as usize];
                *turn = turn.wrapping_add(1);
                let start = *turn as usize;
                (0..n)
                    .map(|i| (start + i) % n)
                    .min_by(|&a, &b| {
                        let p = |i: usize| {
                            self.servers[way.routes[i].to as usize]
                                .as_ref()
                                .map_or(0.0, Servers::pressure)
                        };
                        p(a).total_cmp(&p(b))
                    })
                    .unwrap_or(0)
            }
        };
        let Hop { to, delay, .. } = way.routes[pick];
        self.jobs[j as usize].node = to;
        self.travel(j, delay);
    }

    /// Job `j` at a cache that holds real keys: a hit finishes it; a miss goes on to the
    /// origin and fills the cache when it is answered. With coalescing, a miss for a key
    /// already being fetched waits for that fetch instead.
    ///
    /// Returns false, leaving the job to the table's way, when the cache is down or
    /// bypassed, the job carries no key (background work) or there is no origin.
    fn look_up(&mut self, j: u32) -> bool {
        let Job { node: v, req, .. } = self.jobs[j as usize];
        let source = self.source(j);
        let row = self.epochs[self.epoch].table.row(v, source);
        let item = if req == NONE {
            NO_ITEM
        } else {
            self.reqs[req as usize].item
        };
        let routes = &row.ways[self.jobs[j as usize].class as usize].routes;
        let (up, total) = (row.serve, routes.iter().map(|h| h.p).sum::<f64>());
        if !up || item == NO_ITEM || total <= 0.0 {
            return false;
        }
        let now = self.now;
        let cell = self.cell(v);
        self.meters.lookups[cell] += 1.0;
        if let Some(c) = self.key_caches[v as usize].as_mut() {
            if c.lookup(item, now) {
                self.meters.hits[cell] += 1.0;
                self.complete(j);
                return true;
            }
        }
        let coalesce = self.setup.caches[v as usize].is_some_and(|(_, on, _)| on);
        if coalesce {
            if let Some(waiting) = self.fetching[v as usize].get_mut(&item) {
                waiting.push(j);
                return true;
            }
            self.fetching[v as usize].insert(item, Vec::new());
        }
        self.jobs[j as usize].fill = v;
        self.hand_on(j, v);
        true
    }

    /// Sends job `j` on from node `v` along one of its hand-offs, by their shares.
    fn hand_on(&mut self, j: u32, v: u32) {
        let class = self.jobs[j as usize].class as usize;
        let source = self.source(j);
        let routes = &self.epochs[self.epoch].table.row(v, source).ways[class].routes;
        let total: f64 = routes.iter().map(|h| h.p).sum();
        let mut x = self.rng[v as usize].uniform() * total;
        let (mut to, mut delay) = routes.last().map_or((v, 0.0), |h| (h.to, h.delay));
        for hop in routes {
            if x < hop.p {
                (to, delay) = (hop.to, hop.delay);
                break;
            }
            x -= hop.p;
        }
        self.jobs[j as usize].node = to;
        self.travel(j, delay);
    }

    /// The fetch job `j` made for a cache's miss is over: fill the cache (when it was
    /// answered and the cache is up), and release the jobs waiting on the same key.
    fn fetched(&mut self, j: u32, ok: bool) {
        let Job { fill: v, req, .. } = self.jobs[j as usize];
        self.jobs[j as usize].fill = NONE;
        let item = self.reqs[req as usize].item;
        if ok && !self.dead[v as usize] {
            let now = self.now;
            let rng = &mut self.rng[v as usize];
            if let Some(c) = self.key_caches[v as usize].as_mut() {
                c.fill(item, now, |n| rng.below(n.max(1) as u32) as usize);
            }
        }
        for w in self.fetching[v as usize].remove(&item).unwrap_or_default() {
            if ok {
                self.complete(w);
            } else {
                self.fail(w, Failed::Error);
            }
        }
    }

    /// The job finishes: answer whoever waits for it.
    fn complete(&mut self, j: u32) {
        if self.jobs[j as usize].fill != NONE {
            self.fetched(j, true);
        }
        let Job {
            req,
            ticket,
            parent,
            pgen,
            ..
        } = self.jobs[j as usize];
        self.free_job(j);
        if parent != NONE {
            return self.answer(parent, pgen, Ok(()));
        }
        if req == NONE || self.reqs[req as usize].ticket != ticket {
            return;
        }
        let Request { start, source, .. } = self.reqs[req as usize];
        let sec = self.second();
        let took = (self.now - start) as f32;
        self.totals.completed[sec] += 1.0;
        self.totals.latencies[sec].push(took);
        if let Some(p) = self.population_of(source) {
            p.completed[sec] += 1.0;
            p.latencies[sec].push(took);
        }
        self.reqs[req as usize].ticket = 0;
        self.free_reqs.push(req);
        self.think();
    }

    /// Job `j` has waited as long as its station allows: it leaves the queue and is
    /// answered at once with an error (load shedding).
    fn expire(&mut self, j: u32) {
        let Job {
            node: v, group: g, ..
        } = self.jobs[j as usize];
        self.touch(v);
        let Some(st) = self.servers[v as usize].as_mut() else {
            return;
        };
        let queue = &mut st.groups[g as usize].queue;
        // FCFS: what expires first waited longest, so it is nearly always at the front.
        let Some(at) = queue.iter().position(|&q| q == j) else {
            return;
        };
        queue.remove(at);
        st.queued -= 1;
        let cell = self.cell(v);
        self.meters.drops[cell] += 1.0;
        self.fail(j, Failed::Shed);
    }

    /// The job is refused or lost at node `v`.
    fn drop_at(&mut self, j: u32, v: u32) {
        let cell = self.cell(v);
        self.meters.drops[cell] += 1.0;
        self.fail(j, Failed::Error);
    }

    /// The job is lost at dead node `v`: refused at once, or swallowed when the failure
    /// hangs (whoever waits for it finds out only from a timeout).
    fn lose(&mut self, j: u32, v: u32) {
        if self.hangs[v as usize] {
            let cell = self.cell(v);
            self.meters.drops[cell] += 1.0;
            // A fetch lost this way never fills its cache; the misses that waited on it
            // wait on (their clients' timeouts end them), and the next miss fetches anew.
            let Job { fill, req, .. } = self.jobs[j as usize];
            if fill != NONE {
                let item = self.reqs[req as usize].item;
                self.fetching[fill as usize].remove(&item);
            }
            self.free_job(j);
        } else {
            self.drop_at(j, v);
        }
    }

    /// The job fails, and with it whoever waits for it.
    fn fail(&mut self, j: u32, why: Failed) {
        if self.jobs[j as usize].holding {
            self.release(j);
        }
        if self.jobs[j as usize].fill != NONE {
            self.fetched(j, false);
        }
        let Job {
            req,
            ticket,
            parent,
            pgen,
            ..
        } = self.jobs[j as usize];
        self.free_job(j);
        if parent != NONE {
            return self.answer(parent, pgen, Err(why));
        }
        if req != NONE && self.reqs[req as usize].ticket == ticket {
            self.attempt_failed(req, why);
        }
    }

    /// Moves to epoch `i`: new routing, and components dying or coming back.
    fn apply_epoch(&mut self, i: usize) {
        let promoted_before = self.epochs[self.epoch].table.promoted.clone();
        self.epoch = i;
        for v in 0..self.servers.len() {
            let (dead, lost, routed_lost, hangs) = {
                let e = &self.epochs[i];
                (e.dead[v], e.lost[v], e.routed_lost[v], e.hangs[v])
            };
            let was_dead = self.dead[v];
            self.touch(v as u32);
            self.dead[v] = dead;
            self.hangs[v] = hangs;
            if was_dead && !dead {
                // Back before any failover: its replicas catch up from it (not simulated).
                for &r in &self.setup.streams[v] {
                    self.at_risk[r as usize] = 0;
                }
            }
            let Some(st) = self.servers[v].as_mut() else {
                continue;
            };
            let before = st.alive;
            (st.lost, st.routed_lost) = (lost, routed_lost);
            st.count_alive();
            if dead && !was_dead {
                // A cache that dies loses what it held: it comes back empty.
                if let Some(c) = self.key_caches[v].as_mut() {
                    c.clear();
                }
                self.kill(v);
                self.cut_stream(v);
            } else if st.alive != before {
                st.size_groups();
                if let Some(c) = self.key_caches[v].as_mut() {
                    c.resize(before as usize, st.alive as usize);
                }
                self.shed(v);
            }
        }
        // A replica promoted now takes over with what it has applied: the rest is lost.
        for k in 0..self.epochs[i].table.promoted.len() {
            let r = self.epochs[i].table.promoted[k] as usize;
            if !promoted_before.contains(&(r as u32)) {
                let lost = self.lost_writes[r].unwrap_or(0) + std::mem::take(&mut self.at_risk[r]);
                self.lost_writes[r] = Some(lost);
            }
        }
    }

    /// Primary `p` has failed: the writes it answered that a replica has not applied yet
    /// (on the wire, queued or being applied) never reach it, and are lost if a failover
    /// promotes that replica before `p` is back.
    fn cut_stream(&mut self, p: usize) {
        for k in 0..self.setup.streams[p].len() {
            let r = self.setup.streams[p][k];
            let pending: Vec<u32> = (0..self.jobs.len() as u32)
                .filter(|&j| {
                    let job = &self.jobs[j as usize];
                    job.node == r && job.born >= 0.0
                })
                .collect();
            self.touch(r);
            for &j in &pending {
                let Job { group, slot, .. } = self.jobs[j as usize];
                if slot != NONE {
                    self.release(j);
                } else if group != NONE {
                    if let Some(st) = self.servers[r as usize].as_mut() {
                        let queue = &mut st.groups[group as usize].queue;
                        if let Some(at) = queue.iter().position(|&q| q == j) {
                            queue.remove(at);
                            st.queued -= 1;
                        }
                    }
                }
                self.free_job(j);
            }
            let cost = self.setup.apply_cost[p];
            let jobs = pending.len() as f64;
            self.at_risk[r as usize] = if cost > 0.0 {
                (jobs / cost).round()
            } else {
                jobs
            } as u64;
        }
    }

    /// Resharding `i` starts (its shard group spreads its keys over more shards and starts
    /// copying the moved ones) or its copy ends.
    fn reshard(&mut self, i: usize, start: bool) {
        let g = self.setup.growths[i].clone();
        let v = g.node;
        self.touch(v);
        let Some(st) = self.servers[v as usize].as_mut() else {
            return;
        };
        if !start {
            st.migration = None;
            return;
        }
        let old = st.shard_cum.len();
        for _ in old..g.shares.len() {
            for _ in 0..st.per_shard {
                st.groups.push(Group::default());
            }
        }
        let before = std::mem::replace(&mut st.shard_cum, cumulative(&g.shares));
        st.migration = (g.until > g.at).then_some(Migration {
            before,
            first_new: old as u32,
            moved: g.moved,
            onto_new: g.onto_new,
        });
        st.size_groups();
    }

    /// Fails every job at node `v`: it died.
    fn kill(&mut self, v: usize) {
        let mut victims = Vec::new();
        if let Some(st) = self.servers[v].as_mut() {
            for group in &mut st.groups {
                victims.append(&mut group.serving);
                victims.extend(group.queue.drain(..));
                group.busy = 0;
            }
            st.recount();
        }
        for j in victims {
            // Its server is gone with the node; nothing to give back.
            self.jobs[j as usize].holding = false;
            self.lose(j, v as u32);
        }
    }

    /// After losing instances: fails the work that no longer has a server or a place.
    fn shed(&mut self, v: usize) {
        let Some(st) = self.servers[v].as_mut() else {
            return;
        };
        let mut victims = Vec::new();
        for group in &mut st.groups {
            while group.busy > group.servers {
                if let Some(j) = group.serving.pop() {
                    victims.push(j);
                }
                group.busy -= 1;
            }
            while group.queue.len() as u64 > u64::from(group.waiting) {
                if let Some(j) = group.queue.pop_back() {
                    victims.push(j);
                }
            }
        }
        st.recount();
        self.start_waiting(v);
        for j in victims {
            self.jobs[j as usize].holding = false;
            self.lose(j, v as u32);
        }
    }

    /// Servers that came back or were added take waiting work.
    fn start_waiting(&mut self, v: usize) {
        let Some(st) = self.servers[v].as_mut() else {
            return;
        };
        let mut starts = Vec::new();
        for (g, group) in st.groups.iter_mut().enumerate() {
            let free = group.servers.saturating_sub(group.busy) as usize;
            for _ in 0..free.min(group.queue.len()) {
                if let Some(j) = group.queue.pop_front() {
                    starts.push((j, g));
                }
            }
        }
        st.recount();
        for (j, g) in starts {
            self.start_service(j, v as u32, g);
        }
    }

    /// The policy of pool `v` decides, on the utilisation of its last `window_s` whole
    /// seconds (see [`Autoscale`]): launch instances, drain some, or wait for a cooldown.
    fn autoscale(&mut self, v: usize) {
        self.touch(v as u32);
        let now = self.now;
        let (seconds, base) = (self.setup.seconds, v * self.setup.seconds);
        let Some(st) = self.servers[v].as_mut() else {
            return;
        };
        let Some(policy) = st.policy else {
            return;
        };
        let end = (now.round() as usize).min(seconds);
        let start = end.saturating_sub((policy.window_s.ceil() as usize).max(1));
        let busy: f64 = self.meters.busy[base + start..base + end].iter().sum();
        let capacity: f64 = self.meters.capacity[base + start..base + end].iter().sum();
        if capacity > 0.0 {
            let desired = policy.settle(busy / capacity * f64::from(st.alive));
            let planned = st.active + st.warming;
            let launch = desired.min(policy.max).saturating_sub(planned);
            if launch > 0 && now - st.last_out >= policy.out_cooldown_s {
                st.warming += launch;
                (st.last_out, st.last_change) = (now, now);
                for _ in 0..launch {
                    self.schedule(now + policy.warmup_s, Ev::Warm { node: v as u32 });
                }
            } else if desired < st.active
                && st.warming == 0
                && now - st.last_change >= policy.in_cooldown_s
            {
                st.scale_in(st.active - desired.max(policy.min));
                st.last_change = now;
            }
        }
        self.schedule(now + 1.0, Ev::Scale { node: v as u32 });
    }

    /// One launched instance of pool `v` has warmed up: it joins the pool.
    fn warmed(&mut self, v: usize) {
        self.touch(v as u32);
        let Some(st) = self.servers[v].as_mut() else {
            return;
        };
        st.warming = st.warming.saturating_sub(1);
        st.scale_out();
        self.start_waiting(v);
    }
}

#[cfg(test)]
mod tests {
    use super::Bucket;

    #[test]
    fn a_full_bucket_passes_its_burst_at_once_then_its_rate() {
        let mut b = Bucket {
            rate: 10.0,
            burst: 20.0,
            tokens: 20.0,
            last: 0.0,
        };
        assert!((0..20).all(|_| b.take(1.0)), "the burst passes at once");
        assert!(!b.take(1.0), "the 21st is rejected");
        assert!(!b.take(1.05), "half a refill is not a token");
        assert!(b.take(1.1), "a refill later, one more");
        // A long quiet spell refills to the burst, never beyond.
        b.take(1000.0);
        assert!((b.tokens - 19.0).abs() < 1e-9, "{}", b.tokens);
    }
}
