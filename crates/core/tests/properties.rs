//! Property tests for what reads untrusted text: name cleaning, splitting
//! and folding, profile-URL canonicalisation, `Profile` validation and
//! matching. Nothing panics on arbitrary input, and the work grows linearly
//! with the input: eight times the input must cost well under 64 times the
//! time (quadratic code costs 64).

use cpu_time::ThreadTime;
use proptest::prelude::*;
use sourcebar_core::index::MatchIndex;
use sourcebar_core::matching::score_candidate;
use sourcebar_core::names::{clean_display_name, fold_name, split_name};
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::{Candidate, Profile};
use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

/// Timing tests take turns, so they do not measure each other.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The CPU time this thread spends on `f(input)`: a busy machine delays
/// the call but does not add to it.
fn timed(f: &dyn Fn(&str), input: &str) -> Duration {
    let t = ThreadTime::now();
    f(black_box(input));
    t.elapsed()
}

/// Fails when eight times `unit` repeated costs 32 times as long or more:
/// linear code costs about eight times, quadratic code 64. The two sizes
/// run in turns, each is timed in this thread's CPU time, and the fastest
/// run of each counts, so neither a busy machine nor a pause counts.
fn assert_linear(what: &str, unit: &str, f: &dyn Fn(&str)) {
    const SMALL: usize = 2_500;
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let small = unit.repeat(SMALL);
    let large = unit.repeat(SMALL * 8);
    f(&small); // warm up
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..7 {
        t_small = t_small.min(timed(f, &small));
        t_large = t_large.min(timed(f, &large));
    }
    // Below a millisecond the clock's noise is the measure: then the large
    // input only needs to be quick.
    let floor = Duration::from_millis(1);
    assert!(
        t_large < t_small.max(floor) * 32,
        "{what} on {unit:?}: {t_small:?} for {SMALL} units, {t_large:?} for 8× — not linear"
    );
}

const UNITS: &[&str] = &[
    "word ",
    "Dr. ",
    "van der ",
    "José-María ",
    "(she/her) ",
    "PhD ",
    "a",
    "é",
    "%C3%A7",
    "/in/",
];

#[test]
fn name_code_runs_in_linear_time() {
    for unit in UNITS {
        assert_linear("clean_display_name", unit, &|s| {
            black_box(clean_display_name(s));
        });
        assert_linear("split_name", unit, &|s| {
            black_box(split_name(&format!("Anna {s} Berg")));
        });
        assert_linear("fold_name", unit, &|s| {
            black_box(fold_name(s));
        });
    }
}

#[test]
fn profile_url_canonicalisation_runs_in_linear_time() {
    for unit in UNITS {
        assert_linear("canonical_linkedin_url", unit, &|s| {
            black_box(canonical_linkedin_url(&format!(
                "https://www.linkedin.com/in/{s}"
            )));
        });
    }
}

#[test]
fn profile_validation_runs_in_linear_time() {
    for unit in UNITS {
        assert_linear("Profile::validate", unit, &|s| {
            let profile = Profile {
                first_name: Some(s.to_string()),
                full_name: Some(s.to_string()),
                emails: s.split(' ').map(String::from).collect(),
                ..Profile::default()
            };
            let _ = black_box(profile.validate());
        });
    }
}

/// Matching must stay linear even for a profile that skipped validation,
/// and for a candidate a hostile ATS sent: 300 × 300 name words took 8 s.
#[test]
fn matching_runs_in_linear_time_on_unvalidated_names() {
    let mut index = MatchIndex::new();
    for (i, (first, last)) in [("Anna", "Berg"), ("Word", "Word"), ("Jose", "Maria")]
        .iter()
        .enumerate()
    {
        index.insert(
            "conn",
            Candidate {
                id: i.to_string(),
                first_name: (*first).into(),
                last_name: (*last).into(),
                ..Candidate::default()
            },
        );
    }
    for unit in ["word ", "José-María ", "van der ", "a"] {
        assert_linear("MatchIndex::query", unit, &|s| {
            let profile = Profile {
                first_name: Some(s.to_string()),
                last_name: Some(s.to_string()),
                ..Profile::default()
            };
            black_box(index.query(&profile, 10));
            let by_full_name = Profile {
                full_name: Some(s.to_string()),
                ..Profile::default()
            };
            black_box(index.query(&by_full_name, 10));
        });
        assert_linear("score_candidate", unit, &|s| {
            let hostile = Candidate {
                id: "x".into(),
                first_name: s.to_string(),
                last_name: s.to_string(),
                company: Some(s.to_string()),
                ..Candidate::default()
            };
            let profile = Profile {
                first_name: Some(s.to_string()),
                last_name: Some(s.to_string()),
                company: Some(s.to_string()),
                ..Profile::default()
            };
            black_box(score_candidate(&profile, &hostile, &[]));
        });
    }
}

fn profile_strategy() -> impl Strategy<Value = Profile> {
    let text = || proptest::option::of("\\PC{0,260}");
    (
        (text(), text(), text(), text(), text()),
        (text(), text(), text()),
        (
            proptest::collection::vec("\\PC{0,300}", 0..14),
            proptest::collection::vec("\\PC{0,80}", 0..14),
        ),
    )
        .prop_map(
            |(
                (first_name, last_name, full_name, headline, location),
                (company, title, profile_url),
                (emails, phones),
            )| Profile {
                first_name,
                last_name,
                full_name,
                headline,
                location,
                company,
                title,
                profile_url,
                emails,
                phones,
                ..Profile::default()
            },
        )
}

fn chars(s: Option<&String>) -> usize {
    s.map_or(0, |s| s.chars().count())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn name_code_never_panics_and_split_keeps_every_word(raw in "\\PC{0,200}|[A-Za-z .,'()-]{0,80}") {
        let folded = fold_name(&raw);
        prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "));
        let name = split_name(&raw);
        prop_assert_eq!(&name.full, &clean_display_name(&raw));
        // The given and family names are the cleaned name's words, in order.
        let rejoined = [name.first.as_str(), name.last.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        prop_assert_eq!(rejoined, name.full.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn profile_url_canonical_form_is_stable(
        url in "(https?://|//)?([a-z]{1,4}\\.)?linkedin\\.com(:[0-9]{1,5})?/in/[^/?#]{0,30}(/[a-z]{0,6})?(\\?[a-z=&]{0,10})?(#\\PC{0,5})?|\\PC{0,120}"
    ) {
        if let Some(canonical) = canonical_linkedin_url(&url) {
            // Canonical in, the same canonical out, the same id both ways.
            prop_assert_eq!(canonical_linkedin_url(&canonical), Some(canonical.clone()));
            prop_assert_eq!(linkedin_public_id(&canonical), linkedin_public_id(&url));
        }
    }

    #[test]
    fn profile_validation_never_panics_and_refuses_every_oversized_field(profile in profile_strategy()) {
        let result = profile.validate();
        let too_long = chars(profile.first_name.as_ref()) > 100
            || chars(profile.last_name.as_ref()) > 100
            || chars(profile.full_name.as_ref()) > 200
            || chars(profile.headline.as_ref()) > 500
            || chars(profile.location.as_ref()) > 200
            || chars(profile.company.as_ref()) > 200
            || chars(profile.title.as_ref()) > 200
            || profile.emails.len() > 10
            || profile.phones.len() > 10
            || profile.emails.iter().any(|e| e.chars().count() > 254)
            || profile.phones.iter().any(|p| p.chars().count() > 64);
        if too_long {
            prop_assert!(result.is_err());
        }
        if result.is_ok() {
            // A valid profile scores without trouble.
            let c = Candidate { id: "1".into(), first_name: "Ann".into(), last_name: "Lee".into(), ..Candidate::default() };
            let _ = score_candidate(&profile, &c, &[]);
        }
    }
}
