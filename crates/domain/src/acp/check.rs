//! The ACP form as typed, and its check: every problem at once, by field,
//! in Japanese. Nothing of a refused form is kept.

use chrono::NaiveDate;

use super::{AcpRecord, Participant, ParticipantRole, Place, Surrogate, Treatment, Wish};
use crate::field_rules::{Checked, Collector, Lines, TextRule, check_phone, check_text};
use crate::parse_date;

/// One participant as typed: the role's code, a name, a relation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantDraft {
    pub role: String,
    pub name: String,
    pub relation: String,
}

/// The form as typed. Codes are the domain's (`Place::code`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcpDraft {
    pub held_on: String,
    pub participants: Vec<ParticipantDraft>,
    pub values: String,
    pub place_of_care: String,
    pub place_of_care_note: String,
    pub place_of_death: String,
    pub place_of_death_note: String,
    /// (treatment code, wish code); a treatment left out is unanswered.
    pub wishes: Vec<(String, String)>,
    pub wishes_note: String,
    pub surrogate_name: String,
    pub surrogate_relation: String,
    pub surrogate_phone: String,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcpField {
    HeldOn,
    /// The list as a whole (none, too many, the patient twice).
    Participants,
    /// The participant at this index.
    Participant(usize),
    Values,
    PlaceOfCare,
    PlaceOfCareNote,
    PlaceOfDeath,
    PlaceOfDeathNote,
    Wish(Treatment),
    WishesNote,
    SurrogateName,
    SurrogateRelation,
    SurrogatePhone,
    Notes,
}

impl AcpField {
    /// The form's field name: `participants.2`, `wish.cpr`.
    pub fn key(self) -> String {
        match self {
            AcpField::HeldOn => "heldOn".into(),
            AcpField::Participants => "participants".into(),
            AcpField::Participant(i) => format!("participants.{i}"),
            AcpField::Values => "values".into(),
            AcpField::PlaceOfCare => "placeOfCare".into(),
            AcpField::PlaceOfCareNote => "placeOfCareNote".into(),
            AcpField::PlaceOfDeath => "placeOfDeath".into(),
            AcpField::PlaceOfDeathNote => "placeOfDeathNote".into(),
            AcpField::Wish(t) => format!("wish.{}", t.code()),
            AcpField::WishesNote => "wishesNote".into(),
            AcpField::SurrogateName => "surrogateName".into(),
            AcpField::SurrogateRelation => "surrogateRelation".into(),
            AcpField::SurrogatePhone => "surrogatePhone".into(),
            AcpField::Notes => "notes".into(),
        }
    }
}

/// A conversation rarely has more; a longer list is a pasting mistake.
pub const MAX_PARTICIPANTS: usize = 20;
const NAME_MAX_CHARS: usize = 50;
const RELATION_MAX_CHARS: usize = 20;
const NOTE_MAX_CHARS: usize = 200;
const VALUES_MAX_CHARS: usize = 2000;
const NOTES_MAX_CHARS: usize = 4000;

/// Checks the form. The conversation's date may not be in the future (it
/// is recorded after it was held); someone must have taken part; every
/// treatment needs an answer (「未定」 included); a surrogate, if named,
/// needs the relation.
pub fn check_acp(draft: &AcpDraft, today: NaiveDate) -> Result<AcpRecord, Vec<(AcpField, String)>> {
    let mut errors = Collector::default();
    let held_on = errors.take(AcpField::HeldOn, held_on(&draft.held_on, today));
    let participants = check_participants(&draft.participants, &mut errors);
    let values = errors.take(
        AcpField::Values,
        text(
            &draft.values,
            "大切にしていること",
            VALUES_MAX_CHARS,
            Lines::Multi,
        ),
    );
    let place_of_care = errors.take(
        AcpField::PlaceOfCare,
        place(&draft.place_of_care, "療養の場所"),
    );
    let place_of_care_note = errors.take(
        AcpField::PlaceOfCareNote,
        text(
            &draft.place_of_care_note,
            "療養の場所の補足",
            NOTE_MAX_CHARS,
            Lines::Single,
        ),
    );
    let place_of_death = errors.take(
        AcpField::PlaceOfDeath,
        place(&draft.place_of_death, "最期を迎える場所"),
    );
    let place_of_death_note = errors.take(
        AcpField::PlaceOfDeathNote,
        text(
            &draft.place_of_death_note,
            "最期を迎える場所の補足",
            NOTE_MAX_CHARS,
            Lines::Single,
        ),
    );
    let wishes: Vec<Option<(Treatment, Wish)>> = Treatment::ALL
        .into_iter()
        .map(|t| {
            errors
                .take(AcpField::Wish(t), wish(&draft.wishes, t))
                .map(|w| (t, w))
        })
        .collect();
    let wishes_note = errors.take(
        AcpField::WishesNote,
        text(
            &draft.wishes_note,
            "医療・ケアの希望の補足",
            VALUES_MAX_CHARS,
            Lines::Multi,
        ),
    );
    let surrogate = check_surrogate(draft, &mut errors);
    let notes = errors.take(
        AcpField::Notes,
        text(&draft.notes, "その他の記録", NOTES_MAX_CHARS, Lines::Multi),
    );
    let errors = errors.into_vec();
    if !errors.is_empty() {
        return Err(errors);
    }
    match (
        held_on,
        participants,
        values,
        place_of_care,
        place_of_care_note,
        place_of_death,
        place_of_death_note,
        wishes_note,
        surrogate,
        notes,
    ) {
        (
            Some(held_on),
            Some(participants),
            Some(values),
            Some(place_of_care),
            Some(place_of_care_note),
            Some(place_of_death),
            Some(place_of_death_note),
            Some(wishes_note),
            Some(surrogate),
            Some(notes),
        ) => Ok(AcpRecord {
            held_on,
            participants,
            values,
            place_of_care,
            place_of_care_note,
            place_of_death,
            place_of_death_note,
            wishes: wishes.into_iter().flatten().collect(),
            wishes_note,
            surrogate,
            notes,
        }),
        // Every `None` above left a message, so this is unreachable; kept
        // as a refusal rather than a panic.
        _ => Err(vec![(
            AcpField::HeldOn,
            "入力内容を確認してください".into(),
        )]),
    }
}

fn held_on(raw: &str, today: NaiveDate) -> Checked<NaiveDate> {
    if raw.trim().is_empty() {
        return Err("話し合った日を入力してください".into());
    }
    let date = parse_date(raw)?;
    if date > today {
        return Err("話し合った日に先の日付は記録できません".into());
    }
    Ok(date)
}

fn text(raw: &str, label: &'static str, max_chars: usize, lines: Lines) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label,
            required: false,
            max_chars,
            lines,
        },
    )
}

fn place(code: &str, label: &str) -> Checked<Place> {
    Place::from_code(code.trim())
        .ok_or_else(|| format!("{label}を選んでください（決まっていなければ「未定」）").into())
}

fn wish(answers: &[(String, String)], treatment: Treatment) -> Checked<Wish> {
    answers
        .iter()
        .find(|(t, _)| t == treatment.code())
        .and_then(|(_, w)| Wish::from_code(w.trim()))
        .ok_or_else(|| {
            format!(
                "「{}」の希望を選んでください（決まっていなければ「未定」）",
                treatment.label_ja()
            )
            .into()
        })
}

fn check_participants(
    drafts: &[ParticipantDraft],
    errors: &mut Collector<AcpField>,
) -> Option<Vec<Participant>> {
    let drafts: Vec<(usize, &ParticipantDraft)> = drafts
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !(p.role.trim().is_empty() && p.name.trim().is_empty() && p.relation.trim().is_empty())
        })
        .collect();
    if drafts.is_empty() {
        errors.take::<()>(
            AcpField::Participants,
            Err("話し合いに参加した人を1人以上入力してください".into()),
        );
        return None;
    }
    if drafts.len() > MAX_PARTICIPANTS {
        errors.take::<()>(
            AcpField::Participants,
            Err(format!("参加した人は{MAX_PARTICIPANTS}人までです").into()),
        );
        return None;
    }
    let patients = drafts
        .iter()
        .filter(|(_, p)| p.role.trim() == ParticipantRole::Patient.code())
        .count();
    if patients > 1 {
        errors.take::<()>(
            AcpField::Participants,
            Err("「本人」は1回だけ入力してください".into()),
        );
    }
    let checked: Vec<Option<Participant>> = drafts
        .into_iter()
        .map(|(i, p)| errors.take(AcpField::Participant(i), participant(p)))
        .collect();
    (patients <= 1).then_some(())?;
    checked.into_iter().collect()
}

fn participant(draft: &ParticipantDraft) -> Checked<Participant> {
    let role = ParticipantRole::from_code(draft.role.trim())
        .ok_or_else(|| "参加した人の立場を選んでください".to_string())?;
    let family = role == ParticipantRole::Family;
    let name = check_text(
        &draft.name,
        TextRule {
            label: "参加した人の名前",
            required: family,
            max_chars: NAME_MAX_CHARS,
            lines: Lines::Single,
        },
    )?;
    let relation = if family {
        check_text(
            &draft.relation,
            TextRule {
                label: "家族の続柄",
                required: true,
                max_chars: RELATION_MAX_CHARS,
                lines: Lines::Single,
            },
        )?
    } else {
        String::new()
    };
    let name = if role == ParticipantRole::Patient {
        String::new()
    } else {
        name
    };
    Ok(Participant {
        role,
        name,
        relation,
    })
}

/// `Some(None)` when no surrogate is named; `None` when what was typed is
/// refused (the messages are collected).
fn check_surrogate(
    draft: &AcpDraft,
    errors: &mut Collector<AcpField>,
) -> Option<Option<Surrogate>> {
    let typed = [
        &draft.surrogate_name,
        &draft.surrogate_relation,
        &draft.surrogate_phone,
    ]
    .iter()
    .any(|f| !f.trim().is_empty());
    if !typed {
        return Some(None);
    }
    let name = errors.take(
        AcpField::SurrogateName,
        check_text(
            &draft.surrogate_name,
            TextRule {
                label: "代理で意思決定する人の名前",
                required: true,
                max_chars: NAME_MAX_CHARS,
                lines: Lines::Single,
            },
        ),
    );
    let relation = errors.take(
        AcpField::SurrogateRelation,
        check_text(
            &draft.surrogate_relation,
            TextRule {
                label: "代理で意思決定する人の続柄",
                required: true,
                max_chars: RELATION_MAX_CHARS,
                lines: Lines::Single,
            },
        ),
    );
    let phone = errors.take(
        AcpField::SurrogatePhone,
        check_phone(
            &draft.surrogate_phone,
            "代理で意思決定する人の電話番号",
            false,
        ),
    );
    Some(Some(Surrogate {
        name: name?,
        relation: relation?,
        phone: phone?,
    }))
}
