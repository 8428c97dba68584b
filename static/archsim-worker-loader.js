// Starts ArchSim's Web Worker (src/bin/archsim-worker.rs): loads the glue wasm-bindgen
// wrote for it, then its Wasm, passing the module's address in the object form that
// wasm-bindgen asks for (trunk's own loader passes a bare string, which wasm-bindgen
// accepts with a deprecation warning in the console).
importScripts('./archsim-worker.js');
wasm_bindgen({ module_or_path: './archsim-worker_bg.wasm' });
