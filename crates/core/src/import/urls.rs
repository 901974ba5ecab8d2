//! Pasted LinkedIn URLs: one per line, or several to a line separated by
//! commas, semicolons or spaces; any `*.linkedin.com/in/…` form, with or
//! without a scheme. What is not a profile URL is kept as an invalid row,
//! never dropped, so the user sees what was not understood.

use super::rows::RowError;
use crate::profile_url::{canonical_linkedin_url, linkedin_public_id};
use crate::Profile;

/// At most this many characters of one pasted entry are kept (for display).
const MAX_ENTRY_CHARS: usize = 300;

/// One entry of the pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedUrl {
    /// The line of the pasted text it was on (1-based).
    pub line: u64,
    /// The entry as pasted (trimmed, capped).
    pub text: String,
    /// The profile it stands for, or why it is not one.
    pub profile: Result<Profile, RowError>,
}

/// Every entry of `text`, in order.
pub fn pasted_urls(text: &str) -> Vec<PastedUrl> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for entry in line
            .split([',', ';', ' ', '\t'])
            .map(|e| e.trim().trim_matches(['<', '>', '"', '\'']))
            .filter(|e| !e.is_empty())
        {
            out.push(PastedUrl {
                line: i as u64 + 1,
                text: entry.chars().take(MAX_ENTRY_CHARS).collect(),
                profile: profile_for(entry),
            });
        }
    }
    out
}

fn profile_for(entry: &str) -> Result<Profile, RowError> {
    let url = canonical_linkedin_url(entry).ok_or(RowError::NotProfileUrl)?;
    let id = linkedin_public_id(&url).unwrap_or_default();
    let (first_name, last_name) = name_from_public_id(&id).unzip();
    Ok(Profile {
        full_name: first_name
            .as_ref()
            .zip(last_name.as_ref())
            .map(|(f, l)| format!("{f} {l}")),
        first_name,
        last_name,
        profile_url: Some(url),
        source: Some("linkedin".into()),
        ..Profile::default()
    })
}

/// A name guessed from a public id such as `jane-doe-1a2b3c`: the words
/// before the first one holding a digit, when there are at least two and
/// all are letters. LinkedIn builds most ids that way; it is a guess, which
/// the ATS's required first and last name need and the user can correct.
pub fn name_from_public_id(id: &str) -> Option<(String, String)> {
    let words: Vec<&str> = id
        .split('-')
        .take_while(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect();
    if words.len() < 2 || words.len() > 4 {
        return None;
    }
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let (last, first) = words.split_last()?;
    Some((
        first.iter().map(|w| cap(w)).collect::<Vec<_>>().join(" "),
        cap(last),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_linkedin_profile_form_is_read_one_per_line_or_comma_separated() {
        let text = "https://www.linkedin.com/in/jane-doe/\n\
                    fr.linkedin.com/in/bob-martin-12ab34?trk=x, linkedin.com/in/zoe/\n\
                    \n  http://linkedin.com/in/Ann-Lee/  ";
        let urls = pasted_urls(text);
        let got: Vec<_> = urls
            .iter()
            .map(|u| {
                (
                    u.line,
                    u.profile.as_ref().unwrap().profile_url.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "https://www.linkedin.com/in/jane-doe/".to_string()),
                (
                    2,
                    "https://www.linkedin.com/in/bob-martin-12ab34/".to_string()
                ),
                (2, "https://www.linkedin.com/in/zoe/".to_string()),
                (4, "https://www.linkedin.com/in/ann-lee/".to_string()),
            ]
        );
    }

    #[test]
    fn what_is_not_a_profile_url_is_an_invalid_row_not_dropped() {
        let urls = pasted_urls("https://www.linkedin.com/company/acme\nhello\nlinkedin.com/in/x");
        assert_eq!(urls.len(), 3);
        assert_eq!(urls[0].profile, Err(RowError::NotProfileUrl));
        assert_eq!(urls[1].text, "hello");
        assert_eq!(urls[1].profile, Err(RowError::NotProfileUrl));
        assert!(urls[2].profile.is_ok());
    }

    #[test]
    fn a_name_is_guessed_from_a_readable_public_id_only() {
        assert_eq!(
            name_from_public_id("jane-doe-1a2b3c"),
            Some(("Jane".into(), "Doe".into()))
        );
        assert_eq!(
            name_from_public_id("jean-luc-picard"),
            Some(("Jean Luc".into(), "Picard".into()))
        );
        assert_eq!(name_from_public_id("jdoe"), None);
        assert_eq!(name_from_public_id("x123-doe"), None);
        let p = pasted_urls("linkedin.com/in/ann-lee")[0]
            .profile
            .clone()
            .unwrap();
        assert_eq!(p.full_name.as_deref(), Some("Ann Lee"));
    }
}
