//! The portal's team pages (issue 16) for every organisation's people:
//! their teams and invitations with unread counts, a team's members,
//! history and timeline, answering invitations, posting (with a photo or
//! PDF), 「確認しました」, closing a 相談, and the files themselves. Every
//! view is audited and checked against the team on the server.

use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use minijinja::{Value, context};
use serde::Deserialize;
use tsunagu_domain::team::{
    EntryKind, FirstContactTopic, MemberState, OrganisationKind, TeamChange, TeamRole, VitalsDraft,
};
use uuid::Uuid;

use crate::http::portal::pages::{
    IdPath, database_error, message_for, not_found, render_with_status, user_view,
};
use crate::http::portal::session::{PortalUser, Posted, csrf_refused, forbidden};
use crate::http::portal::team_conferences::conferences_view;
use crate::http::portal::team_invitations::ward_access_label;
use crate::http::portal::team_news::whereabouts_view;
use crate::http::portal::team_summary::pinned_view;
use crate::http::state::ServerState;
use crate::services::actor::Failure;
use crate::services::referrals::view::today;
use crate::services::sessions::{SignedIn, same_secret};
use crate::services::teams::timeline::NewPost;
use crate::services::teams::views::{EntryView, TeamPage};
use crate::services::teams::{TeamActor, attachments, members, timeline, views};

/// Runs one team action in its own transaction.
macro_rules! in_transaction {
    ($state:expr, $tx:ident => $action:expr) => {
        async {
            let mut $tx = $state.pool.begin().await?;
            $action.await?;
            $tx.commit().await?;
            Ok::<(), Failure>(())
        }
        .await
    };
}

/// As the portal shows a time: Japan's.
pub(crate) fn jst(at: DateTime<Utc>) -> String {
    (at + chrono::Duration::hours(9))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[derive(Deserialize, Default)]
pub(crate) struct HomeQuery {
    #[serde(default)]
    changed: Option<String>,
}

/// An organisation's teams and invitations, unread first.
pub(crate) async fn list(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<HomeQuery>,
) -> Response {
    if user.role.has_referral_rights() && user.organisation.kind == OrganisationKind::Desk {
        return forbidden(&user);
    }
    let actor = TeamActor::portal(&user);
    let now = Utc::now();
    let rows = match views::list(&state.pool, &actor, now).await {
        Ok(rows) => rows,
        Err(failure) => return failed(&user, &failure),
    };
    let (invitations, teams): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .map(|r| {
            let state = MemberState::from_code(&r.state).unwrap_or(MemberState::Expired);
            let state = match (state, r.expires_at) {
                (MemberState::Invited | MemberState::AwaitingApproval, Some(e)) if now >= e => {
                    MemberState::Expired
                }
                (s, _) => s,
            };
            (r, state)
        })
        .filter(|(_, s)| *s != MemberState::Expired)
        .partition(|(_, s)| *s != MemberState::Active);
    let line = |(r, s): &(crate::db::team_lists::TeamListRow, MemberState)| {
        context! {
            id => r.team_id,
            member_id => r.member_id,
            patient => r.patient_name.clone().unwrap_or_else(|| "（同意の撤回により非表示）".into()),
            kana => r.patient_kana,
            birth_date => r.birth_date.map(|d| d.to_string()),
            clinic => r.clinic_name,
            role => TeamRole::from_code(&r.role).map(TeamRole::label_ja),
            state => s.label_ja(),
            state_code => s.code(),
            unread => r.unread.max(0),
            open_requests => r.open_requests,
            expires => r.expires_at.map(jst),
            access_until => r.access_until.map(jst),
            personal => r.personal,
        }
    };
    // The organisation's administrator is reminded of a stale profile.
    let profile_stale = if actor.is_admin {
        match crate::services::directory::profile(&state.pool, &user, user.organisation.id).await {
            Ok(Some(row)) => {
                crate::http::portal::profile::parts_stale(&row, user.organisation.kind, now)
            }
            Ok(None) => false,
            Err(e) => return database_error(&e),
        }
    } else {
        false
    };
    render_with_status(
        StatusCode::OK,
        "teams.html",
        context! {
            me => user_view(&user),
            csrf => user.csrf,
            profile_stale => profile_stale,
            password_changed => q.changed.is_some(),
            invitations => invitations.iter().map(line).collect::<Vec<_>>(),
            teams => teams.iter().map(line).collect::<Vec<_>>(),
            is_org_admin => actor.is_admin,
        },
    )
}

#[derive(Deserialize, Default)]
pub(crate) struct PageQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

/// One team's page.
pub(crate) async fn show(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    PortalUser(user): PortalUser,
    Query(q): Query<PageQuery>,
) -> Response {
    let notice = q.done.as_deref().and_then(done_notice);
    let shown = Shown {
        notice,
        ..Shown::default()
    };
    team_page(&state, &user, team, q.before, StatusCode::OK, shown).await
}

fn done_notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "posted" => "投稿しました。",
        "acknowledged" => "「確認しました」を記録しました。",
        "closed" => "相談を終了にしました。",
        "accept" => "招待を承諾しました。",
        "decline" => "招待を辞退しました。",
        "approve" => "参加を承認しました。",
        "leave" => "チームから外れました。",
        "invited" => "招待を送りました。",
        "ward-invited" => {
            "病棟の職員をチームに加えました。退院・転院の後、指定した日数で自動的に見られなくなります。"
        }
        "remove" => "チームから外しました。",
        "resend" => "招待を再送しました（期限が14日延びました）。",
        "cancel" => "招待を取り消しました。",
        "reported" => "患者さんの所在を記録しました。かかりつけ医とチームに届きます。",
        "withdrawn" => "記録を取り消しました。",
        "conference-scheduled" => "退院時カンファレンスを設定し、タイムラインでお知らせしました。",
        "conference-answered" => "出欠を送りました。",
        "conference-held" => {
            "カンファレンスの記録を投稿しました。紹介の経過にも開催が記録されます。"
        }
        "conference-cancelled" => "カンファレンスを中止にしました。",
        _ => return None,
    })
}

/// What the team page shows beyond the team: after an action, its notice
/// or why it was refused, with the report form as it was typed.
#[derive(Default)]
pub(crate) struct Shown<'a> {
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
    pub report: Option<Value>,
    /// The conference form as typed, when it was refused.
    pub conference: Option<Value>,
}

pub(crate) async fn team_page(
    state: &ServerState,
    user: &SignedIn,
    team: Uuid,
    before: Option<i64>,
    status: StatusCode,
    shown: Shown<'_>,
) -> Response {
    let actor = TeamActor::portal(user);
    let now = Utc::now();
    let page = match views::team_page(&state.pool, &actor, team, before, now).await {
        Ok(Some(page)) => page,
        Ok(None) => return not_found(),
        Err(failure) => return failed(user, &failure),
    };
    render_with_status(
        status,
        "team.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            notice => shown.notice,
            error => shown.error,
            report => shown.report,
            whereabouts => page.whereabouts.as_ref().map(|w| whereabouts_view(w, &actor)),
            today => today().to_string(),
            team => team_view(&page, &actor),
            conferences => conferences_view(&page),
            pinned => page.pinned.as_ref().map(pinned_view),
            conference_form => shown.conference,
            kinds => post_kinds(),
            roles => TeamRole::ALL.iter().filter(|r| !r.is_owner() && !r.is_contact_only())
                .map(|r| context! { code => r.code(), label => r.label_ja() }).collect::<Vec<_>>(),
        },
    )
}

fn post_kinds() -> Vec<Value> {
    EntryKind::ALL
        .iter()
        .filter(|k| !k.is_system())
        .map(|k| context! { code => k.code(), label => k.label_ja() })
        .collect()
}

fn team_view(page: &TeamPage, actor: &TeamActor) -> Value {
    let now = Utc::now();
    let members: Vec<Value> = page
        .members
        .iter()
        .map(|(r, state)| {
            let family = r.organisation_id.is_none();
            let is_me = r.id == page.me.id;
            let topics: Vec<&str> = r
                .first_contact_for
                .iter()
                .filter_map(|t| FirstContactTopic::from_code(t))
                .map(FirstContactTopic::label_ja)
                .collect();
            context! {
                id => r.id,
                name => if family { r.family_name.clone() } else { r.organisation_name.clone().unwrap_or_default() },
                kind => r.organisation_kind.as_deref().and_then(OrganisationKind::from_code).map(OrganisationKind::label_ja),
                role => TeamRole::from_code(&r.role).map(TeamRole::label_ja),
                person => r.person,
                relation => r.relation,
                phone => if family { r.phone.clone() } else { r.organisation_phone.clone().unwrap_or_default() },
                fax => r.organisation_fax,
                state => state.label_ja(),
                state_code => state.code(),
                first_contact => topics,
                is_me => is_me,
                access => ward_access_label(r, now),
                // The office that invited ward staff, or the physician,
                // ends their access early; the server asks the domain.
                may_end => r.user_id.is_some() && state.code() == "active"
                    && (r.invited_by == Some(page.me.id) || page.owns),
                // The domain lets the inviter (or the physician) resend or
                // cancel; the server asks it again on the post.
                may_resend_or_cancel => state.invitation_state().is_pending()
                    && (r.invited_by == Some(page.me.id) || page.owns),
            }
        })
        .collect();
    let names: std::collections::HashMap<Uuid, String> = page
        .members
        .iter()
        .map(|(r, _)| {
            let name = r
                .organisation_name
                .clone()
                .unwrap_or_else(|| r.family_name.clone());
            // A person invited by name is named in the history too.
            let name = match r.user_id {
                Some(_) => format!("{name} {}", r.person),
                None => name,
            };
            (r.id, name)
        })
        .collect();
    let history: Vec<Value> = page
        .history
        .iter()
        .map(|h| {
            context! {
                at => jst(h.at),
                member => names.get(&h.member_id),
                change => TeamChange::from_code(&h.change).map(TeamChange::label_ja),
                actor => h.actor,
            }
        })
        .collect();
    // Oldest first on the page, as a conversation reads; replies under
    // their post.
    let mut posts: Vec<&EntryView> = page
        .entries
        .iter()
        .filter(|e| e.row.reply_to.is_none())
        .collect();
    posts.sort_by_key(|e| e.row.seq);
    let entries: Vec<Value> = posts
        .into_iter()
        .map(|e| {
            let mut replies: Vec<&EntryView> = page
                .entries
                .iter()
                .filter(|r| r.row.reply_to == Some(e.row.id))
                .collect();
            replies.sort_by_key(|r| r.row.seq);
            let view = entry_view(e, page, actor);
            let replies: Vec<Value> = replies
                .into_iter()
                .map(|r| entry_view(r, page, actor))
                .collect();
            context! { replies => replies, ..view }
        })
        .collect();
    let p = &page.patient;
    context! {
        id => page.team_id,
        last_seq => page.last_seq,
        patient => p.name.clone().unwrap_or_else(|| "（同意の撤回により非表示）".into()),
        kana => p.kana,
        birth_date => p.birth_date.map(|d| d.to_string()),
        members => members,
        history => history,
        entries => entries,
        older => page.older,
        my_member => page.me.id,
        my_state => page.my_state.code(),
        my_state_label => page.my_state.label_ja(),
        closed => page.closed,
        may_post => page.may_post,
        owns => page.owns,
        is_admin => actor.is_admin,
        ward_invitable => page.ward_invitable.iter().map(|(id, name, title)| context! {
            id => id, name => name, title => title,
        }).collect::<Vec<_>>(),
        default_days => tsunagu_domain::team::DEFAULT_DAYS_AFTER_STAY,
        max_days => tsunagu_domain::team::MAX_DAYS_AFTER_STAY,
        invitable => page.invitable.iter().map(|(id, name, kind)| context! {
            id => id,
            name => name,
            kind => OrganisationKind::from_code(kind).map(OrganisationKind::label_ja),
        }).collect::<Vec<_>>(),
    }
}

fn entry_view(e: &EntryView, page: &TeamPage, actor: &TeamActor) -> Value {
    let r = &e.row;
    let kind = EntryKind::from_code(&r.kind);
    let v = &r.vitals;
    let vitals = [
        ("体温", v.body_temperature.map(|t| format!("{t:.1} ℃"))),
        (
            "血圧",
            v.systolic
                .zip(v.diastolic)
                .map(|(s, d)| format!("{s}/{d} mmHg")),
        ),
        ("脈拍", v.pulse.map(|p| format!("{p} /分"))),
        ("SpO₂", v.spo2.map(|s| format!("{s} %"))),
        ("呼吸数", v.respiratory_rate.map(|n| format!("{n} /分"))),
        ("体重", v.weight.map(|w| format!("{w:.1} kg"))),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|value| context! { label => label, value => value }))
    .collect::<Vec<_>>();
    let readers: Vec<Value> = e
        .receipts
        .iter()
        .filter(|rc| Some(rc.member_id) != r.author_member)
        .map(|rc| {
            context! {
                who => rc.reader_label,
                read_at => jst(rc.read_at),
                acknowledged_at => rc.acknowledged_at.map(jst),
            }
        })
        .collect();
    let mine = r.author_member == Some(page.me.id);
    context! {
        id => r.id,
        seq => r.seq,
        kind => kind.map(EntryKind::label_ja),
        kind_code => r.kind,
        body => r.body,
        author => r.author,
        posted_at => jst(r.posted_at),
        struck => r.struck_by.is_some(),
        strikes => r.strikes,
        vitals => vitals,
        attachments => e.attachments.iter().map(|a| context! {
            id => a.id, name => a.name, size_kb => (a.size + 1023) / 1024,
            is_image => a.media_type.starts_with("image/"),
        }).collect::<Vec<_>>(),
        read_label => e.summary.read_label_ja(),
        ack_label => e.summary.acknowledged_label_ja(),
        readers => readers,
        acknowledged_by_me => e.acknowledged_by_me,
        request_state => r.request_state.as_deref()
            .and_then(tsunagu_domain::team::RequestState::from_code)
            .map(tsunagu_domain::team::RequestState::label_ja),
        request_open => r.request_state.as_deref().is_some_and(|s| s != "closed"),
        may_close => r.request_state.as_deref().is_some_and(|s| s != "closed")
            && (r.request_asker == Some(page.me.id) || page.owns),
        mine => mine,
        system => kind.is_some_and(EntryKind::is_system),
        may_ack => !mine && page.closed.is_none() && actor.profession != tsunagu_domain::team::Profession::Clerk,
    }
}

pub(crate) fn failed(user: &SignedIn, failure: &Failure) -> Response {
    match failure {
        Failure::Refused(r) => {
            message_for(user, StatusCode::FORBIDDEN, "この操作はできません", &r.0)
        }
        Failure::Database(e) => database_error(e),
    }
}

/// After an action: back to the team page with a notice, or the page with
/// the refusal.
pub(crate) async fn after(
    state: &ServerState,
    user: &SignedIn,
    team: Uuid,
    result: Result<(), Failure>,
    done: &str,
) -> Response {
    match result {
        Ok(()) if done == "decline" || done == "leave" => {
            Redirect::to("/portal/teams").into_response()
        }
        Ok(()) => Redirect::to(&format!("/portal/teams/{team}?done={done}")).into_response(),
        Err(Failure::Refused(r)) => {
            let shown = Shown {
                error: Some(&r.0),
                ..Shown::default()
            };
            team_page(state, user, team, None, StatusCode::CONFLICT, shown).await
        }
        Err(Failure::Database(e)) => database_error(&e),
    }
}

#[derive(Deserialize)]
pub(crate) struct MemberForm {
    member: Uuid,
    action: String,
}

/// Accept, decline, approve, leave, resend, cancel or remove.
pub(crate) async fn member_action(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, MemberForm>,
) -> Response {
    let Some(action) = members::action_of(&form.action) else {
        return not_found();
    };
    let actor = TeamActor::portal(&user);
    let result = in_transaction!(state, tx => members::act(&mut tx, &actor, team, form.member, action, Utc::now()));
    // An organisation that declined or left has no page to go back to.
    if result.is_ok() && matches!(form.action.as_str(), "decline" | "leave") {
        return Redirect::to("/portal/teams").into_response();
    }
    after(&state, &user, team, result, &form.action).await
}

#[derive(Deserialize)]
pub(crate) struct EntryForm {
    entry: Uuid,
}

/// 「確認しました」.
pub(crate) async fn acknowledge(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, EntryForm>,
) -> Response {
    let actor = TeamActor::portal(&user);
    let result = in_transaction!(state, tx => timeline::receipts(&mut tx, &actor, team, &[form.entry], true, Utc::now()));
    after(&state, &user, team, result, "acknowledged").await
}

/// Closes a 相談・依頼.
pub(crate) async fn close_request(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, EntryForm>,
) -> Response {
    let actor = TeamActor::portal(&user);
    let result = in_transaction!(state, tx => timeline::close_request(&mut tx, &actor, team, form.entry, Utc::now()));
    after(&state, &user, team, result, "closed").await
}

/// A post from the portal: the form, with at most one file.
pub(crate) async fn post(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    PortalUser(user): PortalUser,
    mut form: Multipart,
) -> Response {
    let mut fields = PostFields::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return too_large_or_broken(&state, &user, team).await,
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let Ok(bytes) = field.bytes().await else {
                return too_large_or_broken(&state, &user, team).await;
            };
            if !bytes.is_empty() || !file_name.is_empty() {
                file = Some((file_name, bytes.to_vec()));
            }
            continue;
        }
        let Ok(text) = field.text().await else {
            return too_large_or_broken(&state, &user, team).await;
        };
        fields.set(&name, text);
    }
    if !same_secret(&fields.csrf, &user.csrf) {
        return csrf_refused();
    }
    let actor = TeamActor::portal(&user);
    let now = Utc::now();
    let attachment_id = Uuid::now_v7();
    let ids: Vec<Uuid> = file.iter().map(|_| attachment_id).collect();
    let vitals = fields.vitals();
    let new_post = NewPost {
        id: Uuid::now_v7(),
        kind: &fields.kind,
        body: &fields.body,
        reply_to: fields
            .reply_to
            .as_deref()
            .and_then(|s| Uuid::parse_str(s).ok()),
        strikes: fields
            .strikes
            .as_deref()
            .and_then(|s| Uuid::parse_str(s).ok()),
        vitals,
        attachments: &ids,
    };
    let result = in_transaction!(state, tx => async {
        if let Some((name, bytes)) = &file {
            attachments::upload(&mut tx, &actor, attachment_id, name, bytes).await?;
        }
        timeline::post(&mut tx, &actor, team, new_post, now).await
    });
    after(&state, &user, team, result, "posted").await
}

async fn too_large_or_broken(state: &ServerState, user: &SignedIn, team: Uuid) -> Response {
    let shown = Shown {
        error: Some(
            "送信できませんでした。添付ファイルは20MBまでです。ファイルを小さくしてから、もう一度送信してください。",
        ),
        ..Shown::default()
    };
    team_page(
        state,
        user,
        team,
        None,
        StatusCode::PAYLOAD_TOO_LARGE,
        shown,
    )
    .await
}

#[derive(Default)]
struct PostFields {
    csrf: String,
    kind: String,
    body: String,
    reply_to: Option<String>,
    strikes: Option<String>,
    vitals: VitalsDraft,
}

impl PostFields {
    fn set(&mut self, name: &str, text: String) {
        let v = &mut self.vitals;
        match name {
            "csrf" => self.csrf = text,
            "kind" => self.kind = text,
            "body" => self.body = text,
            "reply_to" if !text.is_empty() => self.reply_to = Some(text),
            "strikes" if !text.is_empty() => self.strikes = Some(text),
            "body_temperature" => v.body_temperature = text,
            "systolic" => v.systolic = text,
            "diastolic" => v.diastolic = text,
            "pulse" => v.pulse = text,
            "spo2" => v.spo2 = text,
            "respiratory_rate" => v.respiratory_rate = text,
            "weight" => v.weight = text,
            _ => {}
        }
    }

    /// Vital signs only when some were typed.
    fn vitals(&self) -> Option<VitalsDraft> {
        let v = &self.vitals;
        let any = [
            &v.body_temperature,
            &v.systolic,
            &v.diastolic,
            &v.pulse,
            &v.spo2,
            &v.respiratory_rate,
            &v.weight,
        ]
        .iter()
        .any(|t| !t.trim().is_empty());
        any.then(|| v.clone())
    }
}

/// A file on a team's timeline, for a member who may read it (audited).
pub(crate) async fn attachment(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    PortalUser(user): PortalUser,
) -> Response {
    let actor = TeamActor::portal(&user);
    let found = async {
        let mut tx = state.pool.begin().await?;
        let found = attachments::fetch(&mut tx, &actor, id, Utc::now()).await?;
        tx.commit().await?;
        Ok::<_, Failure>(found)
    }
    .await;
    match found {
        Ok(Some((meta, bytes))) => {
            let disposition = format!("inline; filename*=UTF-8''{}", percent_encode(&meta.name));
            (
                [
                    (header::CONTENT_TYPE, meta.media_type),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => not_found(),
        Err(failure) => failed(&user, &failure),
    }
}

/// RFC 5987: every byte but the unreserved ones as %XX.
pub(crate) fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
