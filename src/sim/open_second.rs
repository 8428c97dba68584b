//! A station's time integrals over the second in progress.

/// The integrals a station keeps, in this order: server-seconds busy, request-seconds
/// waiting, server-seconds available, instance-seconds paid for and instance-seconds
/// serving.
pub(super) type Rates = [f64; 5];

/// One station's integrals over the second in progress, summed here and handed to the
/// per-second meters once time reaches the second's end.
///
/// Bringing the integrals up to date is the event loop's most frequent step (twice per
/// service). Kept beside the station's counts, it adds into one small array instead of
/// five per-second vectors. Each second's sums are the same additions in the same order,
/// starting from zero, as when they were made in the meters directly, so every figure is
/// the same to the bit.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenSecond {
    /// The end of the second in progress (a whole number of seconds).
    pub next: f64,
    /// Up to when within it the sums run.
    pub until: f64,
    pub sums: Rates,
}

impl OpenSecond {
    /// The first second, nothing summed.
    pub fn new() -> OpenSecond {
        OpenSecond {
            next: 1.0,
            until: 0.0,
            sums: [0.0; 5],
        }
    }

    /// Adds `rates` held from `until` to `end`, within the second in progress: the step
    /// nearly every update takes. Returns false, doing nothing, when `end` is not inside it.
    #[inline]
    pub fn extend(&mut self, rates: &Rates, end: f64) -> bool {
        if !(self.until < end && end < self.next) {
            return false;
        }
        self.add(rates, end);
        true
    }

    /// Adds `rates` held from `until` to `end`, across seconds: `close` is called with each
    /// second that time passes the end of (its index and sums), and the next one opens.
    pub fn advance(&mut self, rates: &Rates, end: f64, mut close: impl FnMut(usize, &Rates)) {
        while self.until < end {
            let until = end.min(self.next);
            self.add(rates, until);
            if until == self.next {
                close(self.next as usize - 1, &self.sums);
                self.sums = [0.0; 5];
                self.next += 1.0;
            }
        }
    }

    /// Adds `rates` held from `until` to `end`, which is inside the second in progress or at
    /// its end.
    #[inline]
    fn add(&mut self, rates: &Rates, end: f64) {
        let dt = end - self.until;
        for (sum, rate) in self.sums.iter_mut().zip(rates) {
            *sum += rate * dt;
        }
        self.until = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every second closed, with its sums, by a sequence of updates.
    fn closed(updates: &[(Rates, f64)]) -> (Vec<(usize, Rates)>, OpenSecond) {
        let mut open = OpenSecond::new();
        let mut out = Vec::new();
        for (rates, end) in updates {
            if !open.extend(rates, *end) {
                open.advance(rates, *end, |s, sums| out.push((s, *sums)));
            }
        }
        (out, open)
    }

    #[test]
    fn a_second_is_closed_when_time_reaches_its_end_with_what_was_held_in_it() {
        let one = [1.0, 2.0, 0.0, 4.0, 1.0];
        // 0.25 s at `one`, then from 0.25 to 2.5 at twice `one`.
        let two = one.map(|r| 2.0 * r);
        let (out, open) = closed(&[(one, 0.25), (two, 2.5)]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].0, 0);
        assert_eq!(out[0].1, one.map(|r| r * 0.25 + 2.0 * r * 0.75));
        assert_eq!(out[1], (1, two));
        assert_eq!((open.next, open.until), (3.0, 2.5));
        assert_eq!(open.sums, two.map(|r| r * 0.5));
    }

    #[test]
    fn an_update_at_a_seconds_end_closes_it_and_an_earlier_time_changes_nothing() {
        let rates = [3.0; 5];
        let (out, open) = closed(&[(rates, 0.5), (rates, 1.0), (rates, 0.75)]);
        assert_eq!(out, vec![(0, [3.0; 5])]);
        assert_eq!((open.next, open.until, open.sums), (2.0, 1.0, [0.0; 5]));
    }
}
