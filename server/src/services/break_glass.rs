//! Break-glass (緊急閲覧, ADR 0018): in an emergency a portal user opens a
//! referral outside their scope, read-only, for [`MINUTES`], giving a
//! reason. Starting, every view under it and ending it are audited; the
//! desk sees each one until an administrator (never the person who broke
//! the glass) acknowledges it. Whether one is live is asked of PostgreSQL
//! on every request: several server processes share the state.

use serde_json::json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use crate::db;
pub(crate) use crate::db::break_glass::{Live, Pending};
use crate::model::Role;
use crate::services::actor::user_actor;
use crate::services::audit;
use crate::services::referrals::view;
use crate::services::sessions::SignedIn;

/// How long a break-glass lasts.
pub const MINUTES: i32 = 30;
/// A reason is at least this many characters (after trimming)…
pub const MIN_REASON_CHARS: usize = 10;
/// …and at most this many.
pub const MAX_REASON_CHARS: usize = 500;

/// Why a typed reason is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReasonRefused {
    Empty,
    /// A NUL or other character PostgreSQL's text cannot hold.
    BadCharacter,
    /// Fewer than [`MIN_REASON_CHARS`] characters (how many there are).
    TooShort(usize),
    /// More than [`MAX_REASON_CHARS`] characters (how many there are).
    TooLong(usize),
}

impl ReasonRefused {
    /// What the form says under the reason.
    pub(crate) fn message_ja(self) -> String {
        match self {
            ReasonRefused::Empty => "緊急閲覧の理由を入力してください。".into(),
            ReasonRefused::BadCharacter => "理由に使えない文字が含まれています。".into(),
            ReasonRefused::TooShort(chars) => format!(
                "理由は{MIN_REASON_CHARS}文字以上で、具体的に入力してください（いまは{chars}文字）。"
            ),
            ReasonRefused::TooLong(chars) => {
                format!("理由は{MAX_REASON_CHARS}文字までです（いまは{chars}文字）。")
            }
        }
    }
}

/// The reason as stored (trimmed), or why it is refused.
pub(crate) fn check_reason(typed: &str) -> Result<String, ReasonRefused> {
    let reason = typed.trim();
    let chars = reason.chars().count();
    if reason.is_empty() {
        return Err(ReasonRefused::Empty);
    }
    if reason.contains('\0') {
        return Err(ReasonRefused::BadCharacter);
    }
    if chars < MIN_REASON_CHARS {
        return Err(ReasonRefused::TooShort(chars));
    }
    if chars > MAX_REASON_CHARS {
        return Err(ReasonRefused::TooLong(chars));
    }
    Ok(reason.to_string())
}

pub(crate) enum Started {
    Granted,
    /// The person may see the referral anyway: nothing to break.
    InScope,
    /// No such referral, or its patient's identity is not held (no consent
    /// in force): answered alike, so the answer does not tell which.
    Unreachable,
}

/// Starts a break-glass on `referral` for `user` with a checked `reason`,
/// audited (with the client's address) in the same transaction; a refusal
/// is audited too.
pub(crate) async fn start(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    reason: &str,
) -> sqlx::Result<Started> {
    let mut tx = pool.begin().await?;
    if view::visible(&mut tx, user, referral).await?.is_some() {
        return Ok(Started::InScope);
    }
    let id = Uuid::now_v7();
    let expires =
        db::break_glass::insert(&mut tx, id, user.user_id, referral, reason, MINUTES).await?;
    let (action, detail, started) = match expires {
        Some(expires_at) => (
            "break-glass-start",
            json!({ "break_glass": id, "reason": reason, "expires_at": expires_at }),
            Started::Granted,
        ),
        None => (
            "break-glass-refused",
            json!({ "reason": reason }),
            Started::Unreachable,
        ),
    };
    let entity = ("referral", referral.to_string());
    let actor = user.audit_actor();
    audit::record_detailed(&mut tx, &actor, action, (entity.0, &entity.1), detail).await?;
    tx.commit().await?;
    Ok(started)
}

/// The person's live break-glass accesses (the banner).
pub(crate) async fn live_of(ex: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Vec<Live>> {
    db::break_glass::live_of(ex, user).await
}

/// The live break-glass by which `user` may read `referral`, if any.
pub(crate) async fn live_for(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    db::break_glass::live_for(conn, user.user_id, referral).await
}

/// A view of the referral under break-glass `id`: its own audit row.
pub(crate) async fn record_view(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
    id: Uuid,
) -> sqlx::Result<()> {
    let entity = referral.to_string();
    let detail = json!({ "break_glass": id });
    let actor = user.audit_actor();
    audit::record_detailed(
        conn,
        &actor,
        "break-glass-view",
        ("referral", &entity),
        detail,
    )
    .await
}

/// Ends the person's own live break-glass early, audited; false if there
/// is no such live one of theirs.
pub(crate) async fn end(pool: &PgPool, user: &SignedIn, id: Uuid) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let Some(referral) = db::break_glass::end(&mut tx, id, user.user_id).await? else {
        return Ok(false);
    };
    let entity = referral.to_string();
    let detail = json!({ "break_glass": id });
    let actor = user.audit_actor();
    audit::record_detailed(
        &mut tx,
        &actor,
        "break-glass-end",
        ("referral", &entity),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Every break-glass still to acknowledge, oldest first.
pub(crate) async fn pending(pool: &PgPool) -> sqlx::Result<Vec<Pending>> {
    let mut conn = pool.acquire().await?;
    db::break_glass::pending(&mut conn).await
}

/// Who acknowledges: the administrator, who reviews the access log
/// (ADR 0018).
pub(crate) fn may_acknowledge(user: &SignedIn) -> bool {
    user.role == Role::Admin
}

pub(crate) enum Acknowledged {
    Done,
    /// The reviewer's own break-glass.
    Own,
    /// No such break-glass, or acknowledged already.
    NotPending,
}

/// `reviewer` acknowledges break-glass `id`, audited; the caller has
/// checked [`may_acknowledge`].
pub(crate) async fn acknowledge(
    pool: &PgPool,
    reviewer: &SignedIn,
    id: Uuid,
) -> sqlx::Result<Acknowledged> {
    let mut tx = pool.begin().await?;
    let found = db::break_glass::owner_for_update(&mut tx, id).await?;
    let (of, referral) = match found {
        None | Some((_, _, true)) => return Ok(Acknowledged::NotPending),
        Some((of, _, _)) if of == reviewer.user_id => return Ok(Acknowledged::Own),
        Some((of, referral, false)) => (of, referral),
    };
    db::break_glass::acknowledge(&mut tx, id, reviewer.user_id).await?;
    let entity = referral.to_string();
    let detail = json!({ "break_glass": id, "of": user_actor(of) });
    let actor = reviewer.audit_actor();
    audit::record_detailed(
        &mut tx,
        &actor,
        "break-glass-acknowledge",
        ("referral", &entity),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Acknowledged::Done)
}
