//! JSON: an array of objects, one per person; keys are the headers, in the
//! order they first appear.

use crate::error::ImportError;
use crate::table::{Table, TableRow};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// Reads a JSON file as it streams in.
pub fn read(reader: impl Read) -> Result<Table, ImportError> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let items = de.deserialize_any(ItemsVisitor).map_err(|e| {
        if e.is_data() {
            ImportError::NotAList
        } else if e.is_io() {
            ImportError::from(std::io::Error::from(e))
        } else {
            ImportError::Corrupt(e.to_string())
        }
    })?;
    de.end().map_err(|e| ImportError::Corrupt(e.to_string()))?;

    let mut table = Table::default();
    for item in &items {
        for (key, _) in item {
            if !table.headers.contains(key) {
                table.headers.push(key.clone());
            }
        }
    }
    if table.headers.is_empty() {
        return Err(ImportError::Empty);
    }
    for (i, item) in items.into_iter().enumerate() {
        let mut cells = vec![String::new(); table.headers.len()];
        for (key, value) in item {
            if let Some(col) = table.headers.iter().position(|h| *h == key) {
                cells[col] = value_text(&value);
            }
        }
        table.rows.push(TableRow {
            line: i as u64 + 1,
            cells,
        });
    }
    Ok(table)
}

/// An object's entries, in the file's order.
type Item = Vec<(String, Value)>;

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Vec<Item>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(OrderedObject(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

struct OrderedObject(Item);

impl<'de> serde::Deserialize<'de> for OrderedObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = OrderedObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    entries.push((k, v));
                }
                Ok(OrderedObject(entries))
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

/// A value as a cell: text as is, numbers and booleans written out, a list
/// of scalars joined (`"emails": ["a@x.io", "b@y.io"]`), anything else empty.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_array() && !v.is_object())
            .map(value_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null | Value::Object(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_of_objects_keeps_its_key_order_and_missing_keys_are_empty() {
        let t = read(
            r#"[{"Prénom":"Zoë","Nom":"Roy","emails":["z@x.io","zr@y.io"]},
                {"Nom":"Lee","Entreprise":"Acme","age":41}]"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            t.headers,
            vec!["Prénom", "Nom", "emails", "Entreprise", "age"]
        );
        assert_eq!(
            t.rows[0].cells,
            vec!["Zoë", "Roy", "z@x.io; zr@y.io", "", ""]
        );
        assert_eq!(t.rows[1].cells, vec!["", "Lee", "", "Acme", "41"]);
        assert_eq!(t.rows[1].line, 2);
    }

    #[test]
    fn other_json_shapes_and_broken_json_are_clear_errors() {
        assert_eq!(
            read(br#"{"name":"x"}"#.as_slice()),
            Err(ImportError::NotAList)
        );
        assert_eq!(read(br"[1,2]".as_slice()), Err(ImportError::NotAList));
        assert_eq!(read(br"[]".as_slice()), Err(ImportError::Empty));
        assert!(matches!(
            read(br#"[{"a":"#.as_slice()),
            Err(ImportError::Corrupt(_))
        ));
    }
}
