//! The printed PDF made ready: it opens with the bookmarks pane (`PageMode /UseOutlines`),
//! says its language (`/Lang`) and title, and with `--prepress` every page carries its
//! TrimBox and BleedBox (the covers' 3 mm bleed outside their trim, every other page's equal to
//! the sheet). Chromium sets none of these but the title.

use lopdf::{Document, Object, StringFormat};

use super::{error, PdfOptions, Printed};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::render::booklet::{self, BookletSpec};

/// Finishes every settled booklet's PDF (`done`, by the order of `selected`) into `files`, its
/// title taken from its page there: the pages printed.
pub(super) fn finish_all(
    site: &crate::model::Site,
    selected: &[BookletSpec],
    done: Vec<Option<Printed>>,
    files: &mut Vec<OutputFile>,
    options: &PdfOptions,
) -> Result<usize, Diagnostic> {
    let mut pages = 0;
    for (b, printed) in selected.iter().zip(done) {
        let Some(printed) = printed else { continue };
        pages += printed.pages;
        // The edition's language, or the bilingual pair's first.
        let code = b.lang.as_deref().or_else(|| b.edition_langs(site).first().copied()).unwrap_or_default();
        let lang = site.config.languages.iter().find(|x| x.code.value == code).map_or_else(|| code.to_owned(), |x| x.tag.clone());
        let title = files.iter().find(|f| f.path == b.route.output_path()).map(|f| html_title(&f.bytes)).unwrap_or_default();
        let bleed = options.prepress.then_some(booklet::BLEED_MM as f32 * 72.0 / 25.4);
        let bytes = finish(&printed.bytes, &lang, &title, bleed).map_err(|m| {
            let zh = format!("无法完成 PDF（原文：{m}）");
            error(&options.out.join(b.pdf_route().output_path()), m, "report this as a bug", zh, "请作为缺陷报告")
        })?;
        files.push(OutputFile { path: b.pdf_route().output_path(), bytes, is_html: false });
    }
    Ok(pages)
}

/// The text of a rendered page's `<title>`, its entities read.
fn html_title(html: &[u8]) -> String {
    let html = String::from_utf8_lossy(html);
    let Some(start) = html.find("<title>") else { return String::new() };
    let rest = &html[start + 7..];
    let text = &rest[..rest.find("</title>").unwrap_or(0)];
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A PDF text string: UTF-16BE with its byte order mark (a title in any script).
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `bytes` with the catalogue's page mode and language, the document title and (`bleed_pt`:
/// the cover's bleed in points, for `--prepress`) the page boxes.
pub fn finish(bytes: &[u8], lang: &str, title: &str, bleed_pt: Option<f32>) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(bytes).map_err(|e| format!("cannot read the printed PDF: {e}"))?;
    let catalog = doc.catalog_mut().map_err(|e| format!("the printed PDF has no catalogue: {e}"))?;
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    // A BCP 47 tag is ASCII: a literal string.
    catalog.set("Lang", Object::string_literal(lang));
    // Show the title, not the file name, in a viewer's title bar.
    let prefs = lopdf::dictionary! { "DisplayDocTitle" => true };
    catalog.set("ViewerPreferences", prefs);
    if let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(dict) = doc.get_object_mut(info).and_then(Object::as_dict_mut) {
            dict.set("Title", text_string(title));
        }
    }
    if let Some(bleed) = bleed_pt {
        let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
        let media = |doc: &Document, i: usize, page| -> Result<[f32; 4], String> {
            let media: Vec<f32> = doc
                .get_dictionary(page)
                .and_then(|d| d.get(b"MediaBox"))
                .and_then(Object::as_array)
                .map(|b| b.iter().filter_map(|v| v.as_float().ok()).collect())
                .map_err(|e| format!("page {}: no MediaBox: {e}", i + 1))?;
            media[..].try_into().map_err(|_| format!("page {}: a MediaBox of {} numbers", i + 1, media.len()))
        };
        // The pages' own width: the narrowest sheet; the covers (front and back) are printed
        // on a sheet wider by the bleed.
        let mut narrowest = f32::INFINITY;
        for (i, &page) in pages.iter().enumerate() {
            let [x0, _, x1, _] = media(&doc, i, page)?;
            narrowest = narrowest.min(x1 - x0);
        }
        for (i, page) in pages.into_iter().enumerate() {
            let [x0, y0, x1, y1] = media(&doc, i, page)?;
            let inset = if x1 - x0 > narrowest + bleed { bleed } else { 0.0 };
            let dict = doc.get_object_mut(page).and_then(Object::as_dict_mut).map_err(|e| format!("page {}: {e}", i + 1))?;
            let boxed = |d: f32| Object::Array(vec![(x0 + d).into(), (y0 + d).into(), (x1 - d).into(), (y1 - d).into()]);
            dict.set("BleedBox", boxed(0.0));
            dict.set("TrimBox", boxed(inset));
        }
    }
    let mut out = Vec::with_capacity(bytes.len() + 1024);
    doc.save_to(&mut out).map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}
