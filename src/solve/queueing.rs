//! One queueing station: M/M/c and M/M/c/K with Poisson arrivals, with a two-moment
//! correction for service-time variability.
//!
//! Times are in seconds and rates per second here; the report converts to milliseconds.
//! Formulas and their sources are listed in `MODEL.md`.

use super::num::Num;

/// Erlang's loss formula B(c, a): the share of arrivals refused by `c` servers with no
/// waiting room at offered load `a = λ/μ`.
///
/// Computed as `1 / Σ_{m=0}^{c} Π_{i<m} (c−i)/a`, the ratio of the Poisson tail terms to the
/// last one: every term is positive, so no cancellation, and the loop stops once terms are
/// negligible or the sum passes 1e280 (B below 1e-280 is reported as 0). No factorials.
///
/// # Complexity
/// O(min(c, √a)) in practice: the loop ends soon after the terms start to fall.
///
/// # Examples
/// ```
/// // One server at load 1: B = a / (1 + a) = 0.5.
/// assert!((archsim::solve::erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
/// ```
pub fn erlang_b(c: u64, a: f64) -> f64 {
    if a <= 0.0 {
        return if c == 0 { 1.0 } else { 0.0 };
    }
    let mut sum = 1.0;
    let mut term = 1.0;
    for m in 0..c {
        let ratio = (c - m) as f64 / a;
        term *= ratio;
        sum += term;
        if sum > 1e280 {
            return 0.0;
        }
        if ratio <= 1.0 && term < sum * 1e-17 {
            break;
        }
    }
    1.0 / sum
}

/// Erlang's delay formula C(c, a): the probability that an arrival waits in an M/M/c queue,
/// from B by `C = B / (1 − ρ(1 − B))` with `ρ = a/c < 1`.
///
/// # Examples
/// ```
/// // M/M/1: an arrival waits with probability ρ.
/// assert!((archsim::solve::erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
/// ```
pub fn erlang_c(c: u64, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let rho = a / c as f64;
    (b / (1.0 - rho * (1.0 - b))).clamp(0.0, 1.0)
}

/// A queue to solve: Poisson arrivals at `lambda`, `servers` parallel servers with mean
/// service time `1/mu` and squared coefficient of variation `cs2`, and a waiting room of
/// `waiting` places (`None`: unlimited).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    /// Arrival rate, per second.
    pub lambda: f64,
    /// Service rate of one server, per second.
    pub mu: f64,
    /// Number of servers sharing the queue.
    pub servers: u64,
    /// Squared coefficient of variation of the service time (1 for exponential).
    pub cs2: f64,
    /// Waiting places beyond the servers; `None` for an unlimited queue.
    pub waiting: Option<u64>,
    /// Longest wait before a request is shed, seconds (`None`: no limit). Never set
    /// together with `waiting`.
    pub deadline: Option<f64>,
}

/// The distribution of the wait of an accepted arrival, before service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Wait {
    /// Waits with probability `p` an exponential time of rate `rate` (M/M/c: exact).
    Exponential {
        /// Probability of waiting at all.
        p: f64,
        /// Rate of the conditional wait.
        rate: f64,
    },
    /// Finite waiting room: finds `m < places` waiting with probability proportional to
    /// `ratio^m`, then waits `m + 1` exponential phases of rate `rate`. The probabilities are
    /// anchored at the likelier end of the line, so no power of `ratio` is ever formed that
    /// could overflow (ρ = 140 and 150 places is 10³²²): `peak · ratio^m` when `ratio ≤ 1`,
    /// `peak · ratio^{−(places − 1 − m)}` when `ratio > 1`.
    Truncated {
        /// Probability of finding the likeliest count: nobody waiting when `ratio ≤ 1`, all
        /// but one place taken when `ratio > 1`.
        peak: f64,
        /// Geometric ratio ρ between successive states.
        ratio: f64,
        /// Waiting places.
        places: u64,
        /// Rate of each phase (all servers' combined service rate).
        rate: f64,
    },
    /// Waits with probability `p`; the conditional wait has density ∝ `e^{−rate·v}` on
    /// `(0, limit]` (`rate` may be zero or negative: an overloaded queue that sheds). The
    /// served requests of an M/M/c queue that sheds what waits longer than `limit`.
    Deadline {
        /// Probability of waiting at all.
        p: f64,
        /// Exponent of the conditional wait's density (`cμ − λ`, scaled for variability).
        rate: f64,
        /// Longest wait, seconds.
        limit: f64,
    },
    /// The queue grows without bound: the wait has no steady state.
    Unbounded,
}

/// Relative distance from capacity within which a queue counts as saturated. A load that
/// is exactly 1 in real numbers (a database receiving exactly what it can serve through a
/// cache whose miss share is computed in floating point) comes out a few ulps either side;
/// deciding by rounding luck would report a latency of 10¹⁵ ms on one side and unbounded
/// on the other. One part in a billion is far below any meaningful difference in load.
pub const SATURATION_TOLERANCE: f64 = 1e-9;

/// Whether an offered load (arrivals over capacity) saturates its queue.
pub fn saturates(load: f64) -> bool {
    load >= 1.0 - SATURATION_TOLERANCE
}

/// What a queue does in steady state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solved {
    /// Share of arrivals not served: refused by a full waiting room, or, for an unlimited
    /// queue at or beyond capacity, the excess `1 − cμ/λ` that can never be served.
    pub dropped: f64,
    /// Share of time each server is busy, in `[0, 1]`.
    pub utilization: f64,
    /// Offered load `λ / (cμ)`, which may exceed 1.
    pub load: f64,
    /// Mean wait of an accepted arrival, seconds (infinite when unbounded).
    pub mean_wait: f64,
    /// The wait's distribution.
    pub wait: Wait,
}

impl Queue {
    /// Solves the queue for its steady state.
    pub fn solve(&self) -> Solved {
        let c = self.servers.max(1);
        let capacity = c as f64 * self.mu;
        let load = self.lambda / capacity;
        if self.lambda <= 0.0 {
            return Solved {
                dropped: 0.0,
                utilization: 0.0,
                load: 0.0,
                mean_wait: 0.0,
                wait: Wait::Exponential { p: 0.0, rate: 1.0 },
            };
        }
        // Kingman / Allen–Cunneen: variability scales the wait by (1 + cs²)/2 (arrivals are
        // Poisson, so ca² = 1). We scale the conditional wait's rate, keeping P(wait).
        let scale = (1.0 + self.cs2) / 2.0;
        let a = self.lambda / self.mu;
        match self.waiting {
            None if self.deadline.is_some() => {
                shedding(c, a, capacity, self.deadline.unwrap_or(0.0), scale)
            }
            None if saturates(load) => Solved {
                dropped: (1.0 - 1.0 / load).max(0.0),
                utilization: 1.0,
                load,
                mean_wait: f64::INFINITY,
                wait: Wait::Unbounded,
            },
            None => {
                let p = erlang_c(c, a);
                let rate = (capacity - self.lambda) / scale;
                Solved {
                    dropped: 0.0,
                    utilization: load,
                    load,
                    mean_wait: p / rate,
                    wait: Wait::Exponential { p, rate },
                }
            }
            Some(places) => finite(c, a, load, places, capacity / scale),
        }
    }
}

/// M/M/c+D: requests that would wait longer than `limit` are shed (FCFS, deterministic
/// patience; Baccelli & Hébuterne 1981). The offered wait `V` of an arrival has an atom at 0
/// of mass `q (1/B − 1)` (B = Erlang B) and density `cμ q e^{−θv}`, θ = cμ − λ, up to
/// `limit`, then `cμ q e^{−θ·limit} e^{−cμ(v − limit)}`: arrivals with `V > limit` add no
/// work. Normalising gives q; `P(shed) = q e^{−θ·limit}`. At `limit` = 0 this is Erlang B, as
/// `limit` → ∞ (θ > 0) Erlang C. Service variability (`scale` = (1 + cs²)/2) stretches the
/// wait as for the unlimited queue: M/M/c+D is solved at `limit / scale` and its waits are
/// scaled by `scale` (exact for exponential service).
fn shedding(c: u64, a: f64, capacity: f64, limit: f64, scale: f64) -> Solved {
    let b = erlang_b(c, a);
    let lambda = a * capacity / c as f64;
    let theta = capacity - lambda;
    let tau = limit / scale;
    // With W = ∫₀^τ cμ e^{−θv} dv and T = e^{−θτ}: q = 1/(1/B − 1 + W + T), P(shed) = qT and
    // P(wait) = qW. Overloaded (θτ < 0) T and W grow as e^{|θτ|}, so numerator and
    // denominator are divided by T first.
    let x = theta * tau;
    let (shed, waits) = if x.abs() < 1e-8 {
        // θ → 0: W = cμτ(1 − x/2), T = 1 − x.
        let (w, t) = (capacity * tau * (1.0 - x / 2.0), 1.0 - x);
        let d = 1.0 / b - 1.0 + w + t;
        (t / d, w / d)
    } else if x > 0.0 {
        let (w, t) = (capacity * (-(-x).exp_m1()) / theta, (-x).exp());
        let d = 1.0 / b - 1.0 + w + t;
        (t / d, w / d)
    } else {
        // W / T = cμ(e^{x} − 1)/θ, 1/T = e^{x}: both at most moderate.
        let (w_t, inv_t) = (capacity * x.exp_m1() / theta, x.exp());
        let d = (1.0 / b - 1.0) * inv_t + w_t + 1.0;
        (1.0 / d, w_t / d)
    };
    let shed = shed.clamp(0.0, 1.0);
    let served = 1.0 - shed;
    let p = if served > 0.0 {
        (waits / served).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let wait = Wait::Deadline {
        p,
        rate: theta / scale,
        limit,
    };
    Solved {
        dropped: shed,
        utilization: (a / c as f64 * served).min(1.0),
        load: a / c as f64,
        mean_wait: p * truncated_mean(theta / scale, limit),
        wait,
    }
}

/// Mean of the density ∝ `e^{−r v}` on `(0, limit]`.
fn truncated_mean(r: f64, limit: f64) -> f64 {
    let x = r * limit;
    if x.abs() < 1e-6 {
        limit * (0.5 - x / 12.0)
    } else {
        1.0 / r - limit / x.exp_m1()
    }
}

/// M/M/c/(c+places). States `c..=c+places` form a geometric tail of ratio ρ above the
/// Erlang-B part, so everything follows from B(c, a) and geometric sums. Probabilities are
/// taken relative to the likeliest state of the tail (π_c below capacity, π_{c+places}
/// beyond it), so every sum runs over a ratio `q = min(ρ, 1/ρ) ≤ 1` and nothing overflows.
fn finite(c: u64, a: f64, rho: f64, places: u64, rate: f64) -> Solved {
    let b = erlang_b(c, a);
    let k = places as f64;
    // The likeliest tail state's share among accepted arrivals (0 if none is accepted).
    let share = |pi: f64, blocked: f64| {
        if blocked < 1.0 {
            pi / (1.0 - blocked)
        } else {
            0.0
        }
    };
    let (blocked, peak, phases) = if rho <= 1.0 {
        // Σ_{j<c} π_j = π_c (1/B − 1) and Σ_{m=0}^{places} π_{c+m} = π_c Σ ρ^m.
        let pi_c = b / (1.0 - b + b * geometric_sum(rho, places + 1));
        let blocked = (pi_c * rho.powf(k)).clamp(0.0, 1.0);
        // Σ_{m<places} (m + 1) ρ^m.
        (
            blocked,
            share(pi_c, blocked),
            weighted_geometric_sum(rho, places),
        )
    } else {
        // With σ = 1/ρ: π_{c+m} = π_top σ^{places−m} and Σ_{j<c} π_j = π_top σ^{places} (1/B − 1).
        let sigma = 1.0 / rho;
        let below = sigma.powf(k) * (1.0 - b) / b;
        let blocked = (1.0 / (geometric_sum(sigma, places + 1) + below)).clamp(0.0, 1.0);
        // Σ_{m<places} (m + 1) σ^{places−1−m} = Σ_{j<places} (places − j) σ^j.
        let phases =
            (k + 1.0) * geometric_sum(sigma, places) - weighted_geometric_sum(sigma, places);
        (blocked, share(blocked * sigma, blocked), phases)
    };
    let accepted = 1.0 - blocked;
    Solved {
        dropped: blocked,
        utilization: (rho * accepted).min(1.0),
        load: rho,
        mean_wait: peak * phases / rate,
        wait: Wait::Truncated {
            peak,
            ratio: rho,
            places,
            rate,
        },
    }
}

/// Σ_{m=0}^{n−1} r^m, stable for r near 1 and for r > 1.
fn geometric_sum(r: f64, n: u64) -> f64 {
    if (r - 1.0).abs() < 1e-12 {
        n as f64
    } else {
        (1.0 - r.powf(n as f64)) / (1.0 - r)
    }
}

/// Σ_{m=0}^{n−1} (m + 1) r^m.
fn weighted_geometric_sum(r: f64, n: u64) -> f64 {
    let nf = n as f64;
    if (r - 1.0).abs() < 1e-9 {
        nf * (nf + 1.0) / 2.0
    } else {
        (1.0 - (nf + 1.0) * r.powf(nf) + nf * r.powf(nf + 1.0)) / ((1.0 - r) * (1.0 - r))
    }
}

/// Laplace–Stieltjes transform `E[e^{−sS}]` of a service time of mean `1/mu` and squared
/// coefficient of variation `cs2`, fitted by two moments: constant (cs² ≈ 0), Erlang-k
/// (cs² < 1, k = round(1/cs²)), exponential (cs² = 1), or a balanced-means hyperexponential
/// (cs² > 1).
pub fn service_lst<N: Num>(mu: f64, cs2: f64, s: N) -> N {
    if constant_service(cs2) {
        N::delay(s, 1.0 / mu)
    } else if (cs2 - 1.0).abs() < 1e-9 {
        N::over(mu, N::real(mu) + s)
    } else if cs2 < 1.0 {
        let k = (1.0 / cs2).round().max(1.0);
        N::over(k * mu, N::real(k * mu) + s).powi(k as u64)
    } else {
        let p1 = 0.5 * (1.0 + ((cs2 - 1.0) / (cs2 + 1.0)).sqrt());
        let (m1, m2) = (2.0 * p1 * mu, 2.0 * (1.0 - p1) * mu);
        N::over(p1 * m1, N::real(m1) + s) + N::over((1.0 - p1) * m2, N::real(m2) + s)
    }
}

/// Whether a service time of squared coefficient of variation `cs2` is taken as constant:
/// its transform is then a pure delay, which the inversion keeps apart as a shift.
pub(crate) fn constant_service(cs2: f64) -> bool {
    cs2 < 1e-3
}

/// Transform of an M/M/c wait: none with probability `1 − p`, else exponential at `rate`.
#[inline]
fn exponential_wait_lst<N: Num>(p: f64, rate: f64, s: N) -> N {
    N::real(1.0 - p) + N::over(p * rate, N::real(rate) + s)
}

impl Wait {
    /// Whether the transform holds a constant delay: the edge of a deadline wait whose
    /// conditional density decays, kept apart as a shift (see [`lst`](Self::lst)).
    pub(crate) fn delays(&self) -> bool {
        matches!(*self, Wait::Deadline { rate, .. } if rate > 0.0)
    }

    /// Appends the bits that identify this distribution.
    pub(crate) fn key(&self, key: &mut Vec<u64>) {
        match *self {
            Wait::Exponential { p, rate } => key.extend([0, p.to_bits(), rate.to_bits()]),
            Wait::Truncated {
                peak,
                ratio,
                places,
                rate,
            } => key.extend([1, peak.to_bits(), ratio.to_bits(), places, rate.to_bits()]),
            Wait::Unbounded => key.push(2),
            Wait::Deadline { p, rate, limit } => {
                key.extend([3, p.to_bits(), rate.to_bits(), limit.to_bits()]);
            }
        }
    }

    /// Adds `served ·` [`lst`](Self::lst) at each of `points` to `out`, with the shape
    /// matched once rather than once per point.
    pub fn add_lst<N: Num>(&self, points: &[N], served: f64, out: &mut [N]) {
        match *self {
            Wait::Exponential { p, rate } => {
                for (o, &s) in out.iter_mut().zip(points) {
                    *o = *o + exponential_wait_lst(p, rate, s).scale(served);
                }
            }
            _ => {
                for (o, &s) in out.iter_mut().zip(points) {
                    *o = *o + self.lst(s).scale(served);
                }
            }
        }
    }

    /// Transform `E[e^{−sW}]` of the wait (0 for an unbounded wait: no finite mass).
    pub fn lst<N: Num>(&self, s: N) -> N {
        match *self {
            Wait::Exponential { p, rate } => exponential_wait_lst(p, rate, s),
            Wait::Unbounded => N::real(0.0),
            Wait::Deadline { p, rate, limit } => {
                // ∫₀^L r e^{−(r+s)v} dv / (1 − e^{−rL}). For r > 0 both pieces (before and
                // after the edge at L) decay and e^{−sL} is kept apart as a delay, which the
                // percentile search inverts exactly; for r ≤ 0 each piece alone grows (a
                // pole at s = −r), so the edge is evaluated in place.
                let x = rate * limit;
                let edge_at = |s: N| {
                    if self.delays() {
                        N::delay(s, limit)
                    } else {
                        N::exp_neg(s, limit)
                    }
                };
                let sl = s * N::real(limit);
                let conditional = if x.abs() < 1e-9 && sl.norm_sqr() < 1e-12 {
                    // r → 0 and s → 0: the series of (1 − e^{−sL}) / (sL).
                    N::real(1.0) - sl * N::real(0.5) + sl * sl * N::real(1.0 / 6.0)
                } else if x.abs() < 1e-9 {
                    // r → 0: uniform on (0, L].
                    (N::real(1.0) - edge_at(s)) / sl
                } else if x > 0.0 {
                    let edge = N::real((-x).exp()) * edge_at(s);
                    N::real(rate / -(-x).exp_m1()) * (N::real(1.0) - edge) / (N::real(rate) + s)
                } else {
                    // The same with numerator and denominator times e^{x} ≤ 1, which keeps
                    // e^{−x} (huge for an overloaded queue) out of the arithmetic.
                    N::real(rate / x.exp_m1()) * (N::real(x.exp()) - edge_at(s))
                        / (N::real(rate) + s)
                };
                N::real(1.0 - p) + conditional.scale(p)
            }
            Wait::Truncated {
                peak,
                ratio,
                places,
                rate,
            } => {
                // Σ_{m<places} P(m) z^{m+1}, z the transform of one phase. Below capacity
                // P(m) = peak ρ^m and the sum is z (1 − (ρz)^n) / (1 − ρz); beyond it
                // P(m) = peak σ^{n−1−m} (σ = 1/ρ) and the sum is z (z^n − σ^n) / (z − σ).
                // Every power has modulus at most 1; near the removable singularity the
                // terms (each of modulus at most 1) are added one by one.
                let z = N::over(rate, N::real(rate) + s);
                let (q, rising) = if ratio <= 1.0 {
                    (ratio, false)
                } else {
                    (1.0 / ratio, true)
                };
                let (top, bottom) = if rising {
                    (
                        z.powi(places) - N::real(q.powf(places as f64)),
                        z - N::real(q),
                    )
                } else {
                    let qz = z.scale(q);
                    (N::real(1.0) - qz.powi(places), N::real(1.0) - qz)
                };
                let sum = if bottom.norm_sqr() > 1e-18 {
                    z * top / bottom
                } else {
                    let mut acc = N::real(0.0);
                    let mut power = z;
                    for m in 0..places {
                        let j = if rising { places - 1 - m } else { m };
                        acc = acc + power.scale(q.powf(j as f64));
                        power = power * z;
                    }
                    acc
                };
                let p_wait = peak * geometric_sum(q, places);
                N::real(1.0 - p_wait) + sum.scale(peak)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::num::{Complex, Dual};

    fn factorial(n: u64) -> f64 {
        (1..=n).map(|i| i as f64).product()
    }

    /// Erlang B straight from its definition, for small c.
    fn erlang_b_direct(c: u64, a: f64) -> f64 {
        let num = a.powi(c as i32) / factorial(c);
        let den: f64 = (0..=c).map(|k| a.powi(k as i32) / factorial(k)).sum();
        num / den
    }

    #[test]
    fn erlang_b_matches_the_definition() {
        for c in 0..15 {
            for a in [0.1, 0.5, 1.0, 3.0, 7.5, 20.0] {
                let (got, want) = (erlang_b(c, a), erlang_b_direct(c, a));
                assert!(
                    (got - want).abs() <= 1e-12 * want.max(1e-300),
                    "c={c} a={a}"
                );
            }
        }
        // Textbook table value: 10 trunks at 5 erlangs block 1.84 % of calls.
        assert!((erlang_b(10, 5.0) - 0.018_385).abs() < 1e-6);
    }

    #[test]
    fn erlang_b_handles_huge_pools() {
        assert_eq!(erlang_b(100_000, 10.0), 0.0);
        let b = erlang_b(100_000, 99_000.0);
        assert!(b > 0.0 && b < 1e-3, "{b}");
        // Load above the servers: B tends to 1 − c/a.
        let b = erlang_b(1000, 2000.0);
        assert!((b - 0.5).abs() < 0.01, "{b}");
    }

    #[test]
    fn erlang_c_matches_textbook_values() {
        // M/M/2 at a = 1 (ρ = 0.5): C = a² / (a² + 2(1−ρ)(1 + a)) ... = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // Call-centre classic: 10 agents, 8 erlangs: P(wait) ≈ 0.409.
        assert!((erlang_c(10, 8.0) - 0.4092).abs() < 5e-4);
    }

    #[test]
    fn mm1_mean_wait() {
        let q = Queue {
            lambda: 8.0,
            mu: 10.0,
            servers: 1,
            cs2: 1.0,
            waiting: None,
            deadline: None,
        }
        .solve();
        // Wq = ρ / (μ − λ) = 0.8 / 2.
        assert!((q.mean_wait - 0.4).abs() < 1e-12);
        assert_eq!(q.dropped, 0.0);
        assert!((q.utilization - 0.8).abs() < 1e-12);
    }

    #[test]
    fn mg1_follows_pollaczek_khinchine() {
        // M/D/1: Wq = ρ / (2μ(1 − ρ)), half of M/M/1.
        let q = Queue {
            lambda: 8.0,
            mu: 10.0,
            servers: 1,
            cs2: 0.0,
            waiting: None,
            deadline: None,
        }
        .solve();
        assert!((q.mean_wait - 0.8 / (2.0 * 10.0 * 0.2)).abs() < 1e-12);
    }

    #[test]
    fn mm1k_blocking_and_wait() {
        // M/M/1/K with K = 4 (3 waiting places): P_K = (1−ρ)ρ^K / (1 − ρ^{K+1}).
        let (lambda, mu, k) = (6.0, 10.0, 4u64);
        let rho: f64 = lambda / mu;
        let q = Queue {
            lambda,
            mu,
            servers: 1,
            cs2: 1.0,
            waiting: Some(k - 1),
            deadline: None,
        }
        .solve();
        let p = |n: u64| (1.0 - rho) * rho.powi(n as i32) / (1.0 - rho.powi(k as i32 + 1));
        assert!((q.dropped - p(k)).abs() < 1e-12);
        // Little: L = Σ n p_n, W = L / λ_eff, Wq = W − 1/μ.
        let l: f64 = (0..=k).map(|n| n as f64 * p(n)).sum();
        let wq = l / (lambda * (1.0 - p(k))) - 1.0 / mu;
        assert!((q.mean_wait - wq).abs() < 1e-12, "{} vs {wq}", q.mean_wait);
        // The transform agrees with the mean: −d/ds at 0.
        let d = q.wait.lst(Dual::new(0.0, 1.0));
        assert!((d.v - 1.0).abs() < 1e-12 && (-d.d - wq).abs() < 1e-12);
    }

    /// M/M/c/(c+places) from its birth–death chain, state by state in logarithms: blocking
    /// probability, mean wait of an accepted arrival (Little's law on the waiting line), and
    /// what an accepted arrival finds waiting.
    fn finite_direct(lambda: f64, mu: f64, c: u64, places: u64) -> (f64, f64, Vec<f64>) {
        let a = lambda / mu;
        let rho = a / c as f64;
        let mut log = vec![0.0];
        for n in 1..=c + places {
            let step = if n <= c { a / n as f64 } else { rho };
            log.push(log[n as usize - 1] + step.ln());
        }
        let top = log.iter().copied().fold(f64::MIN, f64::max);
        let weights: Vec<f64> = log.iter().map(|l| (l - top).exp()).collect();
        let total: f64 = weights.iter().sum();
        let p = |n: u64| weights[n as usize] / total;
        let blocked = p(c + places);
        let waiting: f64 = (c..=c + places).map(|n| (n - c) as f64 * p(n)).sum();
        let found = (c..c + places).map(|n| p(n) / (1.0 - blocked)).collect();
        (blocked, waiting / (lambda * (1.0 - blocked)), found)
    }

    #[test]
    fn finite_rooms_match_their_chain_below_at_and_far_beyond_capacity() {
        // Loads from light to 140× capacity, with rooms up to where ρ^places overflows a
        // double (140^153 ≈ 10³²⁸): blocking, mean wait and the wait's transform (value 1
        // and slope −E[W] at s = 0) agree with the chain to 1e-9 relative.
        let cases = [
            (6.0, 10.0, 1, 3),
            (19.0, 10.0, 2, 5),
            (20.0, 10.0, 2, 5),
            (30.0, 10.0, 2, 40),
            (29_137.4, 4.6, 45, 153),
            (1e6, 1.0, 3, 2_000),
        ];
        for (lambda, mu, c, places) in cases {
            let q = Queue {
                lambda,
                mu,
                servers: c,
                cs2: 1.0,
                waiting: Some(places),
                deadline: None,
            }
            .solve();
            let (blocked, wait, found) = finite_direct(lambda, mu, c, places);
            let what = format!("λ={lambda} μ={mu} c={c} places={places}");
            assert!(
                (q.dropped - blocked).abs() <= 1e-9 * blocked,
                "{what}: {q:?}"
            );
            assert!((q.mean_wait - wait).abs() <= 1e-9 * wait, "{what}: {q:?}");
            let d = q.wait.lst(Dual::new(0.0, 1.0));
            assert!((d.v - 1.0).abs() < 1e-9, "{what}: {d:?}");
            assert!((-d.d - wait).abs() <= 1e-9 * wait, "{what}: {d:?}");
            // At a complex point: Σ P(finds m) z^{m+1} + P(no wait), z one phase's transform.
            let rate = c as f64 * mu;
            let s = Complex::new(0.3 * rate, 0.7 * rate);
            let z = Complex::real(rate) / (Complex::real(rate) + s);
            let (mut want, mut power) = (Complex::real(1.0 - found.iter().sum::<f64>()), z);
            for p in &found {
                want = want + power.scale(*p);
                power = power * z;
            }
            let got = q.wait.lst(s);
            assert!(
                (got - want).norm_sqr().sqrt() < 1e-9,
                "{what}: {got:?} vs {want:?}"
            );
        }
    }

    fn shed_after(lambda: f64, mu: f64, servers: u64, limit: f64) -> Solved {
        Queue {
            lambda,
            mu,
            servers,
            cs2: 1.0,
            waiting: None,
            deadline: Some(limit),
        }
        .solve()
    }

    #[test]
    fn shedding_by_waiting_time_matches_mm1_with_deterministic_patience() {
        // M/M/1+D: P(shed) = (1 − ρ) ρ e^{−(μ−λ)τ} / (1 − ρ² e^{−(μ−λ)τ}), below, at and
        // beyond capacity (ρ = 1 as the limit ρ → 1 of the same expression).
        for (lambda, mu, tau) in [(6.0, 10.0, 0.3), (10.0, 10.0, 0.3), (25.0, 10.0, 0.05)] {
            let q = shed_after(lambda, mu, 1, tau);
            let rho: f64 = lambda / mu;
            let e = (-(mu - lambda) * tau).exp();
            let want = if (rho - 1.0).abs() < 1e-12 {
                1.0 / (2.0 + mu * tau)
            } else {
                (1.0 - rho) * rho * e / (1.0 - rho * rho * e)
            };
            assert!(
                (q.dropped - want).abs() < 1e-12,
                "{lambda}: {} vs {want}",
                q.dropped
            );
            // The transform agrees with the mean, and no served request waits beyond τ.
            let d = q.wait.lst(Dual::new(0.0, 1.0));
            assert!((d.v - 1.0).abs() < 1e-12, "{}", d.v);
            assert!(
                (-d.d - q.mean_wait).abs() < 1e-12,
                "{} vs {}",
                -d.d,
                q.mean_wait
            );
            assert!(q.mean_wait > 0.0 && q.mean_wait < tau);
        }
    }

    #[test]
    fn shedding_stays_finite_far_past_capacity() {
        // Far overloaded with a long limit, where e^{|θ|τ} would overflow: the shed share is
        // the excess 1 − cμ/λ and a served request waits the limit less 1/(λ − μ) (the
        // mean of a density ∝ e^{(λ−μ)v} on (0, τ]).
        for (lambda, limit) in [(300.0, 5.0), (3000.0, 100.0), (1e6, 3600.0)] {
            let q = shed_after(lambda, 10.0, 1, limit);
            assert!(q.dropped.is_finite() && q.mean_wait.is_finite(), "{q:?}");
            assert!(
                (q.dropped - (1.0 - 10.0 / lambda)).abs() < 1e-9,
                "{lambda}: {}",
                q.dropped
            );
            let want = limit - 1.0 / (lambda - 10.0);
            assert!((q.mean_wait - want).abs() < 1e-9 * limit, "{}", q.mean_wait);
            let d = q.wait.lst(Dual::new(0.0, 1.0));
            assert!((d.v - 1.0).abs() < 1e-9, "{d:?}");
            assert!((-d.d - q.mean_wait).abs() < 1e-6 * limit, "{d:?}");
        }
    }

    #[test]
    fn shedding_spans_erlang_b_to_erlang_c() {
        // τ = 0: nobody waits, the loss system. τ large: nobody is shed, Erlang C.
        let (lambda, mu, c) = (30.0, 4.0, 10);
        let a = lambda / mu;
        let now = shed_after(lambda, mu, c, 0.0);
        assert!((now.dropped - erlang_b(c, a)).abs() < 1e-12);
        assert_eq!(now.mean_wait, 0.0);
        let patient = shed_after(lambda, mu, c, 1e3);
        assert!(patient.dropped < 1e-300);
        let want = erlang_c(c, a) / (c as f64 * mu - lambda);
        assert!((patient.mean_wait - want).abs() < 1e-12 * want);
    }

    #[test]
    fn loss_system_is_erlang_b() {
        let q = Queue {
            lambda: 5.0,
            mu: 1.0,
            servers: 10,
            cs2: 1.0,
            waiting: Some(0),
            deadline: None,
        }
        .solve();
        assert!((q.dropped - erlang_b(10, 5.0)).abs() < 1e-12);
        assert_eq!(q.mean_wait, 0.0);
    }

    #[test]
    fn overload_is_unbounded_not_nan() {
        let q = Queue {
            lambda: 30.0,
            mu: 10.0,
            servers: 2,
            cs2: 1.0,
            waiting: None,
            deadline: None,
        }
        .solve();
        assert_eq!(q.wait, Wait::Unbounded);
        assert!((q.dropped - (1.0 - 20.0 / 30.0)).abs() < 1e-12);
        assert!((q.load - 1.5).abs() < 1e-12);
        // A finite room at overload: blocks about 1 − 1/ρ, waits about a full room.
        let q = Queue {
            lambda: 30.0,
            mu: 10.0,
            servers: 2,
            cs2: 1.0,
            waiting: Some(1000),
            deadline: None,
        }
        .solve();
        assert!((q.dropped - 1.0 / 3.0).abs() < 1e-9);
        assert!(q.mean_wait.is_finite() && (q.mean_wait - 1000.0 / 20.0).abs() < 0.5);
    }

    #[test]
    fn service_transforms_have_the_right_mean() {
        for cs2 in [0.0, 0.25, 0.5, 1.0, 2.0, 9.0] {
            let d = service_lst(4.0, cs2, Dual::new(0.0, 1.0));
            assert!((d.v - 1.0).abs() < 1e-12);
            assert!((-d.d - 0.25).abs() < 1e-12, "cs2={cs2}");
        }
    }
}
