//! Decode → validate → solve: whatever decodes must solve (or be refused) without panicking,
//! and its report must hold no NaN or infinity.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = archsim::codec::from_link(&text) {
        if s.components.len() <= 64 {
            if let Ok(r) = archsim::solve::analyze(&s) {
                let json = serde_json::to_string(&r).unwrap_or_default();
                assert!(!json.contains("NaN") && !json.contains("inf"));
            }
        }
    }
});
