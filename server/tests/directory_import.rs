//! The directory's bulk import (issue 18), on a real PostgreSQL: the open
//! data in Shift_JIS and the simple layout in UTF-8 with a BOM are added,
//! a second import updates rather than duplicates and leaves a profile a
//! person saved alone; a bad row, a UTF-16 file or a missing column
//! imports nothing and the report says where; only the desk imports. In a
//! real browser, the desk uploads a file and reads the report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod browser;
mod common;
mod portal_visitor;
mod team_region;

use common::*;
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::directory::search::listing_name_key;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::OrgKind;
use tsunagu_server::users::Role;
use uuid::Uuid;

const OPEN_HEADER: &str = "都道府県コード又は市区町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,利用可能曜日特記事項,定員,URL";

fn open_row(no: usize, name: &str, service: &str, number: &str, address: &str) -> String {
    format!(
        "131164,{no},東京都,豊島区,{name},{name}カナ,{service},{address},,35.72,139.71,03-3981-{:04},,1234567890123,株式会社みどり,{number},月火水木金,,,",
        no % 10_000
    )
}

fn open_data(rows: &[String]) -> String {
    let mut text = format!("{OPEN_HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn three_offices(station_address: &str) -> Vec<u8> {
    shift_jis(&open_data(&[
        open_row(
            1,
            "みどり訪問看護ステーション",
            "訪問看護",
            "1360190011",
            station_address,
        ),
        open_row(
            2,
            "ケアプランさくら",
            "居宅介護支援",
            "1370190022",
            "東京都豊島区東池袋2-2",
        ),
        open_row(
            3,
            "ひまわりヘルパー",
            "訪問介護",
            "1370190033",
            "東京都豊島区目白3-3",
        ),
    ]))
}

const SIMPLE: &str = "\u{feff}識別番号,種別,名称,名称カナ,住所,電話番号,FAX番号,対応地域\r\n\
    H-001,病院,池袋中央病院,イケブクロチュウオウビョウイン,東京都豊島区西池袋1-1,03-1000-0001,03-1000-0009,豊島区\r\n\
    C-002,clinic,みどり在宅クリニック,ミドリザイタク,東京都豊島区南池袋2-2,03-1000-0002,,\"豊島区、練馬区\"\r\n\
    P-003,保険薬局,さくら薬局,サクラヤッキョク,,03-1000-0003,,\r\n\
    D-004,歯科診療所,あおば歯科,アオバシカ,,,,\r\n";

/// The import form posted with `file`.
async fn upload(t: &TestServer, session: &Session, layout: &str, file: &[u8]) -> Page {
    let boundary = "----tsunagu-import-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", session.csrf.as_str()), ("layout", layout)] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    send(
        &t.app,
        "POST",
        "/portal/desk/import",
        &[
            (
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            ),
            ("cookie", &format!("tsunagu_session={}", session.token)),
        ],
        body,
    )
    .await
}

async fn desk(t: &TestServer) -> Session {
    Person::create(t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await
}

async fn imported(t: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM organisations WHERE external_id IS NOT NULL")
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

async fn by_external_id(t: &TestServer, id: &str) -> (Uuid, String, String, String, String) {
    sqlx::query_as(
        "SELECT id, name, kind, search_key, phone FROM organisations WHERE external_id = $1",
    )
    .bind(id)
    .fetch_one(&t.owner)
    .await
    .unwrap()
}

async fn profile_of(t: &TestServer, id: Uuid) -> (String, Vec<String>, serde_json::Value, String) {
    sqlx::query_as(
        "SELECT address, municipalities, confirmed, updated_by FROM organisation_profiles
         WHERE organisation_id = $1",
    )
    .bind(id)
    .fetch_one(&t.owner)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn open_data_and_the_simple_layout_are_imported_and_a_second_import_updates() {
    let t = server().await;
    let desk = desk(&t).await;
    let form = desk.get(&t.app, "/portal/desk/import").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("事業所の一括取り込み") && form.body.contains("id=\"nav-import\""));

    let first = upload(&t, &desk, "auto", &three_offices("東京都豊島区南池袋1-1")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first
            .body
            .contains("3行を取り込みました（新規 3件、更新 0件）"),
        "{}",
        first.body
    );
    assert!(first.body.contains("Shift_JIS"));
    let (station, name, kind, key, phone) =
        by_external_id(&t, "1360190011/visiting_nurse_station").await;
    assert_eq!(name, "みどり訪問看護ステーション");
    assert_eq!(kind, "visiting_nurse_station");
    assert_eq!(
        key,
        listing_name_key(&name, "みどり訪問看護ステーションカナ")
    );
    assert_eq!(phone, "03-3981-0001");
    let (address, area, confirmed, updated_by) = profile_of(&t, station).await;
    assert_eq!(address, "東京都豊島区南池袋1-1");
    assert_eq!(area, ["豊島区"]);
    assert_eq!(
        confirmed,
        serde_json::json!({}),
        "an import confirms nothing"
    );
    assert!(updated_by.starts_with("import:"));

    let simple = upload(&t, &desk, "simple", SIMPLE.as_bytes()).await;
    assert_eq!(simple.status, 200, "{}", simple.body);
    assert!(
        simple.body.contains("新規 4件、更新 0件"),
        "{}",
        simple.body
    );
    assert!(simple.body.contains("UTF-8（BOM付き）"));
    let (hospital, _, kind, ..) = by_external_id(&t, "H-001").await;
    assert_eq!(kind, "hospital");
    // Listed in the region: the administrator's organisations page, and
    // a directory version for the desktops' /v1/directory.
    let admin = Person::create(&t, OrgKind::Desk, "desk.admin", Role::Admin)
        .await
        .signed_in(&t.app)
        .await;
    let listed = admin.get(&t.app, "/portal/admin").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(listed.body.contains("池袋中央病院") && listed.body.contains("ケアプランさくら"));
    let version: i64 =
        sqlx::query_scalar("SELECT directory_version FROM organisations WHERE id = $1")
            .bind(hospital)
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert!(version > 0);
    assert_eq!(imported(&t).await, 7);

    // The station keeps its own profile; the next import leaves it alone
    // but still takes the register's name.
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let saved = admin
        .post(
            &t.app,
            &format!("/portal/organisations/{station}/profile"),
            &[
                ("address", "東京都豊島区南池袋9-9（移転）"),
                ("phone", "03-3981-9999"),
                ("municipalities", "豊島区、文京区"),
                ("accepting", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let again = upload(
        &t,
        &desk,
        "open_data",
        &three_offices("東京都豊島区南池袋1-1"),
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains("新規 0件、更新 3件"), "{}", again.body);
    assert_eq!(imported(&t).await, 7, "no duplicates");
    let (address, area, _, updated_by) = profile_of(&t, station).await;
    assert_eq!(address, "東京都豊島区南池袋9-9（移転）");
    assert_eq!(area, ["豊島区", "文京区"]);
    assert!(!updated_by.starts_with("import:"));
    assert_eq!(
        by_external_id(&t, "1360190011/visiting_nurse_station")
            .await
            .4,
        "03-3981-9999"
    );
    // Unchanged rows are not written: desktops are sent nothing again.
    let versions = "SELECT max(directory_version) FROM organisations";
    let before: i64 = sqlx::query_scalar(versions)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    let again = upload(&t, &desk, "auto", SIMPLE.as_bytes()).await;
    assert!(again.body.contains("新規 0件、更新 4件"), "{}", again.body);
    let after: i64 = sqlx::query_scalar(versions)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(before, after);

    // An id known as another kind is refused: kinds never change here.
    let other = "識別番号,種別,名称\r\nH-001,診療所,池袋中央クリニック\r\n";
    let refused = upload(&t, &desk, "auto", other.as_bytes()).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("2行目") && refused.body.contains("「病院」として登録済み"));

    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'directory-import'")
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(audited, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_row_or_file_imports_nothing_and_the_report_says_where() {
    let t = server().await;
    let desk = desk(&t).await;
    let file = shift_jis(&open_data(&[
        open_row(1, "よい事業所", "訪問介護", "1370190011", "東京都豊島区1"),
        open_row(2, "", "訪問介護", "1370190022", "東京都豊島区2"),
        open_row(
            3,
            "謎の事業所",
            "謎のサービス",
            "1370190033",
            "東京都豊島区3",
        ),
        open_row(4, "重複", "訪問介護", "1370190011", "東京都豊島区4"),
    ]));
    let page = upload(&t, &desk, "auto", &file).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body
            .contains("4行のうち3行に問題があるため、何も取り込んでいません")
    );
    assert!(
        page.body
            .contains("<td>3行目</td><td></td><td>事業所名がありません</td>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("サービスの種類「謎のサービス」は取り込めません")
    );
    assert!(page.body.contains(
        "<td>5行目</td><td>重複</td><td>事業所番号「1370190011」が2行目と重複しています</td>"
    ));
    assert_eq!(imported(&t).await, 0);

    // UTF-16 (as Excel's 「Unicode テキスト」): refused naming the line.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in SIMPLE.trim_start_matches('\u{feff}').encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let page = upload(&t, &desk, "auto", &utf16).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body
            .contains("1行目：UTF-16 のファイルは読み込めません"),
        "{}",
        page.body
    );
    assert!(page.body.contains("名簿は変わっていません"));

    // A column missing: the file is refused naming it.
    let short = "事業所名,サービスの種類,住所,電話番号\r\nみどり,訪問看護,東京都,03-1111-2222\r\n";
    let page = upload(&t, &desk, "auto", short.as_bytes()).await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("必要な列がありません：事業所番号"),
        "{}",
        page.body
    );
    assert_eq!(imported(&t).await, 0);
    let refusals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'directory-import-refused'",
    )
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(refusals, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_desk_imports() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    assert_eq!(admin.get(&t.app, "/portal/desk/import").await.status, 403);
    let page = upload(&t, &admin, "auto", SIMPLE.as_bytes()).await;
    assert_eq!(page.status, 403);
    let (_, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    assert_eq!(
        upload(&t, &liaison, "auto", SIMPLE.as_bytes()).await.status,
        403
    );
    assert_eq!(imported(&t).await, 0);
}

/// The desk in a real browser uploads a file and reads the report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn importing_in_a_browser() {
    let t = server().await;
    let desk = desk(&t).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("kaigo-houmonkango.csv");
    std::fs::write(&good, three_offices("東京都豊島区南池袋1-1")).unwrap();
    let bad = dir.path().join("iryou.csv");
    let bad_text = format!("{}X-9,温泉,湯の宿,,,,,\r\nP-010,保険薬局,,,,,,\r\n", SIMPLE);
    std::fs::write(&bad, bad_text).unwrap();
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &desk.token).await;
    browser.open(&format!("{origin}/portal/desk")).await;
    browser.click("#nav-import").await;
    browser.wait_for_text("事業所の一括取り込み").await;
    browser.fill("#import-file", good.to_str().unwrap()).await;
    browser.click("#import-submit").await;
    browser.wait_for_text("新規 3件、更新 0件").await;
    browser.photograph("directory-import.png").await;

    browser.fill("#import-file", bad.to_str().unwrap()).await;
    browser.click("#import-submit").await;
    let text = browser.wait_for_text("何も取り込んでいません").await;
    assert!(
        text.contains("6行目") && text.contains("種別「温泉」が分かりません"),
        "{text}"
    );
    assert!(
        text.contains("7行目") && text.contains("名称がありません"),
        "{text}"
    );
    browser.photograph("directory-import-refused.png").await;
    assert_eq!(imported(&t).await, 3);
}

/// Not a pass/fail figure: how long a prefecture-sized file takes, printed.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement: cargo test --test directory_import -- --ignored --nocapture thirty"]
async fn thirty_thousand_rows() {
    let t = server().await;
    let desk = desk(&t).await;
    let services = ["訪問介護", "訪問看護", "居宅介護支援", "通所介護"];
    let rows: Vec<String> = (1..=30_000)
        .map(|n| {
            open_row(
                n,
                &format!("事業所{n}"),
                services[n % services.len()],
                &format!("13{n:08}"),
                &format!("東京都豊島区南池袋{n}"),
            )
        })
        .collect();
    let file = shift_jis(&open_data(&rows));
    for round in ["first (all new)", "second (all updated)"] {
        let started = std::time::Instant::now();
        let page = upload(&t, &desk, "auto", &file).await;
        let took = started.elapsed();
        assert_eq!(
            page.status,
            200,
            "{}",
            &page.body[..page.body.len().min(2000)]
        );
        println!(
            "30,000 rows, {} bytes, {round}: {:.2} s",
            file.len(),
            took.as_secs_f64()
        );
    }
    assert_eq!(imported(&t).await, 30_000);
}
