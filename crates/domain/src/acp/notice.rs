//! The post that tells the team the wishes changed: what the team must
//! know at a glance, in the order the emergency sheet gives it. A post's
//! body has a limit ([`BODY_MAX_CHARS`]); the patient's own words are
//! shortened to keep within it (the whole record stays at the clinic).

use super::{AcpRecord, Treatment};
use crate::format_wareki;
use crate::team::BODY_MAX_CHARS;

/// The most of 大切にしていること the notice carries.
const VALUES_SHOWN: usize = 500;

/// The timeline post announcing a new version, signed by `signature`.
pub fn team_notice_ja(record: &AcpRecord, signature: &str) -> String {
    let mut lines = vec![format!(
        "人生会議の記録を更新しました（{}の話し合い）。",
        format_wareki(record.held_on)
    )];
    for treatment in Treatment::ALL {
        let wish = record.wish(treatment);
        let label = if treatment == Treatment::Cpr {
            wish.cpr_label_ja()
        } else {
            wish.label_ja()
        };
        lines.push(format!("{}：{label}", treatment.label_ja()));
    }
    if !record.wishes_note.is_empty() {
        lines.push(format!("補足：{}", record.wishes_note));
    }
    lines.push(format!(
        "療養の場所：{}",
        AcpRecord::place_label_ja(record.place_of_care, &record.place_of_care_note)
    ));
    lines.push(format!(
        "最期を迎える場所：{}",
        AcpRecord::place_label_ja(record.place_of_death, &record.place_of_death_note)
    ));
    lines.push(match &record.surrogate {
        Some(s) if s.phone.is_empty() => format!("代理意思決定者：{}（{}）", s.name, s.relation),
        Some(s) => format!("代理意思決定者：{}（{}） {}", s.name, s.relation, s.phone),
        None => "代理意思決定者：決まっていません".to_string(),
    });
    if !record.values.is_empty() {
        lines.push(format!(
            "大切にしていること：{}",
            shorten(&record.values, VALUES_SHOWN)
        ));
    }
    let participants: Vec<String> = record.participants.iter().map(|p| p.label_ja()).collect();
    lines.push(format!("参加：{}", participants.join("、")));
    lines.push(format!("記録：{signature}"));
    shorten(&lines.join("\n"), BODY_MAX_CHARS)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}
