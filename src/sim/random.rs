//! Random numbers that are the same on every platform.
//!
//! `SmallRng` is a different generator on 32-bit targets (Wasm) than on 64-bit ones, and the
//! platform's `ln`/`exp` may round differently, so a run would not replay byte for byte in the
//! browser. Xoshiro256++ is named explicitly and the transcendental functions come from
//! `libm`, a pure-Rust implementation compiled identically everywhere.

use rand::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The run's random stream.
pub(crate) struct Stream(Xoshiro256PlusPlus);

impl Stream {
    pub fn new(seed: u64) -> Stream {
        Stream(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// Component `id`'s own stream in a run of `seed`. Keyed by the id, not the position,
    /// so that two designs run with one seed give a component they share the same draws
    /// (common random numbers): a difference between them is then the designs', not the
    /// dice's.
    pub fn of_component(seed: u64, id: &str) -> Stream {
        // FNV-1a over the id, then mixed with the seed.
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        Stream::new(seed ^ hash.rotate_left(17))
    }

    /// Uniform on `[0, 1)`, from the top 53 bits.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.0.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// A raw 64-bit value (client keys for IP hashing).
    pub fn bits(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(1.0 - self.uniform())
    }

    /// Standard normal, by Marsaglia's polar method.
    fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * libm::log(s) / s).sqrt();
            }
        }
    }

    /// A whole count with mean `p`: `⌊p⌋` plus one more with probability `p − ⌊p⌋`.
    pub fn count(&mut self, p: f64) -> u32 {
        let whole = p.floor();
        whole as u32 + u32::from(self.uniform() < p - whole)
    }
}

/// A service-time distribution with a given mean and coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Service {
    /// CV 1: the default, and what the closed forms assume.
    Exponential { mean: f64 },
    /// CV 0.
    Deterministic { mean: f64 },
    /// Any other CV: log-normal with the same mean and CV.
    LogNormal { mu: f64, sigma: f64 },
}

impl Service {
    /// The distribution the analytic core's mean and squared CV describe.
    pub fn new(mean: f64, cs2: f64) -> Service {
        if cs2 == 1.0 {
            Service::Exponential { mean }
        } else if cs2 == 0.0 {
            Service::Deterministic { mean }
        } else {
            let sigma2 = libm::log1p(cs2);
            Service::LogNormal {
                mu: libm::log(mean) - sigma2 / 2.0,
                sigma: sigma2.sqrt(),
            }
        }
    }

    pub fn sample(&self, rng: &mut Stream) -> f64 {
        match *self {
            Service::Exponential { mean } => rng.exponential(mean),
            Service::Deterministic { mean } => mean,
            Service::LogNormal { mu, sigma } => libm::exp(mu + sigma * rng.normal()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample mean and squared CV of 200 000 draws.
    fn moments(service: Service) -> (f64, f64) {
        let mut rng = Stream::new(7);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| service.sample(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, var / (mean * mean))
    }

    #[test]
    fn service_times_have_the_asked_mean_and_variability() {
        // Standard error of the mean is cv/√n ≈ 0.2 % at cv 1; 1 % allows 5 of them.
        for (cs2, tol_cs2) in [(1.0, 0.03), (0.0, 1e-12), (0.25, 0.03), (4.0, 0.6)] {
            let (mean, got) = moments(Service::new(0.02, cs2));
            assert!((mean / 0.02 - 1.0).abs() < 0.01, "cs2 {cs2}: mean {mean}");
            assert!((got - cs2).abs() <= tol_cs2, "cs2 {cs2}: got {got}");
        }
    }

    #[test]
    fn counts_have_the_asked_mean() {
        let mut rng = Stream::new(3);
        let n = 100_000;
        let total: u32 = (0..n).map(|_| rng.count(2.3)).sum();
        assert!((f64::from(total) / n as f64 - 2.3).abs() < 0.01);
    }

    #[test]
    fn below_is_in_range_and_even() {
        let mut rng = Stream::new(5);
        let mut hits = [0u32; 3];
        for _ in 0..30_000 {
            hits[rng.below(3) as usize] += 1;
        }
        assert!(
            hits.iter().all(|&h| (9_500..10_500).contains(&h)),
            "{hits:?}"
        );
    }
}
