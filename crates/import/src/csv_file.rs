//! CSV: encoding and delimiter told from the first bytes, then read record
//! by record as the file streams in (quoted fields may span lines).

use crate::error::ImportError;
use crate::table::{Table, TableRow};
use crate::text::{read_head, sniff_encoding, DecodingReader};
use sourcebar_core::import::{RowError, RowProblem};
use std::io::{Cursor, Read};

/// Delimiters tried, most common first (a tie goes to the earlier one).
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Records looked at to choose the delimiter.
const SNIFF_RECORDS: usize = 20;
/// Longest cell kept, in bytes: a longer one is a broken quote swallowing
/// the file, not a person's field.
const MAX_CELL_BYTES: usize = 64 * 1024;

/// Reads a CSV file.
pub fn read(mut reader: impl Read) -> Result<Table, ImportError> {
    let head = read_head(&mut reader).map_err(ImportError::from)?;
    let encoding = sniff_encoding(&head);
    let mut sample = String::new();
    DecodingReader::new(head.as_slice(), encoding)
        .read_to_string(&mut sample)
        .map_err(ImportError::from)?;
    let delimiter = sniff_delimiter(&sample);
    let text = DecodingReader::new(Cursor::new(head).chain(reader), encoding);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);

    let mut table = Table::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, csv::Position::line);
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                if table.headers.is_empty() {
                    if cells.iter().any(|c| !c.is_empty()) {
                        table.headers = cells;
                    }
                } else if cells.iter().any(|c| c.len() > MAX_CELL_BYTES) {
                    table.unreadable.push(RowProblem {
                        line,
                        error: RowError::Unreadable {
                            detail: "a cell is too long (an unclosed quote?)".into(),
                        },
                    });
                } else {
                    table.rows.push(TableRow { line, cells });
                }
            }
            Err(e) if e.is_io_error() => {
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => ImportError::from(io),
                    other => ImportError::Corrupt(format!("{other:?}")),
                })
            }
            Err(e) => {
                let line = e.position().map_or(line, csv::Position::line);
                table.unreadable.push(RowProblem {
                    line,
                    error: RowError::Unreadable {
                        detail: e.to_string(),
                    },
                });
            }
        }
    }
    if table.headers.is_empty() {
        return Err(ImportError::Empty);
    }
    Ok(table)
}

/// The delimiter that splits the sample's first records into the same
/// number of fields, the most fields winning; a comma when none does.
fn sniff_delimiter(sample: &str) -> u8 {
    // The sample may end inside a record: only whole lines count.
    let whole = sample.rfind('\n').map_or(sample, |end| &sample[..end]);
    DELIMITERS
        .iter()
        .map(|&d| {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(d)
                .has_headers(false)
                .flexible(true)
                .from_reader(whole.as_bytes());
            let widths: Vec<usize> = reader
                .records()
                .take(SNIFF_RECORDS)
                .filter_map(Result::ok)
                .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
                .map(|r| r.len())
                .collect();
            let first = widths.first().copied().unwrap_or(1);
            let consistent = widths.iter().filter(|w| **w == first).count();
            // Consistent rows matter most, then how many columns they make.
            let score = if first > 1 {
                consistent * 1000 + first
            } else {
                0
            };
            (d, score)
        })
        .fold(
            (b',', 0),
            |best, (d, s)| if s > best.1 { (d, s) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(bytes: &[u8]) -> Table {
        read(bytes).unwrap()
    }

    #[test]
    fn semicolons_tabs_and_pipes_are_found_as_delimiters() {
        for d in [",", ";", "\t", "|"] {
            let text = format!("Prénom{d}Nom{d}Courriel\nJane{d}Doe, Jr{d}j@x.io\n");
            let text = if d == "," {
                text.replace("Doe, Jr", "\"Doe, Jr\"")
            } else {
                text
            };
            let t = table(text.as_bytes());
            assert_eq!(t.headers, vec!["Prénom", "Nom", "Courriel"], "{d:?}");
            assert_eq!(t.rows[0].cells, vec!["Jane", "Doe, Jr", "j@x.io"], "{d:?}");
        }
    }

    #[test]
    fn quoted_newlines_stay_in_their_cell_and_lines_are_counted_from_the_file() {
        let t = table(b"Name,Title\n\"Jane Doe\",\"CTO\nand founder\"\nBob Martin,Dev\n");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1], "CTO\nand founder");
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn lines_are_counted_alike_with_windows_line_ends() {
        let t = table(b"Name,Title\r\nAnn,\"CTO\r\nfounder\"\r\nBob,Dev\r\n");
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn a_bom_never_sticks_to_the_first_header() {
        let t = table(b"\xEF\xBB\xBFEmail,Name\na@x.io,Ann\n");
        assert_eq!(t.headers[0], "Email");
    }

    #[test]
    fn empty_lines_before_the_header_and_no_content_at_all() {
        let t = table(b"\n\n,,\nEmail\na@x.io\n");
        assert_eq!(t.headers, vec!["Email"]);
        assert_eq!(read(&b""[..]), Err(ImportError::Empty));
        assert_eq!(read(&b"\n\n"[..]), Err(ImportError::Empty));
    }

    #[test]
    fn latin1_file_from_excel_on_windows() {
        let t = table(b"Pr\xE9nom;Soci\xE9t\xE9\nZo\xEB;Caf\xE9 & Co\n");
        assert_eq!(t.headers, vec!["Prénom", "Société"]);
        assert_eq!(t.rows[0].cells, vec!["Zoë", "Café & Co"]);
    }

    #[test]
    fn a_runaway_quote_makes_an_unreadable_row_and_the_rest_still_works() {
        let mut text = String::from("Name,Email\nAnn,a@x.io\n\"Bob,");
        text.push_str(&"x".repeat(MAX_CELL_BYTES + 10));
        let t = table(text.as_bytes());
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.unreadable.len(), 1);
        assert_eq!(t.unreadable[0].line, 3);
    }

    #[test]
    fn a_big_file_streams_through() {
        // ~5 MB made on the fly, never as one buffer.
        struct Rows {
            left: usize,
            pending: Vec<u8>,
        }
        impl Read for Rows {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.pending.is_empty() {
                    if self.left == 0 {
                        return Ok(0);
                    }
                    let line = if self.left == 100_001 {
                        "First name;Last name;Email\n".to_string()
                    } else {
                        format!("Ann{n};Lee;ann{n}@x.io\n", n = self.left)
                    };
                    self.left -= 1;
                    self.pending = line.into_bytes();
                }
                let n = self.pending.len().min(buf.len());
                buf[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                Ok(n)
            }
        }
        let t = read(Rows {
            left: 100_001,
            pending: Vec::new(),
        })
        .unwrap();
        assert_eq!(t.rows.len(), 100_000);
    }

    proptest! {
        // Whatever the csv crate writes (any delimiter, quotes, newlines,
        // non-ASCII), we read back cell for cell.
        #[test]
        fn what_the_csv_crate_writes_reads_back(
            rows in prop::collection::vec(prop::collection::vec("[a-zA-Zéü0-9 ,;\"\n@.]{0,12}", 3), 1..8),
            d in prop::sample::select(vec![b',', b';', b'\t']),
        ) {
            let headers = vec!["Name".to_string(), "Email".to_string(), "Company".to_string()];
            let mut w = csv::WriterBuilder::new().delimiter(d).from_writer(Vec::new());
            w.write_record(&headers).unwrap();
            for r in &rows {
                w.write_record(r).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let t = read(bytes.as_slice()).unwrap();
            prop_assert_eq!(t.headers, headers);
            let trimmed: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
                .collect();
            let got: Vec<Vec<String>> = t.rows.into_iter().map(|r| r.cells).collect();
            prop_assert_eq!(got, trimmed);
        }
    }
}
