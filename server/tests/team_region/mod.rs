#![allow(dead_code, reason = "each test binary uses its own share")]

//! A region with a home-care team, as the team tests start from: a
//! clinic's device, a consenting patient, a team, and a visiting nurse
//! station and a care-management office invited; and the calls the tests
//! make of it (the clinic's pushes and feed, the portal's multipart post).

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::Value;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{
    OpBody, Operation, OrgKind, PROTOCOL_VERSION, PushRequest, TeamOp, WireAuthor,
};
use tsunagu_server::admin::{NewOrganisation, register_organisation};
use tsunagu_server::users::Role;
use uuid::Uuid;

use crate::common::*;
use crate::portal_visitor::*;

/// The smallest PNG there is (1×1), as a phone's photo stands in.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

pub async fn organisation(
    t: &TestServer,
    kind: OrganisationKind,
    name: &str,
    approval: bool,
) -> Uuid {
    let new = NewOrganisation {
        kind,
        name,
        requires_approval: approval,
        phone: "03-3981-1234",
        fax: "03-3981-1235",
    };
    register_organisation(&t.pool, &new, "admin:test")
        .await
        .unwrap()
        .id
}

pub async fn person(
    t: &TestServer,
    organisation: Uuid,
    login: &str,
    role: Role,
    profession: Profession,
) -> Session {
    Person::of(t, organisation, login, role, profession)
        .await
        .signed_in(&t.app)
        .await
}

/// A hospital registered by the administrator, and its liaison signed in
/// to the portal.
pub async fn liaison_of(t: &TestServer, name: &str, login: &str) -> (Uuid, Session) {
    let hospital =
        tsunagu_server::admin::create_organisation(&t.pool, OrgKind::Hospital, name, "admin:test")
            .await
            .unwrap()
            .id;
    let person = Person::of(t, hospital, login, Role::Liaison, Profession::Liaison).await;
    (hospital, person.signed_in(&t.app).await)
}

/// さくら内科クリニック's enrolled device, with the phone and FAX numbers a
/// liaison is shown to call.
pub async fn clinic_with_phone(t: &TestServer) -> Clinic {
    let (clinic_id, credential) = enrolled(t, OrgKind::Clinic, "さくら内科クリニック").await;
    sqlx::query(
        "UPDATE organisations SET phone = '03-3981-0001', fax = '03-3981-0002' WHERE id = $1",
    )
    .bind(clinic_id)
    .execute(&t.owner)
    .await
    .unwrap();
    Clinic {
        credential,
        next_op: 0,
    }
}

/// A patient the clinic shares, born 1940-04-01.
pub fn shared(patient: Uuid, name: &str, kana: &str, sex: &str) -> OpBody {
    OpBody::PatientShared {
        patient_id: patient,
        name: name.into(),
        kana: kana.into(),
        birth_date: NaiveDate::from_ymd_opt(1940, 4, 1).unwrap(),
        sex: sex.into(),
    }
}

/// A consent that pre-registers the patient with the hospitals `with`
/// (every one when empty), and shares with the team if `team`.
pub fn preregistration_op(
    id: Uuid,
    patient: Uuid,
    with: Vec<Uuid>,
    team: bool,
    withdrawn: bool,
) -> OpBody {
    OpBody::ConsentRecorded {
        consent_id: id,
        patient_id: patient,
        obtained_on: d(1, 10),
        obtained_by: "佐藤 花子".into(),
        desk: false,
        destination_hospital: false,
        withdrawn_on: withdrawn.then(|| d(2, 1)),
        team,
        family: None,
        preregistration: true,
        preregistered_with: with,
    }
}

pub struct Clinic {
    pub credential: String,
    pub next_op: i64,
}

impl Clinic {
    /// Pushes one operation; its outcome.
    pub async fn push(&mut self, t: &TestServer, body: OpBody) -> Value {
        self.next_op += 1;
        let request = PushRequest {
            version: PROTOCOL_VERSION,
            epoch: None,
            ops: vec![Operation {
                op_seq: self.next_op,
                op_id: Some(Uuid::now_v7()),
                body,
            }],
        };
        let (status, body) = t
            .call(
                "POST",
                "/v1/push",
                Some(&self.credential),
                serde_json::to_vec(&request).unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["results"][0]["outcome"].clone()
    }

    /// Shares a patient born 1940-04-01 and records the consent `consent`
    /// makes for them; the patient's id.
    pub async fn patient_with_consent(
        &mut self,
        t: &TestServer,
        (name, kana, sex): (&str, &str, &str),
        consent: impl FnOnce(Uuid) -> OpBody,
    ) -> Uuid {
        let patient = Uuid::now_v7();
        applied(&self.push(t, shared(patient, name, kana, sex)).await);
        applied(&self.push(t, consent(patient)).await);
        patient
    }

    pub async fn team(&mut self, t: &TestServer, op: TeamOp) -> Value {
        self.push(t, OpBody::Team(op)).await
    }

    /// Every change in the clinic's feed, in order.
    pub async fn changes(&self, t: &TestServer) -> Vec<Value> {
        let (status, body) = t
            .post_json(
                "/v1/pull",
                Some(&self.credential),
                serde_json::json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 1000}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["body"].clone())
            .collect()
    }

    /// Every team change in the clinic's feed, in order.
    pub async fn team_changes(&self, t: &TestServer) -> Vec<Value> {
        let changes = self.changes(t).await;
        changes
            .into_iter()
            .filter(|c| c["change"] == "team")
            .collect()
    }
}

pub fn applied(outcome: &Value) {
    assert_eq!(outcome["outcome"], "applied", "{outcome}");
}

pub fn refused(outcome: &Value, words: &str) {
    assert_eq!(outcome["outcome"], "refused", "{outcome}");
    let reason = outcome["reason"].as_str().unwrap();
    assert!(reason.contains(words), "{reason} should say {words}");
}

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

pub fn doctor() -> WireAuthor {
    WireAuthor {
        name: "佐藤 花子".into(),
        profession: "physician".into(),
    }
}

/// A multipart post from the portal's form.
pub async fn portal_post(
    t: &TestServer,
    session: &Session,
    team: Uuid,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Page {
    let boundary = "----tsunagu-test-boundary";
    let mut body = Vec::new();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf", &session.csrf));
    for (name, value) in all {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    let cookie = format!("tsunagu_session={}", session.token);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    send(
        &t.app,
        "POST",
        &format!("/portal/teams/{team}/posts"),
        &[("content-type", &content_type), ("cookie", &cookie)],
        body,
    )
    .await
}

pub struct Region {
    pub t: TestServer,
    pub clinic: Clinic,
    pub patient: Uuid,
    pub consent: Uuid,
    pub team: Uuid,
    pub nurse_station: Uuid,
    pub care_office: Uuid,
    pub nurse_member: Uuid,
    pub care_member: Uuid,
}

impl Region {
    /// The visiting nurse station's nurse, signed in to the portal, with
    /// the station's invitation accepted: a member who reads the team.
    pub async fn nurse_on_the_team(&self) -> Session {
        let t = &self.t;
        let nurse = person(
            t,
            self.nurse_station,
            "nurse.tanaka",
            Role::Staff,
            Profession::Nurse,
        )
        .await;
        let accepted = nurse
            .post(
                &t.app,
                &format!("/portal/teams/{}/members", self.team),
                &[
                    ("member", &self.nurse_member.to_string()),
                    ("action", "accept"),
                ],
            )
            .await;
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        nurse
    }
}

/// A clinic with a consenting patient and a team; a visiting nurse
/// station and a care-management office invited.
pub async fn region() -> Region {
    let t = server().await;
    let (_, credential) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let nurse_station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let care_office = organisation(
        &t,
        OrganisationKind::CareManagementOffice,
        "ひまわり居宅介護支援事業所",
        false,
    )
    .await;
    let mut clinic = Clinic {
        credential,
        next_op: 0,
    };
    let patient = Uuid::now_v7();
    applied(
        &clinic
            .push(
                &t,
                OpBody::PatientShared {
                    patient_id: patient,
                    name: "山田 太郎".into(),
                    kana: "やまだ たろう".into(),
                    birth_date: NaiveDate::from_ymd_opt(1940, 4, 1).unwrap(),
                    sex: "male".into(),
                },
            )
            .await,
    );
    let consent = Uuid::now_v7();
    applied(
        &clinic
            .push(&t, consent_op(consent, patient, true, None))
            .await,
    );
    let team = Uuid::now_v7();
    applied(
        &clinic
            .team(
                &t,
                TeamOp::Started {
                    team_id: team,
                    patient_id: patient,
                    owner_member_id: Uuid::now_v7(),
                },
            )
            .await,
    );
    let nurse_member = Uuid::now_v7();
    let care_member = Uuid::now_v7();
    for (member, organisation, role) in [
        (nurse_member, nurse_station, "visiting_nurse"),
        (care_member, care_office, "care_manager"),
    ] {
        applied(
            &clinic
                .team(
                    &t,
                    TeamOp::Invited {
                        team_id: team,
                        member_id: member,
                        organisation_id: organisation,
                        role: role.into(),
                        person: String::new(),
                    },
                )
                .await,
        );
    }
    Region {
        t,
        clinic,
        patient,
        consent,
        team,
        nurse_station,
        care_office,
        nurse_member,
        care_member,
    }
}

pub fn consent_op(id: Uuid, patient: Uuid, team: bool, withdrawn_on: Option<NaiveDate>) -> OpBody {
    OpBody::ConsentRecorded {
        consent_id: id,
        patient_id: patient,
        obtained_on: d(1, 10),
        obtained_by: "佐藤 花子".into(),
        desk: false,
        destination_hospital: false,
        withdrawn_on,
        team,
        family: None,
        preregistration: false,
        preregistered_with: Vec::new(),
    }
}

/// Today in Japan, as the portal's date fields take it.
pub fn today() -> String {
    (Utc::now() + Duration::hours(9)).date_naive().to_string()
}

/// The hospital's latest membership as the clinic was last told it.
pub async fn office_of(clinic: &Clinic, t: &TestServer, hospital: Uuid) -> Option<Value> {
    clinic
        .team_changes(t)
        .await
        .into_iter()
        .filter(|c| c["team_change"] == "member")
        .map(|c| c["member"].clone())
        .rfind(|m| m["organisation_id"] == hospital.to_string())
}

/// The liaison finds 山田 太郎 and records the admission; the referral.
pub async fn admitted(t: &TestServer, liaison: &Session, patient: Uuid) -> Uuid {
    let found = liaison
        .post(
            &t.app,
            "/portal/preregistered",
            &[("name", "やまだたろう"), ("birth_date", "1940-04-01")],
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    let today = today();
    let page = liaison
        .post(
            &t.app,
            &format!("/portal/preregistered/{patient}/admission"),
            &[("date", today.as_str()), ("ward", "4階東病棟")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.unwrap();
    let id = location["/portal/referrals/".len()..]
        .split('?')
        .next()
        .unwrap();
    Uuid::parse_str(id).unwrap()
}
