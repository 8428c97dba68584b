//! Mutation fuzzing of the two doors outside input comes through, run by `scripts/fuzz.sh`
//! for a bounded time (not in every CI run): the decoder, and decode → validate → solve.
//! Inputs are valid share links and files mutated at random (bytes flipped, cut, spliced,
//! numbers replaced by extremes). Any panic is a crash: its input is printed and the run
//! fails. No coverage guidance (cargo-fuzz needs a nightly toolchain these machines lack).

mod common;

use archsim::codec::{from_json, from_link, to_fragment, to_json};
use archsim::solve::analyze;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, AssertUnwindSafe};

use std::time::{Duration, Instant};

const EXTREMES: [&str; 10] = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1e-320",
    "99999999999",
    "0.5",
    "[]",
    "{}",
    "null",
];

fn mutate(rng: &mut SmallRng, seed: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..rng.random_range(1..=4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.random_range(0..bytes.len());
        match rng.random_range(0..5) {
            0 => bytes[at] = rng.random(),
            1 => bytes.truncate(at),
            2 => {
                let len = rng.random_range(0..(bytes.len() - at).min(64) + 1);
                let piece: Vec<u8> = bytes[at..at + len].to_vec();
                let to = rng.random_range(0..bytes.len());
                bytes.splice(to..to, piece);
            }
            3 => {
                // Replace a number with an extreme value (digits are single bytes).
                if let Some(start) = bytes[at..]
                    .iter()
                    .position(u8::is_ascii_digit)
                    .map(|p| at + p)
                {
                    let end = bytes[start..]
                        .iter()
                        .position(|b| !b.is_ascii_digit() && *b != b'.')
                        .map_or(bytes.len(), |e| start + e);
                    let extreme = EXTREMES[rng.random_range(0..EXTREMES.len())].as_bytes();
                    bytes.splice(start..end, extreme.iter().copied());
                }
            }
            _ => {
                bytes.remove(at);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn run(name: &str, solve: bool) {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut rng = SmallRng::seed_from_u64(
        std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1),
    );
    let seeds: Vec<String> = (0..64u64)
        .flat_map(|i| {
            let s = common::scenario(i, i % 2 == 0);
            [to_fragment(&s), to_json(&s)]
        })
        .collect();
    let (mut execs, mut crashes, mut accepted) = (0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        for _ in 0..256 {
            let pick = rng.random_range(0..seeds.len());
            let input = mutate(&mut rng, &seeds[pick]);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let decoded = if input.starts_with('{') {
                    from_json(&input)
                } else {
                    from_link(&input)
                };
                if let Ok(s) = decoded {
                    if solve {
                        let _ = analyze(&s);
                    }
                    return true;
                }
                false
            }));
            execs += 1;
            match outcome {
                Ok(ok) => accepted += u64::from(ok),
                Err(_) => {
                    crashes += 1;
                    eprintln!("CRASH in {name}: {input:?}");
                }
            }
        }
    }
    println!(
        "fuzz {name}: {execs} executions, {accepted} accepted, {crashes} crashes in {seconds} s"
    );
    assert_eq!(crashes, 0);
}

#[test]
#[ignore = "bounded-time fuzzing: run scripts/fuzz.sh"]
fn fuzz_decoder() {
    run("decoder", false);
}

#[test]
#[ignore = "bounded-time fuzzing: run scripts/fuzz.sh"]
fn fuzz_decode_validate_solve() {
    run("decode-validate-solve", true);
}
