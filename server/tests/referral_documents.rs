//! A hospital's 返書 and 退院時サマリー sent through the portal (issue 19,
//! ADR 0041), on a real PostgreSQL: the liaison officer of the hospital
//! that has the referral uploads a PDF on the referral page; it is kept
//! with an audit row and named in the owning clinic's feed (version 10
//! only), whose device alone fetches its bytes. A file that is not a PDF
//! by content, or is over 20 MB, is refused in Japanese and nothing is
//! kept; another hospital is refused. A corrected referral letter's every
//! version is kept and the page shows the latest.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;
mod team_region;

use axum::body::Body;
use axum::http::Request;
use chrono::NaiveDate;
use common::*;
use http_body_util::BodyExt;
use portal_visitor::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use team_region::*;
use tower::ServiceExt;
use tsunagu_protocol::{OpBody, OrgKind, WireEvent, WireEventDetails, WireLetterSummary};
use uuid::Uuid;

/// A small, real PDF (a page with nothing on it).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn summary(purpose: &str) -> WireLetterSummary {
    WireLetterSummary {
        clinic: "さくら内科クリニック".into(),
        doctor: "佐藤 一郎".into(),
        phone: "03-3981-0001".into(),
        fax: String::new(),
        address: String::new(),
        purpose: purpose.into(),
        diagnoses: vec!["狭心症".into()],
    }
}

struct Setting {
    t: TestServer,
    clinic: Clinic,
    referral: Uuid,
    liaison: Session,
}

/// さくら内科 refers 山田 太郎 to 北病院 with a letter, under a consent
/// covering the hospital; 北病院's liaison officer signed in.
async fn referred() -> Setting {
    let t = server().await;
    let mut clinic = clinic_with_phone(&t).await;
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let patient = Uuid::now_v7();
    applied(
        &clinic
            .push(&t, shared(patient, "山田 太郎", "やまだ たろう", "male"))
            .await,
    );
    applied(
        &clinic
            .push(
                &t,
                OpBody::ConsentRecorded {
                    consent_id: Uuid::now_v7(),
                    patient_id: patient,
                    obtained_on: d(1, 10),
                    obtained_by: "佐藤 花子".into(),
                    desk: false,
                    destination_hospital: true,
                    withdrawn_on: None,
                    team: false,
                    family: None,
                    preregistration: false,
                    preregistered_with: Vec::new(),
                },
            )
            .await,
    );
    let referral = Uuid::now_v7();
    applied(
        &clinic
            .push(
                &t,
                OpBody::ReferralOpened {
                    referral_id: referral,
                    patient_id: patient,
                    tracking_code: tsunagu_domain::TrackingCode::from_random_bits(
                        Uuid::now_v7().as_u128() as u64,
                    )
                    .to_string(),
                    destination: Some(north),
                    sent: WireEvent {
                        id: Uuid::now_v7(),
                        details: Some(WireEventDetails::Sent {
                            date: NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(),
                            hospital: "北病院".into(),
                        }),
                        voids: None,
                        note: String::new(),
                    },
                    letter: Some(Box::new(summary("胸痛の精査をお願いします。"))),
                },
            )
            .await,
    );
    Setting {
        t,
        clinic,
        referral,
        liaison,
    }
}

/// The document form as a browser sends it; `length` sets Content-Length
/// (a browser always does).
async fn upload(
    t: &TestServer,
    session: &Session,
    referral: Uuid,
    kind: &str,
    file: (&str, &[u8]),
    length: bool,
) -> Page {
    let boundary = "----tsunagu-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", session.csrf.as_str()), ("kind", kind)] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/pdf\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend(file.1);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let cookie = format!("tsunagu_session={}", session.token);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let size = body.len().to_string();
    let mut headers = vec![("content-type", content_type.as_str()), ("cookie", &cookie)];
    if length {
        headers.push(("content-length", &size));
    }
    send(
        &t.app,
        "POST",
        &format!("/portal/referrals/{referral}/documents"),
        &headers,
        body,
    )
    .await
}

/// A device's GET of a document: the status and the bytes.
async fn fetch(t: &TestServer, credential: &str, id: &str) -> (u16, Vec<u8>) {
    let request = Request::builder()
        .uri(format!("/v1/referral-documents/{id}"))
        .header("authorization", format!("Bearer {credential}"))
        .body(Body::empty())
        .unwrap();
    let response = t.app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

async fn documents_kept(t: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM referral_documents")
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

async fn audited(t: &TestServer, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

fn documents_in(changes: &[Value]) -> Vec<Value> {
    changes
        .iter()
        .filter(|c| c["change"] == "hospital_document")
        .map(|c| c["document"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hospital_sends_a_discharge_summary_that_only_the_clinic_fetches() {
    let Setting {
        t,
        clinic,
        referral,
        liaison,
    } = referred().await;
    let page = format!("/portal/referrals/{referral}");
    let shown = liaison.get(&t.app, &page).await;
    assert!(
        shown.body.contains("id=\"document-form\""),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("退院時サマリー"));

    let sent = upload(
        &t,
        &liaison,
        referral,
        "discharge_summary",
        ("退院時サマリー_山田.pdf", PDF),
        true,
    )
    .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let listed = liaison.get(&t.app, &page).await;
    assert!(
        listed.body.contains("退院時サマリー_山田.pdf"),
        "{}",
        listed.body
    );
    assert_eq!(audited(&t, "upload-document").await, 1);

    // The clinic is told, with the file's hash and who sent it.
    let told = documents_in(&clinic.changes(&t).await);
    assert_eq!(told.len(), 1);
    let document = &told[0];
    assert_eq!(document["kind"], "discharge_summary");
    assert_eq!(document["referral_id"], referral.to_string());
    assert_eq!(document["sha256"], hex::encode(Sha256::digest(PDF)));
    assert_eq!(document["size"], PDF.len());
    assert!(
        document["actor"].as_str().unwrap().starts_with("北病院"),
        "{document}"
    );
    let id = document["id"].as_str().unwrap();

    // A version-9 app is not sent what it cannot read.
    let (_, old) = t
        .post_json(
            "/v1/pull",
            Some(&clinic.credential),
            serde_json::json!({"version": 9, "cursor": 0, "limit": 1000}),
        )
        .await;
    assert!(
        !old["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["body"]["change"] == "hospital_document")
    );

    // The clinic's device fetches the same bytes; the view is audited.
    let (status, bytes) = fetch(&t, &clinic.credential, id).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, PDF);
    assert_eq!(audited(&t, "view-document").await, 1);

    // The hospital opens it from the page (audited too).
    let opened = liaison
        .get(&t.app, &format!("/portal/documents/{id}"))
        .await;
    assert_eq!(opened.status, 200);
    assert_eq!(opened.body.as_bytes(), PDF);
    assert_eq!(audited(&t, "view-document").await, 2);

    // Another clinic's device, and another hospital, get nothing.
    let (_, other) = enrolled(&t, OrgKind::Clinic, "みなみ診療所").await;
    assert_eq!(fetch(&t, &other, id).await.0, 404);
    let (_, south) = liaison_of(&t, "南病院", "south.liaison").await;
    let refused = south.get(&t.app, &format!("/portal/documents/{id}")).await;
    assert_eq!(refused.status, 404);
    assert_eq!(audited(&t, "refused-view-document").await, 1);
    let outsider = upload(&t, &south, referral, "reply", ("返書.pdf", PDF), true).await;
    assert_eq!(outsider.status, 403, "{}", outsider.body);
    assert_eq!(audited(&t, "refused-upload").await, 1);
    assert_eq!(documents_kept(&t).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_not_a_pdf_or_too_large_is_refused_in_japanese_and_nothing_is_kept() {
    let Setting {
        t,
        clinic,
        referral,
        liaison,
    } = referred().await;

    // A photo renamed .pdf is still a photo.
    let photo = upload(&t, &liaison, referral, "reply", ("返書.pdf", PNG), true).await;
    assert_eq!(photo.status, 422, "{}", photo.body);
    assert!(
        photo.body.contains("PDFではないファイルは送れません"),
        "{}",
        photo.body
    );

    // No kind chosen.
    let no_kind = upload(&t, &liaison, referral, "", ("返書.pdf", PDF), true).await;
    assert_eq!(no_kind.status, 422);
    assert!(no_kind.body.contains("書類の種類"), "{}", no_kind.body);

    // Just over 20 MB: read, and refused by the domain's rule.
    let mut big = PDF.to_vec();
    big.resize(20 * 1024 * 1024 + 1, b' ');
    let over = upload(&t, &liaison, referral, "reply", ("返書.pdf", &big), true).await;
    assert_eq!(over.status, 422);
    assert!(
        over.body.contains("ファイルが大きすぎます"),
        "{}",
        over.body
    );

    // Far over: refused at the door by its length, still with a page in
    // Japanese rather than a bare 413; and when the length is not said,
    // refused while it is read.
    big.resize(21 * 1024 * 1024, b' ');
    let door = upload(&t, &liaison, referral, "reply", ("返書.pdf", &big), true).await;
    assert_eq!(door.status, 413);
    assert!(door.body.contains("20MBまで"), "{}", door.body);
    assert!(door.body.contains("<html"), "{}", door.body);
    let streamed = upload(&t, &liaison, referral, "reply", ("返書.pdf", &big), false).await;
    assert_eq!(streamed.status, 422, "{}", streamed.body);
    assert!(streamed.body.contains("20MBまで"), "{}", streamed.body);

    // A form without the session's token.
    let mut forged = liaison.clone();
    forged.csrf = "forged".into();
    let csrf = upload(&t, &forged, referral, "reply", ("返書.pdf", PDF), true).await;
    assert_eq!(csrf.status, 403, "{}", csrf.body);

    assert_eq!(documents_kept(&t).await, 0);
    assert_eq!(audited(&t, "upload-document").await, 0);
    assert!(documents_in(&clinic.changes(&t).await).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrected_letter_reaches_the_portal_and_every_version_is_kept() {
    let Setting {
        t,
        mut clinic,
        referral,
        liaison,
    } = referred().await;
    let page = format!("/portal/referrals/{referral}");
    let first = liaison.get(&t.app, &page).await;
    assert!(first.body.contains("胸痛の精査をお願いします。"));
    assert!(!first.body.contains("訂正版"));

    let revised = |version, purpose: &str| OpBody::LetterRevised {
        referral_id: referral,
        version,
        letter: Box::new(summary(purpose)),
    };
    applied(
        &clinic
            .push(&t, revised(2, "胸痛と息切れの精査をお願いします。"))
            .await,
    );
    // Sent again (its answer lost): the same, once.
    applied(
        &clinic
            .push(&t, revised(2, "胸痛と息切れの精査をお願いします。"))
            .await,
    );
    let second = liaison.get(&t.app, &page).await;
    assert!(second.body.contains("訂正版（第2版）"), "{}", second.body);
    assert!(second.body.contains("胸痛と息切れの精査をお願いします。"));
    assert!(!second.body.contains("胸痛の精査をお願いします。"));
    assert_eq!(audited(&t, "letter-revised").await, 1);

    applied(
        &clinic
            .push(&t, revised(3, "至急の精査をお願いします。"))
            .await,
    );
    let third = liaison.get(&t.app, &page).await;
    assert!(third.body.contains("訂正版（第3版）"), "{}", third.body);
    assert!(third.body.contains("至急の精査をお願いします。"));
    let kept: i64 =
        sqlx::query_scalar("SELECT count(*) FROM referral_letter_versions WHERE referral_id = $1")
            .bind(referral)
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(kept, 2);

    // Only the clinic that made the referral corrects its letter.
    let mut other = Clinic {
        credential: enrolled(&t, OrgKind::Clinic, "みなみ診療所").await.1,
        next_op: 0,
    };
    refused(
        &other.push(&t, revised(4, "別の内容")).await,
        "権限がありません",
    );
    refused(&clinic.push(&t, revised(1, "第1版")).await, "第2版から");
}
