//! The `archsim` binary: the native command line on a desktop, the editor in a browser.
#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod cli_explain;
#[cfg(not(target_arch = "wasm32"))]
mod cli_versus;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // `args_os`, not `args`: an argument that is not UTF-8 gets clap's usage error instead
    // of a panic.
    std::process::exit(cli::run(
        std::env::args_os().skip(1),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    ));
}

#[cfg(all(target_arch = "wasm32", feature = "web"))]
fn main() {
    archsim::web::start(|| Box::pin(panels()));
}

/// The page's split point: what only this function reaches (the panels off the first
/// screen) goes into a chunk of its own, fetched on its first call. It is declared here,
/// in the page's binary, so that the worker's binary never links the panels.
#[cfg(all(target_arch = "wasm32", feature = "web"))]
#[wasm_split_helpers::wasm_split(panels, fallible)]
fn panels() -> Result<archsim::web::Render, archsim::web::Unavailable> {
    Ok(archsim::web::render_panel)
}

#[cfg(all(target_arch = "wasm32", not(feature = "web")))]
fn main() {}
