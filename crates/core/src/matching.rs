//! Is this profile already in the ATS? Scoring one candidate against a
//! profile, with every reason spelled out, and the overall verdict.

use crate::email::canonical_email_for_matching;
use crate::names::{fold_name, is_particle};
use crate::nicknames::same_given_name;
use crate::profile_url::linkedin_public_id;
use crate::{Candidate, Profile};
use serde::{Deserialize, Serialize};
use strsim::jaro_winkler;

/// Names at least this similar (0..1) make a possible duplicate.
pub const NAME_THRESHOLD: f64 = 0.86;
/// At most this many matches are returned.
pub const MAX_MATCHES: usize = 10;

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    Email,
    ProfileUrl,
    Name,
    Company,
    Title,
    Location,
    Phone,
}

/// Why a candidate may be the person on the page, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    /// English detail ("similar name — 93%"); the sidebar words it per language.
    pub detail: String,
    /// For a name: the similarity in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
}

impl Reason {
    fn new(kind: ReasonKind, detail: impl Into<String>) -> Self {
        Reason {
            kind,
            detail: detail.into(),
            percent: None,
        }
    }

    /// Whether this reason alone proves the same person.
    pub fn is_certain(&self) -> bool {
        matches!(self.kind, ReasonKind::Email | ReasonKind::ProfileUrl)
    }
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Certainly in the ATS (same email or LinkedIn URL).
    Exact,
    /// Someone with a similar name is.
    Possible,
    /// Nobody like them is.
    None,
}

/// One potential duplicate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DedupeMatch {
    pub connection_id: String,
    pub candidate: Candidate,
    /// 0..1, higher is surer.
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// `POST /v1/dedupe` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DedupeRequest {
    pub profile: Profile,
}

/// `POST /v1/dedupe` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DedupeResponse {
    pub verdict: Verdict,
    pub matches: Vec<DedupeMatch>,
    /// False while the first sync of the mirror is still running: the answer
    /// then also comes from a bounded live check of the ATS.
    #[serde(default = "yes")]
    pub mirror_complete: bool,
}

fn yes() -> bool {
    true
}

/// Scores `candidate` against `profile`. `extra_urls` are LinkedIn URLs
/// attached to the candidate outside its record (JazzHR cannot store them).
/// `None` when nothing meaningful matches.
pub fn score_candidate(
    profile: &Profile,
    candidate: &Candidate,
    extra_urls: &[String],
) -> Option<(f64, Vec<Reason>)> {
    let mut reasons = Vec::new();

    let cand_email = candidate
        .email
        .as_deref()
        .and_then(canonical_email_for_matching);
    if let Some(ce) = &cand_email {
        if profile
            .emails
            .iter()
            .filter_map(|e| canonical_email_for_matching(e))
            .any(|e| &e == ce)
        {
            reasons.push(Reason::new(ReasonKind::Email, "same email"));
        }
    }
    if let Some(pid) = profile.profile_url.as_deref().and_then(linkedin_public_id) {
        let same = candidate
            .profile_url
            .iter()
            .chain(extra_urls)
            .filter_map(|u| linkedin_public_id(u))
            .any(|id| id == pid);
        if same {
            reasons.push(Reason::new(ReasonKind::ProfileUrl, "same LinkedIn URL"));
        }
    }

    let name = name_similarity(profile, candidate);
    if let Some((similarity, nickname)) = &name {
        if *similarity >= NAME_THRESHOLD {
            let percent = (similarity * 100.0).round() as u8;
            let detail = match (percent, nickname.as_deref()) {
                (_, Some(n)) => format!("same name, nickname {n}"),
                (100, None) => "same name".to_string(),
                (p, None) => format!("similar name — {p}%"),
            };
            reasons.push(Reason {
                kind: ReasonKind::Name,
                detail,
                percent: Some(percent),
            });
        }
    }
    let certain = reasons.iter().any(Reason::is_certain);
    let name_ok = reasons.iter().any(|r| r.kind == ReasonKind::Name);
    if !certain && !name_ok {
        return None;
    }

    let mut support = 0;
    for (kind, word, ours, theirs) in [
        (
            ReasonKind::Company,
            "company",
            profile.company.as_deref(),
            candidate.company.as_deref(),
        ),
        (
            ReasonKind::Title,
            "title",
            profile.title.as_deref(),
            candidate.title.as_deref(),
        ),
        (
            ReasonKind::Location,
            "location",
            city(profile.location.as_deref()),
            city(candidate.location.as_deref()),
        ),
    ] {
        if let (Some(a), Some(b)) = (ours, theirs) {
            let (fa, fb) = (fold_name(a), fold_name(b));
            if !fa.is_empty() && (fa == fb || jaro_winkler(&fa, &fb) >= 0.93) {
                reasons.push(Reason::new(kind, format!("same {word}: {b}")));
                support += 1;
            }
        }
    }
    if let (Some(phone), false) = (candidate.phone.as_deref(), profile.phones.is_empty()) {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let theirs = digits(phone);
        if theirs.len() >= 6
            && profile
                .phones
                .iter()
                .any(|p| digits(p).ends_with(&theirs[theirs.len() - 6..]))
        {
            reasons.push(Reason::new(ReasonKind::Phone, "same phone"));
            support += 1;
        }
    }

    let score = if certain {
        0.97 + 0.01 * f64::from(support.min(3))
    } else {
        let similarity = name.as_ref().map_or(0.0, |(s, _)| *s);
        let base =
            0.5 + 0.35 * ((similarity - NAME_THRESHOLD) / (1.0 - NAME_THRESHOLD)).clamp(0.0, 1.0);
        (base + 0.04 * f64::from(support)).min(0.96)
    };
    Some((score, reasons))
}

/// The verdict for ranked matches.
pub fn verdict_for(matches: &[DedupeMatch]) -> Verdict {
    if matches
        .iter()
        .any(|m| m.reasons.iter().any(Reason::is_certain))
    {
        Verdict::Exact
    } else if matches.is_empty() {
        Verdict::None
    } else {
        Verdict::Possible
    }
}

/// Best first, at most [`MAX_MATCHES`].
pub fn rank(mut matches: Vec<DedupeMatch>) -> Vec<DedupeMatch> {
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.candidate.id.cmp(&b.candidate.id))
    });
    matches.truncate(MAX_MATCHES);
    matches
}

/// The profile's given and family names, folded, particles dropped from the
/// family name ("van der Berg" and "Berg" compare alike).
pub fn folded_parts(first: &str, last: &str) -> (String, String) {
    let last: Vec<String> = fold_name(last)
        .split(' ')
        .filter(|w| !is_particle(w))
        .map(String::from)
        .collect();
    (fold_name(first), last.join(" "))
}

fn profile_names(profile: &Profile) -> Option<(String, String)> {
    match (&profile.first_name, &profile.last_name) {
        (Some(f), Some(l)) if !f.is_empty() || !l.is_empty() => Some(folded_parts(f, l)),
        _ => {
            let split = crate::names::split_name(profile.full_name.as_deref()?);
            Some(folded_parts(&split.first, &split.last))
        }
    }
}

/// Name similarity 0..1 (order-insensitive) and, when a nickname made the
/// given names equal, the pair ("Bill ↔ William").
fn name_similarity(profile: &Profile, candidate: &Candidate) -> Option<(f64, Option<String>)> {
    let (pf, pl) = profile_names(profile)?;
    let (cf, cl) = folded_parts(&candidate.first_name, &candidate.last_name);
    if (pf.is_empty() && pl.is_empty()) || (cf.is_empty() && cl.is_empty()) {
        return None;
    }
    // Family names compare with and without particles: "Van der Berg" is
    // "Berg", and a typo in the particle ("Vandr Berg") is still close.
    let raw_profile_last = fold_name(profile.last_name.as_deref().unwrap_or(&pl));
    let raw_candidate_last = fold_name(&candidate.last_name);
    let family = |a: &str, b: &str, raw_a: &str, raw_b: &str| {
        jaro_winkler(a, b).max(jaro_winkler(raw_a, raw_b))
    };
    let given = |a: &str, b: &str| -> (f64, bool) {
        let first_a = a.split(' ').next().unwrap_or("");
        let first_b = b.split(' ').next().unwrap_or("");
        if a == b {
            (1.0, false)
        } else if same_given_name(first_a, first_b) {
            (1.0, first_a != first_b)
        } else {
            (
                jaro_winkler(a, b).max(jaro_winkler(first_a, first_b) * 0.97),
                false,
            )
        }
    };
    let (g, nick) = given(&pf, &cf);
    let straight = (
        0.4 * g + 0.6 * family(&pl, &cl, &raw_profile_last, &raw_candidate_last),
        nick,
    );
    let (g, nick_swapped) = given(&pf, &cl);
    let swapped = (
        0.4 * g
            + 0.6
                * family(
                    &pl,
                    &cf,
                    &raw_profile_last,
                    &fold_name(&candidate.first_name),
                ),
        nick_swapped,
    );
    let (best, nick) = if swapped.0 > straight.0 {
        swapped
    } else {
        straight
    };
    let nickname = nick.then(|| {
        format!(
            "{} ↔ {}",
            profile.first_name.as_deref().unwrap_or(&pf),
            candidate.first_name
        )
    });
    Some((best, nickname))
}

fn city(location: Option<&str>) -> Option<&str> {
    let city = location?.split(',').next()?.trim();
    (!city.is_empty() && !city.starts_with("(No City")).then_some(city)
}

#[cfg(test)]
mod tests;
