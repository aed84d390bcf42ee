//! 退院時カンファレンス (issue 17) on the clinic's desktop: the physician
//! sets one for the team (when, where or by which web-meeting link, whom
//! of the team), the clinic answers its own invitation (出席, 欠席 or
//! オンライン) and may call one off. Every rule is the domain's
//! (`team::conference`); each change is written here with its team
//! operation in one transaction and the server posts the timeline's lines
//! itself. A conference set by a hospital arrives with the feed.

use chrono::{DateTime, Duration, Utc};
use tsunagu_domain::Capability;
use tsunagu_domain::team::conference::{
    Attendance, ConferenceDraft, ConferenceState, check_answer, check_cancel, check_conference,
    check_link, may_organise, starts_at, when_ja,
};
use tsunagu_domain::team::{TeamError, TeamMember};
use tsunagu_protocol::TeamOp;
use tsunagu_store::{
    AnswerSending, AttendanceGivenHere, ConferenceRecord, HeldConference, InviteeRecord,
    MemberRecord, StoreError, TeamWrite,
};
use uuid::Uuid;

use super::{TeamContext, team_error};
use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::patients::parse_id;

/// 「カンファレンスを設定する」 as typed: the day and the start in Japan's
/// time, where, the web-meeting link, a note and the members invited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConferenceInput {
    /// E.g. 2026-12-10 or 令和8年12月10日.
    pub date: String,
    /// E.g. 14:00.
    pub time: String,
    pub place: String,
    pub link: String,
    pub note: String,
    /// Member ids.
    pub invitee_member_ids: Vec<String>,
}

/// The team's conferences and what the account may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamConferences {
    pub team_id: Uuid,
    /// The earliest first.
    pub conferences: Vec<ConferenceView>,
    /// The account may set one now (医師, under the team's consent).
    pub may_schedule: bool,
    /// The members a conference may invite now (the form's checkboxes).
    pub invitable: Vec<InvitableMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitableMember {
    pub id: Uuid,
    /// The organisation, and the person if named.
    pub name: String,
    pub is_own: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceView {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    /// 12月10日(木) 14:00 (the domain's `when_ja`).
    pub when: String,
    pub place: String,
    pub link: String,
    pub note: String,
    /// As it stands here: a calling off given here counts until the
    /// server refuses it.
    pub state: ConferenceState,
    pub organiser: String,
    pub organised_by_us: bool,
    pub invitees: Vec<InviteeView>,
    /// The clinic's own answer, when it is invited (未回答 until it answers).
    pub own_attendance: Option<Attendance>,
    /// 出席 / オンライン / 欠席 are offered.
    pub may_answer: bool,
    /// 中止にする is offered.
    pub may_cancel: bool,
    /// Something about it sent from here waits in the outbox (送信待ち).
    pub sending: bool,
    /// Set here and never sent: consent to the team was withdrawn first.
    pub withheld: bool,
    /// Why the server refused what was sent from here (its Japanese
    /// message).
    pub refusal: Option<String>,
    /// Its minutes are on the timeline.
    pub minutes_entry: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteeView {
    pub member_id: Uuid,
    /// The member's name as the team lists it (empty if this install does
    /// not hold the member).
    pub name: String,
    pub attendance: Attendance,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// The clinic itself.
    pub is_own: bool,
}

/// A member as a list of invitees names it.
fn member_name(m: &MemberRecord) -> String {
    if m.person.is_empty() {
        m.name.clone()
    } else {
        format!("{} {}", m.name, m.person)
    }
}

/// Whether the domain would let a conference invite `member` now (asked of
/// `check_conference` with a draft that is otherwise in order).
fn invitable(member: &MemberRecord, members: &[TeamMember], now: DateTime<Utc>) -> bool {
    let probe = ConferenceDraft {
        starts_at: now + Duration::hours(1),
        place: "-".into(),
        link: String::new(),
        note: String::new(),
        invitees: vec![member.id.to_string()],
    };
    check_conference(&probe, members, now).is_ok()
}

/// The server has it or will: it was not set here and then refused or
/// held back.
fn reaches_server(held: &HeldConference) -> bool {
    held.confirmed
        || matches!(
            held.scheduling,
            Some(AnswerSending::Waiting | AnswerSending::Applied)
        )
}

/// The state as it stands here (see [`ConferenceView::state`]).
fn state_here(held: &HeldConference) -> ConferenceState {
    if held.cancel_stands() {
        ConferenceState::Cancelled
    } else {
        held.conference.state
    }
}

fn rejected(code: ErrorCode, r: tsunagu_domain::Rejection) -> AppError {
    AppError::new(code, r.0)
}

fn not_organiser() -> AppError {
    AppError::new(
        ErrorCode::Forbidden,
        "退院時カンファレンスを設定・中止できるのは、主治医と、チームに参加している病院の地域連携室です。",
    )
}

/// What the account may do with the team's conferences.
struct Powers {
    /// Answer for the clinic: under the team's consent.
    answer: bool,
    /// Set and call off: 医師, under the team's consent, as an organiser.
    decide: bool,
}

impl App {
    /// Whether the signed-in account decides as the patient's doctor
    /// (`Capability::DecideCare`); a refusal for another reason (signed
    /// out, locked) is passed on.
    pub(crate) fn may_decide_care(&self) -> Result<bool, AppError> {
        match self.require(Capability::DecideCare) {
            Ok(()) => Ok(true),
            Err(e) if e.code == ErrorCode::Forbidden => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn conference_powers(&self, ctx: &TeamContext, now: DateTime<Utc>) -> Result<Powers, AppError> {
        let profession = self.team_author()?.profession;
        let own = ctx.own.as_member();
        Ok(Powers {
            answer: ctx.may_share,
            decide: ctx.may_share
                && self.may_decide_care()?
                && own.is_active_at(now)
                && may_organise(&own, profession),
        })
    }

    /// The team's 退院時カンファレンス with their invitees and answers,
    /// and what the account may do. Viewing is audited.
    pub async fn team_conferences(&self, team_id: &str) -> Result<TeamConferences, AppError> {
        let ctx = self.team_context(team_id).await?;
        let now = self.clock.now();
        let powers = self.conference_powers(&ctx, now)?;
        let members: Vec<TeamMember> = ctx.members.iter().map(MemberRecord::as_member).collect();
        let conferences = self
            .store
            .team_conferences(ctx.team.id)
            .await?
            .into_iter()
            .map(|held| self.conference_view(&ctx, &powers, held, now))
            .collect();
        self.store
            .audit_team_view(ctx.team.id, &self.actor(), now)
            .await?;
        Ok(TeamConferences {
            team_id: ctx.team.id,
            conferences,
            may_schedule: powers.decide,
            invitable: ctx
                .members
                .iter()
                .filter(|m| invitable(m, &members, now))
                .map(|m| InvitableMember {
                    id: m.id,
                    name: member_name(m),
                    is_own: m.id == ctx.own.id,
                })
                .collect(),
        })
    }

    fn conference_view(
        &self,
        ctx: &TeamContext,
        powers: &Powers,
        held: HeldConference,
        now: DateTime<Utc>,
    ) -> ConferenceView {
        let state = state_here(&held);
        let reaches = reaches_server(&held);
        let standing = held.standing_answer().cloned();
        let own = ctx.own.id;
        let invited = held.conference.invitees.iter().any(|i| i.member_id == own);
        let waiting = |s: &Option<AnswerSending>| matches!(s, Some(AnswerSending::Waiting));
        let sending = waiting(&held.scheduling)
            || (standing.is_some() && waiting(&held.answer_sending))
            || (held.cancelled_here.is_some() && waiting(&held.cancel_sending));
        let refusal = [&held.scheduling, &held.cancel_sending, &held.answer_sending]
            .into_iter()
            .find_map(|s| match s {
                Some(AnswerSending::Refused(reason)) => Some(reason.clone()),
                _ => None,
            });
        let c = held.conference;
        let invitees = c
            .invitees
            .into_iter()
            .map(|i| {
                let is_own = i.member_id == own;
                let (attendance, answered_by, answered_at) = match (&standing, is_own) {
                    (Some(a), true) => (a.attendance, a.by.clone(), Some(a.at)),
                    _ => (i.attendance, i.answered_by, i.answered_at),
                };
                InviteeView {
                    member_id: i.member_id,
                    name: ctx
                        .members
                        .iter()
                        .find(|m| m.id == i.member_id)
                        .map(member_name)
                        .unwrap_or_default(),
                    attendance,
                    answered_by,
                    answered_at,
                    is_own,
                }
            })
            .collect::<Vec<_>>();
        ConferenceView {
            id: c.id,
            starts_at: c.starts_at,
            when: when_ja(c.starts_at),
            place: c.place,
            link: c.link,
            note: c.note,
            state,
            organiser: c.organiser,
            organised_by_us: c.organiser_member == own,
            own_attendance: invitees.iter().find(|i| i.is_own).map(|i| i.attendance),
            invitees,
            may_answer: powers.answer
                && reaches
                && check_answer(state, c.starts_at, invited, now).is_ok(),
            may_cancel: powers.decide && reaches && check_cancel(state).is_ok(),
            sending,
            withheld: !held.confirmed && held.scheduling.is_none(),
            refusal,
            minutes_entry: c.minutes_entry,
        }
    }

    /// 「カンファレンスを設定する」: the physician sets a conference for the
    /// team. The start is read in Japan's time and checked with the rest
    /// by the domain against the team's members as this install holds
    /// them and the clock; mistakes come back by field where the domain
    /// says which, else with its message. Nothing is stored then.
    pub async fn schedule_conference(
        &self,
        team_id: &str,
        input: &ConferenceInput,
    ) -> Result<TeamConferences, AppError> {
        let ctx = self.team_context(team_id).await?;
        self.require(Capability::DecideCare)?;
        if !ctx.may_share {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let now = self.clock.now();
        if !self.conference_powers(&ctx, now)?.decide {
            return Err(not_organiser());
        }
        let author = self.team_author()?;
        let starts = starts_at(&input.date, &input.time).map_err(|e| {
            // The day alone is read the same way: if it reads, the time
            // is what is wrong.
            let field = if starts_at(&input.date, "00:00").is_ok() {
                "time"
            } else {
                "date"
            };
            AppError::field(field, e.0)
        })?;
        let link = input.link.trim();
        if !link.is_empty() {
            check_link(link).map_err(|e| AppError::field("link", e.0))?;
        }
        let mut invitees = Vec::with_capacity(input.invitee_member_ids.len());
        for id in &input.invitee_member_ids {
            invitees.push(parse_id(id).map_err(|_| {
                AppError::field("invitees", "招待するメンバーを選び直してください。")
            })?);
        }
        let members: Vec<TeamMember> = ctx.members.iter().map(MemberRecord::as_member).collect();
        let checked = check_conference(
            &ConferenceDraft {
                starts_at: starts,
                place: input.place.clone(),
                link: input.link.clone(),
                note: input.note.clone(),
                invitees: invitees.iter().map(Uuid::to_string).collect(),
            },
            &members,
            now,
        )
        .map_err(|e| rejected(ErrorCode::Validation, e))?;
        // The domain keeps each member once, in the order asked.
        let invitees: Vec<Uuid> = checked
            .invitees
            .iter()
            .filter_map(|id| Uuid::parse_str(id).ok())
            .collect();
        let record = ConferenceRecord {
            id: tsunagu_domain::new_id(),
            team_id: ctx.team.id,
            starts_at: checked.starts_at,
            place: checked.place.clone(),
            link: checked.link.clone(),
            note: checked.note.clone(),
            state: ConferenceState::Scheduled,
            organiser_member: ctx.own.id,
            organiser: format!(
                "{} {} {}",
                ctx.own.name,
                author.profession.label_ja(),
                author.name
            )
            .trim()
            .to_string(),
            invitees: invitees
                .iter()
                .map(|id| InviteeRecord {
                    member_id: *id,
                    attendance: Attendance::Pending,
                    answered_by: String::new(),
                    answered_at: None,
                })
                .collect(),
            minutes_entry: None,
            scheduled_at: now,
        };
        let op = self.team_operation(
            true,
            record.id,
            &TeamOp::ConferenceScheduled {
                team_id: ctx.team.id,
                conference_id: record.id,
                starts_at: checked.starts_at,
                place: checked.place,
                link: checked.link,
                note: checked.note,
                invitees,
                by: author.wire(),
            },
        )?;
        let actor = self.actor();
        self.store
            .schedule_conference(
                &record,
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now,
                },
            )
            .await?;
        self.team_conferences(&ctx.team.id.to_string()).await
    }

    /// The clinic's answer to its invitation: `attend`, `online` or
    /// `absent`, until the conference starts (the domain's
    /// `check_answer`). Any of the clinic's clinicians may say whether the
    /// clinic takes part; a later answer replaces an earlier one.
    pub async fn answer_conference(
        &self,
        conference_id: &str,
        attendance: &str,
    ) -> Result<TeamConferences, AppError> {
        let held = self.store.team_conference(parse_id(conference_id)?).await?;
        let ctx = self
            .team_context(&held.conference.team_id.to_string())
            .await?;
        if !ctx.may_share {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let attendance = Attendance::from_code(attendance)
            .filter(|a| *a != Attendance::Pending)
            .ok_or_else(|| AppError::field("attendance", "出欠を選んでください。"))?;
        if !reaches_server(&held) {
            return Err(not_sent());
        }
        let now = self.clock.now();
        let invited = held
            .conference
            .invitees
            .iter()
            .any(|i| i.member_id == ctx.own.id);
        check_answer(state_here(&held), held.conference.starts_at, invited, now).map_err(|e| {
            rejected(
                if invited {
                    ErrorCode::Conflict
                } else {
                    ErrorCode::Forbidden
                },
                e,
            )
        })?;
        let author = self.team_author()?;
        // The outbox row names a record of its own (the conference's id
        // names its setting).
        let op = self.team_operation(
            true,
            tsunagu_domain::new_id(),
            &TeamOp::ConferenceAnswered {
                team_id: ctx.team.id,
                conference_id: held.conference.id,
                attendance: attendance.code().to_string(),
                by: author.wire(),
            },
        )?;
        let actor = self.actor();
        self.store
            .answer_conference(
                held.conference.id,
                &AttendanceGivenHere {
                    attendance,
                    by: author.name,
                    at: now,
                },
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now,
                },
            )
            .await?;
        self.team_conferences(&ctx.team.id.to_string()).await
    }

    /// 中止にする: the physician calls a conference off (the domain's
    /// `check_cancel`); the server tells the team on the timeline.
    pub async fn cancel_conference(
        &self,
        conference_id: &str,
    ) -> Result<TeamConferences, AppError> {
        let held = self.store.team_conference(parse_id(conference_id)?).await?;
        let ctx = self
            .team_context(&held.conference.team_id.to_string())
            .await?;
        self.require(Capability::DecideCare)?;
        if !ctx.may_share {
            return Err(team_error(TeamError::NoTeamConsent));
        }
        let now = self.clock.now();
        if !self.conference_powers(&ctx, now)?.decide {
            return Err(not_organiser());
        }
        if !reaches_server(&held) {
            return Err(not_sent());
        }
        check_cancel(state_here(&held)).map_err(|e| rejected(ErrorCode::Conflict, e))?;
        let author = self.team_author()?;
        let op = self.team_operation(
            true,
            tsunagu_domain::new_id(),
            &TeamOp::ConferenceCancelled {
                team_id: ctx.team.id,
                conference_id: held.conference.id,
                by: author.wire(),
            },
        )?;
        let actor = self.actor();
        self.store
            .cancel_conference(
                held.conference.id,
                &TeamWrite {
                    operation: op.as_ref(),
                    actor: &actor,
                    now,
                },
            )
            .await
            .map_err(|e| match e {
                // Called off meanwhile in another window.
                StoreError::RequestChanged => match check_cancel(ConferenceState::Cancelled) {
                    Err(r) => rejected(ErrorCode::Conflict, r),
                    Ok(()) => AppError::from(e),
                },
                e => AppError::from(e),
            })?;
        self.team_conferences(&ctx.team.id.to_string()).await
    }
}

fn not_sent() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "このカンファレンスは地域連携サーバーに届いていないため、出欠や中止は送れません。",
    )
}
