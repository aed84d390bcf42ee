//! ACP (人生会議) on the patient page: record the wishes after each
//! conversation (a new version, never an edit), read the current wishes
//! and the earlier versions, and be reminded when they are due for review
//! (on 要確認, `worklist`).

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::acp::{AcpDraft, AcpRecord, Treatment, check_acp, review_due, team_notice_ja};
use tsunagu_domain::team::EntryKind;
use tsunagu_domain::{Capability, PatientLife, format_wareki};
use tsunagu_store::StoredAcp;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::patients::parse_id;
use crate::team::PostDraft;

/// One participant, with its codes for the next conversation's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpParticipantView {
    pub role: String,
    pub name: String,
    pub relation: String,
    /// 「家族（長女 山田 花子）」
    pub label: String,
}

/// The answer about one treatment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpWishView {
    pub treatment: String,
    pub treatment_label: String,
    pub wish: String,
    pub wish_label: String,
}

/// One version of the wishes, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpView {
    pub id: Uuid,
    pub held_on: NaiveDate,
    /// 和暦
    pub held_on_label: String,
    pub participants: Vec<AcpParticipantView>,
    pub values: String,
    pub place_of_care: String,
    pub place_of_care_note: String,
    /// 「自宅（できれば最期まで）」
    pub place_of_care_label: String,
    pub place_of_death: String,
    pub place_of_death_note: String,
    pub place_of_death_label: String,
    pub wishes: Vec<AcpWishView>,
    pub wishes_note: String,
    pub surrogate_name: String,
    pub surrogate_relation: String,
    pub surrogate_phone: String,
    pub notes: String,
    /// 「医師 鈴木 一郎」: role and name when it was recorded.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// What recording a conversation did: the history now, and whether the
/// new wishes were posted on the team's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAcp {
    pub history: AcpHistory,
    /// Posted as a 連絡 (the patient has a team and its consent stands).
    pub shared_on_timeline: bool,
}

/// The patient's ACP: the current wishes first, then the earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpHistory {
    pub versions: Vec<AcpView>,
    /// Why the current wishes should be talked over again, if they should.
    pub review: Option<String>,
}

impl AcpView {
    fn new(stored: StoredAcp) -> Self {
        let r = stored.record;
        AcpView {
            id: stored.id,
            held_on: r.held_on,
            held_on_label: format_wareki(r.held_on),
            participants: r
                .participants
                .iter()
                .map(|p| AcpParticipantView {
                    role: p.role.code().to_string(),
                    name: p.name.clone(),
                    relation: p.relation.clone(),
                    label: p.label_ja(),
                })
                .collect(),
            place_of_care: r.place_of_care.code().to_string(),
            place_of_care_label: AcpRecord::place_label_ja(r.place_of_care, &r.place_of_care_note),
            place_of_care_note: r.place_of_care_note.clone(),
            place_of_death: r.place_of_death.code().to_string(),
            place_of_death_label: AcpRecord::place_label_ja(
                r.place_of_death,
                &r.place_of_death_note,
            ),
            place_of_death_note: r.place_of_death_note.clone(),
            wishes: Treatment::ALL
                .into_iter()
                .map(|t| {
                    let wish = r.wish(t);
                    AcpWishView {
                        treatment: t.code().to_string(),
                        treatment_label: t.label_ja().to_string(),
                        wish: wish.code().to_string(),
                        wish_label: if t == Treatment::Cpr {
                            wish.cpr_label_ja()
                        } else {
                            wish.label_ja()
                        }
                        .to_string(),
                    }
                })
                .collect(),
            surrogate_name: r
                .surrogate
                .as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            surrogate_relation: r
                .surrogate
                .as_ref()
                .map(|s| s.relation.clone())
                .unwrap_or_default(),
            surrogate_phone: r
                .surrogate
                .as_ref()
                .map(|s| s.phone.clone())
                .unwrap_or_default(),
            values: r.values,
            wishes_note: r.wishes_note,
            notes: r.notes,
            recorded_by: stored.recorded_by_name,
            recorded_at: stored.recorded_at,
        }
    }
}

impl App {
    /// The patient's ACP, the current wishes first.
    pub async fn acp_history(&self, patient_id: &str) -> Result<AcpHistory, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let patient_id = parse_id(patient_id)?;
        // An unknown patient is not found rather than an empty history.
        self.store.patient(patient_id).await?;
        let versions = self.store.acp_records(patient_id).await?;
        let review = match versions.first() {
            Some(current) => {
                let facts = self.store.acp_review_facts_of(patient_id).await?;
                let facts = facts.as_ref();
                review_due(
                    current.record.held_on,
                    facts.and_then(|f| f.last_discharge),
                    facts.map_or(PatientLife::Living, |f| f.life),
                    self.clock.today(),
                )
                .map(|r| r.label_ja())
            }
            None => None,
        };
        Ok(AcpHistory {
            versions: versions.into_iter().map(AcpView::new).collect(),
            review,
        })
    }

    /// Records the wishes of one conversation as a new version, signed by
    /// the signed-in account, and tells the team: when the patient has a
    /// team and its consent stands (`sharing_team`), the team's pinned
    /// summary is queued with the record (ADR 0042) and the wishes are
    /// posted on the timeline as a 連絡 (a refused post leaves the record
    /// kept; the answer says whether it was posted). The form's mistakes come back by field and
    /// nothing is kept.
    pub async fn record_acp(
        &self,
        patient_id: &str,
        draft: &AcpDraft,
    ) -> Result<RecordedAcp, AppError> {
        self.require(Capability::KeepCareRecords)?;
        let id = parse_id(patient_id)?;
        let record = check_acp(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage::new(&field.key(), message))
                    .collect(),
            )
        })?;
        let author = self.team_author()?;
        let signature = format!("{} {}", author.profession.label_ja(), author.name);
        // The team's pinned copy goes with the record, in its transaction.
        let shared = self.pinned_share(id, None, Some(&record), &author).await?;
        self.store
            .record_acp(
                id,
                &record,
                shared.as_ref(),
                &self.actor(),
                &signature,
                self.clock.now(),
            )
            .await?;
        let shared_on_timeline = self.share_acp_with_team(id, &record, &signature).await;
        Ok(RecordedAcp {
            history: self.acp_history(patient_id).await?,
            shared_on_timeline,
        })
    }

    async fn share_acp_with_team(
        &self,
        patient_id: Uuid,
        record: &AcpRecord,
        signature: &str,
    ) -> bool {
        let Ok(Some(team)) = self.sharing_team(patient_id).await else {
            return false;
        };
        let post = PostDraft {
            kind: EntryKind::Note.code().to_string(),
            body: team_notice_ja(record, signature),
            ..PostDraft::default()
        };
        self.post_to_team(&team.id.to_string(), &post, Vec::new())
            .await
            .is_ok()
    }
}

/// The worklist's title for a review reminder (no patient data: the
/// notification that announces it shows the title only).
pub const REVIEW_TITLE: &str = "人生会議の見直しの時期です";

impl App {
    /// 要確認's review reminders: one per patient whose current wishes are
    /// due (`review_due`). It leaves the list when the wishes are
    /// recorded again, which is what it asks for; it is not dismissed.
    pub(crate) async fn acp_review_items(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<crate::WorklistItem>, AppError> {
        Ok(self
            .store
            .acp_review_facts()
            .await?
            .into_iter()
            .filter_map(|f| {
                let reason = review_due(f.held_on, f.last_discharge, f.life, today)?;
                let since = match reason {
                    tsunagu_domain::acp::ReviewReason::Interval { due_on, .. } => due_on,
                    tsunagu_domain::acp::ReviewReason::AfterDischarge { discharged_on } => {
                        discharged_on
                    }
                };
                Some(crate::WorklistItem {
                    key: format!("acp_review:{}:{}:{since}", f.acp_id, reason.code()),
                    referral_id: Uuid::nil(),
                    patient_id: f.patient_id,
                    patient_name: f.patient_name,
                    hospital: String::new(),
                    title: REVIEW_TITLE.to_string(),
                    detail: reason.label_ja(),
                    since,
                    dismissible: false,
                })
            })
            .collect())
    }
}
