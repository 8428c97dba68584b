//! The page's Web Worker: the simulator and the sweeps, run off the page's main thread so
//! that no analysis ever blocks a frame. Trunk builds it beside the page (index.html) and
//! the page starts it from `archsim-worker-loader.js` (src/web/offload).
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    archsim::web::serve_tasks();
}

/// Natively there is no page to serve: the `archsim` command line runs the same work.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("archsim-worker runs inside a browser page; on the command line, use `archsim`");
    std::process::exit(2);
}
