//! LinkedIn's embedded page data: JSON in `<code>` blocks.
//!
//! After in-page navigation these blocks can still describe the previous
//! person, so a record is used only when its `publicIdentifier` matches the
//! URL's.

use serde_json::Value;

/// What the embedded data says about one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbeddedPerson {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub headline: Option<String>,
    pub location: Option<String>,
}

/// The record for `public_id` in any of the blocks, if one matches.
pub fn find_person(blocks: &[String], public_id: &str) -> Option<EmbeddedPerson> {
    blocks.iter().find_map(|block| {
        let json: Value = serde_json::from_str(block.trim()).ok()?;
        find_in(&json, public_id, 0)
    })
}

fn find_in(value: &Value, public_id: &str, depth: usize) -> Option<EmbeddedPerson> {
    // Page data nests a few levels ("data", "included"); never recurse forever.
    if depth > 8 {
        return None;
    }
    match value {
        Value::Object(map) => {
            let id = map.get("publicIdentifier").and_then(Value::as_str);
            if id.is_some_and(|id| id.eq_ignore_ascii_case(public_id)) {
                let field = |names: &[&str]| {
                    names.iter().find_map(|n| {
                        map.get(*n)
                            .and_then(Value::as_str)
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                    })
                };
                return Some(EmbeddedPerson {
                    first_name: field(&["firstName"]),
                    last_name: field(&["lastName"]),
                    headline: field(&["headline", "occupation"]),
                    location: field(&["locationName", "geoLocationName"]),
                });
            }
            map.values().find_map(|v| find_in(v, public_id, depth + 1))
        }
        Value::Array(items) => items.iter().find_map(|v| find_in(v, public_id, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_the_record_of_the_person_in_the_url_is_used() {
        let blocks = vec![
            "not json".to_string(),
            r#"{"data":{},"included":[
                {"publicIdentifier":"old-person","firstName":"Old","lastName":"Person"},
                {"publicIdentifier":"Jane-Doe","firstName":"Jane","lastName":"Doe",
                 "headline":"CTO at Acme","locationName":"Lyon, France"}]}"#
                .to_string(),
        ];
        let jane = find_person(&blocks, "jane-doe").unwrap();
        assert_eq!(jane.first_name.as_deref(), Some("Jane"));
        assert_eq!(jane.headline.as_deref(), Some("CTO at Acme"));
        assert_eq!(find_person(&blocks, "someone-else"), None);
    }
}
