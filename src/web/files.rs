//! Files: the design as a `.json` download and back (picker or drop), and the diagram as an
//! SVG or PNG picture with the headline numbers, for slides and documents.

use crate::codec;
use crate::model::Scenario;
use crate::solve::Report;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement, Url};

/// A file name made from the design's name.
pub fn file_name(s: &Scenario, extension: &str) -> String {
    let stem: String = s
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "design".to_owned()
    } else {
        stem
    };
    format!("{stem}.{extension}")
}

/// Offers `data` as a download named `name`.
fn download_url(url: &str, name: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let a: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

fn download_text(text: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let result = download_url(&url, name);
    let _ = Url::revoke_object_url(&url);
    result
}

/// Downloads the design as pretty JSON.
pub fn export_json(s: &Scenario) -> Result<(), String> {
    download_text(
        &codec::to_json(s),
        "application/json",
        &file_name(s, "json"),
    )
    .map_err(|_| "the browser refused the download".to_owned())
}

/// Reads a dropped or picked file and decodes it; `done` gets the design or the reason.
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<Scenario, String>) + 'static) {
    if file.size() > codec::MAX_BYTES as f64 {
        return done(Err(format!(
            "\"{}\" is {} bytes, more than the limit of {}",
            file.name(),
            file.size(),
            codec::MAX_BYTES
        )));
    }
    let name = file.name();
    // A picture or any other non-text file is not a scenario: say so, rather than showing
    // a JSON parser's complaint about its bytes.
    let kind = file.type_();
    let textual = kind.is_empty() || kind.contains("json") || kind.starts_with("text/");
    if !textual {
        return done(Err(format!(
            "\"{name}\" is not a scenario file: ArchSim opens the .json files it saves"
        )));
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let result = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(text) => codec::from_json(&text.as_string().unwrap_or_default())
                .map_err(|e| format!("\"{name}\" could not be opened: {e}")),
            Err(_) => Err(format!("\"{name}\" could not be read")),
        };
        done(result);
    });
}

/// Colours of the light theme, written into exported pictures so they look the same
/// anywhere (the page's stylesheet does not travel with them).
const EXPORT_STYLE: &str = "\
text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
.node-box{fill:#fff;stroke:#d9dee7;stroke-width:1.5}\
.heat-low .node-box{fill:#dff5e6;stroke:#2f9e5b}.heat-mid .node-box{fill:#fff3cf;stroke:#c98a00}\
.heat-high .node-box{fill:#ffe0cc;stroke:#d9601a}.heat-over .node-box{fill:#ffd5d5;stroke:#d42a2a;stroke-width:2.5}\
.icon{color:#2f6fed}.node-label{font-size:13px;font-weight:600;fill:#1d2430}\
.node-stats{font-size:12px;fill:#667085}.node-dropped{font-size:12px;fill:#d42a2a;font-weight:600;text-anchor:middle}\
.badge rect{fill:#d42a2a}.badge.spof rect{fill:#8a3ffc}.badge.down rect{fill:#5b6475}.badge text{fill:#fff;font-size:10px;font-weight:700;text-anchor:middle}\
.link-line{fill:none;stroke:#667085;opacity:.75}.link.call .link-line{stroke-dasharray:6 4}\
.link-hit,.flow-dots,.port,.grid{display:none}.arrow-head{fill:#667085}\
.link-label{font-size:11px;fill:#667085;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}\
.summary{font-size:13px;fill:#1d2430}";

/// The diagram as a standalone SVG document, framed on its content, with a line of
/// headline numbers under it.
pub fn diagram_svg(
    canvas: &web_sys::Element,
    s: &Scenario,
    report: Option<&Report>,
) -> Option<String> {
    let content = crate::editor::geometry::content_bounds(s)?;
    // The drawing group is the canvas's last <g> child with the view transform; re-frame it.
    let group = canvas.query_selector(":scope > g").ok()??;
    let inner = group.inner_html();
    let defs = canvas.query_selector("defs").ok()??.outer_html();
    let margin = 30.0;
    let (w, h) = (content.w + 2.0 * margin, content.h + 2.0 * margin + 40.0);
    let summary = report.map_or(String::new(), |r| {
        let ms = |v: Option<f64>| v.map_or("unbounded".to_owned(), |v| format!("{v:.1} ms"));
        format!(
            "{} · {:.0} req/s served, {:.0} dropped · p50 {} · p99 {} · availability {:.3}% · ${:.0}/month",
            s.name,
            r.throughput_rps,
            r.dropped_rps,
            ms(r.latency_ms.p50),
            ms(r.latency_ms.p99),
            r.availability * 100.0,
            r.monthly_cost_usd
        )
    });
    let summary = summary
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" \
         viewBox=\"0 0 {w:.0} {h:.0}\"><style>{EXPORT_STYLE}</style>{defs}\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <g transform=\"translate({:.1},{:.1})\">{inner}</g>\
         <text class=\"summary\" x=\"{margin}\" y=\"{:.1}\">{summary}</text></svg>",
        margin - content.x,
        margin - content.y,
        h - 16.0
    ))
}

/// Downloads the diagram as SVG.
pub fn export_svg(svg: &str, s: &Scenario) -> Result<(), String> {
    download_text(svg, "image/svg+xml", &file_name(s, "svg"))
        .map_err(|_| "the browser refused the download".to_owned())
}

/// Downloads the diagram as PNG at twice its size, drawing the SVG onto a canvas.
pub fn export_png(svg: &str, s: &Scenario, done: impl FnOnce(Result<(), String>) + 'static) {
    let render = || -> Result<(), JsValue> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let image = HtmlImageElement::new()?;
        let url = format!(
            "data:image/svg+xml;charset=utf-8,{}",
            js_sys::encode_uri_component(svg)
        );
        let name = file_name(s, "png");
        let img = image.clone();
        let mut done = Some(done);
        let onload = Closure::<dyn FnMut()>::new(move || {
            let result = (|| -> Result<(), JsValue> {
                let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
                canvas.set_width(img.natural_width() * 2);
                canvas.set_height(img.natural_height() * 2);
                let ctx: web_sys::CanvasRenderingContext2d = canvas
                    .get_context("2d")?
                    .ok_or_else(|| JsValue::from_str("no 2d context"))?
                    .dyn_into()?;
                ctx.scale(2.0, 2.0)?;
                ctx.draw_image_with_html_image_element(&img, 0.0, 0.0)?;
                download_url(&canvas.to_data_url_with_type("image/png")?, &name)
            })();
            if let Some(done) = done.take() {
                done(result.map_err(|_| "the picture could not be drawn".to_owned()));
            }
        });
        image.set_onload(Some(onload.as_ref().unchecked_ref()));
        onload.forget();
        image.set_src(&url);
        Ok(())
    };
    if render().is_err() {
        web_sys::console::error_1(&"PNG export failed to start".into());
    }
}
