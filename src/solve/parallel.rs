//! Work shared out over the machine's cores natively (rayon), done in order in a browser,
//! whose page has one thread (its workers are used by the page itself, src/web/offload).

/// Threads work may be shared over: rayon's pool natively, one in a browser.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn threads() -> usize {
    rayon::current_num_threads()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn threads() -> usize {
    1
}

/// `f` over `items`, in order; natively on the machine's cores, in pieces of at least
/// `min_len` items (fewer than twice that many stay on the calling thread: for cheap items,
/// handing them out would cost more than it saves).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn parallel_map<T: Send, U: Send>(
    items: Vec<T>,
    min_len: usize,
    f: impl Fn(T) -> U + Sync + Send,
) -> Vec<U> {
    use rayon::prelude::*;
    items.into_par_iter().with_min_len(min_len).map(f).collect()
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn parallel_map<T, U>(items: Vec<T>, _min_len: usize, f: impl Fn(T) -> U) -> Vec<U> {
    items.into_iter().map(f).collect()
}

/// Both results, `a` and `b` natively on two threads where one is free.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn join<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}
