//! The capacity planner's wall time on the journey's sharded stage at twenty times its
//! traffic: hundreds of solves and SPOF checks, the planner's heaviest common case (the
//! page runs it in a worker). Prints the median of a few runs and what the plan changed;
//! run with `make bench`.

use archsim::presets::stage;
use archsim::solve::{plan, Plan, Target};
use std::time::Instant;

fn main() {
    let Some(stage) = stage("sharding") else {
        eprintln!("no sharding stage");
        return;
    };
    let s = (stage.build)();
    for rps in [2_000.0, 20_000.0] {
        let target = Target {
            rps,
            p99_ms: 500.0,
            availability: 0.999,
            headroom: 1.0,
        };
        let mut times = Vec::new();
        let mut outcome = String::new();
        for _ in 0..3 {
            let start = Instant::now();
            let p = plan(&s, &target);
            times.push(start.elapsed().as_secs_f64());
            outcome = match p {
                Plan::Met { changes, .. } => format!("{changes:?}"),
                Plan::Impossible(why) => format!("impossible: {why}"),
            };
        }
        archsim::sort::by(&mut times, f64::total_cmp);
        println!(
            "plan, sharding stage at {rps} req/s: median {:.2} s over {} runs; {outcome}",
            times[times.len() / 2],
            times.len()
        );
    }
}
