//! The `archsim` binary: the native command line on a desktop, the editor in a browser.
#![forbid(unsafe_code)]

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::run(
        &args,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    ));
}

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(feature = "web")]
    archsim::web::start();
}
