//! Bulk seeding of the regional server's PostgreSQL for `bench_sync`: the
//! rows the server itself would have written for clinics that shared
//! patients (with consent), opened referrals and heard back from the desk
//! and hospitals — organisations, devices, patients, consents, referrals,
//! referral events, and each scope's change feed with its counter — in a
//! few multi-row statements instead of one transaction per operation.
//!
//! The feed bodies are `tsunagu_protocol::ChangeBody` serialised exactly as
//! `server/src/sync.rs` does; per referral the clinic's feed holds
//! `patient_shared` (before the patient's first referral), `referral_opened`,
//! then `event_appended` per event. Events also go to the desk's feed and
//! the addressed hospital's (every consent here covers both), as
//! `scopes_seeing` would. Histories come from the shared generator
//! (`tsunagu_testkit::referral_data`), so they walk the
//! status machine.

use std::collections::{BinaryHeap, HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use sqlx::PgPool;
use tsunagu_domain::{EventDetails, Sex, TrackingCode};
use tsunagu_protocol::{
    ChangeBody, OrgKind, Organisation, TeamChangeBody, WireEntry, WireEvent, WireEventDetails,
    WireMember, WireSource, WireVitals,
};
use tsunagu_store::{EventSource, ImportedReferral};
use uuid::Uuid;

use tsunagu_testkit::referral_data;

/// The region's desk and registered hospitals (named as the generator's
/// `HOSPITALS`, in that order, so a letter's hospital maps to its row).
pub struct Directory {
    pub desk: Organisation,
    pub hospitals: Vec<Organisation>,
}

/// What one clinic's seeded history holds.
pub struct SeededClinic {
    pub patients: Vec<Uuid>,
    pub referrals: Vec<Uuid>,
    pub events: usize,
    /// Events recorded by the desk or a hospital (news to the clinic).
    pub news: usize,
    /// Changes in the clinic's own feed, the directory's listings included.
    pub feed: usize,
    /// Patients whose identity is in the feed (those with a referral).
    pub shared: Vec<Uuid>,
}

/// Rows waiting to be written, column by column (each becomes one array
/// parameter of an `INSERT … SELECT FROM unnest(…)`).
#[derive(Default)]
struct Rows {
    org: [Vec<String>; 3],
    device: [Vec<String>; 4],
    patient: [Vec<String>; 6],
    consent: [Vec<String>; 4],
    referral: [Vec<String>; 5],
    referral_hospital: Vec<Option<String>>,
    event: [Vec<String>; 7],
    event_details: Vec<Option<String>>,
    event_voids: Vec<Option<String>>,
    change: [Vec<String>; 2],
    change_referral: Vec<Option<String>>,
    change_seq: Vec<i64>,
    /// The first protocol version that reads each change, as
    /// `db::feed::append` records it.
    change_since: Vec<i32>,
}

pub struct Seeder {
    pool: PgPool,
    directory: Directory,
    counters: HashMap<String, i64>,
    tracking_codes: HashSet<String>,
    rows: Rows,
}

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
];
const GIVEN: &[(&str, &str)] = &[
    ("太郎", "たろう"),
    ("花子", "はなこ"),
    ("一郎", "いちろう"),
    ("和子", "かずこ"),
    ("清", "きよし"),
    ("幸子", "さちこ"),
];

pub const CLINIC_DEVICE: &str = "診察室PC";
const DESK_DEVICE: &str = "窓口PC";
const HOSPITAL_DEVICE: &str = "地域連携室PC";

impl Seeder {
    /// Starts from the feed counters already in the database (organisations
    /// created through `tsunagu_server::admin` have fed the directory).
    pub async fn new(pool: PgPool, directory: Directory) -> Result<Seeder, sqlx::Error> {
        let counters: Vec<(String, i64)> = sqlx::query_as("SELECT scope, last FROM scope_counters")
            .fetch_all(&pool)
            .await?;
        Ok(Seeder {
            pool,
            directory,
            counters: counters.into_iter().collect(),
            tracking_codes: HashSet::new(),
            rows: Rows::default(),
        })
    }

    fn feed(&mut self, scope: String, referral: Option<Uuid>, body: &ChangeBody) {
        let counter = self.counters.entry(scope.clone()).or_insert(0);
        *counter += 1;
        let [scopes, bodies] = &mut self.rows.change;
        scopes.push(scope);
        bodies.push(serde_json::to_string(body).expect("changes serialise"));
        self.rows.change_seq.push(*counter);
        self.rows
            .change_referral
            .push(referral.map(|r| r.to_string()));
        self.rows.change_since.push(i32::from(body.since_version()));
    }

    /// A new clinic, and the hospitals listed in its feed as
    /// `admin::create_organisation` does (by name).
    pub fn clinic(&mut self, name: &str) -> Organisation {
        let clinic = Organisation {
            id: Uuid::now_v7(),
            name: name.to_string(),
            kind: OrgKind::Clinic,
        };
        let [ids, kinds, names] = &mut self.rows.org;
        ids.push(clinic.id.to_string());
        kinds.push("clinic".into());
        names.push(clinic.name.clone());
        let mut listed = self.directory.hospitals.clone();
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        for hospital in listed {
            self.feed(
                format!("org:{}", clinic.id),
                None,
                &ChangeBody::OrganisationListed {
                    organisation: hospital,
                },
            );
        }
        clinic
    }

    /// An enrolled device of `organisation`: its credential `<id>.<secret>`.
    /// Only the secret's SHA-256 is stored, as `/v1/enroll` does.
    pub fn device(&mut self, organisation: &Organisation, rng: &mut StdRng) -> String {
        let id = Uuid::now_v7();
        let secret: String = (0..32)
            .map(|_| format!("{:02x}", rng.random::<u8>()))
            .collect();
        let [ids, orgs, names, secrets] = &mut self.rows.device;
        ids.push(id.to_string());
        orgs.push(organisation.id.to_string());
        names.push(CLINIC_DEVICE.into());
        secrets.push(secret.clone());
        format!("{id}.{secret}")
    }

    /// `referrals` referrals of `clinic` with `events_wanted` events in all
    /// (exactly, unless the generator falls short), on patients who each
    /// gave consent to share with the desk and the hospital.
    pub fn history(
        &mut self,
        clinic: &Organisation,
        referrals: usize,
        events_wanted: usize,
        today: NaiveDate,
        rng: &mut StdRng,
    ) -> SeededClinic {
        let clinic_scope = format!("org:{}", clinic.id);
        let mut shares: HashMap<Uuid, ChangeBody> = HashMap::new();
        let patients: Vec<Uuid> = (0..(referrals * 3 / 4).max(1))
            .map(|i| {
                let (id, share) = self.patient(clinic, i, today, rng);
                shares.insert(id, share);
                id
            })
            .collect();
        let mut made = self.generate(&patients, referrals, events_wanted, today, rng);
        trim(&mut made, events_wanted);

        let mut seeded = SeededClinic {
            patients: patients.clone(),
            referrals: Vec::with_capacity(referrals),
            events: 0,
            news: 0,
            feed: self.rows_in_feed(&clinic_scope),
            shared: Vec::new(),
        };
        let clinic_actor = format!("{} {CLINIC_DEVICE}", clinic.name);
        for referral in made {
            if let Some(share) = shares.remove(&referral.patient_id) {
                self.feed(clinic_scope.clone(), None, &share);
                seeded.feed += 1;
                seeded.shared.push(referral.patient_id);
            }
            let sent: Option<EventDetails> = referral.events[0].details.clone();
            let hospital = match &sent {
                Some(EventDetails::Sent { hospital, .. }) => self
                    .directory
                    .hospitals
                    .iter()
                    .find(|h| &h.name == hospital)
                    .cloned(),
                _ => unreachable!("a referral opens with 紹介済"),
            };
            let [ids, clinics, patients_col, codes, created] = &mut self.rows.referral;
            ids.push(referral.id.to_string());
            clinics.push(clinic.id.to_string());
            patients_col.push(referral.patient_id.to_string());
            codes.push(referral.tracking_code.clone());
            created.push(referral.created_at.to_rfc3339());
            self.rows
                .referral_hospital
                .push(hospital.as_ref().map(|h| h.id.to_string()));
            self.feed(
                clinic_scope.clone(),
                Some(referral.id),
                &ChangeBody::ReferralOpened {
                    referral_id: referral.id,
                    patient_id: referral.patient_id,
                    tracking_code: referral.tracking_code.clone(),
                    recorded_at: referral.created_at,
                    without_letter: false,
                },
            );
            seeded.feed += 1;
            for (n, event) in referral.events.iter().enumerate() {
                let (source, organisation, actor) = match event.source {
                    EventSource::Clinic => (WireSource::Clinic, clinic.id, clinic_actor.clone()),
                    EventSource::Desk => (
                        WireSource::Desk,
                        self.directory.desk.id,
                        format!("{} {DESK_DEVICE}", self.directory.desk.name),
                    ),
                    EventSource::Liaison => {
                        let h = hospital.as_ref().expect("addressed to a hospital");
                        (
                            WireSource::Liaison,
                            h.id,
                            format!("{} {HOSPITAL_DEVICE}", h.name),
                        )
                    }
                    // The generated region's teams report nothing; were one
                    // to, it would stand under the clinic's name here.
                    EventSource::Team => (WireSource::Team, clinic.id, clinic_actor.clone()),
                };
                if source != WireSource::Clinic {
                    seeded.news += 1;
                }
                let details = event.details.as_ref().map(WireEventDetails::from);
                let recorded_at = recorded_at(referral.created_at, n);
                let wire = WireEvent {
                    id: event.id,
                    details,
                    voids: event.voids,
                    note: event.note.clone(),
                };
                let [ids, refs, notes, sources, orgs, actors, ats] = &mut self.rows.event;
                ids.push(event.id.to_string());
                refs.push(referral.id.to_string());
                notes.push(event.note.clone());
                sources.push(
                    match source {
                        WireSource::Clinic => "clinic",
                        WireSource::Desk => "desk",
                        WireSource::Liaison => "liaison",
                        WireSource::Team => "team",
                    }
                    .into(),
                );
                orgs.push(organisation.to_string());
                actors.push(actor.clone());
                ats.push(recorded_at.to_rfc3339());
                self.rows.event_details.push(
                    wire.details
                        .as_ref()
                        .map(|d| serde_json::to_string(d).expect("details serialise")),
                );
                self.rows
                    .event_voids
                    .push(event.voids.map(|v| v.to_string()));
                let change = ChangeBody::EventAppended {
                    referral_id: referral.id,
                    event: wire,
                    source,
                    actor,
                    recorded_at,
                };
                self.feed(clinic_scope.clone(), Some(referral.id), &change);
                self.feed("desk".into(), Some(referral.id), &change);
                if let Some(h) = &hospital {
                    self.feed(format!("org:{}", h.id), Some(referral.id), &change);
                }
                seeded.feed += 1;
                seeded.events += 1;
            }
            seeded.referrals.push(referral.id);
        }
        seeded
    }

    /// Home-care teams on the first of `patients` (one per 50 entries),
    /// each the clinic and a visiting nurse station, with `entries`
    /// timeline entries in all — 連絡 and 訪問報告 with vital signs, by
    /// either — in the clinic's feed as the server writes them (ADR 0023).
    /// Returns the changes added to the feed.
    pub fn team_timelines(
        &mut self,
        clinic: &Organisation,
        patients: &[Uuid],
        entries: usize,
        rng: &mut StdRng,
    ) -> usize {
        const PER_TEAM: usize = 50;
        let scope = format!("org:{}", clinic.id);
        let station = Uuid::now_v7();
        let teams = entries.div_ceil(PER_TEAM).min(patients.len());
        let mut fed = 0;
        let mut left = entries;
        for (t, patient) in patients.iter().take(teams).enumerate() {
            let team_id = Uuid::now_v7();
            let started_at = Utc::now() - TimeDelta::days(400);
            let owner = Uuid::now_v7();
            let nurse = Uuid::now_v7();
            let mut changes = vec![TeamChangeBody::Started {
                team_id,
                patient_id: *patient,
                started_at,
            }];
            for (id, organisation, name, kind, role) in [
                (
                    owner,
                    clinic.id,
                    clinic.name.as_str(),
                    "clinic",
                    "primary_physician",
                ),
                (
                    nurse,
                    station,
                    "みどり訪問看護ステーション",
                    "visiting_nurse_station",
                    "visiting_nurse",
                ),
            ] {
                changes.push(TeamChangeBody::Member {
                    team_id,
                    member: WireMember {
                        id,
                        organisation_id: Some(organisation),
                        name: name.to_string(),
                        kind: kind.to_string(),
                        role: role.to_string(),
                        state: "active".to_string(),
                        person: String::new(),
                        phone: "03-3981-1234".to_string(),
                        fax: String::new(),
                        relation: String::new(),
                        expires_at: None,
                        needs_approval: false,
                        access_until: None,
                        first_contact_for: Vec::new(),
                        invited_by: (id == nurse).then_some(owner),
                    },
                });
            }
            let here = if t + 1 == teams {
                left
            } else {
                PER_TEAM.min(left)
            };
            left -= here;
            for seq in 1..=here as i64 {
                let by_nurse = rng.random_bool(0.7);
                let visit = by_nurse && rng.random_bool(0.6);
                changes.push(TeamChangeBody::Entry {
                    team_id,
                    entry: WireEntry {
                        id: Uuid::now_v7(),
                        seq,
                        kind: if visit { "visit_report" } else { "note" }.to_string(),
                        body: format!(
                            "訪問しました。食事は半分ほど、夜はよく眠れているとのことです。（{seq}）"
                        ),
                        author_member: Some(if by_nurse { nurse } else { owner }),
                        author: if by_nurse {
                            "みどり訪問看護ステーション 看護師 田中".to_string()
                        } else {
                            format!("{} 医師 佐藤", clinic.name)
                        },
                        reply_to: None,
                        strikes: None,
                        vitals: visit.then(|| WireVitals {
                            body_temperature: Some(36.5),
                            systolic: Some(rng.random_range(110..150)),
                            diastolic: Some(rng.random_range(60..90)),
                            pulse: Some(72),
                            spo2: Some(97),
                            respiratory_rate: None,
                            weight: None,
                        }),
                        attachments: Vec::new(),
                        request_state: None,
                        posted_at: started_at + TimeDelta::hours(seq * 6),
                    },
                });
            }
            for change in changes {
                self.feed(scope.clone(), None, &ChangeBody::Team(change));
                fed += 1;
            }
        }
        fed
    }

    /// Changes already in `scope`'s feed (the directory's listings).
    fn rows_in_feed(&self, scope: &str) -> usize {
        self.counters.get(scope).copied().unwrap_or(0) as usize
    }

    /// A consenting patient's rows, and the change that shares them.
    fn patient(
        &mut self,
        clinic: &Organisation,
        i: usize,
        today: NaiveDate,
        rng: &mut StdRng,
    ) -> (Uuid, ChangeBody) {
        let (family, family_kana) = FAMILY[rng.random_range(0..FAMILY.len())];
        let (given, given_kana) = GIVEN[rng.random_range(0..GIVEN.len())];
        let id = Uuid::now_v7();
        let birth = NaiveDate::from_ymd_opt(
            rng.random_range(1925..1965),
            rng.random_range(1..13),
            rng.random_range(1..29),
        )
        .expect("valid date");
        let share = ChangeBody::PatientShared {
            patient_id: id,
            name: format!("{family}　{given}"),
            kana: format!("{family_kana}　{given_kana}"),
            birth_date: birth,
            sex: if i.is_multiple_of(2) {
                Sex::Male
            } else {
                Sex::Female
            }
            .code()
            .into(),
        };
        let ChangeBody::PatientShared {
            name, kana, sex, ..
        } = &share
        else {
            unreachable!()
        };
        let [ids, clinics, names, kanas, births, sexes] = &mut self.rows.patient;
        ids.push(id.to_string());
        clinics.push(clinic.id.to_string());
        names.push(name.clone());
        kanas.push(kana.clone());
        births.push(birth.to_string());
        sexes.push(sex.clone());
        let [ids, patients, clinics, obtained] = &mut self.rows.consent;
        ids.push(Uuid::now_v7().to_string());
        patients.push(id.to_string());
        clinics.push(clinic.id.to_string());
        obtained.push((today - Days::new(rng.random_range(0..3650))).to_string());
        (id, share)
    }

    /// Referrals whose lengths aim at `events_wanted` in all (as
    /// bench_referrals does), a little over so that `trim` can make the
    /// total exact.
    fn generate(
        &mut self,
        patients: &[Uuid],
        referrals: usize,
        events_wanted: usize,
        today: NaiveDate,
        rng: &mut StdRng,
    ) -> Vec<ImportedReferral> {
        let aim = events_wanted + events_wanted / 50;
        let mut events = 0usize;
        let mut made = Vec::with_capacity(referrals);
        for n in 0..referrals {
            let mean = aim.saturating_sub(events) as f64 / (referrals - n) as f64;
            let spread = (mean * 1.1 - 3.0).max(0.0) * 2.0;
            // Every patient has a referral; some have several.
            let patient = if n < patients.len() {
                patients[n]
            } else {
                patients[rng.random_range(0..patients.len())]
            };
            let sent = today - Days::new(rng.random_range(0..3650));
            let target = if rng.random_ratio(1, 12) {
                1
            } else {
                3 + rng.random_range(0..=spread.round() as usize)
            };
            let mut r = referral_data::referral(patient, sent, target, today, rng);
            // Tracking codes are unique region-wide.
            while !self.tracking_codes.insert(r.tracking_code.clone()) {
                r.tracking_code = TrackingCode::from_random_bits(rng.random()).to_string();
            }
            events += r.events.len();
            made.push(r);
        }
        made
    }

    /// Writes what waits once enough has gathered.
    pub async fn flush_if_large(&mut self) -> Result<(), sqlx::Error> {
        if self.rows.change_seq.len() >= 60_000 {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes every waiting row and the feed counters, in one transaction.
    pub async fn flush(&mut self) -> Result<(), sqlx::Error> {
        let rows = std::mem::take(&mut self.rows);
        let mut tx = self.pool.begin().await?;
        let [id, kind, name] = rows.org;
        sqlx::query(
            "INSERT INTO organisations (id, kind, name)
             SELECT id::uuid, kind, name FROM unnest($1::text[], $2::text[], $3::text[])
               AS t(id, kind, name)",
        )
        .bind(id)
        .bind(kind)
        .bind(name)
        .execute(&mut *tx)
        .await?;
        let [id, org, name, secret] = rows.device;
        sqlx::query(
            "INSERT INTO devices (id, organisation_id, name, secret_sha256)
             SELECT id::uuid, org::uuid, name, encode(sha256(convert_to(secret, 'UTF8')), 'hex')
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, org, name, secret)",
        )
        .bind(id)
        .bind(org)
        .bind(name)
        .bind(secret)
        .execute(&mut *tx)
        .await?;
        let [id, clinic, name, kana, birth, sex] = rows.patient;
        sqlx::query(
            "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex)
             SELECT id::uuid, clinic::uuid, name, kana, birth::date, sex
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS t(id, clinic, name, kana, birth, sex)",
        )
        .bind(id)
        .bind(clinic)
        .bind(name)
        .bind(kana)
        .bind(birth)
        .bind(sex)
        .execute(&mut *tx)
        .await?;
        let [id, patient, clinic, obtained] = rows.consent;
        sqlx::query(
            "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
               destination_hospital)
             SELECT id::uuid, patient::uuid, clinic::uuid, obtained::date, '看護師 佐藤', TRUE, TRUE
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
               AS t(id, patient, clinic, obtained)",
        )
        .bind(id)
        .bind(patient)
        .bind(clinic)
        .bind(obtained)
        .execute(&mut *tx)
        .await?;
        let [id, clinic, patient, code, created] = rows.referral;
        sqlx::query(
            "INSERT INTO referrals (id, clinic_id, patient_id, tracking_code, hospital_id,
               created_at)
             SELECT id::uuid, clinic::uuid, patient::uuid, code, hospital::uuid,
               created::timestamptz
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS t(id, clinic, patient, code, hospital, created)",
        )
        .bind(id)
        .bind(clinic)
        .bind(patient)
        .bind(code)
        .bind(rows.referral_hospital)
        .bind(created)
        .execute(&mut *tx)
        .await?;
        // ORDER BY ordinality: `seq` (the history's order) follows the arrays.
        let [id, referral, note, source, org, actor, at] = rows.event;
        sqlx::query(
            "INSERT INTO referral_events (id, referral_id, details, voids, note, source,
               organisation_id, actor, recorded_at)
             SELECT id::uuid, referral::uuid, details::jsonb, voids::uuid, note, source,
               org::uuid, actor, at::timestamptz
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::text[], $8::text[], $9::text[])
               WITH ORDINALITY AS t(id, referral, details, voids, note, source, org, actor, at, n)
             ORDER BY n",
        )
        .bind(id)
        .bind(referral)
        .bind(rows.event_details)
        .bind(rows.event_voids)
        .bind(note)
        .bind(source)
        .bind(org)
        .bind(actor)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let [scope, body] = rows.change;
        sqlx::query(
            "INSERT INTO change_log (scope, seq, referral_id, body, since_version)
             SELECT scope, seq, referral::uuid, body::jsonb, since
             FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::int4[])
               AS t(scope, seq, referral, body, since)",
        )
        .bind(scope)
        .bind(rows.change_seq)
        .bind(rows.change_referral)
        .bind(body)
        .bind(rows.change_since)
        .execute(&mut *tx)
        .await?;
        let (scopes, lasts): (Vec<String>, Vec<i64>) =
            self.counters.iter().map(|(s, l)| (s.clone(), *l)).unzip();
        sqlx::query(
            "INSERT INTO scope_counters (scope, last)
             SELECT * FROM unnest($1::text[], $2::int8[])
             ON CONFLICT (scope) DO UPDATE SET last = excluded.last",
        )
        .bind(scopes)
        .bind(lasts)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Fresh statistics for the planner, as autovacuum would soon give.
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }
}

/// When the server recorded a referral's `n`th event: a day apart, never
/// after now.
fn recorded_at(opened: DateTime<Utc>, n: usize) -> DateTime<Utc> {
    (opened + TimeDelta::days(n as i64)).min(Utc::now())
}

/// Drops events from the ends of the longest histories until `wanted`
/// remain (a history's prefix still walks the status machine).
fn trim(made: &mut [ImportedReferral], wanted: usize) {
    let mut total: usize = made.iter().map(|r| r.events.len()).sum();
    let mut longest: BinaryHeap<(usize, usize)> = made
        .iter()
        .enumerate()
        .map(|(i, r)| (r.events.len(), i))
        .collect();
    while total > wanted {
        let Some((len, i)) = longest.pop() else { break };
        if len <= 1 {
            break;
        }
        made[i].events.pop();
        total -= 1;
        longest.push((len - 1, i));
    }
}
