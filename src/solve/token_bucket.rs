//! A token bucket in front of a component: what share of Poisson arrivals it lets through.
//!
//! Tokens refill continuously at `rate` per second up to `burst`; a request takes one token
//! or is rejected (HTTP 429). Measured in time, the bucket's deficit `V = (burst − tokens) /
//! rate` rises by `d = 1/rate` with every accepted request and falls at rate 1, and a request
//! is accepted when `V ≤ τ = (burst − 1)/rate`: an M/D/1 queue's workload with arrivals
//! admitted only below a level. Its stationary law solves the level-crossing equation
//! (Brill's level crossing; Gavish & Schweitzer 1977 for admission by workload)
//!
//! `f(v) = λ·P₀·[v < d] + λ·∫_{max(0, v−d)}^{min(v, τ)} f(u) du` on `(0, τ + d]`,
//!
//! with an atom `P₀` at 0, and `P(reject) = ∫_τ^{τ+d} f` by PASTA. It is solved on a grid
//! (trapezoid rule, implicit in the current point), rescaling as it goes so that a bucket far
//! past its rate, whose density grows like `e^{λv}`, never overflows.

/// Grid points per token at most; fewer for a large burst (at least [`MIN_STEPS`]).
const STEPS: usize = 64;
const MIN_STEPS: usize = 8;
/// Grid points over the whole bucket at most.
const MAX_POINTS: usize = 400_000;

/// The share of Poisson arrivals at `lambda` per second that a bucket refilled at `rate`
/// per second, holding at most `burst` tokens (≥ 1), rejects.
pub fn rejected_share(lambda: f64, rate: f64, burst: f64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    if rate <= 0.0 {
        return 1.0;
    }
    let burst = burst.max(1.0);
    if burst * MIN_STEPS as f64 > MAX_POINTS as f64 {
        // Deeper than the grid can follow (over 50 000 tokens): the level is so far up that
        // below the rate next to nothing is rejected and above it all the excess is.
        return (1.0 - rate / lambda).max(0.0);
    }
    let m = (MAX_POINTS as f64 / burst).clamp(MIN_STEPS as f64, STEPS as f64) as usize;
    let d = 1.0 / rate;
    let h = d / m as f64;
    let tau_steps = ((burst - 1.0) * m as f64).round() as usize;
    let n = tau_steps + m; // grid 0..=n covers (0, τ + d]
                           // f[i] at v = i·h, and F[i] = ∫₀^{ih} f.
    let mut f = vec![0.0f64; n + 1];
    let mut big_f = vec![0.0f64; n + 1];
    let mut p0 = 1.0f64;
    let a = lambda * h / 2.0;
    for i in 0..=n {
        // ∫ from max(0, v − d) to min(v, τ): F(min(i, τ)) − F(max(0, i − m)).
        let lower = i.saturating_sub(m);
        let atom = if i < m { lambda * p0 } else { 0.0 };
        // f jumps down by λP₀ at v = d: the trapezoid before it uses the left limit.
        let jump = if i == m { lambda * p0 } else { 0.0 };
        if i == 0 {
            f[0] = atom;
            big_f[0] = 0.0;
        } else if i <= tau_steps {
            // Implicit trapezoid: F_i = F_{i−1} + h/2 (f_{i−1} + f_i⁻).
            let known = big_f[i - 1] + h / 2.0 * (f[i - 1] + jump) - big_f[lower];
            f[i] = (atom + lambda * known) / (1.0 - a);
            big_f[i] = big_f[i - 1] + h / 2.0 * (f[i - 1] + f[i] + jump);
        } else {
            f[i] = atom + lambda * (big_f[tau_steps] - big_f[lower]).max(0.0);
            big_f[i] = big_f[i - 1] + h / 2.0 * (f[i - 1] + f[i] + jump);
        }
        // The equation is linear in (P₀, f): rescale everything before it overflows.
        if f[i] > 1e200 || big_f[i] > 1e200 {
            let k = 1e-200;
            for x in f.iter_mut().take(i + 1).chain(big_f.iter_mut().take(i + 1)) {
                *x *= k;
            }
            p0 *= k;
        }
    }
    let total = p0 + big_f[n];
    ((big_f[n] - big_f[tau_steps]) / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_token_bucket_rejects_what_comes_within_a_refill() {
        // With one token the bucket is empty for 1/rate after each accepted request, so the
        // accepted stream is a renewal process of period 1/rate + Exp(λ):
        // P(accept) = (1/λ) / (1/rate + 1/λ).
        for (lambda, rate) in [(5.0, 10.0), (10.0, 10.0), (50.0, 10.0)] {
            let want = 1.0 - (1.0 / lambda) / (1.0 / rate + 1.0 / lambda);
            let got = rejected_share(lambda, rate, 1.0);
            assert!((got - want).abs() < 1e-3, "{lambda}: {got} vs {want}");
        }
    }

    #[test]
    fn a_deep_bucket_passes_the_smaller_of_the_offered_rate_and_its_rate() {
        for factor in [0.5, 2.0, 10.0] {
            let (rate, lambda) = (100.0, 100.0 * factor);
            let accepted = lambda * (1.0 - rejected_share(lambda, rate, 200.0));
            let want = lambda.min(rate);
            assert!(
                (accepted - want).abs() <= 0.01 * want,
                "{factor}×: {accepted}"
            );
        }
        // A bucket too deep for the grid takes the deep limit, at once.
        assert_eq!(rejected_share(1e9, 0.001, 1e6), 1.0 - 1e-12);
        assert_eq!(rejected_share(5.0, 10.0, 1e6), 0.0);
        // Accepted never exceeds the refill rate, whatever the burst.
        let accepted = 1000.0 * (1.0 - rejected_share(1000.0, 10.0, 5000.0));
        assert!(accepted <= 10.0 * (1.0 + 1e-6), "{accepted}");
    }
}
