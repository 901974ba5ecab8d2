//! Looking a person up in the ATS live, the way its API allows: by email
//! where it can search by email, else by name and then the details of the
//! best name hits. Dedupe's live check and an upload's look-before-retry
//! both ask here, so neither holds a provider's rules.

use sourcebar_ats::{Ats, AtsError, Listed, Priority};
use sourcebar_core::providers::Capabilities;
use sourcebar_core::Candidate;

/// Whom to look for.
pub struct Wanted<'a> {
    /// A normalised email address, if the person has one.
    pub email: Option<&'a str>,
    /// The display name.
    pub name: Option<&'a str>,
}

/// How far a lookup may go.
pub struct Reach {
    /// Pages of a loose name search to read.
    pub name_pages: u32,
    /// Hits read in detail at most (each one ATS call).
    pub details: usize,
}

/// The records the ATS finds for `wanted`, read in full. Every email hit
/// is kept; name hits are ranked by `rank`, best first (one it ranks `None`
/// is dropped before any detail is read). Empty when the ATS can search
/// neither by email nor by name.
pub async fn find<R>(
    ats: &dyn Ats,
    capabilities: Capabilities,
    wanted: &Wanted<'_>,
    reach: &Reach,
    rank: R,
) -> Result<Vec<Candidate>, AtsError>
where
    R: Fn(&Listed) -> Option<f64>,
{
    let mut ranked: Vec<(f64, Listed)> = match (wanted.email, wanted.name) {
        (Some(email), _) if capabilities.email_search => ats
            .search_by_email(email, Priority::Interactive)
            .await?
            .into_iter()
            .map(|hit| (1.0, hit))
            .collect(),
        (_, Some(name)) if capabilities.name_search && !name.trim().is_empty() => ats
            .search_by_name(name.trim(), reach.name_pages, Priority::Interactive)
            .await?
            .into_iter()
            .filter_map(|hit| rank(&hit).map(|score| (score, hit)))
            .collect(),
        _ => Vec::new(),
    };
    // Best first; among equals, the newest record.
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.created().cmp(&a.1.created()))
    });
    let mut out = Vec::new();
    let mut reads = 0;
    for (_, hit) in ranked {
        match hit {
            Listed::Complete(candidate) => out.push(candidate),
            Listed::Partial(summary) => {
                if reads == reach.details {
                    continue;
                }
                reads += 1;
                match ats.get_candidate(&summary.id, Priority::Interactive).await {
                    Ok(candidate) => out.push(candidate),
                    // Removed since the search listed it.
                    Err(AtsError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(out)
}
