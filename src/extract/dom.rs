//! Small, forgiving queries over an inert parsed document.

use web_sys::{Document, DomParser, Element, SupportedType};

/// Parses untrusted markup into an inert document: no script runs, nothing loads.
pub fn parse(markup: &str) -> Option<Document> {
    DomParser::new()
        .ok()?
        .parse_from_string(markup, SupportedType::TextHtml)
        .ok()
}

/// Text content with whitespace collapsed; `None` when empty.
pub fn clean_text(element: &Element) -> Option<String> {
    let text = element.text_content()?;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The text of the first element that matches one of `selectors` (in order)
/// and has text.
pub fn first_text(doc: &Document, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|selector| {
        let list = doc.query_selector_all(selector).ok()?;
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
            .find_map(|el| visible_text(&el))
    })
}

/// The value of `attr` on the first element matching one of `selectors`.
pub fn first_attr(doc: &Document, selectors: &[&str], attr: &str) -> Option<String> {
    selectors.iter().find_map(|selector| {
        let el = doc.query_selector(selector).ok()??;
        el.get_attribute(attr).filter(|v| !v.trim().is_empty())
    })
}

/// Every value of `attr` on elements matching `selector`.
pub fn all_attrs(doc: &Document, selector: &str, attr: &str) -> Vec<String> {
    let Ok(list) = doc.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| wasm_bindgen::JsCast::dyn_into::<Element>(node).ok())
        .filter_map(|el| el.get_attribute(attr))
        .collect()
}

/// LinkedIn repeats texts for screen readers (`span.visually-hidden`) next to
/// an `aria-hidden` copy: read the visible copy when there is one.
fn visible_text(el: &Element) -> Option<String> {
    if let Ok(Some(shown)) = el.query_selector("span[aria-hidden=true]") {
        if let Some(text) = clean_text(&shown) {
            return Some(text);
        }
    }
    clean_text(el)
}
