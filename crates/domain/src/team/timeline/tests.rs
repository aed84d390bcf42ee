use super::*;

fn post(id: &str, kind: EntryKind, author: &str) -> EntryFacts {
    EntryFacts {
        id: id.into(),
        kind,
        author_member: Some(author.into()),
        reply_to: None,
        struck_by: None,
    }
}

#[test]
fn kinds_round_trip() {
    for k in EntryKind::ALL {
        assert_eq!(EntryKind::from_code(k.code()), Some(k));
    }
    assert!(EntryKind::Urgent.notifies_everyone_at_once());
    assert!(!EntryKind::Note.notifies_everyone_at_once());
    assert!(EntryKind::ReferralEvent.is_system());
}

#[test]
fn bodies_are_trimmed_limited_and_plain() {
    assert_eq!(
        check_body(EntryKind::Note, "  本日訪問予定です\n", false),
        Ok("本日訪問予定です".into())
    );
    assert_eq!(
        check_body(EntryKind::Note, "　", false),
        Err("本文を入力してください".into())
    );
    let long = "あ".repeat(BODY_MAX_CHARS + 1);
    assert_eq!(
        check_body(EntryKind::Note, &long, false),
        Err("本文は4,000文字以内で入力してください（現在4,001文字）".into())
    );
    assert!(check_body(EntryKind::Note, &"あ".repeat(BODY_MAX_CHARS), false).is_ok());
    assert!(
        check_body(EntryKind::Note, "a\u{0}b", false)
            .unwrap_err()
            .0
            .contains("制御文字")
    );
    // Markup is kept as typed; the UI escapes it.
    assert_eq!(
        check_body(EntryKind::Note, "<b>x</b>", false),
        Ok("<b>x</b>".into())
    );
    // A visit report may say it all in its vital signs, other kinds may not.
    assert_eq!(
        check_body(EntryKind::VisitReport, "", true),
        Ok(String::new())
    );
    assert!(check_body(EntryKind::VisitReport, "", false).is_err());
    assert!(check_body(EntryKind::Urgent, "", true).is_err());
}

#[test]
fn only_the_author_corrects_and_only_once() {
    let original = post("e1", EntryKind::VisitReport, "nurse");
    assert_eq!(
        check_correction(&original, EntryKind::VisitReport, None, "nurse"),
        Ok(())
    );
    assert_eq!(
        check_correction(&original, EntryKind::VisitReport, None, "pharmacy"),
        Err(TeamError::StrikeOnlyOwn)
    );
    let struck = EntryFacts {
        struck_by: Some("e2".into()),
        ..original.clone()
    };
    assert_eq!(
        check_correction(&struck, EntryKind::VisitReport, None, "nurse"),
        Err(TeamError::AlreadyStruck)
    );
    assert_eq!(
        check_correction(&original, EntryKind::Note, None, "nurse"),
        Err(TeamError::CorrectionMustMatch)
    );
}

#[test]
fn a_reply_cannot_strike_a_post_but_corrects_a_reply() {
    let original = post("e1", EntryKind::Request, "nurse");
    assert_eq!(
        check_correction(&original, EntryKind::Request, Some("e1"), "nurse"),
        Err(TeamError::ReplyCannotStrike)
    );
    let reply = EntryFacts {
        reply_to: Some("e1".into()),
        ..post("r1", EntryKind::Note, "clinic")
    };
    assert_eq!(
        check_correction(&reply, EntryKind::Note, Some("e1"), "clinic"),
        Ok(())
    );
    assert_eq!(
        check_correction(&reply, EntryKind::Note, None, "clinic"),
        Err(TeamError::CorrectionMustMatch)
    );
}

#[test]
fn system_entries_are_not_struck_here() {
    let event = EntryFacts {
        author_member: None,
        ..post("s1", EntryKind::ReferralEvent, "")
    };
    assert_eq!(
        check_correction(&event, EntryKind::ReferralEvent, None, "clinic"),
        Err(TeamError::SystemEntryCannotBeStruck)
    );
}

#[test]
fn replies_attach_to_live_posts() {
    let p = post("e1", EntryKind::Note, "nurse");
    assert_eq!(check_reply_target(&p), Ok(()));
    let reply = EntryFacts {
        reply_to: Some("e1".into()),
        ..post("r1", EntryKind::Note, "clinic")
    };
    assert_eq!(check_reply_target(&reply), Err(TeamError::ReplyToReply));
    let struck = EntryFacts {
        struck_by: Some("e2".into()),
        ..p
    };
    assert_eq!(check_reply_target(&struck), Err(TeamError::ReplyToStruck));
}
