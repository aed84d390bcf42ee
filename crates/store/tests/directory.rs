//! The regional directory's copy in the encrypted store: a page of
//! listings and its version in one transaction, the feed and the listing
//! writing the same row, and the search (the domain's filters over the
//! copy, its order, stopped organisations never shown).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::{TimeZone, Utc};
use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::search::{SearchDraft, check_search};
use tsunagu_domain::directory::{Accepting, Offer, ProfilePart};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_store::{
    DirectoryEntry, ListingBeds, ListingRecord, OpenMode, PulledChange, Store, StoreKey, TeamPulled,
};
use uuid::Uuid;

async fn open() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    (store, dir)
}

fn listing(name: &str, kana: &str, kind: OrganisationKind) -> ListingRecord {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    ListingRecord {
        id: Uuid::now_v7(),
        name: name.into(),
        name_kana: kana.into(),
        kind,
        phone: "03-1111-2222".into(),
        fax: String::new(),
        address: "東京都豊島区南池袋1-1".into(),
        hours: "平日 9:00〜17:00".into(),
        municipalities: vec!["豊島区".into()],
        area_detail: String::new(),
        radius_km: None,
        offers: Vec::new(),
        accepting: None,
        care_managers: None,
        confirmed: vec![(ProfilePart::Contact, at)],
        beds: Vec::new(),
        stopped: false,
        directory_version: 1,
    }
}

async fn names(store: &Store, draft: SearchDraft) -> Vec<String> {
    let query = check_search(&draft).unwrap();
    let page = store.search_directory(&query, 100).await.unwrap();
    assert_eq!(page.total, page.listings.len());
    page.listings.iter().map(|l| l.name.clone()).collect()
}

#[tokio::test]
async fn a_page_and_its_version_are_kept_together_and_a_later_page_replaces_the_row() {
    let (store, _dir) = open().await;
    assert_eq!(store.directory_through().await.unwrap(), 0);
    let mut station = listing(
        "池袋訪問看護ステーション",
        "いけぶくろほうもんかんご",
        OrganisationKind::VisitingNurseStation,
    );
    station.offers = vec![Offer::Around24h];
    station.beds = Vec::new();
    store
        .upsert_listings(std::slice::from_ref(&station), 7, common::now())
        .await
        .unwrap();
    assert_eq!(store.directory_through().await.unwrap(), 7);
    let all = check_search(&SearchDraft::default()).unwrap();
    let page = store.search_directory(&all, 10).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(*page.listings[0], station);

    // The next page changes it: the search sees the change at once.
    let mut renamed = station.clone();
    renamed.name = "南池袋訪問看護ステーション".into();
    renamed.offers = vec![Offer::Around24h, Offer::EndOfLife];
    renamed.accepting = Some(Accepting::Yes);
    renamed.directory_version = 9;
    store
        .upsert_listings(std::slice::from_ref(&renamed), 9, common::now())
        .await
        .unwrap();
    assert_eq!(store.directory_through().await.unwrap(), 9);
    let page = store.search_directory(&all, 10).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(*page.listings[0], renamed);
}

#[tokio::test]
async fn the_feed_and_the_listing_share_one_row_and_the_feed_keeps_what_the_listing_said() {
    let (store, _dir) = open().await;
    let mut hospital = listing(
        "豊島中央病院",
        "としまちゅうおうびょういん",
        OrganisationKind::Hospital,
    );
    hospital.accepting = Some(Accepting::Ask);
    let feed = |name: &str, stopped: bool| {
        vec![(
            1,
            PulledChange::Team(TeamPulled::Directory(DirectoryEntry {
                id: hospital.id,
                name: name.into(),
                kind: OrganisationKind::Hospital,
                phone: "03-9999-0000".into(),
                fax: String::new(),
                stopped,
            })),
        )]
    };
    store
        .apply_pulled(&feed("豊島中央病院", false), 1, common::now())
        .await
        .unwrap();
    store
        .upsert_listings(std::slice::from_ref(&hospital), 3, common::now())
        .await
        .unwrap();
    assert_eq!(store.team_directory().await.unwrap().len(), 1);

    // The feed renames it: the listing's other parts stay.
    store
        .apply_pulled(&feed("豊島中央総合病院", false), 2, common::now())
        .await
        .unwrap();
    let all = check_search(&SearchDraft::default()).unwrap();
    let page = store.search_directory(&all, 10).await.unwrap();
    assert_eq!(page.listings[0].name, "豊島中央総合病院");
    assert_eq!(page.listings[0].accepting, Some(Accepting::Ask));
    assert_eq!(page.listings[0].hours, hospital.hours);

    // The feed stops it: the search no longer shows it.
    store
        .apply_pulled(&feed("豊島中央総合病院", true), 3, common::now())
        .await
        .unwrap();
    assert_eq!(store.search_directory(&all, 10).await.unwrap().total, 0);
}

#[tokio::test]
async fn each_filter_narrows_the_results_and_stopped_ones_never_show() {
    let (store, _dir) = open().await;
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let mut saito = listing(
        "齋藤内科クリニック",
        "さいとうないかくりにっく",
        OrganisationKind::Clinic,
    );
    saito.offers = vec![Offer::HomeVisits, Offer::EndOfLife];
    saito.accepting = Some(Accepting::Yes);
    saito.municipalities = vec!["練馬区".into(), "豊島区".into()];
    let mut watanabe = listing("渡邊病院", "ﾜﾀﾅﾍﾞﾋﾞｮｳｲﾝ", OrganisationKind::Hospital);
    watanabe.offers = vec![Offer::HomeVisits, Offer::BackupBeds];
    watanabe.accepting = Some(Accepting::Ask);
    watanabe.beds = vec![
        ListingBeds {
            ward_type: WardType::CommunityCare,
            capacity: 40,
            available: 3,
            updated_at: at,
        },
        ListingBeds {
            ward_type: WardType::Palliative,
            capacity: 20,
            available: 0,
            updated_at: at,
        },
    ];
    let mut pharmacy = listing("さくら薬局", "さくらやっきょく", OrganisationKind::Pharmacy);
    pharmacy.offers = vec![Offer::SterileCompounding];
    pharmacy.municipalities = vec!["板橋区".into()];
    let mut stopped = listing(
        "齋藤在宅クリニック",
        "さいとうざいたく",
        OrganisationKind::Clinic,
    );
    stopped.offers = saito.offers.clone();
    stopped.accepting = Some(Accepting::Yes);
    stopped.stopped = true;
    store
        .upsert_listings(
            &[saito.clone(), watanabe.clone(), pharmacy.clone(), stopped],
            4,
            common::now(),
        )
        .await
        .unwrap();

    let draft = |f: fn(&mut SearchDraft)| {
        let mut d = SearchDraft::default();
        f(&mut d);
        d
    };
    // 新字体 finds 旧字体, and hiragana finds half-width katakana.
    assert_eq!(
        names(&store, draft(|d| d.name = "斎藤".into())).await,
        ["齋藤内科クリニック"]
    );
    assert_eq!(
        names(&store, draft(|d| d.name = "渡辺".into())).await,
        ["渡邊病院"]
    );
    assert_eq!(
        names(&store, draft(|d| d.name = "わたなべ".into())).await,
        ["渡邊病院"]
    );
    assert_eq!(
        names(&store, draft(|d| d.name = "ｻｲﾄｳ".into())).await,
        ["齋藤内科クリニック"]
    );
    assert_eq!(
        names(&store, draft(|d| d.kind = "pharmacy".into())).await,
        ["さくら薬局"]
    );
    assert_eq!(
        names(
            &store,
            draft(|d| d.offers = vec!["home_visits".into(), "end_of_life".into()])
        )
        .await,
        ["齋藤内科クリニック"]
    );
    assert_eq!(
        names(&store, draft(|d| d.offers = vec!["home_visits".into()])).await,
        ["齋藤内科クリニック", "渡邊病院"]
    );
    assert_eq!(
        names(&store, draft(|d| d.municipality = "練馬区".into())).await,
        ["齋藤内科クリニック"]
    );
    assert_eq!(
        names(&store, draft(|d| d.accepting_only = true)).await,
        ["齋藤内科クリニック"]
    );
    assert_eq!(
        names(&store, draft(|d| d.open_beds = "community_care".into())).await,
        ["渡邊病院"]
    );
    assert!(
        names(&store, draft(|d| d.open_beds = "palliative".into()))
            .await
            .is_empty()
    );
    // The stopped clinic answers nothing, nor lends its area to the suggestions.
    assert_eq!(
        store.directory_municipalities().await.unwrap(),
        ["板橋区", "練馬区", "豊島区"]
    );
}

#[tokio::test]
async fn results_come_those_taking_patients_first_then_by_reading() {
    let (store, _dir) = open().await;
    let mut listings = Vec::new();
    for (name, kana, accepting) in [
        ("ん病院", "んびょういん", Some(Accepting::No)),
        ("あ病院", "あびょういん", Some(Accepting::No)),
        ("未回答病院", "みかいとう", None),
        ("要相談病院", "ようそうだん", Some(Accepting::Ask)),
        ("か受入病院", "かうけいれ", Some(Accepting::Yes)),
        ("あ受入病院", "あうけいれ", Some(Accepting::Yes)),
        // No reading: ordered by its name.
        ("い受入病院", "", Some(Accepting::Yes)),
    ] {
        let mut l = listing(name, kana, OrganisationKind::Hospital);
        l.accepting = accepting;
        listings.push(l);
    }
    store
        .upsert_listings(&listings, 1, common::now())
        .await
        .unwrap();
    assert_eq!(
        names(&store, SearchDraft::default()).await,
        [
            "あ受入病院",
            "い受入病院",
            "か受入病院",
            "要相談病院",
            "未回答病院",
            "あ病院",
            "ん病院"
        ]
    );
    // A limit keeps the first ones and still counts them all.
    let all = check_search(&SearchDraft::default()).unwrap();
    let page = store.search_directory(&all, 2).await.unwrap();
    assert_eq!(page.listings.len(), 2);
    assert_eq!(page.total, 7);
}

/// The search's compact narrowing never changes an answer: over generated
/// listings and queries, the results are exactly the listings the domain's
/// `matches` takes, in the domain's order.
#[tokio::test]
async fn the_search_answers_exactly_what_the_domain_matches_in_its_order() {
    use rand::rngs::StdRng;
    use rand::seq::IndexedRandom;
    use rand::{Rng, SeedableRng};
    use tsunagu_domain::directory::offers_for;
    use tsunagu_domain::directory::search::{ListingFacts, accepting_rank, listing_name_key};

    let (store, _dir) = open().await;
    let mut rng = StdRng::seed_from_u64(18);
    let names = [
        ("齋藤", "さいとう"),
        ("斎藤", "ｻｲﾄｳ"),
        ("渡邊", "わたなべ"),
        ("髙橋", "たかはし"),
        ("中村", ""),
    ];
    let areas = ["豊島区", "練馬区", "府中市", "中市", "北区"];
    let kinds = [
        OrganisationKind::Hospital,
        OrganisationKind::Clinic,
        OrganisationKind::VisitingNurseStation,
        OrganisationKind::Pharmacy,
        OrganisationKind::CareManagementOffice,
    ];
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let mut listings = Vec::new();
    for n in 0..400 {
        let (name, kana) = names.choose(&mut rng).unwrap();
        let kind = *kinds.choose(&mut rng).unwrap();
        let mut l = listing(&format!("{name}{n}"), kana, kind);
        l.offers = offers_for(kind)
            .iter()
            .copied()
            .filter(|_| rng.random_ratio(1, 2))
            .collect();
        l.municipalities = areas
            .iter()
            .filter(|_| rng.random_ratio(1, 3))
            .map(|a| a.to_string())
            .collect();
        l.accepting = [
            None,
            Some(Accepting::Yes),
            Some(Accepting::Ask),
            Some(Accepting::No),
        ]
        .choose(&mut rng)
        .copied()
        .flatten();
        if kind == OrganisationKind::Hospital {
            for ward_type in [
                WardType::General,
                WardType::CommunityCare,
                WardType::Palliative,
            ] {
                if rng.random_ratio(1, 2) {
                    l.beds.push(ListingBeds {
                        ward_type,
                        capacity: 10,
                        available: rng.random_range(0..3),
                        updated_at: at,
                    });
                }
            }
        }
        l.stopped = rng.random_ratio(1, 10);
        listings.push(l);
    }
    store
        .upsert_listings(&listings, 1, common::now())
        .await
        .unwrap();

    let reading = |l: &ListingRecord| {
        if l.name_kana.is_empty() {
            l.name.clone()
        } else {
            l.name_kana.clone()
        }
    };
    let mut answered = 0;
    for round in 0..300 {
        let kind = kinds.choose(&mut rng).unwrap().code().to_string();
        let mut draft = SearchDraft::default();
        if rng.random_ratio(1, 2) {
            draft.kind = kind.clone();
            let offers = offers_for(OrganisationKind::from_code(&kind).unwrap());
            draft.offers = offers
                .iter()
                .filter(|_| rng.random_ratio(1, 4))
                .map(|o| o.code().to_string())
                .collect();
        }
        if rng.random_ratio(1, 3) {
            draft.name = ["さいとう", "斎藤", "齋藤", "ﾜﾀﾅﾍﾞ", "高橋", "1", "村", "藤1"]
                .choose(&mut rng)
                .unwrap()
                .to_string();
        }
        if rng.random_ratio(1, 3) {
            draft.municipality = [areas[0], areas[1], areas[2], areas[3], "港区"]
                .choose(&mut rng)
                .unwrap()
                .to_string();
        }
        draft.accepting_only = rng.random_ratio(1, 4);
        if rng.random_ratio(1, 4) {
            draft.open_beds = ["general", "community_care", "palliative"]
                .choose(&mut rng)
                .unwrap()
                .to_string();
        }
        let query = check_search(&draft).unwrap();
        let mut expected: Vec<&ListingRecord> = listings
            .iter()
            .filter(|l| {
                let key = listing_name_key(&l.name, &l.name_kana);
                let free: Vec<(WardType, u16)> =
                    l.beds.iter().map(|b| (b.ward_type, b.available)).collect();
                query.matches(&ListingFacts {
                    kind: l.kind,
                    name_key: &key,
                    offers: &l.offers,
                    municipalities: &l.municipalities,
                    accepting: l.accepting,
                    free_beds: &free,
                    stopped: l.stopped,
                })
            })
            .collect();
        expected.sort_by(|a, b| {
            accepting_rank(a.accepting)
                .cmp(&accepting_rank(b.accepting))
                .then_with(|| reading(a).cmp(&reading(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        let page = store.search_directory(&query, usize::MAX).await.unwrap();
        let found: Vec<Uuid> = page.listings.iter().map(|l| l.id).collect();
        let wanted: Vec<Uuid> = expected.iter().map(|l| l.id).collect();
        assert_eq!(found, wanted, "round {round}: {draft:?}");
        assert_eq!(page.total, wanted.len());
        // A page shows the first ones and still counts them all.
        let first = store.search_directory(&query, 3).await.unwrap();
        let shown: Vec<Uuid> = first.listings.iter().map(|l| l.id).collect();
        assert_eq!(shown, wanted[..wanted.len().min(3)], "round {round}");
        assert_eq!(first.total, wanted.len(), "round {round}");
        answered += usize::from(!wanted.is_empty());
    }
    // The queries were not all too narrow to answer.
    assert!(answered > 150, "{answered}");
}
