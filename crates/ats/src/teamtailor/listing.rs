//! One page of a Teamtailor candidate listing and its cursor. Teamtailor
//! pages by number (`page[number]`, `page[size]` up to 30) and filters a
//! listing of changes by `filter[updated-at][from]`; the cursor carries
//! both, in a form of our own that is parsed strictly (a whole `links.next`
//! URL would be a host to trust).

use crate::{when, AtsError, Listing, SyncCursor};

/// Rows per page: Teamtailor's most.
pub const PAGE_SIZE: u32 = 30;
const PREFIX: &str = "candidates?";

/// A page of the walk: its number and the listing's filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingPage {
    /// `YYYY-MM-DD`: records changed on or after that day.
    pub updated_from: Option<String>,
    /// From 1.
    pub number: u32,
}

impl ListingPage {
    /// The first page of `listing`.
    pub fn first(listing: Listing) -> Self {
        let updated_from = match listing {
            Listing::Full => None,
            // The grain of Teamtailor's filter is not documented: a day
            // earlier, as a date, covers a date or a time in any zone.
            Listing::ChangedSince(ms) => Some(when::date(ms - 86_400_000)),
        };
        ListingPage {
            updated_from,
            number: 1,
        }
    }

    /// The query of this page's call.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![
            // Oldest first: records made during the walk land after it.
            ("sort", "id".to_string()),
            ("page[size]", PAGE_SIZE.to_string()),
            ("page[number]", self.number.to_string()),
        ];
        if let Some(from) = &self.updated_from {
            query.push(("filter[updated-at][from]", from.clone()));
        }
        query
    }

    /// The page after this one.
    pub fn next(&self) -> Self {
        ListingPage {
            updated_from: self.updated_from.clone(),
            number: self.number.saturating_add(1),
        }
    }

    /// `candidates?page=N` or `candidates?updated-from=YYYY-MM-DD&page=N`.
    pub fn cursor(&self) -> SyncCursor {
        SyncCursor(match &self.updated_from {
            Some(from) => format!("{PREFIX}updated-from={from}&page={}", self.number),
            None => format!("{PREFIX}page={}", self.number),
        })
    }

    /// A cursor this adapter wrote (anything else is refused).
    pub fn parse(cursor: &SyncCursor) -> Result<Self, AtsError> {
        let bad = || AtsError::Malformed(format!("not a Teamtailor listing cursor: {}", cursor.0));
        let rest = cursor.0.strip_prefix(PREFIX).ok_or_else(bad)?;
        let (filter, page) = match rest.split_once('&') {
            Some((filter, page)) => (Some(filter), page),
            None => (None, rest),
        };
        let number: u32 = page
            .strip_prefix("page=")
            .and_then(|n| n.parse().ok())
            .filter(|n| *n >= 1)
            .ok_or_else(bad)?;
        let updated_from = match filter {
            None => None,
            Some(f) => {
                let date = f.strip_prefix("updated-from=").ok_or_else(bad)?;
                let shape = date.len() == 10
                    && date.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        _ => b.is_ascii_digit(),
                    });
                if !shape {
                    return Err(bad());
                }
                Some(date.to_string())
            }
        };
        Ok(ListingPage {
            updated_from,
            number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_the_next_page_with_its_filter_and_only_ours_are_accepted() {
        let first = ListingPage::first(Listing::ChangedSince(1_767_225_600_000));
        assert_eq!(first.updated_from.as_deref(), Some("2025-12-31"));
        let cursor = first.next().cursor();
        assert_eq!(cursor.0, "candidates?updated-from=2025-12-31&page=2");
        assert_eq!(ListingPage::parse(&cursor).unwrap(), first.next());
        let full = ListingPage::first(Listing::Full).next().cursor();
        assert_eq!(full.0, "candidates?page=2");
        assert_eq!(ListingPage::parse(&full).unwrap().number, 2);
        for bad in [
            "https://evil.example/v1/candidates?page=2",
            "candidates?page=0",
            "candidates?page=x",
            "users?page=2",
            "candidates?updated-from=2025-12-3&page=2",
            "candidates?updated-from=2025-12-31&x=1&page=2",
            "candidates?updated-from=../../x/&page=2",
        ] {
            assert!(
                ListingPage::parse(&SyncCursor(bad.into())).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_page_asks_for_thirty_rows_oldest_first_with_its_filter() {
        let page = ListingPage::first(Listing::ChangedSince(1_767_225_600_000));
        let query = page.query();
        assert!(query.contains(&("page[size]", "30".into())));
        assert!(query.contains(&("page[number]", "1".into())));
        assert!(query.contains(&("sort", "id".into())));
        assert!(query.contains(&("filter[updated-at][from]", "2025-12-31".into())));
        assert_eq!(ListingPage::first(Listing::Full).query().len(), 3);
    }
}
