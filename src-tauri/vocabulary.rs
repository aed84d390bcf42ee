//! The domain's codes and Japanese labels that the UI offers as choices,
//! written out as TypeScript constants (ui/src/api/vocabulary.ts) so the
//! UI never keeps a copy of its own.

use std::fmt::Write;

use tsunagu_app::{
    AcpParticipantRole, AcpPlace, Attendance, BedriddenLevel, CareLevel, DementiaLevel,
    DestinationKind, EntryKind, FirstContactTopic, MedicalDevice, OrderKind, OrganisationKind,
    ReferralStatus, StaffRole, TeamRole, Treatment, UlcerDepth, WardType, Wish, offers_for,
};

/// A TypeScript string literal (JSON's quoting is TypeScript's).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

pub fn typescript_vocabulary() -> String {
    let mut out = String::from(
        "// Generated from the domain's codes and labels (src-tauri/vocabulary.rs).\n\
         // Do not edit by hand: run `make bindings`.\n\n",
    );
    out.push_str(
        "/** The referral statuses, in the status machine's order, with their labels. */\n\
         export const REFERRAL_STATUSES: readonly { code: string; label: string }[] = [\n",
    );
    for status in ReferralStatus::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(status.code()),
            quoted(status.label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** Where a patient may be discharged to; `name` labels the field a kind needs. */\n\
         export const DISCHARGE_DESTINATIONS: readonly { code: string; label: string; name?: string }[] = [\n",
    );
    for kind in DestinationKind::ALL {
        let name = kind
            .name_label_ja()
            .map(|n| format!(", name: {}", quoted(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {}{name} }},",
            quoted(kind.code()),
            quoted(kind.choice_label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** A clinic account's job (職種), in the order the forms offer them. */\n\
         export const STAFF_ROLES: readonly { code: string; label: string }[] = [\n",
    );
    for role in StaffRole::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(role.code()),
            quoted(role.label_ja())
        );
    }
    out.push_str("];\n");
    team_vocabulary(&mut out);
    directory_vocabulary(&mut out);
    acp_vocabulary(&mut out);
    nursing_order_vocabulary(&mut out);
    out
}

/// A `{ code, label }` list as a TypeScript constant.
fn code_list(
    out: &mut String,
    doc: &str,
    name: &str,
    items: impl Iterator<Item = (&'static str, &'static str)>,
) {
    let _ = writeln!(
        out,
        "\n/** {doc} */\nexport const {name}: readonly {{ code: string; label: string }}[] = ["
    );
    for (code, label) in items {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(code),
            quoted(label)
        );
    }
    out.push_str("];\n");
}

/// The 人生会議 form's choices, in the form's order.
fn acp_vocabulary(out: &mut String) {
    code_list(
        out,
        "Who took part in a 人生会議.",
        "ACP_PARTICIPANT_ROLES",
        AcpParticipantRole::ALL
            .into_iter()
            .map(|r| (r.code(), r.label_ja())),
    );
    code_list(
        out,
        "Where the patient wishes to be cared for, or to die.",
        "ACP_PLACES",
        AcpPlace::ALL.into_iter().map(|p| (p.code(), p.label_ja())),
    );
    code_list(
        out,
        "The treatments the patient is asked about, in the form's order.",
        "ACP_TREATMENTS",
        Treatment::ALL.into_iter().map(|t| (t.code(), t.label_ja())),
    );
    code_list(
        out,
        "The answer about each treatment (「未定」 included).",
        "ACP_WISHES",
        Wish::ALL.into_iter().map(|w| (w.code(), w.label_ja())),
    );
}

/// The 訪問看護指示書's choices, in the printed form's order.
fn nursing_order_vocabulary(out: &mut String) {
    out.push_str(
        "\n/** The order's kinds: the form's title and number. */\n\
         export const NURSING_ORDER_KINDS: readonly { code: string; label: string; form: string }[] = [\n",
    );
    for kind in OrderKind::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {}, form: {} }},",
            quoted(kind.code()),
            quoted(kind.label_ja()),
            quoted(kind.form_number_ja())
        );
    }
    out.push_str("];\n");
    code_list(
        out,
        "寝たきり度 (障害高齢者の日常生活自立度).",
        "BEDRIDDEN_LEVELS",
        BedriddenLevel::ALL.iter().map(|l| (l.code(), l.label_ja())),
    );
    code_list(
        out,
        "認知症の状況 (認知症高齢者の日常生活自立度).",
        "DEMENTIA_LEVELS",
        DementiaLevel::ALL.iter().map(|l| (l.code(), l.label_ja())),
    );
    code_list(
        out,
        "要介護認定の状況.",
        "CARE_LEVELS",
        CareLevel::ALL.iter().map(|l| (l.code(), l.label_ja())),
    );
    out.push_str(
        "\n/** 褥瘡の深さ, with the classification each grade belongs to (DESIGN-R分類 / NPUAP分類). */\n\
         export const ULCER_DEPTHS: readonly { code: string; label: string; classification: string }[] = [\n",
    );
    for depth in UlcerDepth::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {}, classification: {} }},",
            quoted(depth.code()),
            quoted(depth.label_ja()),
            quoted(depth.classification_ja())
        );
    }
    out.push_str("];\n");
    code_list(
        out,
        "装着・使用医療機器等, numbered as on the form (「13.その他」 takes a name).",
        "MEDICAL_DEVICES",
        MedicalDevice::ALL.iter().map(|d| (d.code(), d.label_ja())),
    );
}

/// The directory search's choices: what each kind of organisation may say
/// it can do (the domain's `offers_for`, in the profile form's order) and
/// the ward types of 空床.
fn directory_vocabulary(out: &mut String) {
    out.push_str(
        "\n/** What an organisation of each kind may say it can do (対応できること), in the profile form's order. */\n\
         export const DIRECTORY_OFFERS: readonly { kind: string; offers: readonly { code: string; label: string }[] }[] = [\n",
    );
    for kind in OrganisationKind::ALL
        .into_iter()
        .filter(|k| k.may_join_team())
    {
        let offers: Vec<String> = offers_for(kind)
            .iter()
            .map(|o| {
                format!(
                    "{{ code: {}, label: {} }}",
                    quoted(o.code()),
                    quoted(o.label_ja())
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {{ kind: {}, offers: [{}] }},",
            quoted(kind.code()),
            offers.join(", ")
        );
    }
    out.push_str(
        "];\n\n\
         /** The ward types a hospital counts its beds by (空床). */\n\
         export const WARD_TYPES: readonly { code: string; label: string }[] = [\n",
    );
    for ward in WardType::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(ward.code()),
            quoted(ward.label_ja())
        );
    }
    out.push_str("];\n");
}

/// The team's choices: the kinds of organisation, the roles an invitation
/// may offer with the kinds that may hold each (the domain's
/// `may_be_held_by`), the kinds of post a person may write, and the first
/// contacts' topics.
fn team_vocabulary(out: &mut String) {
    out.push_str(
        "\n/** Kinds of organisation, as the directory lists them. */\n\
         export const ORGANISATION_KINDS: readonly { code: string; label: string }[] = [\n",
    );
    for kind in OrganisationKind::ALL
        .into_iter()
        .filter(|k| k.may_join_team())
    {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(kind.code()),
            quoted(kind.label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** The roles an invitation may offer, and the kinds of organisation that may hold each. */\n\
         export const TEAM_ROLES: readonly { code: string; label: string; kinds: readonly string[] }[] = [\n",
    );
    for role in TeamRole::ALL
        .into_iter()
        .filter(|r| !r.is_owner() && !r.is_contact_only())
    {
        let kinds: Vec<String> = OrganisationKind::ALL
            .into_iter()
            .filter(|k| role.may_be_held_by(*k))
            .map(|k| quoted(k.code()))
            .collect();
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {}, kinds: [{}] }},",
            quoted(role.code()),
            quoted(role.label_ja()),
            kinds.join(", ")
        );
    }
    out.push_str(
        "];\n\n\
         /** The kinds of post a person writes (referral events come by themselves). */\n\
         export const ENTRY_KINDS: readonly { code: string; label: string }[] = [\n",
    );
    for kind in EntryKind::ALL.into_iter().filter(|k| !k.is_system()) {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(kind.code()),
            quoted(kind.label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** What a first contact is for (夜間・休日…). */\n\
         export const FIRST_CONTACT_TOPICS: readonly { code: string; label: string }[] = [\n",
    );
    for topic in FirstContactTopic::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(topic.code()),
            quoted(topic.label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** The answers to a 退院時カンファレンス's invitation, in the order the buttons show them. */\n\
         export const ATTENDANCE_ANSWERS: readonly { code: string; label: string }[] = [\n",
    );
    for answer in [Attendance::Attend, Attendance::Online, Attendance::Absent] {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(answer.code()),
            quoted(answer.label_ja())
        );
    }
    out.push_str("];\n");
}

#[cfg(test)]
mod tests {
    const VOCABULARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/vocabulary.ts");

    /// The UI's choices must be the domain's (run with the bindings test:
    /// `make bindings` rewrites both).
    #[test]
    fn ipc_bindings_vocabulary_is_current() {
        let generated = super::typescript_vocabulary();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(VOCABULARY, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(VOCABULARY).unwrap_or_default();
        assert!(
            current == generated,
            "ui/src/api/vocabulary.ts is stale: run `make bindings` and commit the result"
        );
    }
}
