//! How sure a match is, in words a sourcer reads at a glance, and what
//! speaks against it: the sidebar shows "Same person", "Likely the same" or
//! "Maybe" instead of a percentage, and each conflict as "✗ different email".

use super::{city, DedupeMatch, Reason, ReasonKind};
use crate::email::canonical_email_for_matching;
use crate::names::fold_bounded;
use crate::profile_url::linkedin_public_id;
use crate::{Candidate, Profile};
use strsim::jaro_winkler;

/// From this score on, a match without a certain reason is "likely the
/// same": an exact, uncommon name, or a close name backed by the company.
pub const LIKELY_SCORE: f64 = 0.8;

/// How sure Sourcebar is that a match is the person on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// The email or the LinkedIn URL is identical: no doubt left.
    Same,
    /// Strong evidence, short of proof.
    Likely,
    /// Worth a look before deciding.
    Maybe,
}

impl Confidence {
    /// The confidence for a match's reasons and score (0..1).
    pub fn from_reasons(reasons: &[Reason], score: f64) -> Confidence {
        if reasons.iter().any(Reason::is_certain) {
            Confidence::Same
        } else if score >= LIKELY_SCORE {
            Confidence::Likely
        } else {
            Confidence::Maybe
        }
    }

    /// The confidence of one dedupe match.
    pub fn of(m: &DedupeMatch) -> Confidence {
        Confidence::from_reasons(&m.reasons, m.score)
    }

    /// A stable word for CSS classes and tests.
    pub fn code(self) -> &'static str {
        match self {
            Confidence::Same => "same",
            Confidence::Likely => "likely",
            Confidence::Maybe => "maybe",
        }
    }
}

/// A field where the page and the ATS record disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field that differs.
    pub kind: ReasonKind,
    /// What the ATS record holds there.
    pub theirs: String,
}

/// The fields where both sides have a value and the values differ: the
/// evidence against a match, shown beside the evidence for it. A field
/// missing on either side is no conflict, and a field a reason already
/// counts as agreeing (a nickname, one typo) is none either.
pub fn conflicts(profile: &Profile, candidate: &Candidate, reasons: &[Reason]) -> Vec<Conflict> {
    let agrees = |kind: ReasonKind| reasons.iter().any(|r| r.kind == kind && !is_negative(r));
    let mut found = Vec::new();

    if let Some(theirs) = candidate.email.as_deref().filter(|e| !e.trim().is_empty()) {
        let ours: Vec<String> = profile
            .emails
            .iter()
            .filter_map(|e| canonical_email_for_matching(e))
            .collect();
        if !ours.is_empty()
            && !agrees(ReasonKind::Email)
            && !canonical_email_for_matching(theirs).is_some_and(|t| ours.contains(&t))
        {
            found.push(Conflict {
                kind: ReasonKind::Email,
                theirs: theirs.to_string(),
            });
        }
    }
    if let (Some(ours), Some(theirs)) = (
        profile.profile_url.as_deref().and_then(linkedin_public_id),
        candidate.profile_url.as_deref(),
    ) {
        if !agrees(ReasonKind::ProfileUrl)
            && linkedin_public_id(theirs).is_some_and(|id| id != ours)
        {
            found.push(Conflict {
                kind: ReasonKind::ProfileUrl,
                theirs: theirs.to_string(),
            });
        }
    }
    for (kind, ours, theirs) in [
        (
            ReasonKind::Company,
            profile.company.as_deref(),
            candidate.company.as_deref(),
        ),
        (
            ReasonKind::Location,
            city(profile.location.as_deref()),
            city(candidate.location.as_deref()),
        ),
    ] {
        let (Some(ours), Some(theirs)) = (ours, theirs) else {
            continue;
        };
        let (a, b) = (fold_bounded(ours), fold_bounded(theirs));
        if a.is_empty() || b.is_empty() || agrees(kind) {
            continue;
        }
        if a != b && jaro_winkler(&a, &b) < 0.93 {
            found.push(Conflict {
                kind,
                theirs: theirs.to_string(),
            });
        }
    }
    // Reasons the scorer itself marked as speaking against the match.
    for r in reasons.iter().filter(|r| is_negative(r)) {
        if !found.iter().any(|c| c.kind == r.kind) {
            found.push(Conflict {
                kind: r.kind,
                theirs: r
                    .detail
                    .split_once(": ")
                    .map_or_else(String::new, |(_, v)| v.to_string()),
            });
        }
    }
    found
}

fn is_negative(reason: &Reason) -> bool {
    reason.weight.is_some_and(|w| w < 0.0)
}

/// The fuzzy name of a match, when its name reason is not an exact one:
/// the sidebar then shows both names side by side ("Sam One ↔ Sam Onne").
pub fn fuzzy_name(reasons: &[Reason]) -> bool {
    reasons
        .iter()
        .any(|r| r.kind == ReasonKind::Name && r.detail == "similar name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::score_candidate;

    fn jane() -> Profile {
        Profile {
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            company: Some("Acme Robotics".into()),
            location: Some("Lyon, France".into()),
            emails: vec!["jane.doe@example.com".into()],
            profile_url: Some("https://www.linkedin.com/in/jane-doe/".into()),
            ..Profile::default()
        }
    }

    #[test]
    fn an_identical_email_or_linkedin_url_is_the_same_person_whatever_the_score() {
        for kind in [ReasonKind::Email, ReasonKind::ProfileUrl] {
            assert_eq!(
                Confidence::from_reasons(&[Reason::new(kind, "same")], 0.5),
                Confidence::Same
            );
        }
    }

    #[test]
    fn without_proof_the_score_says_likely_or_maybe_never_same() {
        let name = [Reason::new(ReasonKind::Name, "same name")];
        assert_eq!(Confidence::from_reasons(&name, 0.96), Confidence::Likely);
        assert_eq!(
            Confidence::from_reasons(&name, LIKELY_SCORE),
            Confidence::Likely
        );
        assert_eq!(Confidence::from_reasons(&name, 0.79), Confidence::Maybe);
        assert_eq!(Confidence::from_reasons(&[], 0.99), Confidence::Likely);
    }

    #[test]
    fn a_misspelled_name_alone_is_a_maybe_and_shows_both_names() {
        let p = Profile {
            first_name: Some("Sam".into()),
            last_name: Some("One".into()),
            ..Profile::default()
        };
        let c = Candidate {
            id: "1".into(),
            first_name: "Sam".into(),
            last_name: "Onne".into(),
            ..Candidate::default()
        };
        let (score, reasons) = score_candidate(&p, &c, &[]).expect("a possible duplicate");
        assert_eq!(Confidence::from_reasons(&reasons, score), Confidence::Maybe);
        assert!(fuzzy_name(&reasons));
    }

    #[test]
    fn another_email_and_company_are_conflicts_even_on_a_certain_url_match() {
        let c = Candidate {
            id: "1".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: Some("jd@old-job.example".into()),
            company: Some("Initech".into()),
            location: Some("Lyon".into()),
            profile_url: Some("https://www.linkedin.com/in/jane-doe".into()),
            ..Candidate::default()
        };
        let reasons = [Reason::new(ReasonKind::ProfileUrl, "same LinkedIn URL")];
        let found = conflicts(&jane(), &c, &reasons);
        assert_eq!(
            found,
            vec![
                Conflict {
                    kind: ReasonKind::Email,
                    theirs: "jd@old-job.example".into()
                },
                Conflict {
                    kind: ReasonKind::Company,
                    theirs: "Initech".into()
                },
            ]
        );
    }

    #[test]
    fn a_missing_value_or_a_same_value_written_otherwise_is_no_conflict() {
        let c = Candidate {
            id: "1".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: Some("Jane.Doe@Example.com".into()),
            company: Some("ACME robotics".into()),
            location: None,
            profile_url: Some("https://fr.linkedin.com/in/Jane-Doe/?trk=x".into()),
            ..Candidate::default()
        };
        assert_eq!(conflicts(&jane(), &c, &[]), vec![]);
        let mut empty_page = jane();
        empty_page.emails.clear();
        empty_page.company = None;
        let other = Candidate {
            email: Some("other@example.com".into()),
            company: Some("Initech".into()),
            ..c
        };
        assert_eq!(conflicts(&empty_page, &other, &[]), vec![]);
    }

    #[test]
    fn another_linkedin_id_and_city_are_conflicts_and_negative_reasons_count() {
        let c = Candidate {
            id: "1".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            location: Some("Paris, France".into()),
            profile_url: Some("https://www.linkedin.com/in/jane-doe-42".into()),
            ..Candidate::default()
        };
        let mut against = Reason::new(ReasonKind::Title, "different title: CTO");
        against.weight = Some(-2.0);
        let kinds: Vec<ReasonKind> = conflicts(&jane(), &c, &[against])
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                ReasonKind::ProfileUrl,
                ReasonKind::Location,
                ReasonKind::Title
            ]
        );
    }
}
