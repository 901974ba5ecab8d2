//! Is this profile already in the ATS? Scoring one candidate against a
//! profile, with every reason spelled out, and the overall verdict.

use crate::email::canonical_email_for_matching;
use crate::names::{fold_bounded, is_particle};
use crate::nicknames::same_given_name;
use crate::profile::MAX_NAME_WORDS;
use crate::profile_url::linkedin_public_id;
use crate::{Candidate, Profile};
use serde::{Deserialize, Serialize};
use strsim::jaro_winkler;

/// At most this many matches are returned.
pub const MAX_MATCHES: usize = 10;

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub kind: ReasonKind,
    /// English detail ("similar name — 93%"); the sidebar words it per language.
    pub detail: String,
    /// For a name: the similarity in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// This field's contribution to the match weight (log2 odds; negative
    /// when it speaks against the match), so the sidebar can show why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

impl Reason {
    /// A reason of `kind` with its English detail, no percentage or weight.
    pub fn new(kind: ReasonKind, detail: impl Into<String>) -> Self {
        Reason {
            kind,
            detail: detail.into(),
            percent: None,
            weight: None,
        }
    }

    /// Whether this reason alone proves the same person.
    pub fn is_certain(&self) -> bool {
        matches!(self.kind, ReasonKind::Email | ReasonKind::ProfileUrl)
    }
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DedupeMatch {
    pub connection_id: String,
    pub candidate: Candidate,
    /// 0..1, higher is surer.
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// What the team did with this candidate through Sourcebar, newest first
    /// (from the audit log): "Uploaded by Sam · 3 days ago".
    #[serde(default)]
    pub history: Vec<TeamEvent>,
    /// The candidate's applications as the companion's mirror holds them
    /// (job, stage, status), most recently changed first.
    #[serde(default)]
    pub applications: Vec<crate::api::applications::Application>,
}

/// What a teammate did with a candidate through Sourcebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeamAction {
    Uploaded,
    Merged,
}

/// One entry of a match's team history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamEvent {
    pub action: TeamAction,
    /// The teammate's display name (or email when they gave no name).
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

/// `POST /v1/dedupe` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DedupeRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub profile: Profile,
}

/// `POST /v1/dedupe` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DedupeResponse {
    pub verdict: Verdict,
    pub matches: Vec<DedupeMatch>,
    /// False while the first sync of the mirror is still running: the answer
    /// then also comes from a bounded live check of the ATS.
    #[serde(default = "yes")]
    pub mirror_complete: bool,
}

/// Most profiles one `POST /v1/dedupe/batch` takes.
pub const MAX_BATCH: usize = 100;

/// `POST /v1/dedupe/batch` body: at most [`MAX_BATCH`] profiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchDedupeRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub profiles: Vec<Profile>,
}

/// `POST /v1/dedupe/batch` answer: one `/v1/dedupe` answer per profile, in
/// the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchDedupeResponse {
    pub results: Vec<DedupeResponse>,
}

fn yes() -> bool {
    true
}

/// How often a random candidate shares a value: the u-probabilities of a
/// Fellegi–Sunter model, so that agreeing on "John Smith in London" weighs
/// less than agreeing on "Siobhán Ní Bhriain in Galway". The index counts
/// them over its candidates; [`Frequencies::default`] holds typical figures
/// for a candidate scored alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frequencies {
    /// Share of candidates with this candidate's (first) given name.
    pub given: f64,
    /// Share of candidates with this candidate's family name.
    pub family: f64,
    /// Share of candidates in this candidate's city.
    pub city: f64,
    /// Whether the profile's given name, as typed, is itself a name some
    /// candidate has (as a given or a family name). A real name one typo
    /// from the candidate's is more likely another person's than a typo.
    pub query_given_known: bool,
    /// The same for the profile's family name.
    pub query_family_known: bool,
}

impl Default for Frequencies {
    fn default() -> Self {
        Frequencies {
            given: 1.0 / 300.0,
            family: 1.0 / 3000.0,
            city: 1.0 / 50.0,
            query_given_known: false,
            query_family_known: false,
        }
    }
}

/// The total match weight (log2 of the odds) from which a candidate is a
/// possible duplicate. Tuned on the labelled benchmark (`benches/quality.rs`).
pub const POSSIBLE_WEIGHT: f64 = 9.0;

/// How often a true duplicate agrees exactly on a field (the m-probability).
const M_EXACT: f64 = 0.9;

/// How two values of one field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The same (for a given name: also a nickname of it).
    Exact,
    /// One typo, transposition, split or join apart.
    Close,
    /// One side is the other's initial.
    Initial,
    /// One side is empty: no evidence either way.
    Missing,
    Different,
}

/// `log2(m / u)`: the weight of agreeing on a value this common.
fn agreement(u: f64, min: f64, max: f64) -> f64 {
    (M_EXACT / u.max(1e-9)).log2().clamp(min, max)
}

/// Scores `candidate` against `profile`. `extra_urls` are LinkedIn URLs
/// attached to the candidate outside its record (JazzHR cannot store them).
/// `None` when nothing meaningful matches.
pub fn score_candidate(
    profile: &Profile,
    candidate: &Candidate,
    extra_urls: &[String],
) -> Option<(f64, Vec<Reason>)> {
    score_with_frequencies(profile, candidate, extra_urls, &Frequencies::default())
}

/// [`score_candidate`] with the frequencies of the candidate's values.
///
/// Each field adds its Fellegi–Sunter weight: agreeing adds `log2(m/u)`
/// (more for a rare value), disagreeing subtracts, a missing value counts
/// nothing. A candidate is a possible duplicate from [`POSSIBLE_WEIGHT`] on,
/// and only when a name part agrees; its score maps the weight to 0.5–0.96.
/// Email and LinkedIn URL alone make a certain match.
pub fn score_with_frequencies(
    profile: &Profile,
    candidate: &Candidate,
    extra_urls: &[String],
    frequencies: &Frequencies,
) -> Option<(f64, Vec<Reason>)> {
    let folded_city = |location: Option<&str>| city(location).map(fold_bounded);
    let same_city = match (
        folded_city(profile.location.as_deref()),
        folded_city(candidate.location.as_deref()),
    ) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
            Some(a == b || jaro_winkler(&a, &b) >= 0.93)
        }
        _ => None,
    };
    score_folded(
        profile,
        profile_folded(profile).as_ref(),
        candidate,
        &Folded::new(&candidate.first_name, &candidate.last_name),
        extra_urls,
        frequencies,
        same_city,
    )
}

/// [`score_with_frequencies`] with the names already folded (the index
/// keeps them folded) and the places already compared (`None`: a side has
/// none), so scoring a bucket folds nothing twice.
#[allow(
    clippy::too_many_lines,
    reason = "one scoring table, field by field, read top to bottom"
)]
pub(crate) fn score_folded(
    profile: &Profile,
    query: Option<&Folded>,
    candidate: &Candidate,
    cand: &Folded,
    extra_urls: &[String],
    frequencies: &Frequencies,
    same_city: Option<bool>,
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
    let certain = !reasons.is_empty();

    let name = query.and_then(|q| name_evidence(profile, q, candidate, cand, frequencies));
    let mut weight = name.as_ref().map_or(0.0, |n| n.weight);
    if let Some(n) = &name {
        // A name that speaks against the match is no reason for it.
        if n.agrees && n.weight > 0.0 {
            let detail = match (&n.nickname, n.exact) {
                (Some(nick), _) => format!("same name, nickname {nick}"),
                (None, true) => "same name".to_string(),
                (None, false) => "similar name".to_string(),
            };
            reasons.push(Reason {
                kind: ReasonKind::Name,
                detail,
                percent: Some(percent(n.similarity)),
                weight: Some(round1(n.weight)),
            });
        }
    }
    if !certain && !name.as_ref().is_some_and(|n| n.agrees) {
        return None;
    }

    let mut support = 0;
    for (kind, word, ours, theirs, agree, differ) in [
        (
            ReasonKind::Company,
            "company",
            profile.company.as_deref(),
            candidate.company.as_deref(),
            4.0,
            0.0,
        ),
        (
            ReasonKind::Title,
            "title",
            profile.title.as_deref(),
            candidate.title.as_deref(),
            2.0,
            0.0,
        ),
    ] {
        if let (Some(a), Some(b)) = (ours, theirs) {
            let (fa, fb) = (fold_bounded(a), fold_bounded(b));
            if fa.is_empty() || fb.is_empty() {
                continue;
            }
            if fa == fb || jaro_winkler(&fa, &fb) >= 0.93 {
                let mut reason = Reason::new(kind, format!("same {word}: {b}"));
                reason.weight = Some(round1(agree));
                reasons.push(reason);
                weight += agree;
                support += 1;
            } else {
                weight += differ;
            }
        }
    }
    match same_city {
        Some(true) => {
            let agree = agreement(frequencies.city, 1.0, 8.0);
            let place = city(candidate.location.as_deref()).unwrap_or_default();
            let mut reason = Reason::new(ReasonKind::Location, format!("same location: {place}"));
            reason.weight = Some(round1(agree));
            reasons.push(reason);
            weight += agree;
            support += 1;
        }
        // Another city in the same country is a move; another country
        // is far less often the same person.
        Some(false) => {
            weight -= if other_country(profile.location.as_deref(), candidate.location.as_deref()) {
                OTHER_COUNTRY
            } else {
                MOVED_CITY
            };
        }
        None => {}
    }
    if let (Some(phone), false) = (candidate.phone.as_deref(), profile.phones.is_empty()) {
        let digits = |s: &str| {
            s.chars()
                .filter(char::is_ascii_digit)
                .take(32)
                .collect::<String>()
        };
        let theirs = digits(phone);
        if theirs.len() >= 6
            && profile
                .phones
                .iter()
                .any(|p| digits(p).ends_with(&theirs[theirs.len() - 6..]))
        {
            let mut reason = Reason::new(ReasonKind::Phone, "same phone");
            reason.weight = Some(8.0);
            reasons.push(reason);
            weight += 8.0;
            support += 1;
        }
    }

    // A name part that disagrees (another given name, a changed family
    // name) needs more than the place: a company, title or phone.
    let other_support = reasons.iter().any(|r| {
        matches!(
            r.kind,
            ReasonKind::Company | ReasonKind::Title | ReasonKind::Phone
        )
    });
    let score = if certain {
        0.97 + 0.01 * f64::from(support.min(3))
    } else if weight < POSSIBLE_WEIGHT
        || (name.as_ref().is_some_and(|n| n.disagrees) && !other_support)
    {
        return None;
    } else {
        score_for_weight(weight)
    };
    Some((score, reasons))
}

/// What another city in the same country weighs against the match: people
/// move, and a profile's city is often the nearest big one.
const MOVED_CITY: f64 = 2.0;

/// What a place in another country weighs against the match.
const OTHER_COUNTRY: f64 = 6.0;

/// Whether two locations name a country each ("Leeds, United Kingdom") and
/// they differ.
fn other_country(a: Option<&str>, b: Option<&str>) -> bool {
    let country = |l: Option<&str>| {
        let l = l?;
        let (_, last) = l.rsplit_once(',')?;
        let folded = fold_bounded(last);
        (!folded.is_empty()).then_some(folded)
    };
    matches!((country(a), country(b)), (Some(x), Some(y)) if x != y)
}

/// What a name part one typo from the candidate's weighs when the profile's
/// part is itself a real name in the index ("Lumar" is not, "Julie" is):
/// then it is more likely someone else's name than a typo, and it counts
/// as a different name (which needs a company, title or phone to agree).
const CLOSE_BUT_KNOWN: f64 = -3.0;

/// Maps a match weight at or above [`POSSIBLE_WEIGHT`] to 0.5–0.96: each
/// six bits of evidence halve the distance left to 0.96.
pub fn score_for_weight(weight: f64) -> f64 {
    let above = (weight - POSSIBLE_WEIGHT).max(0.0);
    (0.5 + 0.46 * (1.0 - (-above / 6.0).exp2())).clamp(0.5, 0.96)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// What the names say.
struct NameEvidence {
    /// Fellegi–Sunter weight of the given and family names together.
    weight: f64,
    /// Whether a name part agrees (exactly or closely): the least a
    /// possible duplicate needs.
    agrees: bool,
    /// Whether both parts agree exactly.
    exact: bool,
    /// Whether a part disagrees (is there on both sides and differs).
    disagrees: bool,
    /// Similarity of the whole names, 0..1, for display.
    similarity: f64,
    /// "Bill ↔ William" when a nickname made the given names equal.
    nickname: Option<String>,
}

/// A folded name: given, family without particles, family as written.
pub(crate) struct Folded {
    pub(crate) given: String,
    pub(crate) family: String,
    /// Empty when it equals `family` (most names): the index keeps a
    /// million of these.
    raw_family: String,
}

impl Folded {
    pub(crate) fn new(first: &str, last: &str) -> Self {
        let (given, family) = folded_parts(first, last);
        let mut raw_family = fold_bounded(last);
        if raw_family == family {
            raw_family = String::new();
        }
        Folded {
            given,
            family,
            raw_family,
        }
    }

    /// The family name as written, particles included.
    pub(crate) fn raw_family(&self) -> &str {
        if self.raw_family.is_empty() {
            &self.family
        } else {
            &self.raw_family
        }
    }
}

fn given_level(a: &str, b: &str) -> (Level, bool) {
    if a.is_empty() || b.is_empty() {
        return (Level::Missing, false);
    }
    let first_a = a.split(' ').next().unwrap_or("");
    let first_b = b.split(' ').next().unwrap_or("");
    if a == b || first_a == first_b {
        (Level::Exact, false)
    } else if same_given_name(first_a, first_b) {
        (Level::Exact, true)
    } else if one_typo_apart(a, b) || one_typo_apart(first_a, first_b) || joined(a) == joined(b) {
        (Level::Close, false)
    } else if (first_a.chars().count() == 1 && first_b.starts_with(first_a))
        || (first_b.chars().count() == 1 && first_a.starts_with(first_b))
    {
        (Level::Initial, false)
    } else {
        (Level::Different, false)
    }
}

fn family_level(a: &str, b: &str, raw_a: &str, raw_b: &str) -> Level {
    if a.is_empty() || b.is_empty() {
        return Level::Missing;
    }
    let (ja, jb) = (joined(raw_a), joined(raw_b));
    if a == b || ja == jb {
        return Level::Exact;
    }
    if one_typo_apart(a, b)
        || one_typo_apart(raw_a, raw_b)
        || one_typo_apart(&ja, &jb)
        || extended(&ja, &jb)
    {
        Level::Close
    } else {
        Level::Different
    }
}

/// The most a family name one typo away can weigh: 2 for four letters or
/// fewer, 4 up to six, 6 beyond.
fn close_cap(family: &str) -> f64 {
    match family.chars().count() {
        0..=4 => 2.0,
        5..=6 => 4.0,
        _ => 6.0,
    }
}

/// Whether two names are one typo apart: a wrong, missing or extra letter
/// or two letters swapped (two for names of eight letters or more). Edit
/// distance, unlike Jaro–Winkler, does not call "nemul" close to "kanemul".
fn one_typo_apart(a: &str, b: &str) -> bool {
    let longest = a.chars().count().max(b.chars().count());
    let allowed = if longest >= 10 { 2 } else { 1 };
    longest >= 3 && strsim::osa_distance(a, b) <= allowed
}

/// Whether a short family name (five letters or fewer: "du", "lee",
/// "green") is the start of the other, joined to what followed it
/// ("leelu", "greenwick") with at most four letters more. Longer names
/// are not: a longer name extended is as often somebody else's name.
fn extended(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (n_short, n_long) = (short.chars().count(), long.chars().count());
    (2..=5).contains(&n_short)
        && n_long > n_short
        && n_long - n_short <= 4
        && long.starts_with(short)
}

/// A name without its spaces: "satte rley" and "satterley" are one name.
fn joined(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

/// The weight of one orientation: the profile's given name against `given`,
/// its family name against `family`.
fn orientation_weight(
    query: &Folded,
    given: &str,
    family: &str,
    raw_family: &str,
    frequencies: &Frequencies,
) -> (f64, Level, Level, bool) {
    let (mut g, nickname) = given_level(&query.given, given);
    let mut f = family_level(&query.family, family, query.raw_family(), raw_family);
    // A real name one typo from the candidate's is another name, not a typo.
    let another_given = g == Level::Close && frequencies.query_given_known;
    let another_family = f == Level::Close && frequencies.query_family_known;
    if another_given {
        g = Level::Different;
    }
    if another_family {
        f = Level::Different;
    }
    let given_exact = agreement(frequencies.given, 3.0, 10.0);
    let family_exact = agreement(frequencies.family, 5.0, 13.0);
    let wg = match g {
        _ if another_given => CLOSE_BUT_KNOWN,
        Level::Exact => given_exact,
        Level::Close => (given_exact - 3.0).clamp(1.5, 6.0),
        Level::Initial => 1.0,
        Level::Missing => 0.0,
        // Nicknames count as the same name: another given name is strong
        // evidence of another person.
        Level::Different => -8.0,
    };
    let wf = match f {
        _ if another_family => CLOSE_BUT_KNOWN,
        Level::Exact => family_exact,
        // One typo away from a short name is weak evidence: many names are.
        Level::Close => {
            (family_exact - 4.0).clamp(2.0, close_cap(family).max(close_cap(raw_family)))
        }
        Level::Missing | Level::Initial => 0.0,
        // A changed family name is possible, but then other fields must agree.
        Level::Different => -8.0,
    };
    (wg + wf, g, f, nickname)
}

pub(crate) fn profile_folded(profile: &Profile) -> Option<Folded> {
    let (first, last) = profile.name_parts()?;
    Some(Folded::new(&first, &last))
}

/// Weighs the names in both orders (a swapped order costs a little).
fn name_evidence(
    profile: &Profile,
    query: &Folded,
    candidate: &Candidate,
    cand: &Folded,
    frequencies: &Frequencies,
) -> Option<NameEvidence> {
    if (query.given.is_empty() && query.family.is_empty())
        || (cand.given.is_empty() && cand.family.is_empty())
    {
        return None;
    }
    let straight = orientation_weight(
        query,
        &cand.given,
        &cand.family,
        cand.raw_family(),
        frequencies,
    );
    let mut swapped =
        orientation_weight(query, &cand.family, &cand.given, &cand.given, frequencies);
    swapped.0 -= 1.0;
    let (weight, g, f, nick) = if swapped.0 > straight.0 {
        swapped
    } else {
        straight
    };
    let good = |l: Level| matches!(l, Level::Exact | Level::Close);
    let nickname = nick.then(|| {
        format!(
            "{} ↔ {}",
            profile.first_name.as_deref().unwrap_or(&query.given),
            candidate.first_name
        )
    });
    let similarity = (0.4 * jaro_winkler(&query.given, &cand.given)
        + 0.6 * jaro_winkler(&query.family, &cand.family))
    .max(
        0.4 * jaro_winkler(&query.given, &cand.family)
            + 0.6 * jaro_winkler(&query.family, &cand.given),
    );
    Some(NameEvidence {
        weight,
        agrees: good(g) || good(f),
        exact: g == Level::Exact && f == Level::Exact,
        disagrees: g == Level::Different || f == Level::Different,
        similarity: if g == Level::Exact && f == Level::Exact {
            1.0
        } else {
            similarity
        },
        nickname,
    })
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
    // Bounded text and at most `MAX_NAME_WORDS` words a part: blocking keys
    // and similarities cost at most a constant per name.
    let first: Vec<String> = fold_bounded(first)
        .split(' ')
        .take(MAX_NAME_WORDS)
        .map(String::from)
        .collect();
    let folded_last = fold_bounded(last);
    let mut last: Vec<String> = folded_last
        .split(' ')
        .filter(|w| !is_particle(w))
        .take(MAX_NAME_WORDS)
        .map(String::from)
        .collect();
    // A family name made of particles alone ("Du", "Le") is the name itself.
    if last.is_empty() {
        last = folded_last
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(MAX_NAME_WORDS)
            .map(String::from)
            .collect();
    }
    (first.join(" "), last.join(" "))
}

/// The city of a location (its first part), when it names one.
pub(crate) fn city(location: Option<&str>) -> Option<&str> {
    let city = location?.split(',').next()?.trim();
    (!city.is_empty()).then_some(city)
}

pub mod confidence;
pub use confidence::{conflicts, fuzzy_name, Confidence, Conflict};

#[cfg(test)]
mod tests;

/// A similarity or a score in 0..=1 as a whole percentage.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "clamped to 0..=100 first"
)]
pub fn percent(similarity: f64) -> u8 {
    (similarity.clamp(0.0, 1.0) * 100.0).round() as u8
}
