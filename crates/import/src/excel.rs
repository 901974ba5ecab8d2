//! XLSX and XLS through `calamine`: the first sheet that holds anything.

use crate::error::ImportError;
use crate::table::{Table, TableRow};
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use std::io::{Cursor, Read};

/// Reads a workbook. Its container (zip or OLE) needs the bytes whole.
pub fn read(mut reader: impl Read) -> Result<Table, ImportError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(ImportError::from)?;
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::Corrupt(e.to_string()))?;
    let sheets = book.sheet_names().len();
    for n in 0..sheets {
        let Some(range) = book.worksheet_range_at(n) else {
            continue;
        };
        let range = range.map_err(|e| ImportError::Corrupt(e.to_string()))?;
        let first_row = u64::from(range.start().map_or(0, |(row, _)| row));
        let mut table = Table::default();
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if table.headers.is_empty() {
                table.headers = cells;
            } else {
                table.rows.push(TableRow {
                    line: first_row + i as u64 + 1,
                    cells,
                });
            }
        }
        if !table.headers.is_empty() {
            return Ok(table);
        }
    }
    Err(ImportError::Empty)
}

/// A cell as text: numbers without a needless `.0` (a phone typed as a
/// number), an error cell (`#N/A`) as nothing.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Error(_) | Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_workbook_is_a_clear_error() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 200]);
        assert!(matches!(
            read(bytes.as_slice()),
            Err(ImportError::Corrupt(_))
        ));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0];
        assert!(matches!(read(&ole[..]), Err(ImportError::Corrupt(_))));
    }

    #[test]
    fn cells_read_as_a_person_would_type_them() {
        assert_eq!(cell_text(&Data::Float(33_612_345_678.0)), "33612345678");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::String(" Ann ".into())), "Ann");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}

#[cfg(test)]
mod workbook_tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    #[test]
    fn an_xlsx_is_read_from_its_first_sheet_with_content() {
        let mut book = Workbook::new();
        book.add_worksheet().set_name("Empty").unwrap();
        let sheet = book.add_worksheet();
        // A title row left blank and data starting lower, as people do.
        for (col, header) in ["Prénom", "Nom", "Courriel", "Téléphone"]
            .iter()
            .enumerate()
        {
            sheet
                .write_string(2, u16::try_from(col).unwrap(), *header)
                .unwrap();
        }
        sheet.write_string(3, 0, "Zoë").unwrap();
        sheet.write_string(3, 1, "Roy").unwrap();
        sheet.write_string(3, 2, "zoe@x.io").unwrap();
        sheet.write_number(3, 3, 33_612_345_678.0).unwrap();
        sheet.write_string(5, 1, "Lee").unwrap();
        let bytes = book.save_to_buffer().unwrap();

        let t = read(bytes.as_slice()).unwrap();
        assert_eq!(t.headers, vec!["Prénom", "Nom", "Courriel", "Téléphone"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0].cells,
            vec!["Zoë", "Roy", "zoe@x.io", "33612345678"]
        );
        assert_eq!(t.rows[0].line, 4, "the line a spreadsheet shows");
        assert_eq!(t.rows[1].line, 6);
        assert_eq!(t.rows[1].cells[1], "Lee");
    }
}
