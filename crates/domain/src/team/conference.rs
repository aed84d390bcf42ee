//! 退院時カンファレンス (issue 17): the physician (the team's owner) or the
//! liaison of a hospital on the team schedules it on the timeline — when,
//! where or by which web-meeting link (the link is stored and shown; no
//! video is hosted), whom of the team and the ward it invites. Each
//! invitee answers 出席, 欠席 or オンライン until it starts; the day before,
//! the timeline reminds everyone; afterwards the minutes are posted as
//! its record, and the referral's history says that it took place.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

use crate::dates::parse_date;
use crate::field_rules::Rejection;

use super::{Profession, TeamMember, TeamRole};

/// How an invitee will take part. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attendance {
    Pending,
    Attend,
    Absent,
    Online,
}

impl Attendance {
    pub const ALL: [Attendance; 4] = [
        Attendance::Pending,
        Attendance::Attend,
        Attendance::Absent,
        Attendance::Online,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Pending => "pending",
            Attendance::Attend => "attend",
            Attendance::Absent => "absent",
            Attendance::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Attendance::Pending => "未回答",
            Attendance::Attend => "出席",
            Attendance::Absent => "欠席",
            Attendance::Online => "オンライン",
        }
    }
}

/// Where a conference stands. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConferenceState {
    Scheduled,
    /// Its minutes are posted.
    Held,
    Cancelled,
}

impl ConferenceState {
    pub const ALL: [ConferenceState; 3] = [
        ConferenceState::Scheduled,
        ConferenceState::Held,
        ConferenceState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConferenceState::Scheduled => "scheduled",
            ConferenceState::Held => "held",
            ConferenceState::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ConferenceState::Scheduled => "予定",
            ConferenceState::Held => "開催済み",
            ConferenceState::Cancelled => "中止",
        }
    }
}

/// The longest place, link and note.
pub const PLACE_MAX_CHARS: usize = 200;
pub const LINK_MAX_CHARS: usize = 500;
pub const NOTE_MAX_CHARS: usize = 1000;
/// How far ahead a conference may be set.
pub const AHEAD_DAYS: i64 = 180;
/// The reminder goes out this long before the start.
pub const REMINDER_HOURS: i64 = 24;

/// Japan's time has no daylight saving: always nine hours ahead.
const JAPAN_HOURS: i64 = 9;

/// What is asked for: the start (read from the form by `starts_at`, or
/// sent by the clinic's app), where, and whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceDraft {
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub link: String,
    pub note: String,
    /// The members invited (ids).
    pub invitees: Vec<String>,
}

/// A checked conference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conference {
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub link: String,
    pub note: String,
    pub invitees: Vec<String>,
}

/// Whether the member (and the account acting through it) may schedule a
/// conference, cancel it or post its minutes: the physician, or a
/// hospital's liaison office.
pub fn may_organise(member: &TeamMember, profession: Profession) -> bool {
    member.role.is_owner()
        || (member.role == TeamRole::Hospital
            && !member.personal
            && profession == Profession::Liaison)
}

/// The start as typed, in Japan's time.
pub fn starts_at(date: &str, time: &str) -> Result<DateTime<Utc>, Rejection> {
    if date.trim().is_empty() || time.trim().is_empty() {
        return Err("日付と開始時刻を入力してください。".into());
    }
    let day: NaiveDate =
        parse_date(date.trim()).map_err(|_| Rejection("日付が正しくありません。".into()))?;
    let time = crate::normalize::nfkc(time.trim());
    let at = NaiveTime::parse_from_str(&time, "%H:%M")
        .map_err(|_| Rejection("開始時刻は 14:00 のように入力してください。".into()))?;
    Ok((day.and_time(at) - Duration::hours(JAPAN_HOURS)).and_utc())
}

/// Checks the form: in the future, somewhere (a place or an http(s) link),
/// inviting active members of the team only.
pub fn check_conference(
    draft: &ConferenceDraft,
    members: &[TeamMember],
    now: DateTime<Utc>,
) -> Result<Conference, Rejection> {
    let starts_at = draft.starts_at;
    if starts_at <= now {
        return Err("過去の日時にはカンファレンスを設定できません。".into());
    }
    if starts_at > now + Duration::days(AHEAD_DAYS) {
        return Err("カンファレンスは180日以内の日時にしてください。".into());
    }
    let place = draft.place.trim().to_string();
    let link = draft.link.trim().to_string();
    if place.is_empty() && link.is_empty() {
        return Err("場所かWeb会議のリンクを入力してください。".into());
    }
    if place.chars().count() > PLACE_MAX_CHARS {
        return Err("場所は200文字までです。".into());
    }
    if !link.is_empty() {
        check_link(&link)?;
    }
    let note = draft.note.trim().to_string();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err("補足は1000文字までです。".into());
    }
    let mut invitees: Vec<String> = Vec::new();
    for id in &draft.invitees {
        let invitable = members
            .iter()
            .find(|m| &m.id == id)
            .is_some_and(|m| m.is_active_at(now) && !m.role.is_contact_only());
        if !invitable {
            return Err("招待できるのは、いまチームに参加しているメンバーだけです。".into());
        }
        if !invitees.contains(id) {
            invitees.push(id.clone());
        }
    }
    if invitees.is_empty() {
        return Err("招待するメンバーを選んでください。".into());
    }
    Ok(Conference {
        starts_at,
        place,
        link,
        note,
        invitees,
    })
}

/// A web-meeting link: an absolute http(s) address, nothing else (no
/// `javascript:`, no file paths).
pub fn check_link(link: &str) -> Result<(), Rejection> {
    if link.chars().count() > LINK_MAX_CHARS {
        return Err("Web会議のリンクは500文字までです。".into());
    }
    let parsed = url::Url::parse(link).map_err(|_| {
        Rejection("Web会議のリンクは https:// で始まるアドレスにしてください。".into())
    })?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err("Web会議のリンクは https:// で始まるアドレスにしてください。".into());
    }
    Ok(())
}

/// Whether an invitee may answer now: the conference is still to come.
pub fn check_answer(
    state: ConferenceState,
    starts_at: DateTime<Utc>,
    invited: bool,
    now: DateTime<Utc>,
) -> Result<(), Rejection> {
    if !invited {
        return Err("このカンファレンスに招待されていません。".into());
    }
    match state {
        ConferenceState::Cancelled => Err("このカンファレンスは中止になりました。".into()),
        ConferenceState::Held => Err("このカンファレンスは終わっています。".into()),
        ConferenceState::Scheduled if now >= starts_at => {
            Err("開始時刻を過ぎたため、出欠は変えられません。".into())
        }
        ConferenceState::Scheduled => Ok(()),
    }
}

/// Whether the minutes may be posted now: once, after the start, by an
/// organiser (`may_organise`), with some text.
pub fn check_minutes(
    state: ConferenceState,
    starts_at: DateTime<Utc>,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), Rejection> {
    match state {
        ConferenceState::Cancelled => return Err("このカンファレンスは中止になりました。".into()),
        ConferenceState::Held => return Err("このカンファレンスの記録は既にあります。".into()),
        ConferenceState::Scheduled if now < starts_at => {
            return Err("記録は開始時刻の後に投稿してください。".into());
        }
        ConferenceState::Scheduled => {}
    }
    if body.trim().is_empty() {
        return Err("カンファレンスの記録を入力してください。".into());
    }
    if body.chars().count() > super::BODY_MAX_CHARS {
        return Err("記録は4000文字までです。".into());
    }
    Ok(())
}

/// Whether a scheduled conference may be called off now (before it ends:
/// one with minutes took place).
pub fn check_cancel(state: ConferenceState) -> Result<(), Rejection> {
    match state {
        ConferenceState::Scheduled => Ok(()),
        ConferenceState::Held => Err("開催済みのカンファレンスは中止にできません。".into()),
        ConferenceState::Cancelled => Err("このカンファレンスは既に中止です。".into()),
    }
}

/// Whether the day-before reminder is due at `now`.
pub fn reminder_due(
    state: ConferenceState,
    starts_at: DateTime<Utc>,
    reminded: bool,
    now: DateTime<Utc>,
) -> bool {
    state == ConferenceState::Scheduled
        && !reminded
        && now < starts_at
        && starts_at - now <= Duration::hours(REMINDER_HOURS)
}

/// When, as the timeline says it: 12月10日(木) 14:00.
pub fn when_ja(starts_at: DateTime<Utc>) -> String {
    let local = (starts_at + Duration::hours(JAPAN_HOURS)).naive_utc();
    let weekday =
        ["月", "火", "水", "木", "金", "土", "日"][local.weekday().num_days_from_monday() as usize];
    format!(
        "{}({weekday}) {}",
        local.format("%-m月%-d日"),
        local.format("%H:%M")
    )
}

/// The timeline's line when a conference is set.
pub fn scheduled_entry_ja(c: &Conference, invitees: &[String]) -> String {
    let mut lines = vec![format!(
        "【退院時カンファレンス】{}〜",
        when_ja(c.starts_at)
    )];
    if !c.place.is_empty() {
        lines.push(format!("場所：{}", c.place));
    }
    if !c.link.is_empty() {
        lines.push(format!("Web会議：{}", c.link));
    }
    lines.push(format!("参加依頼：{}", invitees.join("、")));
    if !c.note.is_empty() {
        lines.push(c.note.clone());
    }
    lines.push("出欠（出席・欠席・オンライン）をお知らせください。".into());
    lines.join("\n")
}

/// The timeline's reminder the day before.
pub fn reminder_entry_ja(starts_at: DateTime<Utc>, place: &str, link: &str) -> String {
    let mut text = format!("【明日の退院時カンファレンス】{}〜", when_ja(starts_at));
    if !place.is_empty() {
        text.push_str(&format!("\n場所：{place}"));
    }
    if !link.is_empty() {
        text.push_str(&format!("\nWeb会議：{link}"));
    }
    text
}

/// The minutes as the timeline keeps them.
pub fn minutes_entry_ja(starts_at: DateTime<Utc>, body: &str) -> String {
    format!(
        "【退院時カンファレンスの記録】{}\n{}",
        when_ja(starts_at),
        body.trim()
    )
}

/// The referral's history: a note that it took place.
pub fn held_note_ja(starts_at: DateTime<Utc>) -> String {
    format!(
        "退院時カンファレンスを開催しました（{}）。記録は在宅チームのタイムラインにあります。",
        when_ja(starts_at)
    )
}

#[cfg(test)]
mod tests;
