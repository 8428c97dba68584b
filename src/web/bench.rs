//! A measuring point for `make bench`: the solve timed inside the page, where the numbers a
//! person sees are computed (scripts/bench-browser.mjs calls it through the exports trunk
//! puts on `window.wasmBindings`).

use crate::codec;
use crate::solve::analyze;
use wasm_bindgen::prelude::wasm_bindgen;

/// Solves timed together: a page's clock is coarsened (to 0.1 ms in Chromium without
/// cross-origin isolation), so one solve of under a millisecond cannot be timed alone.
const SOLVES_PER_SAMPLE: u32 = 10;

/// Median over `runs` samples of the wall time of one solve of the scenario `json`, each
/// sample the mean of [`SOLVES_PER_SAMPLE`] solves in a row, in milliseconds; `NaN` when
/// the scenario cannot be read, there is no clock, or it does not solve.
#[wasm_bindgen]
pub fn bench_solve(json: &str, runs: u32) -> f64 {
    let Ok(s) = codec::from_json(json) else {
        return f64::NAN;
    };
    let Some(clock) = web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t0 = clock.now();
        for _ in 0..SOLVES_PER_SAMPLE {
            if analyze(&s).is_err() {
                return f64::NAN;
            }
        }
        times.push((clock.now() - t0) / f64::from(SOLVES_PER_SAMPLE));
    }
    crate::sort::by(&mut times, f64::total_cmp);
    times[times.len() / 2]
}
