//! Invitations from a team's page: a member invites another registered
//! organisation; a hospital's liaison invites her hospital's people by
//! name (issue 17, ADR 0028), and how long each of them sees the team.

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::http::portal::pages::IdPath;
use crate::http::portal::session::{PortalUser, Posted};
use crate::http::portal::teams::{after, jst};
use crate::http::state::ServerState;
use crate::services::teams::{TeamActor, members, ward_staff};

#[derive(Deserialize)]
pub(crate) struct InviteForm {
    organisation: Uuid,
    role: String,
    #[serde(default)]
    person: String,
}

/// A member invites another registered organisation (e.g. the care
/// manager brings in a care service).
pub(crate) async fn invite(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, InviteForm>,
) -> Response {
    let actor = TeamActor::portal(&user);
    let invitation = members::Invitation {
        team,
        member: Uuid::now_v7(),
        organisation: form.organisation,
        role: &form.role,
        person: &form.person,
    };
    let result = async {
        let mut tx = state.pool.begin().await?;
        members::invite(&mut tx, &actor, invitation, Utc::now()).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    after(&state, &user, team, result, "invited").await
}

#[derive(Deserialize)]
pub(crate) struct WardInviteForm {
    user: Uuid,
    /// As typed: a number of days.
    days: String,
}

/// The liaison invites one of her hospital's people (病院主治医, 病棟看護師,
/// MSW, リハビリ) by name.
pub(crate) async fn invite_ward_staff(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, WardInviteForm>,
) -> Response {
    let actor = TeamActor::portal(&user);
    let result = match tsunagu_domain::team::parse_days_after_stay(&form.days) {
        Ok(days) => {
            let invite = ward_staff::WardInvite {
                team,
                user: form.user,
                days_after_stay: days,
            };
            async {
                let mut tx = state.pool.begin().await?;
                ward_staff::invite(&mut tx, &actor, &invite, Utc::now()).await?;
                tx.commit().await?;
                Ok(())
            }
            .await
        }
        Err(e) => Err(crate::services::teams::refused(e)),
    };
    after(&state, &user, team, result, "ward-invited").await
}

/// How long a person invited by name sees the team: until the stay ends
/// and some days after, until a date, or no longer.
pub(crate) fn ward_access_label(
    r: &crate::db::teams::MemberRow,
    now: DateTime<Utc>,
) -> Option<String> {
    let days = r.days_after_stay?;
    Some(match r.access_until {
        None => format!("退院・転院の{days}日後まで閲覧・投稿できます"),
        Some(until) if now < until => format!("{}まで閲覧・投稿できます", jst(until)),
        Some(until) => format!("{}で閲覧・投稿の期間が終わりました", jst(until)),
    })
}
