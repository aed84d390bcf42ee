//! The team's pinned 医療・介護連携サマリー (issue 19, ADR 0042): when
//! the summary is saved or a 人生会議 recorded for a patient whose team
//! may be told, the whole summary with the current wishes — and the
//! emergency sheet's PDF, rendered here (the server renders nothing) — is
//! queued with the record. Without the consent nothing leaves the PC.

use sha2::{Digest, Sha256};
use tsunagu_domain::acp::{AcpRecord, Treatment};
use tsunagu_domain::care_summary::CareSummary;
use tsunagu_domain::team::check_team_attachment;
use tsunagu_protocol::{TeamOp, WirePinnedSummary, WireWishes};
use tsunagu_store::{PinnedShare, SheetFile, TeamRecord};
use uuid::Uuid;

use crate::App;
use crate::error::AppError;
use crate::team::Author;

/// The name the sheet has on the team's page and when saved there.
pub const SHEET_FILE_NAME: &str = "救急医療情報シート.pdf";

impl App {
    /// The patient's team, when it may be told of the patient's records:
    /// the patient has one and the consent names it today. The one
    /// condition for the wishes' 連絡 and the pinned summary.
    pub(crate) async fn sharing_team(
        &self,
        patient_id: Uuid,
    ) -> Result<Option<TeamRecord>, AppError> {
        let Some(team) = self.store.team_for_patient(patient_id).await? else {
            return Ok(None);
        };
        Ok(self.team_may_share(patient_id).await?.then_some(team))
    }

    /// What to queue with a new summary (`summary`) or new wishes
    /// (`wishes`), the other half read as it stands; `None` when the team
    /// may not be told. The sheet is left out when it cannot be made (no
    /// clinic profile yet): the summary is pinned all the same.
    pub(crate) async fn pinned_share(
        &self,
        patient_id: Uuid,
        summary: Option<&CareSummary>,
        wishes: Option<&AcpRecord>,
        author: &Author,
    ) -> Result<Option<PinnedShare>, AppError> {
        let Some(team) = self.sharing_team(patient_id).await? else {
            return Ok(None);
        };
        let summary = match summary {
            Some(s) => s.clone(),
            None => self
                .store
                .care_summary(patient_id)
                .await?
                .map(|s| s.summary)
                .unwrap_or_default(),
        };
        let wishes = match wishes {
            Some(w) => Some(w.clone()),
            None => self
                .store
                .acp_records(patient_id)
                .await?
                .into_iter()
                .next()
                .map(|a| a.record),
        };
        let sheet = self
            .render_emergency_sheet(patient_id, Some(summary.clone()), wishes.clone())
            .await
            .ok()
            .and_then(|bytes| {
                let head = &bytes[..bytes.len().min(16)];
                let checked =
                    check_team_attachment(SHEET_FILE_NAME, bytes.len() as u64, head).ok()?;
                Some(SheetFile {
                    id: tsunagu_domain::new_id(),
                    name: checked.name,
                    media_type: checked.kind.media_type().to_string(),
                    sha256: hex::encode(Sha256::digest(&bytes)),
                    bytes,
                })
            });
        let op = TeamOp::SummaryPinned {
            team_id: team.id,
            summary: Box::new(wire_summary(&summary, wishes.as_ref())),
            emergency_sheet: sheet.as_ref().map(|s| s.id),
            by: author.wire(),
            written_at: self.clock.now(),
        };
        // The outbox row names a record of its own, as an acknowledgement's
        // does: naming the team would read a refusal as the team's.
        let Some(operation) = self.team_operation(true, tsunagu_domain::new_id(), &op)? else {
            return Ok(None);
        };
        Ok(Some(PinnedShare {
            team_id: team.id,
            operation,
            sheet,
        }))
    }
}

/// The summary and the wishes as the wire carries them: codes, and the
/// clinic's own words.
pub(crate) fn wire_summary(summary: &CareSummary, wishes: Option<&AcpRecord>) -> WirePinnedSummary {
    WirePinnedSummary {
        problems: summary.problems.clone(),
        medications: summary.medications.clone(),
        allergies: summary.allergies.clone(),
        devices: summary.devices.clone(),
        next_visit: summary.next_visit,
        after_hours_phone: summary.after_hours_phone.clone(),
        cautions: summary.cautions.clone(),
        wishes: wishes.map(|r| WireWishes {
            held_on: r.held_on,
            place_of_care: r.place_of_care.code().to_string(),
            place_of_care_note: r.place_of_care_note.clone(),
            place_of_death: r.place_of_death.code().to_string(),
            place_of_death_note: r.place_of_death_note.clone(),
            treatments: Treatment::ALL
                .into_iter()
                .map(|t| (t.code().to_string(), r.wish(t).code().to_string()))
                .collect(),
            wishes_note: r.wishes_note.clone(),
            values: r.values.clone(),
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
        }),
    }
}
