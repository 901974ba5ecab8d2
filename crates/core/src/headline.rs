//! Reading a job title and company out of a profile headline.

/// Words that separate a title from a company in a headline, with spaces.
const SEPARATORS: &[&str] = &[
    " at ", " @ ", " chez ", " bei ", " en ", " presso ", " na ", " @", " | ",
];

/// Best-effort `(title, company)` from "Senior Engineer at Acme",
/// "CTO @ Foo", "Data Scientist chez Bar" or "Engineer | Acme".
pub fn parse_headline(headline: &str) -> (Option<String>, Option<String>) {
    let headline = headline.trim();
    if headline.is_empty() {
        return (None, None);
    }
    // ASCII-only lowering keeps byte offsets valid in `headline` (full Unicode
    // lowering can change lengths: "Ⱥ" is 2 bytes, "ⱥ" 3); separators are ASCII.
    let lower = headline.to_ascii_lowercase();
    for sep in SEPARATORS {
        if let Some(pos) = lower.find(sep) {
            let title = headline[..pos].trim();
            let rest = headline[pos + sep.len()..].trim();
            // The company ends at the next separator of another kind.
            let company = rest
                .split(['|', ',', '·', '•', '–'])
                .next()
                .unwrap_or("")
                .trim();
            let company = company.split(" - ").next().unwrap_or("").trim();
            return (non_empty(title), non_empty(company));
        }
    }
    (non_empty(headline), None)
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim_matches(|c: char| c.is_whitespace() || c == '-' || c == '|');
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_headline;

    #[test]
    fn title_and_company_in_several_languages() {
        let cases = [
            ("Senior Engineer at Acme", "Senior Engineer", Some("Acme")),
            ("CTO @ Foo Labs | Speaker", "CTO", Some("Foo Labs")),
            (
                "Data Scientist chez Bar SA",
                "Data Scientist",
                Some("Bar SA"),
            ),
            (
                "Ingénieure logiciel chez Doctolib · Paris",
                "Ingénieure logiciel",
                Some("Doctolib"),
            ),
            (
                "Recruiter at Globex, hiring engineers",
                "Recruiter",
                Some("Globex"),
            ),
            ("Freelance designer", "Freelance designer", None),
        ];
        for (headline, title, company) in cases {
            let (t, c) = parse_headline(headline);
            assert_eq!(t.as_deref(), Some(title), "{headline}");
            assert_eq!(c.as_deref(), company, "{headline}");
        }
        assert_eq!(parse_headline("  "), (None, None));
    }

    #[test]
    fn a_headline_whose_lowercase_changes_length_never_panics() {
        // "Ⱥ" lowers to a longer "ⱥ": offsets found in the lowered copy used to
        // slice the original mid-character (a panic found by the property tests).
        assert_eq!(
            parse_headline("Ⱥé Ⱥ Lead at Acme"),
            (Some("Ⱥé Ⱥ Lead".into()), Some("Acme".into()))
        );
        for headline in ["ȺȺȺȺ at X", "İİ AT Acme", "Ⱥ\u{0} @ Ⱥ", "ȺȺ | é"] {
            let _ = parse_headline(headline);
        }
        assert_eq!(
            parse_headline("İstanbul Lead AT Acme").1.as_deref(),
            Some("Acme")
        );
    }
}
