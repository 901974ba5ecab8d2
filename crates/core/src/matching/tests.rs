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
        history: Vec::new(),
        applications: Vec::new(),
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

#[test]
fn another_given_name_with_the_same_family_name_and_place_is_not_possible() {
    let mut p = profile("Oliver", "Senvre");
    p.location = Some("Cambridge, United Kingdom".into());
    let mut c = candidate("1", "Christopher", "Senvre");
    c.location = Some("Cambridge, United Kingdom".into());
    assert_eq!(score_candidate(&p, &c, &[]), None);
    // With the same company too, a changed given name (or a family name
    // changed by marriage) becomes possible.
    p.company = Some("Acme".into());
    c.company = Some("ACME".into());
    assert!(score_candidate(&p, &c, &[]).is_some());
}

#[test]
fn a_rare_name_weighs_more_than_a_common_one() {
    let (p, c) = (profile("John", "Smith"), candidate("1", "John", "Smith"));
    let common = Frequencies {
        given: 0.02,
        family: 0.05,
        city: 0.1,
        ..Frequencies::default()
    };
    let rare = Frequencies {
        given: 0.0005,
        family: 0.00001,
        city: 0.1,
        ..Frequencies::default()
    };
    let (common_score, _) = score_with_frequencies(&p, &c, &[], &common).unwrap();
    let (rare_score, reasons) = score_with_frequencies(&p, &c, &[], &rare).unwrap();
    assert!(rare_score > common_score, "{rare_score} vs {common_score}");
    assert!(reasons[0].weight.is_some_and(|w| w > 20.0), "{reasons:?}");
}

#[test]
fn one_typo_is_close_but_a_shared_ending_is_not() {
    let p = profile("Pierre", "Nemul");
    assert_eq!(
        score_candidate(&p, &candidate("1", "Pierre", "Kanemul"), &[]),
        None
    );
    assert!(score_candidate(&p, &candidate("2", "Pierre", "Nemuk"), &[]).is_some());
    let split = profile("Ann", "Satte Rley");
    assert!(score_candidate(&split, &candidate("3", "Ann", "Satterley"), &[]).is_some());
}

fn placed(first: &str, last: &str, location: &str) -> (Profile, Candidate) {
    let mut p = profile(first, last);
    p.location = Some(location.into());
    let mut c = candidate("1", "x", "x");
    c.location = Some(location.into());
    (p, c)
}

#[test]
fn a_short_family_name_joined_to_more_letters_is_close() {
    // Miss kind "split_or_joined": "Lee" typed joined to what followed it.
    let (p, mut c) = placed("Jennifer", "Leelu", "New York, United States");
    (c.first_name, c.last_name) = ("Jennifer".into(), "Lee".into());
    assert!(score_candidate(&p, &c, &[]).is_some());
    // A long name with more letters is somebody else's name.
    let (p, mut c) = placed("Rahul", "Vrebenaz", "Chennai, India");
    (c.first_name, c.last_name) = ("Rahul".into(), "Vreben".into());
    assert_eq!(score_candidate(&p, &c, &[]), None);
}

#[test]
fn a_family_name_of_particles_alone_is_a_name() {
    // "Du" is not emptied: another family name in the same place is not her.
    let (p, mut c) = placed("Amélie", "Du", "Lyon, France");
    (c.first_name, c.last_name) = ("Amélie".into(), "Nanler".into());
    assert_eq!(score_candidate(&p, &c, &[]), None);
    (c.first_name, c.last_name) = ("Amelie".into(), "DU".into());
    assert!(score_candidate(&p, &c, &[]).is_some());
    assert_eq!(folded_parts("Amélie", "Du"), ("amelie".into(), "du".into()));
}

#[test]
fn another_country_weighs_more_against_than_another_city() {
    let mut p = profile("Siobhan", "Satterley");
    let c = |location: &str| {
        let mut c = candidate("1", "Siobhan", "Satterley");
        c.location = Some(location.into());
        c
    };
    p.location = Some("Leeds, United Kingdom".into());
    let moved = score_candidate(&p, &c("Galway, United Kingdom"), &[])
        .unwrap()
        .0;
    let abroad = score_candidate(&p, &c("Paris, France"), &[]).unwrap().0;
    assert!(abroad < moved, "{abroad} vs {moved}");
}

#[test]
fn a_typo_that_makes_a_real_name_counts_against_the_match() {
    let (p, mut c) = placed("Rahul", "Lumar", "Bangalore, India");
    (c.first_name, c.last_name) = ("Rahul".into(), "Kumar".into());
    // "Lumar" unknown: most likely a typo of "Kumar".
    assert!(score_candidate(&p, &c, &[]).is_some());
    // "Lumar" is somebody's family name: most likely somebody else.
    let known = Frequencies {
        query_family_known: true,
        ..Frequencies::default()
    };
    assert_eq!(score_with_frequencies(&p, &c, &[], &known), None);
    // The same for a given name ("Julie" is not a typo of "Julien").
    let (p, mut c) = placed("Julie", "Senwei", "Paris, France");
    (c.first_name, c.last_name) = ("Julien".into(), "Senwei".into());
    assert!(score_candidate(&p, &c, &[]).is_some());
    let known = Frequencies {
        query_given_known: true,
        ..Frequencies::default()
    };
    assert_eq!(score_with_frequencies(&p, &c, &[], &known), None);
}
