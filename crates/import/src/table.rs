//! What a reader produces: headers and rows of text cells with their line.

use sourcebar_core::import::{profile_from_cells, RowError, RowProblem};
use sourcebar_core::Profile;

/// One row of cells, with the line of the file it starts on (1-based; for
/// JSON, the item's position in the array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A file read: its header row, its rows, and the lines that could not be
/// read (reported, while the rest still works).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    pub unreadable: Vec<RowProblem>,
}

/// A row turned into a profile under a mapping, or why it could not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: u64,
    pub cells: Vec<String>,
    pub profile: Result<Profile, RowError>,
}

impl Table {
    /// Every person in the table under `mapping` (one field per column, as
    /// `sourcebar_core::import::recognise_all` proposes and the user
    /// corrects), unreadable lines included as invalid rows, in line order.
    /// Empty rows are left out: they are nobody.
    pub fn profiles(&self, mapping: &[Option<sourcebar_core::import::Field>]) -> Vec<ParsedRow> {
        let mut out: Vec<ParsedRow> = self
            .rows
            .iter()
            .filter_map(|row| {
                let profile = profile_from_cells(mapping, &row.cells).transpose()?;
                Some(ParsedRow {
                    line: row.line,
                    cells: row.cells.clone(),
                    profile,
                })
            })
            .chain(self.unreadable.iter().map(|p| ParsedRow {
                line: p.line,
                cells: Vec::new(),
                profile: Err(p.error.clone()),
            }))
            .collect();
        out.sort_by_key(|r| r.line);
        out
    }
}
