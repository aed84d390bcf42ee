use chrono::TimeZone;

use super::*;

fn draft() -> ProfileDraft {
    ProfileDraft {
        address: "東京都豊島区南池袋1-2-3".into(),
        phone: "03-3981-1234".into(),
        fax: "03-3981-1235".into(),
        hours: "平日 9:00〜18:00".into(),
        municipalities: "豊島区、練馬区 豊島区".into(),
        area_detail: String::new(),
        radius_km: "５".into(),
        offers: vec!["end_of_life".into(), "around_24h".into()],
        accepting: "ask".into(),
        care_managers: String::new(),
    }
}

#[test]
fn a_station_keeps_what_it_can_do_in_its_kinds_terms() {
    let profile = check_profile(
        &draft(),
        OrganisationKind::VisitingNurseStation,
        &Region::anywhere(),
    )
    .unwrap();
    assert_eq!(profile.municipalities, ["豊島区", "練馬区"]);
    assert_eq!(profile.radius_km, Some(5));
    // In the form's order, whatever order they came in.
    assert_eq!(profile.offers, [Offer::Around24h, Offer::EndOfLife]);
    assert_eq!(profile.accepting, Some(Accepting::Ask));
}

#[test]
fn a_field_of_another_kind_or_a_bad_value_is_refused_on_its_field() {
    let mut wrong = draft();
    wrong.offers = vec!["sterile_compounding".into(), "teleport".into()];
    wrong.care_managers = "3".into();
    wrong.radius_km = "100".into();
    wrong.municipalities = "豊島区、池袋駅前".into();
    wrong.accepting = "maybe".into();
    wrong.phone = "電話".into();
    let errors = check_profile(
        &wrong,
        OrganisationKind::VisitingNurseStation,
        &Region::anywhere(),
    )
    .unwrap_err();
    let on = |field| {
        errors
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    assert!(
        on(ProfileField::Offers).contains("「無菌調剤」は訪問看護ステーションの項目ではありません")
    );
    assert!(on(ProfileField::Offers).contains("値が正しくありません"));
    assert!(on(ProfileField::CareManagers).contains("訪問看護ステーションの項目ではありません"));
    assert!(on(ProfileField::RadiusKm).contains("1〜50km"));
    assert!(on(ProfileField::Municipalities).contains("「池袋駅前」"));
    assert!(on(ProfileField::Accepting).contains("値が正しくありません"));
    assert!(!on(ProfileField::Phone).is_empty());
}

#[test]
fn a_care_office_counts_its_care_managers() {
    let mut office = draft();
    office.offers.clear();
    office.care_managers = "４".into();
    let profile = check_profile(
        &office,
        OrganisationKind::CareManagementOffice,
        &Region::anywhere(),
    )
    .unwrap();
    assert_eq!(profile.care_managers, Some(4));
    office.care_managers = "999".into();
    assert!(
        check_profile(
            &office,
            OrganisationKind::CareManagementOffice,
            &Region::anywhere()
        )
        .is_err()
    );
}

#[test]
fn each_kind_has_its_own_list_and_parts() {
    assert!(offers_for(OrganisationKind::Hospital).contains(&Offer::BackupBeds));
    assert!(!offers_for(OrganisationKind::Clinic).contains(&Offer::BackupBeds));
    assert!(offers_for(OrganisationKind::Pharmacy).contains(&Offer::SterileCompounding));
    assert!(offers_for(OrganisationKind::DentalClinic).contains(&Offer::SwallowingAssessment));
    assert!(!ProfilePart::Offers.applies_to(OrganisationKind::CareManagementOffice));
    assert!(ProfilePart::CareManagers.applies_to(OrganisationKind::CareManagementOffice));
    assert!(!ProfilePart::CareManagers.applies_to(OrganisationKind::Clinic));
    for o in Offer::ALL {
        assert_eq!(Offer::from_code(o.code()), Some(o));
    }
    for p in ProfilePart::ALL {
        assert_eq!(ProfilePart::from_code(p.code()), Some(p));
    }
}

#[test]
fn a_part_unconfirmed_for_ninety_days_is_stale() {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
    assert!(is_stale(None, now));
    assert!(!is_stale(Some(now - Duration::days(89)), now));
    assert!(is_stale(Some(now - Duration::days(90)), now));
}

#[test]
fn an_area_outside_the_region_is_refused_on_its_field() {
    let region = Region::parse("豊島区、板橋区").unwrap();
    let errors =
        check_profile(&draft(), OrganisationKind::VisitingNurseStation, &region).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, ProfileField::Municipalities);
    assert!(
        errors[0]
            .1
            .contains("「練馬区」はこの地域の市区町村ではありません")
    );
}
