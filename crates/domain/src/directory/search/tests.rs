use chrono::TimeZone;

use super::*;

fn listing<'a>(
    name_key: &'a str,
    offers: &'a [Offer],
    area: &'a [String],
    beds: &'a [(WardType, u16)],
) -> ListingFacts<'a> {
    ListingFacts {
        kind: OrganisationKind::Clinic,
        name_key,
        offers,
        municipalities: area,
        accepting: Some(Accepting::Yes),
        free_beds: beds,
        stopped: false,
    }
}

#[test]
fn a_search_asks_every_part_it_names() {
    let query = check_search(&SearchDraft {
        name: "サイトウ".into(),
        kind: "clinic".into(),
        offers: vec!["around_24h".into(), "end_of_life".into()],
        municipality: "豊島区".into(),
        accepting_only: true,
        open_beds: String::new(),
    })
    .unwrap();
    let area = vec!["練馬区".to_string(), "豊島区".to_string()];
    let both = [Offer::EndOfLife, Offer::Around24h, Offer::HomeVisits];
    let key = search_key("斎藤内科クリニック さいとうないかくりにっく");
    assert!(query.matches(&listing(&key, &both, &area, &[])));
    // One offer short, another area, not taking patients, stopped: no.
    assert!(!query.matches(&listing(&key, &both[1..], &area, &[])));
    assert!(!query.matches(&listing(&key, &both, &area[..1], &[])));
    let mut full = listing(&key, &both, &area, &[]);
    full.accepting = Some(Accepting::Ask);
    assert!(!query.matches(&full));
    let mut stopped = listing(&key, &both, &area, &[]);
    stopped.stopped = true;
    assert!(!query.matches(&stopped));
}

#[test]
fn a_name_in_new_forms_finds_one_registered_in_old_and_the_reverse() {
    let old = search_key("齋藤在宅クリニック");
    let new = search_key("斎藤在宅クリニック");
    let kana = search_key("さいとう");
    for (typed, registered) in [("斎藤", &old), ("齋藤", &new), ("ｻｲﾄｳ", &kana)] {
        let query = check_search(&SearchDraft {
            name: typed.into(),
            ..SearchDraft::default()
        })
        .unwrap();
        assert!(
            query.matches(&listing(registered, &[], &[], &[])),
            "{typed}"
        );
    }
}

#[test]
fn open_beds_need_a_free_bed_of_that_type() {
    let query = check_search(&SearchDraft {
        open_beds: "respite".into(),
        ..SearchDraft::default()
    })
    .unwrap();
    let free = [(WardType::Respite, 2), (WardType::General, 0)];
    let none = [(WardType::Respite, 0), (WardType::General, 5)];
    assert!(query.matches(&listing("", &[], &[], &free)));
    assert!(!query.matches(&listing("", &[], &[], &none)));
}

#[test]
fn bad_searches_are_refused_in_japanese() {
    for draft in [
        SearchDraft {
            kind: "spaceport".into(),
            ..SearchDraft::default()
        },
        SearchDraft {
            kind: "desk".into(),
            ..SearchDraft::default()
        },
        SearchDraft {
            offers: vec!["teleportation".into()],
            ..SearchDraft::default()
        },
        SearchDraft {
            open_beds: "icu".into(),
            ..SearchDraft::default()
        },
        SearchDraft {
            name: "あ".repeat(MAX_NAME_CHARS + 1),
            ..SearchDraft::default()
        },
    ] {
        assert!(check_search(&draft).is_err(), "{draft:?}");
    }
    assert!(check_search(&SearchDraft::default()).unwrap().is_empty());
}

#[test]
fn results_taking_patients_come_first() {
    let mut ranked = [
        None,
        Some(Accepting::No),
        Some(Accepting::Yes),
        Some(Accepting::Ask),
    ];
    ranked.sort_by_key(|a| accepting_rank(*a));
    assert_eq!(
        ranked,
        [
            Some(Accepting::Yes),
            Some(Accepting::Ask),
            None,
            Some(Accepting::No)
        ]
    );
}

#[test]
fn freshness_is_the_oldest_part_a_kind_keeps() {
    let at = |d| Utc.with_ymd_and_hms(2026, 9, d, 3, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let parts: Vec<_> = ProfilePart::ALL
        .into_iter()
        .filter(|p| p.applies_to(OrganisationKind::Pharmacy))
        .zip(10..)
        .map(|(p, day)| (p, at(day)))
        .collect();
    let fresh = freshness(OrganisationKind::Pharmacy, &parts, now);
    assert_eq!(fresh.oldest, Some(at(10)));
    assert!(!fresh.stale);
    assert_eq!(fresh.label_ja(), "2026年9月10日に確認");
    let later = Utc.with_ymd_and_hms(2026, 12, 9, 3, 0, 0).unwrap();
    assert!(freshness(OrganisationKind::Pharmacy, &parts, later).stale);
    // A part the kind keeps was never confirmed.
    let unconfirmed = freshness(OrganisationKind::Pharmacy, &parts[1..], now);
    assert_eq!(unconfirmed.oldest, None);
    assert!(unconfirmed.stale);
    assert_eq!(unconfirmed.label_ja(), "情報がまだ確認されていません");
}

#[test]
fn an_address_suggests_the_longest_area_it_names() {
    let known = [
        "中市".to_string(),
        "府中市".to_string(),
        "豊島区".to_string(),
    ];
    assert_eq!(
        municipality_in_address("東京都府中市宮西町1-1", &known),
        Some("府中市")
    );
    assert_eq!(
        municipality_in_address("東京都豊島区南池袋１－２", &known),
        Some("豊島区")
    );
    assert_eq!(municipality_in_address("北海道札幌市", &known), None);
}
