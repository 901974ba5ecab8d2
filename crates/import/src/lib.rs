//! Reads the files a team imports into a [`Table`]: a header row and rows of
//! text cells, each with the line it came from. CSV (encoding, BOM and
//! delimiter detected), XLSX and XLS, and JSON (an array of objects).
//!
//! Turning a row into a profile, and recognising the columns, is the pure
//! core's job (`sourcebar_core::import`); this crate only reads formats, with
//! well-kept readers (`csv`, `encoding_rs`, `calamine`, `serde_json`).
//! Native only: the sidebar's wasm never carries it.

mod csv_file;
mod error;
mod excel;
mod format;
mod json;
mod limit;
mod table;
mod text;

pub use error::ImportError;
pub use format::{Format, MAX_FILE_BYTES};
pub use table::{ParsedRow, Table, TableRow};

use sourcebar_core::import::{identifies_rows, recognise_all, Field};
use std::io::{Cursor, Read};

/// Reads a whole file of `format` from `reader`. CSV and JSON are read as
/// they stream in (the raw bytes are never held whole); Excel's formats are
/// zip and OLE containers, read from the bytes whole.
pub fn read(format: Format, reader: impl Read) -> Result<Table, ImportError> {
    match format {
        Format::Csv => csv_file::read(reader),
        Format::Json => json::read(reader),
        Format::Xlsx | Format::Xls => excel::read(reader),
    }
}

/// Reads a file named `name`: its format told from the name and its first
/// bytes, refused past [`MAX_FILE_BYTES`] while it streams in.
pub fn read_file(name: &str, reader: impl Read) -> Result<Table, ImportError> {
    let mut reader = limit::Limited::new(reader, MAX_FILE_BYTES);
    let mut head = Vec::with_capacity(8);
    (&mut reader)
        .take(8)
        .read_to_end(&mut head)
        .map_err(ImportError::from)?;
    let format = Format::detect(name, &head)?;
    read(format, Cursor::new(head).chain(reader))
}

/// The mapping proposed for `table`'s headers, refused when no column can
/// say who a row is.
pub fn proposed_mapping(table: &Table) -> Result<Vec<Option<Field>>, ImportError> {
    let mapping = recognise_all(&table.headers);
    if identifies_rows(&mapping) {
        Ok(mapping)
    } else {
        Err(ImportError::NoIdentityColumn)
    }
}
