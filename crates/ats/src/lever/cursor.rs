//! Where a Lever listing stands: which feed (opportunities, then, on an
//! incremental walk, the deletions feed), since when, and Lever's opaque
//! offset token. Its text is `lever:{feed}:{since ms}:{offset}`.

use crate::{AtsError, Listing, SyncCursor};

/// Lever's `updated_at_start` is in milliseconds; a minute earlier covers
/// clock skew between Lever and us (re-reading a record is harmless).
const SKEW_MS: i64 = 60_000;
/// Longer than any offset token Lever gives.
const MAX_TOKEN: usize = 512;

/// Which list a page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// `GET /opportunities`.
    Opportunities,
    /// `GET /opportunities/deleted` (incremental walks only).
    Deleted,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingPage {
    pub feed: Feed,
    /// `updated_at_start` / `deleted_at_start`, for an incremental walk.
    pub since: Option<i64>,
    /// Lever's `offset` token; `None` on a feed's first page.
    pub offset: Option<String>,
}

impl ListingPage {
    /// The first page of a walk.
    pub fn first(listing: Listing) -> Self {
        ListingPage {
            feed: Feed::Opportunities,
            since: match listing {
                Listing::Full => None,
                Listing::ChangedSince(ms) => Some(ms.saturating_sub(SKEW_MS).max(0)),
            },
            offset: None,
        }
    }

    /// The page after this one, given the answer's next token: the same
    /// feed's next page, else (incremental walks) the deletions feed from
    /// its start, else the end of the walk.
    pub fn after(&self, next_offset: Option<String>) -> Option<Self> {
        match (next_offset, self.feed, self.since) {
            (Some(offset), feed, since) => Some(ListingPage {
                feed,
                since,
                offset: Some(offset),
            }),
            (None, Feed::Opportunities, Some(since)) => Some(ListingPage {
                feed: Feed::Deleted,
                since: Some(since),
                offset: None,
            }),
            (None, _, _) => None,
        }
    }

    pub fn cursor(&self) -> SyncCursor {
        let feed = match self.feed {
            Feed::Opportunities => "opportunities",
            Feed::Deleted => "deleted",
        };
        let since = self.since.map(|s| s.to_string()).unwrap_or_default();
        SyncCursor(format!(
            "lever:{feed}:{since}:{}",
            self.offset.as_deref().unwrap_or_default()
        ))
    }

    /// A cursor this adapter wrote (anything else is refused, not fetched).
    pub fn parse(cursor: &SyncCursor) -> Result<Self, AtsError> {
        let bad = || AtsError::Malformed(format!("not a Lever listing cursor: {}", cursor.0));
        let rest = cursor.0.strip_prefix("lever:").ok_or_else(bad)?;
        let mut parts = rest.splitn(3, ':');
        let (Some(feed), Some(since), Some(offset)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let feed = match feed {
            "opportunities" => Feed::Opportunities,
            "deleted" => Feed::Deleted,
            _ => return Err(bad()),
        };
        let since = match since {
            "" => None,
            digits => Some(digits.parse::<i64>().map_err(|_| bad())?),
        };
        let token_ok = offset.len() <= MAX_TOKEN
            && offset
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~%=+/".contains(&b));
        if !token_ok || (feed == Feed::Deleted && since.is_none()) {
            return Err(bad());
        }
        Ok(ListingPage {
            feed,
            since,
            offset: (!offset.is_empty()).then(|| offset.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incremental_walk_reads_the_deletions_feed_after_the_opportunities() {
        let first = ListingPage::first(Listing::ChangedSince(1_767_225_600_000));
        assert_eq!(first.since, Some(1_767_225_540_000));
        let second = first.after(Some("tok_2".into())).unwrap();
        assert_eq!(second.cursor().0, "lever:opportunities:1767225540000:tok_2");
        assert_eq!(ListingPage::parse(&second.cursor()).unwrap(), second);
        let deleted = second.after(None).unwrap();
        assert_eq!(deleted.feed, Feed::Deleted);
        assert_eq!(deleted.offset, None);
        assert_eq!(ListingPage::parse(&deleted.cursor()).unwrap(), deleted);
        assert_eq!(deleted.after(None), None);
        assert_eq!(ListingPage::first(Listing::Full).after(None), None);
    }

    #[test]
    fn only_our_own_cursors_are_accepted() {
        for bad in [
            "applicants/page/2",
            "lever:users::",
            "lever:opportunities:x:",
            "lever:deleted::",
            "lever:opportunities::a b",
            "lever:opportunities::a&limit=1",
            "lever:opportunities",
        ] {
            assert!(
                ListingPage::parse(&SyncCursor(bad.into())).is_err(),
                "{bad}"
            );
        }
    }
}
