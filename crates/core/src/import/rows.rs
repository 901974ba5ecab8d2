//! One row of an imported file, as cells under a column mapping, turned
//! into a [`Profile`] with the same normalisation the sidebar applies to a
//! page: names cleaned and split, emails lowercased and checked, the
//! LinkedIn URL in its canonical form.

use super::columns::Field;
use crate::email::{canonical_email_for_matching, normalize_email};
use crate::names::{clean_display_name, split_name};
use crate::profile::MAX_CONTACTS;
use crate::profile_url::{canonical_linkedin_url, linkedin_public_id};
use crate::text::clean_line;
use crate::Profile;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why a row cannot be checked: it becomes an `invalid` row, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RowError {
    /// No name, no email and no LinkedIn URL: nobody to look for.
    NoIdentity,
    /// The email cell holds no valid address.
    InvalidEmail,
    /// The URL is not a LinkedIn profile (`…linkedin.com/in/…`).
    NotProfileUrl,
    /// A field is longer than a profile may hold.
    TooLong { field: String },
    /// The reader could not read this line of the file.
    Unreadable { detail: String },
}

impl RowError {
    /// The `snake_case` code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            RowError::NoIdentity => "no_identity",
            RowError::InvalidEmail => "invalid_email",
            RowError::NotProfileUrl => "not_profile_url",
            RowError::TooLong { .. } => "too_long",
            RowError::Unreadable { .. } => "unreadable",
        }
    }

    /// What is wrong, in English.
    pub fn message_en(&self) -> String {
        match self {
            RowError::NoIdentity => "No name, email or LinkedIn URL in this row.".into(),
            RowError::InvalidEmail => "The email is not a valid address.".into(),
            RowError::NotProfileUrl => {
                "This is not a LinkedIn profile URL (…linkedin.com/in/…).".into()
            }
            RowError::TooLong { field } => format!("The {field} is too long."),
            RowError::Unreadable { detail } => format!("This line could not be read: {detail}"),
        }
    }

    /// What is wrong, in French.
    pub fn message_fr(&self) -> String {
        match self {
            RowError::NoIdentity => "Ni nom, ni e-mail, ni URL LinkedIn sur cette ligne.".into(),
            RowError::InvalidEmail => "L’e-mail n’est pas une adresse valide.".into(),
            RowError::NotProfileUrl => {
                "Ce n’est pas l’URL d’un profil LinkedIn (…linkedin.com/in/…).".into()
            }
            RowError::TooLong { field } => format!("Le champ {field} est trop long."),
            RowError::Unreadable { detail } => format!("Cette ligne est illisible : {detail}"),
        }
    }
}

/// A line of a file that could not become a row, with its line number
/// (1-based, as a spreadsheet shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    pub line: u64,
    pub error: RowError,
}

/// The profile a row of `cells` stands for under `mapping` (column `i` holds
/// `mapping[i]`). `Ok(None)` for a row with nothing in its mapped cells (an
/// empty line is not a person).
pub fn profile_from_cells<S: AsRef<str>>(
    mapping: &[Option<Field>],
    cells: &[S],
) -> Result<Option<Profile>, RowError> {
    let mut values: HashMap<Field, Vec<String>> = HashMap::new();
    for (field, cell) in mapping.iter().zip(cells) {
        let Some(field) = field else { continue };
        let text = clean_line(cell.as_ref());
        if !text.is_empty() {
            values.entry(*field).or_default().push(text);
        }
    }
    if values.is_empty() {
        return Ok(None);
    }
    let one = |f: Field| values.get(&f).map(|v| v.join(" "));

    let mut profile = Profile {
        source: Some("import".into()),
        ..Profile::default()
    };
    let cleaned = |f: Field| {
        one(f)
            .map(|v| clean_display_name(&v))
            .filter(|v| !v.is_empty())
    };
    let first = cleaned(Field::FirstName);
    let last = cleaned(Field::LastName);
    let full = cleaned(Field::FullName).or_else(|| match (&first, &last) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        _ => None,
    });
    if let (None, None, Some(full)) = (&first, &last, &full) {
        // Only a full name: split as the sidebar splits a displayed name.
        let split = split_name(full);
        profile.first_name = Some(split.first).filter(|s| !s.is_empty());
        profile.last_name = Some(split.last).filter(|s| !s.is_empty());
    } else {
        profile.first_name = first;
        profile.last_name = last;
    }
    profile.full_name = full;

    if let Some(cells) = values.get(&Field::Email) {
        let written: Vec<&str> = cells.iter().flat_map(|c| split_list(c)).collect();
        let mut emails: Vec<String> = Vec::new();
        for e in written.iter().filter_map(|e| normalize_email(e)) {
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        if emails.is_empty() {
            return Err(RowError::InvalidEmail);
        }
        emails.truncate(MAX_CONTACTS);
        profile.emails = emails;
    }
    if let Some(url) = one(Field::ProfileUrl) {
        profile.profile_url = Some(canonical_linkedin_url(&url).ok_or(RowError::NotProfileUrl)?);
    }
    if let Some(cells) = values.get(&Field::Phone) {
        let mut phones: Vec<String> = cells
            .iter()
            .flat_map(|c| c.split([';', ',', '/']))
            .map(str::trim)
            .filter(|p| p.chars().filter(char::is_ascii_digit).count() >= 6)
            .map(String::from)
            .collect();
        phones.dedup();
        phones.truncate(MAX_CONTACTS);
        profile.phones = phones;
    }
    profile.company = one(Field::Company);
    profile.title = one(Field::Title);
    profile.headline = one(Field::Headline);
    profile.location = one(Field::Location);

    if profile.name_parts().is_none() && profile.emails.is_empty() && profile.profile_url.is_none()
    {
        return Err(RowError::NoIdentity);
    }
    profile.validate().map_err(|e| RowError::TooLong {
        field: e.field.to_string(),
    })?;
    Ok(Some(profile))
}

/// Emails may come several to a cell, separated by `;`, `,` or spaces.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', ',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// For each profile, the index of an earlier one that is certainly the same
/// person (same email or same LinkedIn URL), so one file holding someone
/// twice uploads them once. `None` entries are rows that are not people.
pub fn same_person_as_earlier(profiles: &[Option<&Profile>]) -> Vec<Option<usize>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let p = (*p)?;
            let keys: Vec<String> = p
                .emails
                .iter()
                .filter_map(|e| canonical_email_for_matching(e))
                .map(|e| format!("email:{e}"))
                .chain(
                    p.profile_url
                        .as_deref()
                        .and_then(linkedin_public_id)
                        .map(|id| format!("url:{id}")),
                )
                .collect();
            let earlier = keys.iter().find_map(|k| seen.get(k).copied());
            for k in keys {
                seen.entry(k).or_insert(earlier.unwrap_or(i));
            }
            earlier
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::recognise_all;

    fn row(headers: &[&str], cells: &[&str]) -> Result<Option<Profile>, RowError> {
        profile_from_cells(&recognise_all(headers), cells)
    }

    #[test]
    fn a_row_gets_the_sidebars_normalisation() {
        let p = row(
            &[
                "Prénom",
                "Nom",
                "E-mail",
                "LinkedIn",
                "Entreprise",
                "Poste",
                "Ville",
                "Téléphone",
            ],
            &[
                " Jane ",
                "Doe, PhD",
                "Jane.Doe@Example.COM",
                "fr.linkedin.com/in/Jane-Doe/?x=1",
                "Acme",
                "CTO",
                "Lyon",
                "+33 6 12 34 56 78",
            ],
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.first_name.as_deref(), Some("Jane"));
        assert_eq!(p.last_name.as_deref(), Some("Doe"));
        assert_eq!(p.full_name.as_deref(), Some("Jane Doe"));
        assert_eq!(p.emails, vec!["jane.doe@example.com"]);
        assert_eq!(
            p.profile_url.as_deref(),
            Some("https://www.linkedin.com/in/jane-doe/")
        );
        assert_eq!(p.company.as_deref(), Some("Acme"));
        assert_eq!(p.title.as_deref(), Some("CTO"));
        assert_eq!(p.location.as_deref(), Some("Lyon"));
        assert_eq!(p.phones, vec!["+33 6 12 34 56 78"]);
        assert_eq!(p.source.as_deref(), Some("import"));
    }

    #[test]
    fn a_full_name_alone_is_split_as_the_sidebar_splits_it() {
        let p = row(&["Name"], &["Dr. Anna van der Berg (she/her)"])
            .unwrap()
            .unwrap();
        assert_eq!(p.first_name.as_deref(), Some("Anna"));
        assert_eq!(p.last_name.as_deref(), Some("van der Berg"));
    }

    #[test]
    fn several_emails_in_one_cell_are_all_kept() {
        let p = row(&["Email"], &["a@x.io; B@y.io, a@x.io"])
            .unwrap()
            .unwrap();
        assert_eq!(p.emails, vec!["a@x.io", "b@y.io"]);
    }

    #[test]
    fn bad_rows_say_why_and_empty_rows_are_no_rows() {
        let h = ["Name", "Email", "URL", "Company"];
        assert_eq!(row(&h, &["", "", "", ""]), Ok(None));
        assert_eq!(row(&h, &["  ", "\t", "", ""]), Ok(None));
        assert_eq!(row(&h, &["", "", "", "Acme"]), Err(RowError::NoIdentity));
        assert_eq!(
            row(&h, &["Jane Doe", "not-an-email", "", ""]),
            Err(RowError::InvalidEmail)
        );
        assert_eq!(
            row(
                &h,
                &["Jane Doe", "", "https://www.linkedin.com/company/acme", ""]
            ),
            Err(RowError::NotProfileUrl)
        );
        let long = "x".repeat(300);
        assert_eq!(
            row(&h, &["Jane Doe", "", "", &long]),
            Err(RowError::TooLong {
                field: "company".into()
            })
        );
    }

    #[test]
    fn every_row_error_has_a_code_and_both_languages() {
        for e in [
            RowError::NoIdentity,
            RowError::InvalidEmail,
            RowError::NotProfileUrl,
            RowError::TooLong {
                field: "title".into(),
            },
            RowError::Unreadable { detail: "x".into() },
        ] {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["code"], e.code());
            assert_ne!(e.message_en(), e.message_fr());
        }
    }

    #[test]
    fn the_same_person_twice_is_flagged_against_the_first_row() {
        let a = row(&["Email"], &["jane@x.io"]).unwrap().unwrap();
        let b = row(&["Name", "URL"], &["Bob", "linkedin.com/in/bob"])
            .unwrap()
            .unwrap();
        let a_again = row(&["Email", "URL"], &["Jane+cv@x.io", "linkedin.com/in/jane"])
            .unwrap()
            .unwrap();
        let jane_by_url = row(&["URL"], &["https://www.linkedin.com/in/jane/"])
            .unwrap()
            .unwrap();
        let found =
            same_person_as_earlier(&[Some(&a), None, Some(&b), Some(&a_again), Some(&jane_by_url)]);
        assert_eq!(found, vec![None, None, None, Some(0), Some(0)]);
    }
}
