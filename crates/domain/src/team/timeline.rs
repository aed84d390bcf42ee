//! A patient's timeline: entries are never edited or deleted. A correction
//! is a new entry that strikes the old one (both stay, the old one shown
//! struck through); a reply attaches to a post. Bodies are plain text: the
//! UI escapes them, so markup typed in is shown as typed.

use crate::field_rules::{Checked, Lines, TextRule, check_text};

use super::TeamError;

/// The longest body an entry may have, in characters.
pub const BODY_MAX_CHARS: usize = 4000;

/// What an entry is. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// 連絡
    Note,
    /// 訪問報告, with vital signs as fields.
    VisitReport,
    /// 相談・依頼: open until answered or closed (`request`).
    Request,
    /// 緊急: every member is notified at once.
    Urgent,
    /// A referral's event, written by the system (`referral_line`).
    ReferralEvent,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Note,
        EntryKind::VisitReport,
        EntryKind::Request,
        EntryKind::Urgent,
        EntryKind::ReferralEvent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::VisitReport => "visit_report",
            EntryKind::Request => "request",
            EntryKind::Urgent => "urgent",
            EntryKind::ReferralEvent => "referral_event",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            EntryKind::Note => "連絡",
            EntryKind::VisitReport => "訪問報告",
            EntryKind::Request => "相談・依頼",
            EntryKind::Urgent => "緊急",
            EntryKind::ReferralEvent => "紹介の記録",
        }
    }

    /// Written by the system, never posted by a person.
    pub fn is_system(self) -> bool {
        self == EntryKind::ReferralEvent
    }

    /// 緊急 reaches every member at once rather than waiting to be read.
    pub fn notifies_everyone_at_once(self) -> bool {
        self == EntryKind::Urgent
    }

    /// The notification's text: the kind only, never the patient or the
    /// body (OS notifications are seen by anyone near the screen).
    pub fn notification_ja(self) -> &'static str {
        match self {
            EntryKind::Urgent => "在宅チームに緊急の投稿があります",
            _ => "在宅チームに新しい投稿があります",
        }
    }
}

/// An entry's body: trimmed, 1 to [`BODY_MAX_CHARS`] characters, no control
/// characters but newlines and tabs. A 訪問報告 whose vital signs say it
/// all may have none.
pub fn check_body(kind: EntryKind, raw: &str, has_vitals: bool) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label: "本文",
            required: !(kind == EntryKind::VisitReport && has_vitals),
            max_chars: BODY_MAX_CHARS,
            lines: Lines::Multi,
        },
    )
}

/// What the rules need to know of an entry already on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFacts {
    pub id: String,
    pub kind: EntryKind,
    /// The member (organisation) that posted it; `None` for the system.
    pub author_member: Option<String>,
    pub reply_to: Option<String>,
    /// The correction that struck it, if any.
    pub struck_by: Option<String>,
}

/// Whether a new entry of `kind` by `author_member`, replying to
/// `reply_to`, may strike `original`. Only the organisation that posted
/// may correct, once, with an entry of the same kind in the same place (a
/// post by a post, a reply by a reply to the same post): a reply never
/// strikes the post it answers.
pub fn check_correction(
    original: &EntryFacts,
    kind: EntryKind,
    reply_to: Option<&str>,
    author_member: &str,
) -> Result<(), TeamError> {
    if original.kind.is_system() {
        return Err(TeamError::SystemEntryCannotBeStruck);
    }
    if original.author_member.as_deref() != Some(author_member) {
        return Err(TeamError::StrikeOnlyOwn);
    }
    if original.struck_by.is_some() {
        return Err(TeamError::AlreadyStruck);
    }
    if reply_to != original.reply_to.as_deref() {
        return Err(if reply_to.is_some() {
            TeamError::ReplyCannotStrike
        } else {
            TeamError::CorrectionMustMatch
        });
    }
    if kind != original.kind {
        return Err(TeamError::CorrectionMustMatch);
    }
    Ok(())
}

/// Whether `target` may be replied to: a post (threads are one level
/// deep), not one already corrected (the reply belongs under the
/// correction). Referral events may be discussed like any post.
pub fn check_reply_target(target: &EntryFacts) -> Result<(), TeamError> {
    if target.reply_to.is_some() {
        return Err(TeamError::ReplyToReply);
    }
    if target.struck_by.is_some() {
        return Err(TeamError::ReplyToStruck);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
