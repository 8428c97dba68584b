//! Decode → validate → simulate: whatever decodes must run (or be refused) without panicking,
//! whatever its settings — outages of any component, retries, profiles — and its report must
//! hold no NaN or infinity. Runs are shrunk to at most 3 s and 3 000 requests so that each
//! input takes milliseconds.
#![no_main]

use archsim::model::Simulation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(mut s) = archsim::codec::from_link(&text) else {
        return;
    };
    if s.components.len() > 64 {
        return;
    }
    let mut sim = Simulation::of(&s);
    sim.seconds = sim.seconds.min(3.0);
    sim.warmup_s = 0.0;
    let offered = s.traffic.peak_rps() * sim.profile.max_factor() * sim.seconds;
    if offered > 3_000.0 {
        s.traffic.rps = Some(s.traffic.peak_rps() * 3_000.0 / offered);
        s.traffic.users = None;
    }
    s.simulation = Some(sim);
    if let Ok(r) = archsim::sim::simulate(&s) {
        let json = serde_json::to_string(&r).unwrap_or_default();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }
});
