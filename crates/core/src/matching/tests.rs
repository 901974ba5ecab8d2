use super::*;

fn candidate(id: &str, first: &str, last: &str) -> Candidate {
    Candidate {
        id: id.into(),
        first_name: first.into(),
        last_name: last.into(),
        ..Candidate::default()
    }
}

fn profile(first: &str, last: &str) -> Profile {
    Profile {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        ..Profile::default()
    }
}

fn kinds(reasons: &[Reason]) -> Vec<ReasonKind> {
    reasons.iter().map(|r| r.kind).collect()
}

#[test]
fn same_email_is_certain_whatever_the_name() {
    let mut p = profile("Jane", "Doe");
    p.emails = vec!["J.Doe+work@GMail.com".into()];
    let mut c = candidate("1", "Janet", "Smith");
    c.email = Some("jdoe@gmail.com".into());
    let (score, reasons) = score_candidate(&p, &c, &[]).unwrap();
    assert!(score >= 0.97);
    assert_eq!(kinds(&reasons), vec![ReasonKind::Email]);
}

#[test]
fn an_attached_linkedin_url_counts() {
    let mut p = profile("Jane", "Doe");
    p.profile_url = Some("https://fr.linkedin.com/in/jane-doe/".into());
    let c = candidate("1", "Jane", "Doe");
    let (_, reasons) =
        score_candidate(&p, &c, &["https://www.linkedin.com/in/Jane-Doe".into()]).unwrap();
    assert_eq!(
        kinds(&reasons),
        vec![ReasonKind::ProfileUrl, ReasonKind::Name]
    );
    assert_eq!(reasons[1].detail, "same name");
}

#[test]
fn misspelled_swapped_accented_and_nicknamed_names_are_possible() {
    let cases = [
        (profile("John", "Smith"), candidate("1", "Jon", "Smtih")),
        (profile("Jane", "Doe"), candidate("2", "Doe", "Jane")),
        (
            profile("José", "García Márquez"),
            candidate("3", "Jose", "Garcia Marquez"),
        ),
        (profile("Bill", "Gates"), candidate("4", "William", "Gates")),
        (
            profile("Ludwig", "van der Rohe"),
            candidate("5", "Ludwig", "Rohe"),
        ),
    ];
    for (p, c) in cases {
        let (score, reasons) = score_candidate(&p, &c, &[]).unwrap_or_else(|| panic!("{c:?}"));
        assert!((0.5..0.97).contains(&score), "{c:?}: {score}");
        assert_eq!(reasons[0].kind, ReasonKind::Name);
    }
    let (_, reasons) = score_candidate(
        &profile("Bill", "Gates"),
        &candidate("4", "William", "Gates"),
        &[],
    )
    .unwrap();
    assert_eq!(reasons[0].detail, "same name, nickname Bill ↔ William");
}

#[test]
fn different_people_do_not_match() {
    for c in [
        candidate("1", "Jane", "Morrison"),
        candidate("2", "Peter", "Doe"),
        candidate("3", "Zhang", "Wei"),
    ] {
        assert_eq!(
            score_candidate(&profile("Jane", "Doe"), &c, &[]),
            None,
            "{c:?}"
        );
    }
}

#[test]
fn company_title_and_location_support_but_never_match_alone() {
    let mut p = profile("Jane", "Doe");
    p.company = Some("Acme".into());
    p.location = Some("Lyon, Auvergne-Rhône-Alpes, France".into());
    let mut c = candidate("1", "Jane", "Doe");
    c.company = Some("ACME".into());
    c.location = Some("Lyon, France".into());
    let (score, reasons) = score_candidate(&p, &c, &[]).unwrap();
    assert_eq!(
        kinds(&reasons),
        vec![ReasonKind::Name, ReasonKind::Company, ReasonKind::Location]
    );
    assert!(score > 0.85);
    let mut stranger = candidate("2", "Max", "Power");
    stranger.company = Some("Acme".into());
    assert_eq!(score_candidate(&p, &stranger, &[]), None);
}

#[test]
fn verdict_and_ranking() {
    let m = |id: &str, score: f64, kind: ReasonKind| DedupeMatch {
        connection_id: "c".into(),
        candidate: candidate(id, "a", "b"),
        score,
        reasons: vec![Reason::new(kind, "x")],
    };
    assert_eq!(verdict_for(&[]), Verdict::None);
    assert_eq!(
        verdict_for(&[m("1", 0.6, ReasonKind::Name)]),
        Verdict::Possible
    );
    let ranked = rank(vec![
        m("1", 0.6, ReasonKind::Name),
        m("2", 0.98, ReasonKind::Email),
    ]);
    assert_eq!(ranked[0].candidate.id, "2");
    assert_eq!(verdict_for(&ranked), Verdict::Exact);
    let json = serde_json::to_value(DedupeResponse {
        verdict: Verdict::Possible,
        matches: ranked,
        mirror_complete: true,
    })
    .unwrap();
    assert_eq!(json["verdict"], "possible");
    assert_eq!(json["matches"][0]["reasons"][0]["kind"], "email");
}
