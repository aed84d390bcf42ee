//! Why a team action was refused: a closed list, each with the Japanese
//! message the person who tried sees. No message names a patient.

use std::fmt;

use crate::referral::ReferralStatus;

use super::{EntryKind, FirstContactTopic, OrganisationKind, Profession, TeamRole};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamError {
    // Invitations
    InvitationExpired,
    InvitationCancelled,
    InvitationDeclined,
    AlreadyMember,
    /// A second acceptance while the administrator's approval is awaited.
    AlreadyAccepted,
    NotAwaitingApproval,
    NotYetExpired,
    OnlyInviteeAnswers,
    OnlyInviteeAdminApproves,
    OnlyInviterResendsOrCancels,
    // Whom an invitation may go to
    InviterNotActive,
    OrganisationStopped,
    NotInvitable(OrganisationKind),
    RoleDoesNotFit {
        role: TeamRole,
        kind: OrganisationKind,
    },
    PrimaryPhysicianIsTheOwner,
    ContactIsNotInvited,
    // Membership
    NotYetJoined,
    NeverJoined,
    AlreadyLeft,
    AlreadyRemoved,
    OnlyMemberLeaves,
    OnlyPhysicianRemoves,
    OwnerStays,
    // Access and posting
    NoTeamConsent,
    AccessEnded,
    /// A hospital's membership is its liaison office's (issue 17).
    HospitalOfficeOnly,
    // Ward staff (issue 17)
    WardInviteByOfficeOnly,
    WardStaffOfAnotherHospital,
    NotWardStaff(Profession),
    WardDaysOutOfRange,
    LeftCannotPost,
    NotYetMemberCannotPost,
    ContactOnlyHasNoAccess,
    ProfessionMayNotPost {
        profession: Profession,
        kind: EntryKind,
    },
    ProfessionMayNotRecordVitals(Profession),
    ProfessionMayNotRead(Profession),
    VitalsOnlyInVisitReports,
    SystemEntriesAreAutomatic,
    // Corrections and replies
    StrikeOnlyOwn,
    AlreadyStruck,
    ReplyCannotStrike,
    CorrectionMustMatch,
    SystemEntryCannotBeStruck,
    ReplyToReply,
    ReplyToStruck,
    // Requests (相談・依頼)
    NotARequest,
    RequestClosed,
    OnlyAskerOrPhysicianCloses,
    // News of where the patient is
    MayNotReport {
        role: TeamRole,
        status: ReferralStatus,
    },
    // First contacts
    FirstContactTaken(FirstContactTopic),
    FirstContactNotActive,
    FirstContactIsContactOnly,
    OnlyPhysicianSetsFirstContact,
}

impl TeamError {
    /// The message shown to the person who tried.
    pub fn message_ja(&self) -> String {
        use TeamError::*;
        match self {
            InvitationExpired => "この招待は期限が切れています".into(),
            InvitationCancelled => "この招待は取り消されています".into(),
            InvitationDeclined => "この招待は辞退されています".into(),
            AlreadyMember => "既に参加しています".into(),
            AlreadyAccepted => "既に承諾しています。機関の管理者の承認をお待ちください".into(),
            NotAwaitingApproval => "承認を待っている招待ではありません".into(),
            NotYetExpired => "この招待はまだ期限内です".into(),
            OnlyInviteeAnswers => "招待への返事は、招待された機関の方だけができます".into(),
            OnlyInviteeAdminApproves => {
                "参加の承認は、招待された機関の管理者だけができます".into()
            }
            OnlyInviterResendsOrCancels => {
                "招待の再送・取り消しは、招待した機関か主治医だけができます".into()
            }
            InviterNotActive => "チームに参加している機関だけが招待できます".into(),
            OrganisationStopped => "停止中の機関は招待できません".into(),
            NotInvitable(kind) => format!("{}はチームに招待できません", kind.label_ja()),
            RoleDoesNotFit { role, kind } => format!(
                "{}を「{}」として招待することはできません",
                kind.label_ja(),
                role.label_ja()
            ),
            PrimaryPhysicianIsTheOwner => {
                "主治医はチームを始めた医療機関です。ほかの機関を主治医として招待することはできません"
                    .into()
            }
            ContactIsNotInvited => {
                "家族の連絡先は招待しません。お名前と電話番号を登録してください".into()
            }
            NotYetJoined => "まだチームに参加していません".into(),
            NeverJoined => "この機関はチームに参加していません".into(),
            AlreadyLeft => "既にチームから外れています".into(),
            AlreadyRemoved => "既にチームから外されています".into(),
            OnlyMemberLeaves => "チームから外れる操作は、その機関の方だけができます".into(),
            OnlyPhysicianRemoves => "メンバーを外せるのは主治医だけです".into(),
            OwnerStays => {
                "主治医の医療機関はチームから外れることはできません".into()
            }
            NoTeamConsent => {
                "在宅チームでの共有について、本人またはご家族の同意が記録されていないため、共有できません"
                    .into()
            }
            AccessEnded => "このチームを見られる期間が終わっています".into(),
            HospitalOfficeOnly => {
                "病院としてチームに参加しているのは地域連携室です。病棟の職員は、連携室から個別に招待されたチームだけを見られます"
                    .into()
            }
            WardInviteByOfficeOnly => {
                "病棟の職員を招待できるのは、チームに参加している病院の地域連携室の方だけです"
                    .into()
            }
            WardStaffOfAnotherHospital => "招待できるのは自分の病院の職員だけです".into(),
            NotWardStaff(profession) => format!(
                "{}の方は病棟の職員として招待できません（病院主治医・病棟看護師・MSW・リハビリ）",
                profession.label_ja()
            ),
            WardDaysOutOfRange => {
                "退院・転院後に見られる日数は1日から90日までで指定してください".into()
            }
            LeftCannotPost => "チームから外れたため投稿できません".into(),
            NotYetMemberCannotPost => "チームに参加してから投稿してください".into(),
            ContactOnlyHasNoAccess => {
                "家族の連絡先として登録された方はタイムラインを使いません".into()
            }
            ProfessionMayNotPost { profession, kind } => format!(
                "{}の方は「{}」を投稿できません",
                profession.label_ja(),
                kind.label_ja()
            ),
            ProfessionMayNotRecordVitals(profession) => {
                format!("{}の方はバイタルサインを記録できません", profession.label_ja())
            }
            ProfessionMayNotRead(profession) => format!(
                "{}の方は在宅チームの記録（本文・バイタル・添付）を見られません",
                profession.label_ja()
            ),
            VitalsOnlyInVisitReports => "バイタルサインは訪問報告に記録してください".into(),
            SystemEntriesAreAutomatic => {
                "紹介の記録はタイムラインに自動で載ります。手で投稿することはできません".into()
            }
            StrikeOnlyOwn => "訂正できるのは自分の機関の投稿だけです".into(),
            AlreadyStruck => "この投稿は既に訂正されています".into(),
            ReplyCannotStrike => "返信で元の投稿を訂正することはできません".into(),
            CorrectionMustMatch => {
                "訂正は、元の投稿と同じ種類・同じ場所（投稿か返信か）で行ってください".into()
            }
            SystemEntryCannotBeStruck => {
                "紹介の記録はここでは訂正できません。紹介の画面で取り消してください".into()
            }
            ReplyToReply => "返信には返信できません。元の投稿に返信してください".into(),
            ReplyToStruck => {
                "この投稿は訂正されています。訂正後の投稿に返信してください".into()
            }
            NotARequest => "相談・依頼の投稿ではありません".into(),
            RequestClosed => "この相談・依頼は終了しています".into(),
            OnlyAskerOrPhysicianCloses => {
                "相談・依頼を終了できるのは、投稿した機関か主治医だけです".into()
            }
            MayNotReport { role, status } => format!(
                "{}の立場では「{}」を記録できません",
                role.label_ja(),
                status.label_ja()
            ),
            FirstContactTaken(topic) => format!(
                "「{}」の最初の連絡先が2つ以上あります。1つにしてください",
                topic.label_ja()
            ),
            FirstContactNotActive => {
                "最初の連絡先にできるのは、チームに参加している機関だけです".into()
            }
            FirstContactIsContactOnly => {
                "家族の連絡先は、チームの最初の連絡先にはできません".into()
            }
            OnlyPhysicianSetsFirstContact => "最初の連絡先を決めるのは主治医です".into(),
        }
    }
}

impl fmt::Display for TeamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_ja())
    }
}

impl std::error::Error for TeamError {}
