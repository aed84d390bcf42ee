//! One exchange with the regional server (DESIGN.md §3, ADR 0008): push
//! the outbox in order, then pull the change feed page by page. Each page
//! of answers is stored in one transaction, so a connection cut at any
//! point loses nothing and repeats nothing: unanswered operations are sent
//! again (the server remembers them), an unstored page is fetched again.

mod directory;
mod documents;
mod live;
mod push;
mod team;

pub use directory::DIRECTORY_PAGE;
pub(crate) use team::wire_vitals;

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::atomic::Ordering;
use tsunagu_domain::directory::Offer;
use tsunagu_domain::discharge_request::{CareNeed, RequestState as DischargeState};
use tsunagu_domain::intake::IntakeState;
use tsunagu_domain::{ConsentGiver, ConsentScope, EventDetails, Sex, TeamSharingConsent};
use tsunagu_protocol::{
    ChangeBody, OrgKind, PROTOCOL_VERSION, PullRequest, PullResponse, WireDischargeRequest,
    WireIntakeRequest, WireSource,
};
use tsunagu_store::{
    DischargeRequestRecord, EpochCheck, EventSource, IntakeRequestRecord, OutboxKind, PulledChange,
    StoredEvent, SyncDevice,
};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::sync::{client, garbled, load_secret, read, unreachable};
use push::Link;
pub use push::pushed_operation;

/// Changes per pull page (the server gives up to 1,000).
const PULL_PAGE: u32 = 1000;
/// Pages written in one transaction. Each commit rewrites every index page
/// the batch touched (the search grams touch most of theirs), so a first
/// sync commits ten times rather than eighty; a cut loses at most a batch,
/// which is fetched again.
const PAGES_PER_BATCH: usize = 10;
const APPLY_BATCH: usize = PAGES_PER_BATCH * PULL_PAGE as usize;

/// What one exchange did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: usize,
    pub refused: usize,
    pub pulled: usize,
    /// Events from the desk or a hospital, new on this install.
    pub news: usize,
    /// Changes about records this install does not hold (counted, not shown).
    pub skipped: usize,
    /// Timeline entries by other team members, new here.
    pub team_entries: usize,
    /// Of which 緊急.
    pub urgent: usize,
    /// Replies by others to the clinic's 相談.
    pub replies_to_ours: usize,
    /// Attachments fetched.
    pub fetched: usize,
    /// 退院後の在宅医療の相談 new here, or whose state changed.
    pub discharge_requests: usize,
    /// 退院時カンファレンス set, answered, recorded or called off (the
    /// screens reload to show them).
    pub conferences: usize,
    /// 受入相談 new here, or whose state changed (an answer arrived).
    pub intake_requests: usize,
    /// Directory listings new or changed (protocol 9's `/v1/directory`).
    pub listings: usize,
}

impl SyncReport {
    /// Whether the exchange brought anything the screens show anew.
    fn brought_news(&self) -> bool {
        self.news
            + self.team_entries
            + self.fetched
            + self.discharge_requests
            + self.conferences
            + self.intake_requests
            > 0
    }
}

/// 最終同期 and what waits, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub last_synced_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Changes not yet sent.
    pub pending: i64,
    /// Changes the server refused (shown as conflicts).
    pub refused: i64,
    /// Exchanges since the app started that brought news: when it rises,
    /// the screens reload.
    pub news_arrivals: u64,
}

/// A change the server refused, as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConflict {
    pub what: &'static str,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl App {
    /// `None` before enrollment.
    pub async fn sync_state(&self) -> Result<Option<SyncState>, AppError> {
        Ok(self.store.sync_progress().await?.map(|p| SyncState {
            last_synced_at: p.last_synced_at,
            last_attempt_at: p.last_attempt_at,
            last_error: p.last_error,
            pending: p.pending,
            refused: p.refused,
            news_arrivals: self.news_arrivals.load(Ordering::Relaxed),
        }))
    }

    pub async fn sync_conflicts(&self) -> Result<Vec<SyncConflict>, AppError> {
        let mut conflicts = Vec::new();
        for op in self.store.refused_operations().await? {
            let patient_name = self
                .store
                .patient(op.patient_id)
                .await
                .map(|p| p.fields.name)
                .unwrap_or_default();
            conflicts.push(SyncConflict {
                what: match op.kind {
                    OutboxKind::PatientShared => "患者の基本情報",
                    OutboxKind::ConsentRecorded => "同意の記録",
                    OutboxKind::ReferralOpened => "紹介",
                    OutboxKind::EventAppended => "経過の記録",
                    OutboxKind::Team => "在宅チーム",
                    OutboxKind::DischargeAnswer => "退院後の在宅医療の相談への回答",
                    OutboxKind::Intake => "受入相談",
                    OutboxKind::LetterRevised => "紹介状の訂正",
                },
                patient_id: op.patient_id,
                patient_name,
                reason: op.reason,
                at: op.settled_at,
            });
        }
        Ok(conflicts)
    }

    /// Pushes what waits, then pulls what is new. The attempt and, if it
    /// failed, its reason are recorded for 最終同期.
    pub async fn sync_now(&self) -> Result<SyncReport, AppError> {
        let _turn = self.sync_turn.lock().await;
        let device = self.store.sync_device().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "地域連携サーバーに登録されていません。「医療機関情報」から登録してください。",
            )
        })?;
        let result = match self.keys.clone() {
            Some(keys) => match load_secret(keys, device.device_id).await {
                Ok(secret) => self.exchange(&device, &secret).await,
                Err(e) => Err(e),
            },
            None => Err(crate::sync::no_keyring()),
        };
        if result.as_ref().is_ok_and(SyncReport::brought_news) {
            self.news_arrivals.fetch_add(1, Ordering::Relaxed);
        }
        let error = result.as_ref().err().map(|e| e.message.clone());
        self.store
            .record_sync_attempt(self.clock.now(), error.as_deref())
            .await?;
        result
    }

    /// Pushes, then pulls. A server restored from a backup is noticed by
    /// the push (the epoch it names is gone: nothing is applied) or on the
    /// first page of the pull: everything is queued again and the exchange
    /// starts over, from the feed's start.
    async fn exchange(&self, device: &SyncDevice, secret: &str) -> Result<SyncReport, AppError> {
        let http = client()?;
        let credential = format!("{}.{secret}", device.device_id);
        let link = Link {
            http: &http,
            server_url: &device.server_url,
            credential: &credential,
        };
        let mut report = SyncReport::default();
        let mut restarted = false;
        loop {
            let epoch = self.store.sync_progress().await?.and_then(|p| p.epoch);
            let pushed = self.push_outbox(&link, epoch).await?;
            report.pushed += pushed.sent;
            report.refused += pushed.refused;
            // After a push stopped by a restored server, the pull's first
            // page brings the new epoch and everything is queued again.
            match self.pull_feed(&link, &mut report).await? {
                EpochCheck::Same if !pushed.server_restored => {
                    let listed = self.pull_directory(&link).await;
                    if listed.is_err() && report.brought_news() {
                        // The feed's pages are stored; the screens still hear of them.
                        self.news_arrivals.fetch_add(1, Ordering::Relaxed);
                    }
                    report.listings += listed?;
                    report.fetched += self.fetch_attachments(&link).await?;
                    report.fetched += self.fetch_hospital_documents(&link).await?;
                    return match pushed.upload_failed {
                        None => Ok(report),
                        Some(e) => {
                            // What the pull brought is stored; the screens
                            // still hear of it.
                            if report.brought_news() {
                                self.news_arrivals.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e)
                        }
                    };
                }
                _ if !restarted => restarted = true,
                // The new epoch was stored: another change at once means
                // the address leads to more than one database.
                EpochCheck::Same | EpochCheck::Restored => {
                    return Err(AppError::new(
                        ErrorCode::Network,
                        "地域連携サーバーの状態が続けて変わりました。しばらくしてから同期し直してください。",
                    ));
                }
            }
        }
    }

    /// Pulls the feed from the stored cursor to its end, unless its first
    /// page comes from a restored server (then nothing is applied).
    async fn pull_feed(
        &self,
        link: &Link<'_>,
        report: &mut SyncReport,
    ) -> Result<EpochCheck, AppError> {
        let http = link.http.clone();
        let credential = link.credential.to_string();
        let cursor = self
            .store
            .sync_progress()
            .await?
            .map(|p| p.cursor)
            .unwrap_or(0);
        // The next pages are fetched (and decoded) on another task while a
        // batch is written: on a first sync the network and the store each
        // take a good part of the time, and this machine has more than one
        // core.
        let (pages, mut received) = tokio::sync::mpsc::channel(PAGES_PER_BATCH);
        let fetcher = tokio::spawn(fetch_pages(
            http,
            link.server_url.to_string(),
            credential,
            cursor,
            pages,
        ));
        let applied = async {
            let mut store = self.store.pull_session().await?;
            let mut batch = Vec::new();
            let mut batch_cursor = cursor;
            let mut first = true;
            while let Some(page) = received.recv().await {
                if let (
                    true,
                    Ok(PulledPage {
                        epoch: Some(epoch), ..
                    }),
                ) = (first, &page)
                {
                    let check = self
                        .store
                        .adopt_epoch(*epoch, self.clock.now(), &self.actor())
                        .await?;
                    if check == EpochCheck::Restored {
                        return Ok(check);
                    }
                }
                first = false;
                let fetched = page.map(|page| {
                    batch.extend(page.changes);
                    batch_cursor = page.cursor;
                    page.more
                });
                // A cut connection still keeps the pages that arrived whole;
                // the end of the feed is stored even when it brought nothing
                // (it is what 最終同期 shows).
                let write = match &fetched {
                    Ok(more) => !more || batch.len() >= APPLY_BATCH,
                    Err(_) => !batch.is_empty(),
                };
                if write {
                    report.pulled += batch.len();
                    let outcome = store.apply(&batch, batch_cursor, self.clock.now()).await?;
                    batch.clear();
                    report.news += outcome.news;
                    report.skipped += outcome.skipped;
                    report.team_entries += outcome.team_entries;
                    report.urgent += outcome.urgent;
                    report.replies_to_ours += outcome.replies_to_ours;
                    report.discharge_requests += outcome.discharge_requests;
                    report.conferences += outcome.conferences;
                    report.intake_requests += outcome.intake_requests;
                }
                if !fetched? {
                    break;
                }
            }
            Ok::<_, AppError>(EpochCheck::Same)
        }
        .await;
        // On a store error (or a restored server) the fetcher may still be
        // waiting on the network.
        fetcher.abort();
        applied
    }
}

/// A page of the feed in the store's terms.
struct PulledPage {
    changes: Vec<(i64, PulledChange)>,
    cursor: i64,
    more: bool,
    /// The server database's lifetime (see `Store::adopt_epoch`).
    epoch: Option<Uuid>,
}

/// Fetches pages after `cursor` until the feed's end or the first failure,
/// which is passed on like a page.
async fn fetch_pages(
    http: reqwest::Client,
    server_url: String,
    credential: String,
    mut cursor: i64,
    pages: tokio::sync::mpsc::Sender<Result<PulledPage, AppError>>,
) {
    loop {
        let page = fetch_page(&http, &server_url, &credential, cursor).await;
        let more = matches!(&page, Ok(p) if p.more);
        if let Ok(p) = &page {
            cursor = p.cursor;
        }
        if pages.send(page).await.is_err() || !more {
            break;
        }
    }
}

/// One page of the feed after `cursor`, checked to move forward only.
async fn fetch_page(
    http: &reqwest::Client,
    server_url: &str,
    credential: &str,
    cursor: i64,
) -> Result<PulledPage, AppError> {
    let request = PullRequest {
        version: PROTOCOL_VERSION,
        cursor,
        limit: PULL_PAGE,
    };
    let response = http
        .post(format!("{server_url}/v1/pull"))
        .bearer_auth(credential)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(json(&request)?)
        .send()
        .await
        .map_err(unreachable)?;
    let page: PullResponse = read(response).await?;
    if page.cursor < cursor || page.changes.iter().any(|c| c.seq <= cursor) {
        return Err(garbled());
    }
    let mut changes = Vec::with_capacity(page.changes.len());
    for change in page.changes {
        for pulled in pulled_changes(change.body)? {
            changes.push((change.seq, pulled));
        }
    }
    Ok(PulledPage {
        changes,
        cursor: page.cursor,
        more: page.more,
        epoch: page.epoch,
    })
}

pub(crate) fn json<T: Serialize>(value: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value)
        .map_err(|_| AppError::new(ErrorCode::Internal, "送信の準備ができませんでした。"))
}

/// The feed's change in the store's terms (one change may be two, e.g. an
/// assignment names its organisation). Public for the sync bench, which
/// applies pages straight to a store to time that part alone.
pub fn pulled_changes(body: ChangeBody) -> Result<Vec<PulledChange>, AppError> {
    Ok(match body {
        ChangeBody::PatientShared {
            patient_id,
            name,
            kana,
            birth_date,
            sex,
        } => vec![PulledChange::Patient {
            id: patient_id,
            name,
            kana,
            birth_date,
            sex: Sex::from_code(&sex).ok_or_else(garbled)?,
        }],
        ChangeBody::ReferralOpened {
            referral_id,
            patient_id,
            tracking_code,
            recorded_at,
            without_letter: _,
        } => vec![PulledChange::Referral {
            id: referral_id,
            patient_id,
            tracking_code,
            created_at: recorded_at,
        }],
        ChangeBody::EventAppended {
            referral_id,
            event,
            source,
            actor,
            recorded_at,
        } => {
            vec![PulledChange::Event {
                referral_id,
                event: StoredEvent {
                    id: event.id,
                    details: event.details.map(EventDetails::from),
                    voids: event.voids,
                    note: event.note,
                    source: match source {
                        WireSource::Clinic => EventSource::Clinic,
                        WireSource::Desk => EventSource::Desk,
                        WireSource::Liaison => EventSource::Liaison,
                        WireSource::Team => EventSource::Team,
                    },
                    actor,
                    at: recorded_at,
                },
            }]
        }
        ChangeBody::ReferralAssigned {
            referral_id,
            organisation,
        } => vec![
            organisation_change(&organisation),
            PulledChange::Assigned {
                referral_id,
                organisation_id: organisation.id,
            },
        ],
        ChangeBody::DirectoryListed { entry } => vec![team::pulled_directory(entry)?],
        ChangeBody::Team(change) => vec![team::pulled_team(change)?],
        ChangeBody::DischargeRequest { request } => {
            vec![PulledChange::DischargeRequest(pulled_discharge_request(
                request,
            )?)]
        }
        ChangeBody::OrganisationListed { organisation } => {
            vec![organisation_change(&organisation)]
        }
        ChangeBody::IntakeRequest { request } => {
            vec![PulledChange::IntakeRequest(pulled_intake_request(request)?)]
        }
        ChangeBody::HospitalDocument { document } => documents::pulled_document(document)?,
        ChangeBody::ConsentRecorded {
            consent_id,
            patient_id,
            obtained_on,
            obtained_by,
            desk,
            destination_hospital,
            withdrawn_on,
            team,
            family,
            preregistration,
            preregistered_with,
        } => vec![PulledChange::Consent {
            id: consent_id,
            patient_id,
            consent: TeamSharingConsent {
                obtained_on,
                obtained_by,
                given_by: match family {
                    None => ConsentGiver::Patient,
                    Some(f) => ConsentGiver::Family {
                        name: f.name,
                        relation: f.relation,
                    },
                },
                scopes: [
                    (ConsentScope::Desk, desk),
                    (ConsentScope::Hospital, destination_hospital),
                    (ConsentScope::Team, team),
                    (ConsentScope::Preregistration, preregistration),
                ]
                .into_iter()
                .filter_map(|(scope, named)| named.then_some(scope))
                .collect(),
                withdrawn_on,
                preregistered_with: preregistered_with.iter().map(Uuid::to_string).collect(),
            },
        }],
    })
}

/// A request as the feed brings it; a state or a need this build does not
/// know is a garbled answer (the wire's version says what it may carry).
fn pulled_discharge_request(r: WireDischargeRequest) -> Result<DischargeRequestRecord, AppError> {
    Ok(DischargeRequestRecord {
        id: r.id,
        referral_id: r.referral_id,
        patient_id: r.patient_id,
        hospital: r.hospital,
        sent_by: r.sent_by,
        sent_at: r.sent_at,
        expected_date: r.expected_date,
        reply_by: r.reply_by,
        needs: r
            .needs
            .iter()
            .map(|code| CareNeed::from_code(code).ok_or_else(garbled))
            .collect::<Result<_, _>>()?,
        note: r.note,
        state: DischargeState::from_code(&r.state).ok_or_else(garbled)?,
        answer_text: r.answer_text,
        answered_by: r.answered_by,
        answered_at: r.answered_at,
    })
}

/// A 受入相談 as the feed brings it; a state, sex or need this build does
/// not know is a garbled answer (the wire's version says what it may
/// carry).
fn pulled_intake_request(r: WireIntakeRequest) -> Result<IntakeRequestRecord, AppError> {
    Ok(IntakeRequestRecord {
        id: r.id,
        from_org: r.from_org,
        from_name: r.from_name,
        from_phone: r.from_phone,
        to_org: r.to_org,
        to_name: r.to_name,
        to_kind: r.to_kind,
        age: r.age,
        sex: match r.sex.as_deref() {
            None | Some("") => None,
            Some(code) => Some(Sex::from_code(code).ok_or_else(garbled)?),
        },
        municipality: r.municipality,
        needs: r
            .needs
            .iter()
            .map(|code| Offer::from_code(code).ok_or_else(garbled))
            .collect::<Result<_, _>>()?,
        start_on: r.start_on,
        summary: r.summary,
        state: IntakeState::from_code(&r.state).ok_or_else(garbled)?,
        sent_by: r.sent_by,
        sent_at: r.sent_at,
        answer_text: r.answer_text,
        answered_by: r.answered_by,
        closed_at: r.closed_at,
    })
}

fn organisation_change(organisation: &tsunagu_protocol::Organisation) -> PulledChange {
    PulledChange::Organisation {
        id: organisation.id,
        kind: match organisation.kind {
            OrgKind::Clinic => "clinic",
            OrgKind::Hospital => "hospital",
            OrgKind::Desk => "desk",
        }
        .to_string(),
        name: organisation.name.clone(),
    }
}
