//! The team's pinned 医療・介護連携サマリー (issue 19, ADR 0042): the
//! owning clinic pushes it whole, with the current 人生会議 wishes and the
//! emergency sheet's PDF, whenever the summary or the wishes change; the
//! team's page shows the latest at its top to whoever may read the
//! timeline now, and every showing is audited.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::acp::{Place, Treatment, Wish};
use tsunagu_domain::care_summary::{CareSummaryDraft, check_care_summary};
use tsunagu_domain::team::{EntryKind, check_may_post};
use tsunagu_protocol::WirePinnedSummary;
use uuid::Uuid;

use crate::db;
use crate::db::pinned_summaries::{NewPinned, PinnedRow};
use crate::db::teams::AttachmentRow;
use crate::services::actor::{Failure, refuse};
use crate::services::audit;
use crate::services::teams::{Loaded, TeamActor, refused};

const SHEET_MEDIA_TYPE: &str = "application/pdf";

/// What the clinic pushes.
pub(crate) struct Pin<'a> {
    pub team: Uuid,
    pub summary: &'a WirePinnedSummary,
    pub emergency_sheet: Option<Uuid>,
    pub written_at: DateTime<Utc>,
}

/// Keeps a new version of the team's pinned summary. Only the owning
/// clinic pins it, while it may write on the timeline (its membership and
/// the patient's team consent, the domain's `check_may_post`); the sheet
/// must be a PDF the clinic uploaded and no post or other team carries.
pub(crate) async fn pin(
    conn: &mut PgConnection,
    actor: &TeamActor,
    pin: Pin<'_>,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, pin.team, now).await?;
    if !loaded.owns(actor) {
        return Err(refuse(
            "サマリーを更新できるのは在宅チームの主治医の医療機関だけです",
        ));
    }
    let Some((_, member)) = loaded.membership_of(actor.organisation) else {
        return Err(refuse("在宅チームが見つかりません"));
    };
    check_may_post(
        member,
        actor.profession,
        EntryKind::Note,
        false,
        loaded.consent,
        now,
    )
    .map_err(refused)?;
    check_summary(pin.summary)?;
    if let Some(sheet) = pin.emergency_sheet {
        let kept = db::teams::attachment(conn, sheet).await?;
        let elsewhere = db::pinned_summaries::team_of_sheet(conn, sheet)
            .await?
            .is_some_and(|t| t != pin.team);
        let usable = kept.is_some_and(|a| {
            a.organisation_id == actor.organisation
                && a.entry_id.is_none()
                && a.media_type == SHEET_MEDIA_TYPE
        });
        if !usable || elsewhere {
            return Err(refuse("救急医療情報シートのファイルが見つかりません"));
        }
    }
    let version = db::pinned_summaries::insert(
        conn,
        &NewPinned {
            team: pin.team,
            summary: pin.summary,
            emergency_sheet: pin.emergency_sheet,
            author: &actor.label(),
            author_actor: &actor.audit,
            written_at: pin.written_at,
        },
    )
    .await?;
    audit::record_detailed(
        conn,
        &actor.audit,
        "team-summary-pinned",
        ("team", &pin.team.to_string()),
        serde_json::json!({ "version": version }),
    )
    .await?;
    // Open team pages show it at once (sent when this commits).
    db::teams::announce_summary(conn, pin.team, i64::from(version)).await?;
    Ok(())
}

/// The summary as the domain's form would take it, and every code one
/// the domain knows: what the clinic could not have saved is refused.
fn check_summary(s: &WirePinnedSummary) -> Result<(), Failure> {
    let bad = || refuse("サマリーの内容が正しくありません");
    if !s.within_bounds() {
        return Err(bad());
    }
    let draft = CareSummaryDraft {
        problems: s.problems.join("\n"),
        medications: s.medications.join("\n"),
        allergies: s.allergies.clone(),
        devices: s.devices.join("\n"),
        next_visit: s.next_visit.map(|d| d.to_string()).unwrap_or_default(),
        cautions: s.cautions.clone(),
        after_hours_phone: s.after_hours_phone.clone(),
    };
    check_care_summary(&draft).map_err(|_| bad())?;
    if let Some(w) = &s.wishes {
        let places_known = [&w.place_of_care, &w.place_of_death]
            .into_iter()
            .all(|p| Place::from_code(p).is_some());
        let treatments_known = w
            .treatments
            .iter()
            .all(|(t, wish)| Treatment::from_code(t).is_some() && Wish::from_code(wish).is_some());
        if !places_known || !treatments_known {
            return Err(bad());
        }
    }
    Ok(())
}

/// The pinned summary as a member's page shows it.
pub(crate) struct PinnedView {
    pub row: PinnedRow,
    pub sheet: Option<AttachmentRow>,
}

/// The team's latest pinned summary, for a viewer already found to read
/// the timeline now (the caller's check, in the same transaction);
/// showing it is audited with its version.
pub(crate) async fn shown(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
) -> Result<Option<PinnedView>, Failure> {
    let Some(row) = db::pinned_summaries::latest(conn, team).await? else {
        return Ok(None);
    };
    let sheet = match row.emergency_sheet {
        Some(id) => db::teams::attachment(conn, id).await?,
        None => None,
    };
    audit::record_detailed(
        conn,
        &actor.audit,
        "view-team-summary",
        ("team", &team.to_string()),
        serde_json::json!({ "version": row.version }),
    )
    .await?;
    Ok(Some(PinnedView { row, sheet }))
}
