//! Reading a [`Profile`] out of a captured profile page.
//!
//! Layered from the most to the least stable source: the page's `main h1`
//! and title, then the embedded page data (only when it is about the person
//! in the URL), then LinkedIn's class names, which change most often. Two
//! generations of markup are known (the 2019 "pv-top-card-section" layout and
//! the 2023 "text-heading-xlarge" one); missing parts are left empty.

mod dom;
mod embedded;

use crate::messaging::PageCapture;
use dom::{all_attrs, first_attr, first_text};
use sourcebar_core::headline::parse_headline;
use sourcebar_core::names::{clean_display_name, split_name};
use sourcebar_core::profile_url::{canonical_linkedin_url, linkedin_public_id};
use sourcebar_core::{email::normalize_email, Profile};
use web_sys::Document;

/// Why a page gave no profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The URL is not a LinkedIn profile.
    NotAProfile,
    /// The markup could not be parsed or holds no name.
    NoName,
}

const NAME_SELECTORS: &[&str] = &[
    "h1.text-heading-xlarge",
    ".pv-text-details__left-panel h1",
    ".pv-top-card-section__name",
    ".top-card-layout__title",
];
const HEADLINE_SELECTORS: &[&str] = &[
    ".pv-text-details__left-panel .text-body-medium.break-words",
    ".text-body-medium.break-words",
    ".pv-top-card-section__headline",
    ".top-card-layout__headline",
];
const LOCATION_SELECTORS: &[&str] = &[
    ".pv-text-details__left-panel .text-body-small.inline.t-black--light.break-words",
    ".text-body-small.inline.t-black--light.break-words",
    ".pv-top-card-section__location",
    ".top-card__subline-item",
];
const COMPANY_SELECTORS: &[&str] = &[
    "button[aria-label^='Current company'] span",
    "[aria-label^='Current company']",
    ".pv-top-card-v2-section__company-name",
    ".pv-top-card-section__company",
    "#experience-section li .pv-entity__secondary-title",
];
const TITLE_SELECTORS: &[&str] = &[
    "#experience-section li h3",
    "section[data-section='experience'] li .t-bold",
];
const PHOTO_SELECTORS: &[&str] = &[
    "img.pv-top-card-profile-picture__image--show",
    "img.pv-top-card-profile-picture__image",
    ".pv-top-card-section__photo img",
    "img.pv-top-card-section__photo",
    "img.profile-photo-edit__preview",
];

/// The person read from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// What the sidebar sends and pre-fills its form with.
    pub profile: Profile,
    /// The name exactly as the page displays it (untrusted: shown as text only).
    pub displayed_name: String,
}

/// Reads the person on a captured page.
pub fn extract_profile(capture: &PageCapture) -> Result<Extracted, ExtractError> {
    let public_id = linkedin_public_id(&capture.url).ok_or(ExtractError::NotAProfile)?;
    let doc = dom::parse(&capture.markup).ok_or(ExtractError::NoName)?;
    let embedded = embedded::find_person(&capture.data, &public_id);

    let displayed = first_text(&doc, &["h1"])
        .or_else(|| name_from_title(&capture.title))
        .or_else(|| {
            let e = embedded.as_ref()?;
            Some(format!(
                "{} {}",
                e.first_name.as_deref()?,
                e.last_name.as_deref().unwrap_or("")
            ))
        })
        .or_else(|| first_text(&doc, NAME_SELECTORS))
        .ok_or(ExtractError::NoName)?;
    let full_name = clean_display_name(&displayed);
    if full_name.is_empty() {
        return Err(ExtractError::NoName);
    }
    let split = split_name(&full_name);
    let (first_name, last_name) = match embedded.as_ref() {
        Some(e) if e.first_name.is_some() && e.last_name.is_some() => (
            clean_display_name(e.first_name.as_deref().unwrap_or_default()),
            clean_display_name(e.last_name.as_deref().unwrap_or_default()),
        ),
        _ => (split.first, split.last),
    };

    let headline = embedded
        .as_ref()
        .and_then(|e| e.headline.clone())
        .or_else(|| first_text(&doc, HEADLINE_SELECTORS));
    let location = embedded
        .as_ref()
        .and_then(|e| e.location.clone())
        .or_else(|| first_text(&doc, LOCATION_SELECTORS));
    let (headline_title, headline_company) =
        headline.as_deref().map(parse_headline).unwrap_or_default();
    let company = first_text(&doc, COMPANY_SELECTORS)
        .map(|c| c.split('·').next().unwrap_or_default().trim().to_string())
        .filter(|c| !c.is_empty())
        .or(headline_company);
    let title = first_text(&doc, TITLE_SELECTORS).or(headline_title);

    let (emails, phones) = contact_details(capture.overlay.as_deref());
    let profile = Profile {
        first_name: non_empty(first_name),
        last_name: non_empty(last_name),
        full_name: Some(full_name),
        headline,
        location,
        company,
        title,
        profile_url: canonical_linkedin_url(&capture.url),
        photo_url: photo_url(&doc),
        emails,
        phones,
        source: Some("linkedin".into()),
    };
    Ok(Extracted {
        profile,
        displayed_name: displayed,
    })
}

/// "(3) Jane Doe | LinkedIn" → "Jane Doe".
fn name_from_title(title: &str) -> Option<String> {
    let title = title.trim();
    let title = match title.strip_prefix('(') {
        Some(rest)
            if rest
                .split_once(')')
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit())) =>
        {
            rest.split_once(')').map_or(title, |(_, r)| r.trim_start())
        }
        _ => title,
    };
    let name = title.split(" | ").next()?.trim();
    (!name.is_empty() && !name.eq_ignore_ascii_case("linkedin")).then(|| name.to_string())
}

/// A real photo: an https image that is not LinkedIn's grey placeholder.
fn photo_url(doc: &Document) -> Option<String> {
    let src = first_attr(doc, PHOTO_SELECTORS, "src")?;
    let real = src.starts_with("https://")
        && !src.contains("ghost")
        && !src.contains("static.licdn.com/aero");
    real.then_some(src)
}

/// Emails and phones from the contact-info overlay, when the user opened it.
fn contact_details(overlay: Option<&str>) -> (Vec<String>, Vec<String>) {
    let Some(doc) = overlay.and_then(dom::parse) else {
        return (Vec::new(), Vec::new());
    };
    let mut emails: Vec<String> = all_attrs(&doc, "a[href^='mailto:']", "href")
        .iter()
        .filter_map(|href| normalize_email(href))
        .collect();
    emails.dedup();
    let mut phones: Vec<String> = all_attrs(&doc, "a[href^='tel:']", "href")
        .iter()
        .map(|href| href.trim_start_matches("tel:").trim().to_string())
        .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 6)
        .collect();
    if phones.is_empty() {
        if let Some(text) = first_text(
            &doc,
            &[".ci-phone .t-14.t-black.t-normal", ".ci-phone li span"],
        ) {
            phones.push(text);
        }
    }
    phones.dedup();
    (emails, phones)
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}
