//! The page's Web Worker: the simulator and the sweeps, run off the page's main thread so
//! that no analysis ever blocks a frame. Trunk builds it beside the page (index.html) and
//! the page starts it from `archsim-worker-loader.js` (src/web/offload). Where no worker
//! can run, the page loads this same Wasm itself (static/archsim-in-page.js) and drives it
//! through [`InPage`], so that the page's own Wasm carries none of the work's code.
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

#[cfg(target_arch = "wasm32")]
pub use in_page::InPage;

/// The worker's code on the page's main thread: exported from this Wasm only, so that
/// the page's Wasm never holds it.
#[cfg(target_arch = "wasm32")]
mod in_page {
    use wasm_bindgen::prelude::*;

    /// A stand-in for a Web Worker in the page: the same requests, the same replies, the
    /// work done in slices between frames.
    #[wasm_bindgen]
    pub struct InPage(archsim::web::InPage);

    #[wasm_bindgen]
    impl InPage {
        /// Replies go to `listener`, the first one (ready) at once.
        #[wasm_bindgen(constructor)]
        pub fn new(listener: js_sys::Function) -> InPage {
            InPage(archsim::web::InPage::new(listener))
        }

        /// Starts the work a request asks for, ending any in hand.
        pub fn answer(&self, request: JsValue) {
            self.0.answer(request);
        }

        /// Ends the work in hand.
        pub fn end(&self) {
            self.0.end();
        }
    }
}
