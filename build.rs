//! Keeps the linker's relocations in the page's Wasm (the `archsim` binary on wasm32 only):
//! the build splits that module after linking (scripts/split-page.sh) and follows them to
//! tell which functions only a split point reaches. The worker and native builds are left
//! alone; wasm-bindgen and wasm-opt drop the relocations, so nothing shipped grows.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=archsim=--emit-relocs");
    }
}
