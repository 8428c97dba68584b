//! The scenario decoder, fed arbitrary bytes as a share link and as a file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = archsim::codec::from_link(&text);
    let _ = archsim::codec::from_json(&text);
});
