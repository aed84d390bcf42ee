//! What the 在宅チーム panel and the タイムライン show: members with their
//! state as the domain says it is now, what the physician may do with
//! each, the history, and the timeline with replies under their posts,
//! corrections, vital signs, files and receipts (既読 n/m, who and when).

use chrono::{DateTime, Utc};
use tsunagu_domain::Capability;
use tsunagu_domain::team::{
    ActorRelation, EntryKind, FirstContactTopic, InvitationAction, MemberAction, MemberState,
    Receipt, RequestActor, RequestState, TeamChange, TeamRole, Vitals, apply, check_correction,
    check_reply_target, summarise,
};
use tsunagu_store::{DirectoryEntry, EntryRecord, EntryState, MemberRecord, ReceiptRecord};
use uuid::Uuid;

use super::timeline_facts;
use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::patients::parse_id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientTeam {
    pub team: Option<TeamView>,
    /// The patient's consent names the team, today.
    pub consent_names_team: bool,
    /// The account may start and change the team and read its timeline
    /// (医師・看護師). A clerk (事務) sees who is on the team and how to
    /// reach them, which is not clinical, and nothing else.
    pub may_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub started_at: DateTime<Utc>,
    /// The server has it (a team started offline waits in the outbox).
    pub confirmed: bool,
    pub members: Vec<MemberView>,
    pub history: Vec<HistoryView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    pub id: Uuid,
    pub name: String,
    /// 訪問看護ステーション…; empty for a family contact.
    pub kind_label: String,
    pub role: TeamRole,
    pub person: String,
    pub phone: String,
    pub fax: String,
    pub relation: String,
    /// The state now (an invitation past its time reads 期限切れ).
    pub state: MemberState,
    pub expires_at: Option<DateTime<Utc>>,
    /// Ward staff see the team until then (set when the stay ends).
    pub access_until: Option<DateTime<Utc>>,
    pub first_contact_for: Vec<FirstContactTopic>,
    /// The clinic itself.
    pub is_own: bool,
    pub may_resend: bool,
    pub may_cancel: bool,
    pub may_remove: bool,
    /// Active, not a family contact: may be a first contact.
    pub may_be_first_contact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryView {
    /// The domain's label (招待されました…), or the code if this install
    /// does not know it.
    pub label: String,
    pub member_name: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub team_id: Uuid,
    /// Posts in the team's order, each with its replies.
    pub posts: Vec<EntryView>,
    pub unread: usize,
    /// The account may post (a clerk may not; nor anyone after consent
    /// was withdrawn).
    pub may_post: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntryView {
    pub id: Uuid,
    pub kind: EntryKind,
    pub body: String,
    pub author: String,
    pub posted_at: DateTime<Utc>,
    pub state: EntryState,
    pub mine: bool,
    /// By others and not yet read by the clinic.
    pub unread: bool,
    pub vitals: Option<Vitals>,
    pub request_state: Option<RequestState>,
    /// The correction that struck this entry.
    pub struck_by: Option<Uuid>,
    /// The entry this one corrects.
    pub strikes: Option<Uuid>,
    /// The post this one answers.
    pub reply_to: Option<Uuid>,
    pub attachments: Vec<AttachmentView>,
    /// 「既読 3/5」
    pub read_label: String,
    /// 「確認 2/5」
    pub acknowledged_label: String,
    pub receipts: Vec<ReceiptView>,
    pub acknowledged_by_us: bool,
    pub may_acknowledge: bool,
    pub may_reply: bool,
    pub may_correct: bool,
    pub may_close: bool,
    pub replies: Vec<EntryView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentView {
    pub id: Uuid,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    /// The bytes are here (else they come with the next sync).
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptView {
    pub reader: String,
    pub read_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub pending: bool,
}

/// The header's badge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamBadge {
    pub unread: i64,
    pub open_requests: i64,
}

/// A member as the panel lists it; what may be done with it only for an
/// account that `manages` the team.
fn member_view(m: &MemberRecord, now: DateTime<Utc>, manages: bool) -> MemberView {
    let member = m.as_member();
    let may = |action| manages && apply(&member, action, ActorRelation::Physician, now).is_ok();
    let contact = m.role.is_contact_only();
    MemberView {
        id: m.id,
        name: m.name.clone(),
        kind_label: m.kind.map(|k| k.label_ja().to_string()).unwrap_or_default(),
        role: m.role,
        person: m.person.clone(),
        phone: m.phone.clone(),
        fax: m.fax.clone(),
        relation: m.relation.clone(),
        state: member.state_at(now),
        expires_at: m.expires_at,
        access_until: m.access_until,
        first_contact_for: m.first_contact_for.clone(),
        is_own: m.role.is_owner(),
        may_resend: !contact && may(MemberAction::Invitation(InvitationAction::Resend)),
        may_cancel: !contact && may(MemberAction::Invitation(InvitationAction::Cancel)),
        may_remove: !contact && may(MemberAction::Remove),
        may_be_first_contact: manages && !contact && member.is_active_at(now),
    }
}

impl App {
    /// The 在宅チーム panel: the patient's team (or none yet) and whether
    /// the consent allows one. Viewing is audited.
    pub async fn patient_team(&self, patient_id: &str) -> Result<PatientTeam, AppError> {
        let may_manage = match self.require(Capability::ReadClinicalText) {
            Ok(()) => true,
            Err(e) if e.code == ErrorCode::Forbidden => false,
            Err(signed_out) => return Err(signed_out),
        };
        let patient = parse_id(patient_id)?;
        self.store.patient(patient).await?;
        let consent_names_team = self.team_may_share(patient).await?;
        let Some(team) = self.store.team_for_patient(patient).await? else {
            return Ok(PatientTeam {
                team: None,
                consent_names_team,
                may_manage,
            });
        };
        let now = self.clock.now();
        let members = self.store.team_members(team.id).await?;
        let name_of = |id: Uuid| {
            members
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        };
        let history = self
            .store
            .team_history(team.id)
            .await?
            .into_iter()
            .map(|h| HistoryView {
                label: TeamChange::from_code(&h.change)
                    .map_or_else(|| h.change.clone(), |c| c.label_ja().to_string()),
                member_name: name_of(h.member_id),
                actor: h.actor,
                at: h.at,
            })
            .collect();
        self.store
            .audit_team_view(team.id, &self.actor(), now)
            .await?;
        Ok(PatientTeam {
            team: Some(TeamView {
                id: team.id,
                patient_id: team.patient_id,
                started_at: team.started_at,
                confirmed: team.confirmed,
                members: members
                    .iter()
                    .map(|m| member_view(m, now, may_manage))
                    .collect(),
                history,
            }),
            consent_names_team,
            may_manage,
        })
    }

    /// The timeline: posts in the team's order (the server's counter; posts
    /// still waiting here after them), replies under their post, receipts
    /// summarised by the domain (既読 n/m counts organisations).
    pub async fn team_timeline(&self, team_id: &str) -> Result<Timeline, AppError> {
        let ctx = self.team_context(team_id).await?;
        let now = self.clock.now();
        let author = self.team_author()?;
        let entries = self.store.team_entries(ctx.team.id).await?;
        let receipts = self.store.team_receipts(ctx.team.id).await?;
        let members: Vec<_> = ctx.members.iter().map(MemberRecord::as_member).collect();
        let own = ctx.own.id;
        let may_post = tsunagu_domain::team::check_may_post(
            &ctx.own.as_member(),
            author.profession,
            EntryKind::Note,
            false,
            ctx.may_share,
            now,
        )
        .is_ok();
        let view = |e: &EntryRecord| -> EntryView {
            let facts = timeline_facts(e, &entries);
            let of_entry: Vec<&ReceiptRecord> =
                receipts.iter().filter(|r| r.entry_id == e.id).collect();
            let domain_receipts: Vec<Receipt> = of_entry
                .iter()
                .map(|r| Receipt {
                    member_id: r.member_id.to_string(),
                    read_at: Some(r.read_at),
                    acknowledged_at: r.acknowledged_at,
                })
                .collect();
            let summary = summarise(
                &members,
                &e.author_member.map(|m| m.to_string()).unwrap_or_default(),
                &domain_receipts,
                now,
            );
            let mine = e.author_member == Some(own);
            let read_by_us = of_entry.iter().any(|r| r.member_id == own);
            let acknowledged_by_us = of_entry
                .iter()
                .any(|r| r.member_id == own && r.acknowledged_at.is_some());
            let may_close = e.kind == EntryKind::Request
                && e.reply_to.is_none()
                && e.request_state.is_some_and(|s| {
                    let closer = if mine {
                        RequestActor::Asker
                    } else {
                        RequestActor::Physician
                    };
                    s.close(closer).is_ok()
                });
            EntryView {
                id: e.id,
                kind: e.kind,
                body: e.body.clone(),
                author: e.author.clone(),
                posted_at: e.posted_at,
                state: e.state,
                mine,
                unread: !mine && e.state == EntryState::Confirmed && !read_by_us,
                vitals: e.vitals,
                request_state: e.request_state,
                struck_by: facts.struck_by.as_deref().and_then(|s| s.parse().ok()),
                strikes: e.strikes,
                reply_to: e.reply_to,
                attachments: e
                    .attachments
                    .iter()
                    .map(|a| AttachmentView {
                        id: a.id,
                        name: a.name.clone(),
                        media_type: a.media_type.clone(),
                        size: a.size,
                        held: a.held,
                    })
                    .collect(),
                read_label: summary.read_label_ja(),
                acknowledged_label: summary.acknowledged_label_ja(),
                receipts: of_entry
                    .iter()
                    .map(|r| ReceiptView {
                        reader: r.reader.clone(),
                        read_at: r.read_at,
                        acknowledged_at: r.acknowledged_at,
                        pending: r.pending,
                    })
                    .collect(),
                acknowledged_by_us,
                may_acknowledge: !mine && !acknowledged_by_us && e.state == EntryState::Confirmed,
                may_reply: may_post
                    && e.state == EntryState::Confirmed
                    && check_reply_target(&facts).is_ok()
                    && !(e.request_state == Some(RequestState::Closed)),
                may_correct: may_post
                    && !matches!(e.state, EntryState::Refused | EntryState::Withheld)
                    && check_correction(
                        &facts,
                        e.kind,
                        facts.reply_to.as_deref(),
                        &own.to_string(),
                    )
                    .is_ok(),
                may_close,
                replies: Vec::new(),
            }
        };
        let mut posts: Vec<EntryView> = entries
            .iter()
            .filter(|e| e.reply_to.is_none())
            .map(view)
            .collect();
        for reply in entries.iter().filter(|e| e.reply_to.is_some()) {
            if let Some(post) = posts.iter_mut().find(|p| Some(p.id) == reply.reply_to) {
                post.replies.push(view(reply));
            }
        }
        let unread = posts
            .iter()
            .map(|p| usize::from(p.unread) + p.replies.iter().filter(|r| r.unread).count())
            .sum();
        self.store
            .audit_team_view(ctx.team.id, &self.actor(), now)
            .await?;
        Ok(Timeline {
            team_id: ctx.team.id,
            posts,
            unread,
            may_post,
        })
    }

    /// Unread entries and open 相談 across the clinic's teams. Counts
    /// only: no patient is shown, so it is not audited.
    pub async fn team_badge(&self) -> Result<TeamBadge, AppError> {
        let counts = self.store.team_counts().await?;
        Ok(TeamBadge {
            unread: counts.unread,
            open_requests: counts.open_requests,
        })
    }

    /// The organisations the clinic may invite (not stopped ones).
    pub async fn team_directory(&self) -> Result<Vec<DirectoryEntry>, AppError> {
        Ok(self
            .store
            .team_directory()
            .await?
            .into_iter()
            .filter(|o| !o.stopped && o.kind.may_join_team())
            .collect())
    }
}
