//! Which field a column holds, recognised from its header in English or
//! French ("First name", "Prénom", "E-mail", "Courriel", "Entreprise"...).

use crate::names::fold_name;
use serde::{Deserialize, Serialize};

/// What a column of an imported file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FirstName,
    LastName,
    FullName,
    Email,
    ProfileUrl,
    Company,
    Title,
    Headline,
    Location,
    Phone,
}

impl Field {
    /// Every field, in the order the preview offers them.
    pub const ALL: [Field; 10] = [
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::Email,
        Field::ProfileUrl,
        Field::Company,
        Field::Title,
        Field::Headline,
        Field::Location,
        Field::Phone,
    ];

    /// The `snake_case` name used on the wire and in a mapping.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::ProfileUrl => "profile_url",
            Field::Company => "company",
            Field::Title => "title",
            Field::Headline => "headline",
            Field::Location => "location",
            Field::Phone => "phone",
        }
    }

    /// The field named `name` (as [`Field::as_str`] writes it).
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Whether this column alone can say who a row is: a name, an email or
    /// a LinkedIn URL. A file needs at least one such column.
    pub fn identifies(self) -> bool {
        matches!(
            self,
            Field::FirstName | Field::LastName | Field::FullName | Field::Email | Field::ProfileUrl
        )
    }
}

/// Headers compared whole, after folding (lowercase, no accents, punctuation
/// as spaces): the common spellings in English and French, and the column
/// names of LinkedIn's own connections export.
const EXACT: &[(Field, &[&str])] = &[
    (
        Field::FirstName,
        &[
            "first name",
            "firstname",
            "first",
            "given name",
            "given names",
            "forename",
            "prenom",
            "prenoms",
            "first name s",
        ],
    ),
    (
        Field::LastName,
        &[
            "last name",
            "lastname",
            "last",
            "surname",
            "family name",
            "nom",
            "nom de famille",
            "nom de naissance",
            "nom d usage",
        ],
    ),
    (
        Field::FullName,
        &[
            "name",
            "full name",
            "fullname",
            "display name",
            "candidate",
            "candidate name",
            "person",
            "contact",
            "contact name",
            "nom complet",
            "nom et prenom",
            "prenom et nom",
            "prenom nom",
            "nom prenom",
            "candidat",
            "nom du candidat",
        ],
    ),
    (
        Field::Email,
        &[
            "email",
            "e mail",
            "email address",
            "e mail address",
            "mail",
            "emails",
            "work email",
            "personal email",
            "courriel",
            "adresse email",
            "adresse e mail",
            "adresse mail",
            "adresse electronique",
            "mel",
        ],
    ),
    (
        Field::ProfileUrl,
        &[
            "linkedin",
            "linkedin url",
            "linkedin profile",
            "linkedin profile url",
            "profile url",
            "url",
            "profile",
            "public profile url",
            "profil linkedin",
            "url linkedin",
            "lien linkedin",
            "url du profil",
            "lien du profil",
            "profil",
        ],
    ),
    (
        Field::Company,
        &[
            "company",
            "company name",
            "current company",
            "employer",
            "organization",
            "organisation",
            "entreprise",
            "societe",
            "employeur",
            "entreprise actuelle",
            "nom de l entreprise",
        ],
    ),
    (
        Field::Title,
        &[
            "title",
            "job title",
            "position",
            "role",
            "current title",
            "current position",
            "job",
            "poste",
            "titre",
            "fonction",
            "intitule du poste",
            "poste actuel",
            "titre du poste",
            "metier",
        ],
    ),
    (
        Field::Headline,
        &[
            "headline",
            "titre du profil",
            "accroche",
            "summary",
            "resume",
        ],
    ),
    (
        Field::Location,
        &[
            "location",
            "city",
            "town",
            "place",
            "address",
            "region",
            "country",
            "ville",
            "localisation",
            "lieu",
            "adresse",
            "pays",
            "localite",
        ],
    ),
    (
        Field::Phone,
        &[
            "phone",
            "phone number",
            "mobile",
            "mobile phone",
            "cell",
            "telephone",
            "tel",
            "portable",
            "numero de telephone",
            "numero",
            "mobile number",
            "gsm",
        ],
    ),
];

/// Words that, anywhere in a header no exact spelling matched, say what it
/// holds ("Email (work)", "LinkedIn profile link", "Téléphone portable").
/// Earlier entries win: "LinkedIn name" is not a URL but "LinkedIn" is.
const WORDS: &[(Field, &[&str])] = &[
    (Field::Email, &["email", "courriel", "mail"]),
    (Field::ProfileUrl, &["linkedin", "url"]),
    (
        Field::Phone,
        &["phone", "telephone", "mobile", "portable", "tel"],
    ),
    (Field::FirstName, &["prenom", "firstname", "forename"]),
    (Field::LastName, &["surname", "lastname"]),
    (
        Field::Company,
        &["company", "entreprise", "employer", "societe", "employeur"],
    ),
    (Field::Title, &["title", "poste", "position", "fonction"]),
    (
        Field::Location,
        &["location", "city", "ville", "localisation"],
    ),
    (Field::FullName, &["name", "nom"]),
];

/// The field a header names, if it is one we know.
pub fn recognise(header: &str) -> Option<Field> {
    let folded = fold_name(header);
    if folded.is_empty() {
        return None;
    }
    if let Some((field, _)) = EXACT
        .iter()
        .find(|(_, names)| names.contains(&folded.as_str()))
    {
        return Some(*field);
    }
    let words: Vec<&str> = folded.split(' ').collect();
    // "first name" / "last name" said in more words ("Candidate first name").
    let has = |w: &str| words.contains(&w);
    if has("name") || has("nom") {
        if has("first") || has("given") {
            return Some(Field::FirstName);
        }
        if has("last") || has("family") || has("famille") {
            return Some(Field::LastName);
        }
    }
    WORDS
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| has(k)))
        .map(|(field, _)| *field)
}

/// A mapping for every header: each column's field, a field given to the
/// first column that names it only (a second "Email" column stays unmapped,
/// and the preview lets the user choose).
pub fn recognise_all<S: AsRef<str>>(headers: &[S]) -> Vec<Option<Field>> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let field = recognise(h.as_ref()).filter(|f| !taken.contains(f))?;
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// Whether a mapping can say who each row is (a name, email or URL column).
pub fn identifies_rows(mapping: &[Option<Field>]) -> bool {
    mapping.iter().flatten().any(|f| f.identifies())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_french_headers_are_recognised() {
        for (header, field) in [
            ("First Name", Field::FirstName),
            ("Prénom", Field::FirstName),
            ("Nom", Field::LastName),
            ("Last name", Field::LastName),
            ("Nom complet", Field::FullName),
            ("Full name", Field::FullName),
            ("E-mail", Field::Email),
            ("Courriel", Field::Email),
            ("Email Address", Field::Email),
            ("LinkedIn URL", Field::ProfileUrl),
            ("Profil LinkedIn", Field::ProfileUrl),
            ("Entreprise", Field::Company),
            ("Société", Field::Company),
            ("Poste", Field::Title),
            ("Position", Field::Title),
            ("Ville", Field::Location),
            ("Téléphone", Field::Phone),
            ("Phone number", Field::Phone),
        ] {
            assert_eq!(recognise(header), Some(field), "{header}");
        }
    }

    #[test]
    fn headers_said_in_more_words_are_recognised_by_their_key_word() {
        assert_eq!(recognise("Email (work)"), Some(Field::Email));
        assert_eq!(recognise("Candidate first name"), Some(Field::FirstName));
        assert_eq!(
            recognise("Nom de famille du candidat"),
            Some(Field::LastName)
        );
        assert_eq!(
            recognise("Lien vers le profil LinkedIn"),
            Some(Field::ProfileUrl)
        );
        assert_eq!(recognise("Téléphone portable"), Some(Field::Phone));
        assert_eq!(recognise("Connected On"), None);
        assert_eq!(recognise(""), None);
    }

    #[test]
    fn linkedin_connections_export_is_mapped_whole() {
        let headers = [
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        ];
        assert_eq!(
            recognise_all(&headers),
            vec![
                Some(Field::FirstName),
                Some(Field::LastName),
                Some(Field::ProfileUrl),
                Some(Field::Email),
                Some(Field::Company),
                Some(Field::Title),
                None
            ]
        );
    }

    #[test]
    fn a_second_column_for_the_same_field_is_left_for_the_user_to_choose() {
        let mapping = recognise_all(&["Email", "Courriel", "Nom"]);
        assert_eq!(
            mapping,
            vec![Some(Field::Email), None, Some(Field::LastName)]
        );
    }

    #[test]
    fn a_file_needs_a_name_email_or_url_column() {
        assert!(!identifies_rows(&recognise_all(&[
            "Company", "Ville", "Notes"
        ])));
        assert!(identifies_rows(&recognise_all(&["Courriel"])));
    }

    #[test]
    fn every_field_name_reads_back() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
    }
}
