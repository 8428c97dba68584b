//! How values cross to a worker and back: as CBOR in one byte array. A message carries it
//! by a single copy, where a tree of JavaScript objects would be built one value at a time
//! (measured: 40–130 ms on the main thread for a 1 000-component design with
//! serde-wasm-bindgen). Unlike JSON, CBOR keeps infinities and NaN as numbers (a saturated
//! station's latency is infinite) and 64-bit integers (seeds) whole.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// `value` as a byte array for a message.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let mut bytes = Vec::new();
    ciborium::into_writer(value, &mut bytes).map_err(|e| e.to_string())?;
    Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
}

/// The value a message's byte array holds.
pub fn from_js<T: DeserializeOwned>(js: JsValue) -> Result<T, String> {
    if !js.is_instance_of::<js_sys::Uint8Array>() {
        return Err("a message that is not from ArchSim".to_string());
    }
    let bytes = js_sys::Uint8Array::new(&js).to_vec();
    ciborium::from_reader(bytes.as_slice()).map_err(|e| e.to_string())
}
