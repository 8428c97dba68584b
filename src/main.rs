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

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(feature = "web")]
    archsim::web::start();
}
