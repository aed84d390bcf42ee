//! Whom an order goes to, and telling the team it went.
//!
//! The rule (ADR 0036): an order goes to a visiting nurse station that is
//! an active member of the patient's team. While no station is one — the
//! patient has no team yet, or the station is invited but has not joined,
//! which is common because a station starts on the order in hand — the
//! station's name is typed instead. Once a station is on the team, a
//! typed name is refused: the order must name the member, so that its
//! renewal reminder and its copy on the timeline follow that member.

use tsunagu_domain::team::{EntryKind, OrganisationKind};
use tsunagu_store::MemberRecord;
use uuid::Uuid;

use super::view::{NursingOrderStation, NursingOrderStations};
use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::team::{PostDraft, TeamAttachmentFile};

/// The form field the addressee's problems are shown on.
pub(crate) const STATION_FIELD: &str = "station";

/// The file name of the order on the timeline (no patient data: the
/// timeline is the patient's own).
const TIMELINE_FILE_NAME: &str = "訪問看護指示書.pdf";

/// Whom an order is addressed to, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Addressee {
    Member(Box<MemberRecord>),
    Typed(String),
}

impl Addressee {
    pub(crate) fn name(&self) -> &str {
        match self {
            Addressee::Member(m) => m.name.trim(),
            Addressee::Typed(name) => name.trim(),
        }
    }

    pub(crate) fn member_id(&self) -> Option<Uuid> {
        match self {
            Addressee::Member(m) => Some(m.id),
            Addressee::Typed(_) => None,
        }
    }

    /// Names the addressee across orders, for "the latest order per
    /// patient and station": a member by its organisation (a station
    /// removed and invited again is still the same station), a typed
    /// station by its name.
    pub(crate) fn station_key(&self) -> String {
        match self {
            Addressee::Member(m) => format!("member:{}", m.organisation_id.unwrap_or(m.id)),
            Addressee::Typed(name) => format!("name:{}", name.trim()),
        }
    }
}

impl App {
    /// The visiting nurse stations active on the patient's team now.
    pub(crate) async fn active_stations(
        &self,
        patient_id: Uuid,
    ) -> Result<Vec<MemberRecord>, AppError> {
        let Some(team) = self.store.team_for_patient(patient_id).await? else {
            return Ok(Vec::new());
        };
        let now = self.clock.now();
        Ok(self
            .store
            .team_members(team.id)
            .await?
            .into_iter()
            .filter(|m| {
                m.kind == Some(OrganisationKind::VisitingNurseStation)
                    && m.as_member().is_active_at(now)
            })
            .collect())
    }

    /// Where an order for this patient may go (the order form's choice).
    pub async fn nursing_order_stations(
        &self,
        patient_id: &str,
    ) -> Result<NursingOrderStations, AppError> {
        self.require(tsunagu_domain::Capability::ReadClinicalText)?;
        let patient_id = crate::patients::parse_id(patient_id)?;
        self.store.patient(patient_id).await?;
        let stations: Vec<NursingOrderStation> = self
            .active_stations(patient_id)
            .await?
            .into_iter()
            .map(|m| NursingOrderStation {
                member_id: m.id,
                organisation_id: m.organisation_id,
                name: m.name,
                person: m.person,
                phone: m.phone,
                fax: m.fax,
            })
            .collect();
        Ok(NursingOrderStations {
            may_type_name: stations.is_empty(),
            stations,
        })
    }

    /// Checks the addressee by the rule above: the addressee, or the
    /// problem to show on the form's 宛先 (the outer error is the store's).
    pub(crate) async fn resolve_addressee(
        &self,
        patient_id: Uuid,
        member_id: Option<Uuid>,
        typed: &str,
    ) -> Result<Result<Addressee, FieldMessage>, AppError> {
        let stations = self.active_stations(patient_id).await?;
        Ok(match member_id {
            Some(id) => stations
                .into_iter()
                .find(|m| m.id == id)
                .map(|m| Addressee::Member(Box::new(m)))
                .ok_or_else(|| {
                    FieldMessage::new(
                        STATION_FIELD,
                        "この訪問看護ステーションは在宅チームに参加していません。\
                         宛先を選び直してください。",
                    )
                }),
            None if stations.is_empty() => Ok(Addressee::Typed(typed.trim().to_string())),
            None => Err(FieldMessage::new(
                STATION_FIELD,
                "在宅チームの訪問看護ステーションから宛先を選んでください。",
            )),
        })
    }

    /// Posts the issued order on the patient's timeline with its PDF, when
    /// it is addressed to a team member and the team consent stands.
    /// Whether it was posted; a refused post leaves the order issued (it
    /// is in the store and printable either way).
    pub(crate) async fn share_order_on_timeline(
        &self,
        patient_id: Uuid,
        addressee: &Addressee,
        notice: String,
        pdf: Vec<u8>,
    ) -> bool {
        let Addressee::Member(member) = addressee else {
            return false;
        };
        if !matches!(self.team_may_share(patient_id).await, Ok(true)) {
            return false;
        }
        let draft = PostDraft {
            kind: EntryKind::Note.code().to_string(),
            body: notice,
            ..PostDraft::default()
        };
        let file = TeamAttachmentFile {
            name: TIMELINE_FILE_NAME.to_string(),
            bytes: pdf,
        };
        self.post_to_team(&member.team_id.to_string(), &draft, vec![file])
            .await
            .is_ok()
    }
}
