//! A measuring point for `make bench`: the solve timed inside the page, where the numbers a
//! person sees are computed (scripts/bench-browser.mjs calls it through the exports trunk
//! puts on `window.wasmBindings`).

use crate::codec;
use crate::solve::analyze;
use wasm_bindgen::prelude::wasm_bindgen;

/// Median wall time of `runs` solves of the scenario `json`, in milliseconds; `NaN` when
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
        if analyze(&s).is_err() {
            return f64::NAN;
        }
        times.push(clock.now() - t0);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
