//! How values cross to a worker and back: as JavaScript values built by
//! serde-wasm-bindgen, which a message carries by structured clone. Unlike JSON these keep
//! infinities and NaN as numbers (a saturated station's latency is infinite), and with
//! 64-bit integers as BigInts a seed above 2⁵³ arrives whole.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `value` as a JavaScript value.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);
    value.serialize(&serializer).map_err(|e| e.to_string())
}

/// The value `js` holds.
pub fn from_js<T: DeserializeOwned>(js: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(js).map_err(|e| e.to_string())
}
