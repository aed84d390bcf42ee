use super::*;
use crate::team::{MemberState, ward_member};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// 2026-12-07 10:00 in Japan.
fn now() -> DateTime<Utc> {
    at("2026-12-07T01:00:00Z")
}

fn member(id: &str, role: TeamRole, state: MemberState) -> TeamMember {
    let (mut m, _) = ward_member(id.into());
    m.role = role;
    m.state = state;
    m.personal = false;
    m
}

fn team() -> Vec<TeamMember> {
    vec![
        member("owner", TeamRole::PrimaryPhysician, MemberState::Active),
        member("nurse", TeamRole::VisitingNurse, MemberState::Active),
        member("gone", TeamRole::Pharmacist, MemberState::Left),
        member("family", TeamRole::FamilyContact, MemberState::Active),
        member("office", TeamRole::Hospital, MemberState::Active),
    ]
}

fn draft() -> ConferenceDraft {
    ConferenceDraft {
        starts_at: starts_at("2026-12-10", "14:00").unwrap(),
        place: "北病院 3階 会議室".into(),
        link: "https://meet.example.jp/abc-defg".into(),
        note: String::new(),
        invitees: vec!["owner".into(), "nurse".into(), "nurse".into()],
    }
}

#[test]
fn a_conference_is_set_in_japans_time_for_members_of_the_team() {
    let c = check_conference(&draft(), &team(), now()).unwrap();
    assert_eq!(c.starts_at, at("2026-12-10T05:00:00Z"));
    assert_eq!(c.invitees, ["owner", "nurse"]);
    assert_eq!(when_ja(c.starts_at), "12月10日(木) 14:00");
    let line = scheduled_entry_ja(
        &c,
        &["さくら内科クリニック".into(), "みどり訪問看護".into()],
    );
    assert!(
        line.starts_with("【退院時カンファレンス】12月10日(木) 14:00〜\n場所：北病院 3階 会議室")
    );
    assert!(line.contains("Web会議：https://meet.example.jp/abc-defg"));
    assert!(line.contains("参加依頼：さくら内科クリニック、みどり訪問看護"));
    // Full-width digits in the time are read too.
    assert_eq!(starts_at("2026-12-10", "１４：００"), Ok(c.starts_at));
}

#[test]
fn the_past_outsiders_and_links_that_are_not_http_are_refused() {
    let refused = |d: ConferenceDraft| check_conference(&d, &team(), now()).unwrap_err().0;
    let past = ConferenceDraft {
        starts_at: starts_at("2026-12-07", "09:59").unwrap(),
        ..draft()
    };
    assert!(refused(past).contains("過去の日時"));
    let far = ConferenceDraft {
        starts_at: starts_at("2027-12-07", "14:00").unwrap(),
        ..draft()
    };
    assert!(refused(far).contains("180日以内"));
    for who in ["gone", "family", "stranger"] {
        let outsider = ConferenceDraft {
            invitees: vec![who.into()],
            ..draft()
        };
        assert!(
            refused(outsider).contains("チームに参加しているメンバーだけ"),
            "{who}"
        );
    }
    let nobody = ConferenceDraft {
        invitees: vec![],
        ..draft()
    };
    assert!(refused(nobody).contains("招待するメンバーを選んで"));
    for link in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "meet.example.jp/abc",
        "ftp://example.jp/x",
    ] {
        let bad = ConferenceDraft {
            link: link.into(),
            ..draft()
        };
        assert!(refused(bad).contains("https://"), "{link}");
    }
    let nowhere = ConferenceDraft {
        place: " ".into(),
        link: String::new(),
        ..draft()
    };
    assert!(refused(nowhere).contains("場所かWeb会議のリンク"));
    assert!(
        starts_at("2026-12-10", "2pm")
            .unwrap_err()
            .0
            .contains("14:00 のように")
    );
    assert!(
        starts_at("2026-02-30", "14:00")
            .unwrap_err()
            .0
            .contains("日付が正しくありません")
    );
    assert!(
        starts_at("", "14:00")
            .unwrap_err()
            .0
            .contains("日付と開始時刻")
    );
}

#[test]
fn only_the_physician_and_a_hospitals_liaison_office_organise() {
    let members = team();
    assert!(may_organise(&members[0], Profession::Clerk));
    assert!(may_organise(&members[4], Profession::Liaison));
    assert!(!may_organise(&members[4], Profession::Nurse));
    assert!(!may_organise(&members[1], Profession::Nurse));
    let (ward, _) = ward_member("ward".into());
    assert!(!may_organise(&ward, Profession::Liaison));
}

#[test]
fn invitees_answer_until_it_starts() {
    let start = at("2026-12-10T05:00:00Z");
    assert!(check_answer(ConferenceState::Scheduled, start, true, now()).is_ok());
    assert!(
        check_answer(ConferenceState::Scheduled, start, false, now())
            .unwrap_err()
            .0
            .contains("招待されていません")
    );
    assert!(
        check_answer(ConferenceState::Scheduled, start, true, start)
            .unwrap_err()
            .0
            .contains("開始時刻を過ぎた")
    );
    assert!(
        check_answer(ConferenceState::Cancelled, start, true, now())
            .unwrap_err()
            .0
            .contains("中止")
    );
    for a in Attendance::ALL {
        assert_eq!(Attendance::from_code(a.code()), Some(a));
    }
}

#[test]
fn the_minutes_come_once_after_the_start() {
    let start = at("2026-12-10T05:00:00Z");
    let later = start + Duration::hours(1);
    assert!(check_minutes(ConferenceState::Scheduled, start, "方針：在宅へ", later).is_ok());
    assert!(
        check_minutes(ConferenceState::Scheduled, start, "方針", now())
            .unwrap_err()
            .0
            .contains("開始時刻の後")
    );
    assert!(
        check_minutes(ConferenceState::Held, start, "方針", later)
            .unwrap_err()
            .0
            .contains("既にあります")
    );
    assert!(
        check_minutes(ConferenceState::Scheduled, start, "  ", later)
            .unwrap_err()
            .0
            .contains("記録を入力")
    );
    assert!(
        minutes_entry_ja(start, " 方針：在宅へ ")
            .starts_with("【退院時カンファレンスの記録】12月10日(木) 14:00\n方針：在宅へ")
    );
    assert!(held_note_ja(start).contains("12月10日(木) 14:00"));
    assert!(check_cancel(ConferenceState::Scheduled).is_ok());
    assert!(check_cancel(ConferenceState::Held).is_err());
}

#[test]
fn the_reminder_is_due_the_day_before_once() {
    let start = at("2026-12-10T05:00:00Z");
    let day_before = start - Duration::hours(23);
    assert!(!reminder_due(
        ConferenceState::Scheduled,
        start,
        false,
        start - Duration::hours(25)
    ));
    assert!(reminder_due(
        ConferenceState::Scheduled,
        start,
        false,
        day_before
    ));
    assert!(!reminder_due(
        ConferenceState::Scheduled,
        start,
        true,
        day_before
    ));
    assert!(!reminder_due(
        ConferenceState::Cancelled,
        start,
        false,
        day_before
    ));
    assert!(!reminder_due(
        ConferenceState::Scheduled,
        start,
        false,
        start
    ));
    assert!(
        reminder_entry_ja(start, "会議室", "")
            .starts_with("【明日の退院時カンファレンス】12月10日(木) 14:00〜\n場所：会議室")
    );
}
