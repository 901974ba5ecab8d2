//! Which format a file is in, from its name and its first bytes.

use crate::error::ImportError;

/// The largest file accepted, in bytes (50 MB).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// A format we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Json,
}

/// A zip archive (XLSX) starts so.
const ZIP: &[u8] = b"PK\x03\x04";
/// An OLE compound file (XLS) starts so.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Format {
    /// The format of a file named `name` whose content starts with `head`.
    /// The bytes overrule the name where they are sure (a spreadsheet saved
    /// as `.csv` is read as the spreadsheet it is); a spreadsheet name on
    /// bytes that are not one is a damaged file.
    pub fn detect(name: &str, head: &[u8]) -> Result<Format, ImportError> {
        if head.starts_with(OLE) {
            return Ok(Format::Xls);
        }
        if head.starts_with(ZIP) {
            return Ok(Format::Xlsx);
        }
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "xlsx" | "xlsm" | "xls" => Err(ImportError::Corrupt(
                "this is not a spreadsheet the name says it is".into(),
            )),
            "csv" | "tsv" | "txt" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(ImportError::WrongType),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_first_bytes_give_the_format() {
        assert_eq!(Format::detect("people.CSV", b"a,b"), Ok(Format::Csv));
        assert_eq!(Format::detect("list.tsv", b"a\tb"), Ok(Format::Csv));
        assert_eq!(Format::detect("people.json", b"[{}]"), Ok(Format::Json));
        assert_eq!(
            Format::detect("people.xlsx", b"PK\x03\x04rest"),
            Ok(Format::Xlsx)
        );
        assert_eq!(
            Format::detect("saved-as.csv", b"PK\x03\x04rest"),
            Ok(Format::Xlsx)
        );
        assert_eq!(Format::detect("old.xls", OLE), Ok(Format::Xls));
    }

    #[test]
    fn other_types_and_fake_spreadsheets_are_refused() {
        assert_eq!(
            Format::detect("photo.png", b"\x89PNG"),
            Err(ImportError::WrongType)
        );
        assert_eq!(
            Format::detect("noextension", b"a,b"),
            Err(ImportError::WrongType)
        );
        assert!(matches!(
            Format::detect("people.xlsx", b"a,b\n1,2"),
            Err(ImportError::Corrupt(_))
        ));
    }
}
