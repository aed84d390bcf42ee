use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn draft() -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "看護師 佐藤".into(),
        scopes: vec![ConsentScope::Team, ConsentScope::Hospital],
        ..Default::default()
    }
}

fn checked(d: &TeamSharingConsentDraft) -> TeamSharingConsent {
    check_team_sharing_consent(d, today()).unwrap()
}

fn fields(d: &TeamSharingConsentDraft) -> Vec<TeamConsentField> {
    check_team_sharing_consent(d, today())
        .unwrap_err()
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

#[test]
fn scopes_round_trip() {
    for s in ConsentScope::ALL {
        assert_eq!(ConsentScope::from_code(s.code()), Some(s));
    }
}

#[test]
fn a_patients_consent_naming_the_team_lets_it_share() {
    let consent = checked(&draft());
    assert_eq!(consent.given_by, ConsentGiver::Patient);
    assert_eq!(
        consent.scopes,
        vec![ConsentScope::Hospital, ConsentScope::Team]
    );
    assert!(team_may_share(Some(&consent), today()));
    let old = consent.as_consent();
    assert!(old.share_with_hospital && !old.share_with_desk && old.in_force());
}

#[test]
fn no_consent_shares_nothing() {
    assert!(!team_may_share(None, today()));
}

#[test]
fn a_consent_without_the_team_in_its_scope_does_not_share_with_it() {
    let consent = checked(&TeamSharingConsentDraft {
        scopes: vec![ConsentScope::Desk, ConsentScope::Hospital],
        ..draft()
    });
    assert!(!team_may_share(Some(&consent), today()));
}

#[test]
fn a_withdrawn_consent_shares_nothing() {
    let consent = checked(&TeamSharingConsentDraft {
        withdrawn_on: "2026-11-24".into(),
        ..draft()
    });
    assert!(!team_may_share(Some(&consent), today()));
    assert!(!consent.as_consent().in_force());
}

#[test]
fn a_consent_is_not_in_force_before_it_was_given() {
    let consent = checked(&draft());
    assert!(!team_may_share(
        Some(&consent),
        NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
    ));
}

#[test]
fn a_family_member_who_consents_is_named_with_the_relation() {
    let consent = checked(&TeamSharingConsentDraft {
        by_family: true,
        family_name: " 山田 花子 ".into(),
        family_relation: "長女".into(),
        ..draft()
    });
    assert_eq!(
        consent.given_by,
        ConsentGiver::Family {
            name: "山田 花子".into(),
            relation: "長女".into()
        }
    );
    assert_eq!(consent.given_by.label_ja(), "家族（長女 山田 花子）");
    let unnamed = TeamSharingConsentDraft {
        by_family: true,
        ..draft()
    };
    assert_eq!(
        fields(&unnamed),
        vec![
            TeamConsentField::FamilyName,
            TeamConsentField::FamilyRelation
        ]
    );
}

#[test]
fn the_forms_rules_are_the_referral_consents() {
    let d = TeamSharingConsentDraft {
        obtained_on: "2026-11-26".into(),
        obtained_by: " ".into(),
        scopes: Vec::new(),
        withdrawn_on: "2026-11-19".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&d),
        vec![
            TeamConsentField::ObtainedOn,
            TeamConsentField::ObtainedBy,
            TeamConsentField::Scope
        ]
    );
    let early = TeamSharingConsentDraft {
        withdrawn_on: "2026-11-19".into(),
        ..draft()
    };
    assert_eq!(fields(&early), vec![TeamConsentField::WithdrawnOn]);
}

#[test]
fn preregistration_names_every_hospital_or_the_chosen_ones_and_ends_with_a_withdrawal() {
    let all = checked(&TeamSharingConsentDraft {
        scopes: vec![ConsentScope::Preregistration, ConsentScope::Team],
        ..draft()
    });
    assert!(all.preregistered_with("h1") && all.preregistered_with("h2"));
    let chosen = checked(&TeamSharingConsentDraft {
        scopes: vec![ConsentScope::Preregistration],
        preregistered_with: vec!["h1".into(), " h1 ".into(), String::new()],
        ..draft()
    });
    assert_eq!(chosen.preregistered_with, vec!["h1".to_string()]);
    assert!(chosen.preregistered_with("h1") && !chosen.preregistered_with("h2"));
    // Hospitals chosen without the scope count for nothing.
    let without = checked(&TeamSharingConsentDraft {
        preregistered_with: vec!["h1".into()],
        ..draft()
    });
    assert!(without.preregistered_with.is_empty());
    assert!(!without.preregistered_with("h1"));
    let withdrawn = checked(&TeamSharingConsentDraft {
        scopes: vec![ConsentScope::Preregistration],
        withdrawn_on: "2026-11-24".into(),
        ..draft()
    });
    assert!(!withdrawn.preregistered_with("h1"));
}
