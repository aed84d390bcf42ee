//! The pinned 医療・介護連携サマリー at the top of a team's page (ADR
//! 0042): the wire's codes made into the domain's labels, as the
//! desktop's 人生会議 panel shows them (「希望しない」 in red, a DNAR badge).

use minijinja::{Value, context};
use tsunagu_domain::acp::{AcpRecord, Place, Treatment, Wish};
use tsunagu_domain::format_wareki;

use crate::http::portal::teams::jst;
use crate::services::teams::pinned::PinnedView;

pub(crate) fn pinned_view(pinned: &PinnedView) -> Value {
    let row = &pinned.row;
    let s = &row.summary.0;
    let wishes = s.wishes.as_ref().map(|w| {
        let place = |code: &str, note: &str| {
            Place::from_code(code).map(|p| AcpRecord::place_label_ja(p, note))
        };
        // Every treatment in the form's order; one not sent reads 「未定」,
        // never a blank.
        let answer = |t: Treatment| {
            w.treatments
                .iter()
                .find(|(code, _)| code == t.code())
                .and_then(|(_, wish)| Wish::from_code(wish))
                .unwrap_or(Wish::Undecided)
        };
        let treatments: Vec<Value> = Treatment::ALL
            .into_iter()
            .map(|t| {
                let wish = answer(t);
                context! {
                    treatment => t.label_ja(),
                    wish => if t == Treatment::Cpr { wish.cpr_label_ja() } else { wish.label_ja() },
                    wish_code => wish.code(),
                }
            })
            .collect();
        context! {
            held_on => format_wareki(w.held_on),
            dnar => answer(Treatment::Cpr) == Wish::Declines,
            treatments => treatments,
            wishes_note => w.wishes_note,
            place_of_care => place(&w.place_of_care, &w.place_of_care_note),
            place_of_death => place(&w.place_of_death, &w.place_of_death_note),
            values => w.values,
            surrogate => (!w.surrogate_name.is_empty()).then(|| {
                let phone = if w.surrogate_phone.is_empty() { String::new() } else { format!(" {}", w.surrogate_phone) };
                format!("{}（{}）{phone}", w.surrogate_name, w.surrogate_relation)
            }),
        }
    });
    context! {
        version => row.version,
        updated_at => jst(row.written_at),
        author => row.author,
        problems => s.problems,
        medications => s.medications,
        allergies => s.allergies,
        devices => s.devices,
        next_visit => s.next_visit.map(format_wareki),
        after_hours_phone => s.after_hours_phone,
        cautions => s.cautions,
        wishes => wishes,
        sheet => pinned.sheet.as_ref().map(|a| context! {
            id => a.id, size_kb => (a.size + 1023) / 1024,
        }),
    }
}
