// The page's stand-in for ArchSim's Web Worker, for a browser where no worker can run (none
// at all, or one that failed to load or crashed). It loads the worker's own glue and Wasm
// into the page once, and answers to what the page calls on a worker (postMessage,
// terminate, onmessage, onerror) with the worker's own replies; the work runs in slices
// between frames (InPage in src/bin/archsim-worker.rs). So the page's Wasm carries none of
// the work's code, and the numbers are the worker's, byte for byte.
(function () {
  let loading = null;

  /** The worker's exports, loaded into the page on first use. */
  function load() {
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = './archsim-worker.js';
        script.onload = () => {
          // The glue's classic script declares `wasm_bindgen` in the page's global scope.
          // eslint-disable-next-line no-undef
          const glue = wasm_bindgen;
          glue({ module_or_path: './archsim-worker_bg.wasm' }).then(() => resolve(glue), reject);
        };
        script.onerror = () => {
          script.remove();
          reject(new Error('the analysis code (archsim-worker.js) could not be loaded; reload the page to try again'));
        };
        document.head.appendChild(script);
      });
      // A failed load is tried again by the next stand-in.
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  class ArchsimInPage {
    constructor() {
      this.onmessage = null;
      this.onerror = null;
      this.host = null;
      this.ended = false;
      load().then(
        (glue) => {
          if (this.ended) return;
          this.host = new glue.InPage((data) => {
            if (!this.ended && this.onmessage) this.onmessage({ data });
          });
        },
        (e) => {
          if (!this.ended && this.onerror) this.onerror(new ErrorEvent('error', { message: e.message }));
        },
      );
    }

    // The page posts only once it has heard that the stand-in is ready.
    postMessage(request) {
      if (this.host) this.host.answer(request);
    }

    terminate() {
      this.ended = true;
      if (!this.host) return;
      // After an internal error the worker's Wasm has stopped and every call throws.
      try { this.host.end(); this.host.free(); } catch (_) { /* nothing left to end */ }
      this.host = null;
    }
  }

  globalThis.ArchsimInPage = ArchsimInPage;
})();
