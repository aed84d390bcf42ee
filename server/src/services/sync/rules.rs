//! What a pushed operation may carry beyond being well-formed JSON. A value
//! that breaks these rules is refused on its own, as a conflict the clinic
//! sees, and never stored: stored, an unreadable sex or a tracking code
//! too long for its index would stop every device that pulls it.

use tsunagu_domain::patient::{KANA_MAX_CHARS, NAME_MAX_CHARS};
use tsunagu_domain::{EVENT_NOTE_MAX_CHARS, EVENT_TEXT_MAX_CHARS, Sex, TrackingCode};
use tsunagu_protocol::{OpBody, WireEvent, event_detail_texts, op_storable, op_texts};

use crate::services::actor::{Failure, refuse};

/// The longest any one text of an operation may be (a letter's purpose is
/// the longest that is expected).
pub const WIRE_TEXT_MAX_CHARS: usize = 4000;

pub(crate) fn check(body: &OpBody) -> Result<(), Failure> {
    if !op_storable(body) {
        return Err(refuse(
            "保存できない文字（NUL）または範囲外の日付（1〜9999年以外）を含む項目があります",
        ));
    }
    if op_texts(body)
        .iter()
        .any(|t| t.chars().count() > WIRE_TEXT_MAX_CHARS)
    {
        return Err(refuse(
            "文字数が多すぎる項目があります（1項目4,000文字まで）",
        ));
    }
    match body {
        OpBody::PatientShared {
            name, kana, sex, ..
        } => {
            if Sex::from_code(sex).is_none() {
                return Err(refuse("患者の性別の値が正しくありません"));
            }
            if name.trim().is_empty()
                || name.chars().count() > NAME_MAX_CHARS
                || kana.chars().count() > KANA_MAX_CHARS
            {
                return Err(refuse("患者の氏名またはふりがなが正しくありません"));
            }
            Ok(())
        }
        OpBody::ReferralOpened { tracking_code, .. } => {
            let canonical = TrackingCode::parse(tracking_code).map(|c| c.to_string());
            if canonical.as_deref() != Ok(tracking_code.as_str()) {
                return Err(refuse("追跡コードの形式が正しくありません"));
            }
            Ok(())
        }
        // Events (a referral's 紹介済 too) are checked by `event`, in
        // `referrals::events::append_event`, which the portal's events
        // also go through.
        OpBody::EventAppended { .. }
        | OpBody::ConsentRecorded { .. }
        | OpBody::ReferralAssigned { .. }
        | OpBody::ReferralClaimed { .. }
        | OpBody::LetterRevised { .. } => Ok(()),
        // Team operations and answers to discharge requests are checked by
        // the domain's rules where they are applied (`services::teams`,
        // `services::discharge_requests`, `services::intake_requests`).
        OpBody::Team(_)
        | OpBody::DischargeRequestAnswered(_)
        | OpBody::IntakeSent(_)
        | OpBody::IntakeAnswered(_)
        | OpBody::IntakeWithdrawn { .. } => Ok(()),
    }
}

/// The same limits as the forms of the desktop and the portal, for every
/// event whichever way it arrives.
pub(crate) fn event(event: &WireEvent) -> Result<(), Failure> {
    if event.details.is_none() && event.voids.is_none() && event.note.trim().is_empty() {
        return Err(refuse("内容のない記録は送れません"));
    }
    if event.note.chars().count() > EVENT_NOTE_MAX_CHARS {
        return Err(refuse("連絡事項は2,000文字までです"));
    }
    let too_long = event.details.as_ref().is_some_and(|d| {
        event_detail_texts(d)
            .iter()
            .any(|t| t.chars().count() > EVENT_TEXT_MAX_CHARS)
    });
    if too_long {
        return Err(refuse("記録の項目は200文字までです"));
    }
    Ok(())
}
