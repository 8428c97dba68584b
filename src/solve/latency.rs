//! End-to-end response time: its transform over all request paths, its mean, and its
//! percentiles by numerical inversion.
//!
//! For a class-k request entering node v, `R_k(v)(s) = E[e^{−sT}; completes in finite time]`
//! satisfies
//!
//! ```text
//! R_k(v) = F_v · Π_calls R_k(c)^{calls} · (completes_k(v) + Σ_routes p · R_k(t))
//! ```
//!
//! where `F_v` is the node's own sojourn transform (zero mass for dropped requests and for
//! those stuck behind an unbounded queue). This is the mixture over paths of the product of
//! per-hop transforms, i.e. the distribution of the sum of per-hop times with hops taken as
//! independent, computed in one pass over the graph instead of enumerating paths. The
//! percentiles come from inverting `R(s)/s` (the CDF) with the Abate–Whitt Euler algorithm,
//! never from adding per-hop percentiles.

use super::network::Network;
use super::num::{Complex, Dual, Num, Shifted};
use super::station::Load;

impl Num for f64 {
    fn real(x: f64) -> Self {
        x
    }
    fn delay(s: Self, d: f64) -> Self {
        (-s * d).exp()
    }
    fn norm_sqr(self) -> f64 {
        self * self
    }
}

/// Shares that add up to 1 only up to rounding would report 1e-13 req/s dropped.
fn snap(x: f64) -> f64 {
    if (1.0 - x).abs() < 1e-12 {
        1.0
    } else {
        x
    }
}

/// Sweeps allowed for a loop to converge in the transform pass.
const MAX_SWEEPS: usize = 10_000;

/// The latency side of a solved network.
pub(crate) struct Latency<'a> {
    pub net: &'a Network<'a>,
    /// Station steady states, per node (`None` for clients and regions).
    pub loads: &'a [Option<Load>],
    /// Offered class shares.
    pub shares: [f64; 3],
}

/// End-to-end results for requests that are not dropped, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Summary {
    /// Share of offered requests that are served (possibly after an unbounded wait).
    pub success: f64,
    /// Share of offered requests served in finite time.
    pub finite: f64,
    /// Mean response time of served requests; `None` when some wait without bound.
    pub mean: Option<f64>,
    /// p50, p95, p99 of served requests; `None` where that share includes unbounded waits.
    pub percentiles: [Option<f64>; 3],
}

impl Latency<'_> {
    /// Evaluates the root transform `Σ clients Σ classes share · R_k(client)` at `s`, with
    /// `factor(v, s)` as each node's own term.
    fn root<N: Num>(&self, s: N, factor: &impl Fn(usize, N) -> N) -> N {
        let n = self.net.nodes.len();
        let mut val = vec![[N::real(0.0); 3]; n];
        let active: Vec<usize> = (0..3).filter(|&k| self.shares[k] > 0.0).collect();
        // The node's onward part for class k: finishing here, handing on, waiting for calls.
        let onward = |val: &[[N; 3]], v: usize, k: usize| -> N {
            let node = &self.net.nodes[v];
            let mut x = N::real(node.completes[k]);
            for e in &node.routes[k] {
                x = x + N::real(e.p) * val[e.to][k];
            }
            for e in &node.calls[k] {
                let whole = e.p.floor();
                let frac = e.p - whole;
                let target = val[e.to][k];
                x = x * target.powi(whole as u64) * (N::real(1.0 - frac) + N::real(frac) * target);
            }
            x
        };
        for scc in self.net.sccs.iter().rev() {
            if let [v] = scc[..] {
                let own = factor(v, s);
                for &k in &active {
                    val[v][k] = onward(&val, v, k) * own;
                }
                continue;
            }
            let own: Vec<N> = scc.iter().map(|&v| factor(v, s)).collect();
            for _ in 0..MAX_SWEEPS {
                let mut change: f64 = 0.0;
                for (&v, &f) in scc.iter().zip(&own) {
                    for &k in &active {
                        let new = onward(&val, v, k) * f;
                        change = change.max((new - val[v][k]).norm_sqr());
                        val[v][k] = new;
                    }
                }
                if change < 1e-28 {
                    break;
                }
            }
        }
        let mut total = N::real(0.0);
        for &(v, share) in &self.net.sources {
            for &k in &active {
                total = total + N::real(share * self.shares[k]) * val[v][k];
            }
        }
        total
    }

    fn sojourn<N: Num>(&self, v: usize, s: N) -> N {
        let delay = self.net.nodes[v].delay;
        let base = match &self.loads[v] {
            Some(load) => load.lst(s),
            None => N::real(1.0),
        };
        if delay > 0.0 {
            base * N::delay(s, delay)
        } else {
            base
        }
    }

    /// The constant delays that paths can add up to (each a jump in the CDF), or `None`
    /// when there are too many distinct ones to keep apart.
    fn shifts(&self) -> Option<Vec<f64>> {
        let probe = Shifted::plain(Complex::new(1.0, 0.5));
        let v = self.root(probe, &|v, s| self.sojourn(v, s));
        (!v.overflow).then(|| v.terms().iter().map(|t| t.0).collect())
    }

    /// The CDF and density of finite end-to-end times at `t` seconds (mass, not
    /// normalised). With known shifts, each delayed part is inverted at `t − D`, where it is
    /// smooth.
    fn cdf(&self, t: f64, shifts: Option<&[f64]>) -> (f64, f64) {
        if t <= 0.0 {
            return (0.0, 0.0);
        }
        let (cdf, pdf) = match shifts {
            Some(ds) if ds != [0.0] => ds.iter().filter(|&&d| d < t).fold((0.0, 0.0), |acc, &d| {
                let (c, p) = euler_pair(t - d, |s| {
                    let r = self.root(Shifted::plain(s), &|v, s| self.sojourn(v, s));
                    r.terms()
                        .iter()
                        .find(|term| term.0 == d)
                        .map_or(Complex::real(0.0), |term| term.1)
                });
                (acc.0 + c, acc.1 + p)
            }),
            _ => euler_pair(t, |s| self.root(s, &|v, s| self.sojourn(v, s))),
        };
        (cdf.clamp(0.0, 1.0), pdf.max(0.0))
    }

    /// Means and percentiles of served requests.
    pub fn summarize(&self) -> Summary {
        let success = self.success();
        let d = self.root(Dual::new(0.0, 1.0), &|v, s| self.sojourn(v, s));
        let finite = snap(d.v);
        let unbounded_mass = success - finite;
        let tol = 1e-9;
        let mean = (unbounded_mass <= tol && finite > 0.0).then(|| -d.d / finite);
        let mut percentiles = [None; 3];
        let shifts = self.shifts();
        let mut previous: f64 = 0.0;
        for (slot, p) in percentiles.iter_mut().zip([0.50f64, 0.95, 0.99]) {
            let target = p * success;
            if success <= 0.0 || target > finite - tol {
                continue;
            }
            // Start where an exponential of the same mean would have its quantile.
            let scale = mean.unwrap_or(1e-3).max(1e-6);
            let guess = (scale * -(1.0 - p).ln()).max(previous * 1.01);
            // Quantiles never decrease with p; on a jump the solver's tolerance could say so.
            let q = self
                .quantile(target, guess, shifts.as_deref())
                .max(previous);
            previous = q;
            *slot = Some(q);
        }
        Summary {
            success,
            finite,
            mean,
            percentiles,
        }
    }

    /// Share of offered requests that are served (possibly after an unbounded wait).
    pub fn success(&self) -> f64 {
        snap(self.root(1.0, &|v, _| {
            self.loads[v].as_ref().map_or(1.0, |l| l.accept)
        }))
    }

    /// The time `t` at which the finite-time CDF reaches `target`: Newton's method on the
    /// CDF (its derivative, the density, comes from the same transform evaluations),
    /// safeguarded by a bracket that falls back to bisection or doubling.
    fn quantile(&self, target: f64, guess: f64, shifts: Option<&[f64]>) -> f64 {
        let (mut lo, mut hi) = (0.0, f64::INFINITY);
        let mut t = guess;
        for _ in 0..200 {
            let (cdf, pdf) = self.cdf(t, shifts);
            let gap = cdf - target;
            if gap.abs() < 1e-10 {
                return t;
            }
            if gap < 0.0 {
                lo = t;
            } else {
                hi = t;
            }
            let newton = t - gap / pdf;
            let next = if pdf > 0.0 && newton > lo && newton < hi {
                newton
            } else if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * t
            };
            if (next - t).abs() <= 1e-9 * t || (hi.is_finite() && hi - lo <= 1e-9 * hi) {
                return next;
            }
            t = next;
        }
        t
    }
}

/// Terms of the Euler algorithm: `2M + 1` transform evaluations per point, accurate to
/// about `10^{−0.6M}` on smooth functions.
const EULER_M: usize = 14;

/// Inverts `R(s)/s` and `R(s)` at `t` with one evaluation of `R` per point: for the
/// transform of a distribution, its CDF and its density. The inversion is Abate & Whitt's
/// Euler algorithm ("A unified framework for numerically inverting Laplace transforms",
/// INFORMS J. Computing 18(4), 2006), with binomial averaging of the alternating series.
fn euler_pair(t: f64, r: impl Fn(Complex) -> Complex) -> (f64, f64) {
    euler_terms(t).fold((0.0, 0.0), |(cdf, pdf), (s, w)| {
        let v = r(s);
        (cdf + w * (v / s).re, pdf + w * v.re)
    })
}

/// The Euler algorithm's points `s_k` and weights `w_k`: `f(t) ≈ Σ w_k Re f̂(s_k)`.
fn euler_terms(t: f64) -> impl Iterator<Item = (Complex, f64)> {
    let m = EULER_M;
    let a = m as f64 * std::f64::consts::LN_10 / 3.0;
    // ξ_0 = 1/2, ξ_k = 1 (1 ≤ k ≤ M), ξ_{2M} = 2^{−M},
    // ξ_{2M−k} = ξ_{2M−k+1} + 2^{−M} C(M, k) for 0 < k < M.
    let mut xi = [0.0; 2 * EULER_M + 1];
    xi[0] = 0.5;
    for x in xi.iter_mut().take(m + 1).skip(1) {
        *x = 1.0;
    }
    let pow = 0.5f64.powi(m as i32);
    xi[2 * m] = pow;
    let mut binom = 1.0;
    for k in 1..m {
        binom = binom * (m - k + 1) as f64 / k as f64;
        xi[2 * m - k] = xi[2 * m - k + 1] + pow * binom;
    }
    let scale = 10f64.powf(m as f64 / 3.0) / t;
    xi.into_iter().enumerate().map(move |(k, x)| {
        let s = Complex::new(a / t, k as f64 * std::f64::consts::PI / t);
        let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
        (s, sign * x * scale)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts_an_exponential_cdf_and_density() {
        // CDF of Exp(2): transform 2 / (s (s + 2)).
        for t in [0.05, 0.3, 1.0, 3.0] {
            let (cdf, pdf) = euler_pair(t, |s| Complex::real(2.0) / (s + Complex::real(2.0)));
            let want = 1.0 - (-2.0 * t).exp();
            assert!((cdf - want).abs() < 1e-7, "t={t}: {cdf} vs {want}");
            assert!(
                (pdf - 2.0 * (-2.0 * t).exp()).abs() < 1e-6,
                "density at {t}"
            );
        }
    }

    #[test]
    fn inverts_a_shifted_cdf() {
        // A constant 1 s delay plus Exp(1). A jump is the hard case for Euler inversion: the
        // CDF is off by up to 1e-3 for a few multiples of the delay, which is why the solver
        // keeps constant delays apart as exact shifts (`Shifted`) instead.
        for (t, tol) in [(1.5, 1e-3), (2.0, 1e-3), (8.0, 1e-5)] {
            let (got, _) = euler_pair(t, |s| {
                Complex::delay(s, 1.0) * Complex::real(1.0) / (s + Complex::real(1.0))
            });
            let want = 1.0 - (-(t - 1.0)).exp();
            assert!((got - want).abs() < tol, "t={t}: {got} vs {want}");
        }
    }
}
