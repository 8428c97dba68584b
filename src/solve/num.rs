//! Numbers the latency transforms are evaluated on.
//!
//! The same transform code runs on two number types: complex numbers, to invert the
//! Laplace–Stieltjes transform for percentiles, and dual numbers at `s = 0`, whose derivative
//! part gives exact means without a second set of formulas.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// Arithmetic shared by [`Complex`] and [`Dual`].
pub trait Num:
    Copy
    + Send
    + Sync
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A real constant.
    fn real(x: f64) -> Self;
    /// `e^{−s·d}`: the transform of a constant delay of `d` seconds, at `s`.
    fn delay(s: Self, d: f64) -> Self;
    /// `e^{−s·d}` as a value, never kept apart as a shift: for a factor whose pieces are
    /// well behaved only together (each alone may grow without bound).
    fn exp_neg(s: Self, d: f64) -> Self {
        Self::delay(s, d)
    }
    /// Squared modulus of the value part, for closeness tests.
    fn norm_sqr(self) -> f64;

    /// `self · k` for a real `k`: the same value as `self * Self::real(k)` without the
    /// products by the constant's zero parts, which the transforms' inner loops are full of.
    fn scale(self, k: f64) -> Self {
        self * Self::real(k)
    }

    /// `k / z` for a real `k`: the same value as `Self::real(k) / z`, with less arithmetic.
    fn over(k: f64, z: Self) -> Self {
        Self::real(k) / z
    }

    /// `self` to a non-negative integer power, by squaring (no product by one: `x¹` is `x`).
    fn powi(self, mut n: u64) -> Self {
        if n == 0 {
            return Self::real(1.0);
        }
        let mut base = self;
        while n & 1 == 0 {
            base = base * base;
            n >>= 1;
        }
        let mut acc = base;
        n >>= 1;
        while n > 0 {
            base = base * base;
            if n & 1 == 1 {
                acc = acc * base;
            }
            n >>= 1;
        }
        acc
    }
}

/// A complex number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Complex {
    /// Real part.
    pub re: f64,
    /// Imaginary part.
    pub im: f64,
}

impl Complex {
    /// `re + i·im`.
    pub const fn new(re: f64, im: f64) -> Self {
        Complex { re, im }
    }
}

impl Add for Complex {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}
impl Sub for Complex {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Complex::new(self.re - o.re, self.im - o.im)
    }
}
impl Mul for Complex {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        Complex::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
}
impl Div for Complex {
    type Output = Self;
    fn div(self, o: Self) -> Self {
        // Smith's algorithm: avoids overflow when |o| is large.
        if o.re.abs() >= o.im.abs() {
            let r = o.im / o.re;
            let d = o.re + o.im * r;
            Complex::new((self.re + self.im * r) / d, (self.im - self.re * r) / d)
        } else {
            let r = o.re / o.im;
            let d = o.re * r + o.im;
            Complex::new((self.re * r + self.im) / d, (self.im * r - self.re) / d)
        }
    }
}
impl Neg for Complex {
    type Output = Self;
    fn neg(self) -> Self {
        Complex::new(-self.re, -self.im)
    }
}
impl Num for Complex {
    fn real(x: f64) -> Self {
        Complex::new(x, 0.0)
    }
    fn delay(s: Self, d: f64) -> Self {
        let m = (-s.re * d).exp();
        let phase = -s.im * d;
        Complex::new(m * phase.cos(), m * phase.sin())
    }
    fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
    fn scale(self, k: f64) -> Self {
        Complex::new(self.re * k, self.im * k)
    }
    /// Smith's division with a real numerator.
    fn over(k: f64, z: Self) -> Self {
        if z.re.abs() >= z.im.abs() {
            let r = z.im / z.re;
            let d = z.re + z.im * r;
            Complex::new(k / d, -(k * r) / d)
        } else {
            let r = z.re / z.im;
            let d = z.re * r + z.im;
            Complex::new(k * r / d, -k / d)
        }
    }
}

/// A dual number `v + d·ε` with `ε² = 0`: evaluating a transform at `Dual::new(0, 1)` gives
/// its value and its derivative at zero, which is minus the mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dual {
    /// Value.
    pub v: f64,
    /// Derivative.
    pub d: f64,
}

impl Dual {
    /// `v + d·ε`.
    pub const fn new(v: f64, d: f64) -> Self {
        Dual { v, d }
    }
}

impl Add for Dual {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Dual::new(self.v + o.v, self.d + o.d)
    }
}
impl Sub for Dual {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Dual::new(self.v - o.v, self.d - o.d)
    }
}
impl Mul for Dual {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        Dual::new(self.v * o.v, self.v * o.d + self.d * o.v)
    }
}
impl Div for Dual {
    type Output = Self;
    fn div(self, o: Self) -> Self {
        Dual::new(self.v / o.v, (self.d * o.v - self.v * o.d) / (o.v * o.v))
    }
}
impl Neg for Dual {
    type Output = Self;
    fn neg(self) -> Self {
        Dual::new(-self.v, -self.d)
    }
}
impl Num for Dual {
    fn real(x: f64) -> Self {
        Dual::new(x, 0.0)
    }
    fn delay(s: Self, d: f64) -> Self {
        let e = (-s.v * d).exp();
        Dual::new(e, -d * e * s.d)
    }
    fn norm_sqr(self) -> f64 {
        self.v * self.v
    }
    fn scale(self, k: f64) -> Self {
        Dual::new(self.v * k, self.d * k)
    }
    fn over(k: f64, z: Self) -> Self {
        Dual::new(k / z.v, -(k * z.d) / (z.v * z.v))
    }
}

/// Most distinct constant delays a [`Shifted`] keeps apart.
pub const SHIFTS: usize = 12;

/// A transform written as `Σ_D c_D(s) · e^{−sD}`: the constant delays `D` (network distance,
/// constant service times) are kept as exact shifts instead of being folded into the complex
/// values. Inverting each smooth `c_D` at `t − D` avoids the ringing that a jump causes in
/// numerical inversion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shifted {
    terms: [(f64, Complex); SHIFTS],
    len: usize,
    /// Set when more than [`SHIFTS`] distinct delays arose; the value is then incomplete.
    pub overflow: bool,
}

impl Shifted {
    fn empty() -> Self {
        Shifted {
            terms: [(0.0, Complex::new(0.0, 0.0)); SHIFTS],
            len: 0,
            overflow: false,
        }
    }

    /// A value with no delay.
    pub fn plain(c: Complex) -> Self {
        let mut out = Shifted::empty();
        out.push(0.0, c);
        out
    }

    /// The terms: delay in seconds and its coefficient.
    pub fn terms(&self) -> &[(f64, Complex)] {
        &self.terms[..self.len]
    }

    fn push(&mut self, d: f64, c: Complex) {
        if let Some(t) = self.terms[..self.len]
            .iter_mut()
            .find(|t| (t.0 - d).abs() <= 1e-12 * (1.0 + d))
        {
            t.1 = t.1 + c;
        } else if self.len < SHIFTS {
            self.terms[self.len] = (d, c);
            self.len += 1;
        } else {
            self.overflow = true;
        }
    }

    /// The undelayed coefficient, for divisions by plain values.
    fn scalar(&self) -> Complex {
        self.terms()
            .iter()
            .find(|t| t.0 == 0.0)
            .map_or(Complex::new(0.0, 0.0), |t| t.1)
    }

    fn map(mut self, f: impl Fn(Complex) -> Complex) -> Self {
        for t in &mut self.terms[..self.len] {
            t.1 = f(t.1);
        }
        self
    }
}

impl Add for Shifted {
    type Output = Self;
    fn add(mut self, o: Self) -> Self {
        for &(d, c) in o.terms() {
            self.push(d, c);
        }
        self.overflow = self.overflow || o.overflow;
        self
    }
}
impl Sub for Shifted {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        self + -o
    }
}
impl Mul for Shifted {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        let mut out = Shifted::empty();
        for &(d1, c1) in self.terms() {
            for &(d2, c2) in o.terms() {
                out.push(d1 + d2, c1 * c2);
            }
        }
        out.overflow |= self.overflow || o.overflow;
        out
    }
}
impl Div for Shifted {
    type Output = Self;
    /// Only divisions by undelayed values arise in the transforms (denominators such as
    /// `μ + s`); the divisor's delayed terms, if any, are ignored.
    fn div(self, o: Self) -> Self {
        let d = o.scalar();
        self.map(|c| c / d)
    }
}
impl Neg for Shifted {
    type Output = Self;
    fn neg(self) -> Self {
        self.map(|c| -c)
    }
}
impl Num for Shifted {
    fn real(x: f64) -> Self {
        Shifted::plain(Complex::real(x))
    }
    fn delay(_s: Self, d: f64) -> Self {
        let mut out = Shifted::empty();
        out.push(d, Complex::real(1.0));
        out
    }
    fn exp_neg(s: Self, d: f64) -> Self {
        Shifted::plain(Complex::delay(s.scalar(), d))
    }
    fn norm_sqr(self) -> f64 {
        self.terms().iter().map(|t| t.1.norm_sqr()).sum()
    }
    fn scale(self, k: f64) -> Self {
        self.map(|c| c.scale(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complex_arithmetic() {
        let a = Complex::new(1.0, 2.0);
        let b = Complex::new(3.0, -1.0);
        assert_eq!(a * b, Complex::new(5.0, 5.0));
        let q = (a * b) / b;
        assert!((q.re - 1.0).abs() < 1e-15 && (q.im - 2.0).abs() < 1e-15);
        let e = Complex::delay(Complex::new(0.0, std::f64::consts::PI), -1.0);
        assert!((e.re + 1.0).abs() < 1e-15 && e.im.abs() < 1e-15);
        assert_eq!(a.powi(3), a * a * a);
    }

    /// The shortcuts give the very values of the general operations they stand for.
    #[test]
    fn shortcuts_equal_the_general_operations() {
        let zs = [
            Complex::new(1.5, -0.25),
            Complex::new(0.3, 7.0),
            Complex::new(-2.0, 1e-9),
            Complex::new(1e-300, 3.0),
        ];
        for z in zs {
            for k in [0.0, 1.0, 0.37, 1e6, -2.5] {
                assert_eq!(z.scale(k), z * Complex::real(k));
                assert_eq!(Complex::over(k, z), Complex::real(k) / z);
                // Equal, NaN included (1e-300 squared underflows in both).
                let same = |a: Dual, b: Dual| {
                    [(a.v, b.v), (a.d, b.d)]
                        .iter()
                        .all(|&(x, y)| x == y || (x.is_nan() && y.is_nan()))
                };
                let d = Dual::new(z.re, z.im);
                assert!(same(d.scale(k), d * Dual::real(k)));
                assert!(same(Dual::over(k, d), Dual::real(k) / d));
            }
            let mut power = Complex::real(1.0);
            for n in 0..9 {
                // Repeated products in the order squaring takes them.
                let mut want = Complex::real(1.0);
                let (mut base, mut m) = (z, n);
                while m > 0 {
                    if m & 1 == 1 {
                        want = want * base;
                    }
                    base = base * base;
                    m >>= 1;
                }
                assert_eq!(z.powi(n), want, "{z:?}^{n}");
                let rel = ((z.powi(n) - power).norm_sqr() / power.norm_sqr().max(1e-300)).sqrt();
                assert!(rel < 1e-14, "{z:?}^{n}");
                power = power * z;
            }
        }
    }

    #[test]
    fn dual_gives_derivatives() {
        // d/ds [2 / (2 + s)] at 0 = -1/2: the mean of an Exp(2) is 1/2.
        let s = Dual::new(0.0, 1.0);
        let f = Dual::real(2.0) / (Dual::real(2.0) + s);
        assert_eq!(f, Dual::new(1.0, -0.5));
        assert_eq!(Dual::delay(s, 1.0), Dual::new(1.0, -1.0));
    }

    #[test]
    fn shifted_keeps_delays_apart() {
        let s = Shifted::plain(Complex::new(1.0, 0.0));
        let a = Shifted::delay(s, 0.5) * Shifted::real(2.0) + Shifted::real(1.0);
        let b = a * Shifted::delay(s, 0.25);
        let mut terms = b.terms().to_vec();
        crate::sort::by(&mut terms, |x, y| x.0.total_cmp(&y.0));
        assert_eq!(
            terms,
            vec![(0.25, Complex::real(1.0)), (0.75, Complex::real(2.0))]
        );
    }
}
