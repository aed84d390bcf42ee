//! A portal account's profession, and what each may do on a team's
//! timeline. Membership and consent are checked elsewhere
//! (`access::check_may_post`); this is only the profession's part.

/// The profession a portal account is registered with. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profession {
    /// 医師
    Physician,
    /// 歯科医師
    Dentist,
    /// 看護師 (准看護師・保健師 too)
    Nurse,
    /// 薬剤師
    Pharmacist,
    /// ケアマネジャー (介護支援専門員)
    CareManager,
    /// 理学療法士・作業療法士・言語聴覚士: one profession here, since the
    /// team's rules never tell them apart.
    Therapist,
    /// 介護職 (介護福祉士・ヘルパー)
    CareWorker,
    /// MSW・連携担当者
    Liaison,
    /// 事務
    Clerk,
}

/// What a profession may do on a team's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamCapability {
    /// Read the entries' text, vital signs and attachments.
    ReadClinicalText,
    /// Post 連絡, 相談・依頼 and 緊急, and reply.
    Post,
    /// Post a 訪問報告: the report of a visit to the patient's home.
    PostVisitReport,
    /// Put vital signs in a 訪問報告.
    RecordVitals,
}

impl Profession {
    pub const ALL: [Profession; 9] = [
        Profession::Physician,
        Profession::Dentist,
        Profession::Nurse,
        Profession::Pharmacist,
        Profession::CareManager,
        Profession::Therapist,
        Profession::CareWorker,
        Profession::Liaison,
        Profession::Clerk,
    ];

    pub fn code(self) -> &'static str {
        use Profession::*;
        match self {
            Physician => "physician",
            Dentist => "dentist",
            Nurse => "nurse",
            Pharmacist => "pharmacist",
            CareManager => "care_manager",
            Therapist => "therapist",
            CareWorker => "care_worker",
            Liaison => "liaison",
            Clerk => "clerk",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use Profession::*;
        match self {
            Physician => "医師",
            Dentist => "歯科医師",
            Nurse => "看護師",
            Pharmacist => "薬剤師",
            CareManager => "ケアマネジャー",
            Therapist => "理学療法士・作業療法士・言語聴覚士",
            CareWorker => "介護職",
            Liaison => "MSW・連携担当者",
            Clerk => "事務",
        }
    }

    /// - Everyone but 事務 reads and posts: the patient consented to sharing
    ///   with the team, and a care worker who cannot read that the
    ///   medication changed cannot do the job. 事務 reads no clinical text,
    ///   as on the clinic's PC (`account::StaffRole::Clerk`); it sees the
    ///   team's members and invitations, which are not clinical.
    /// - 訪問報告 is for those who visit the home: not MSW・連携担当者 (they
    ///   work in the hospital) and not 事務.
    /// - Vital signs: those who measure them in a visit. 介護職 may (taking
    ///   a temperature, an automatic blood pressure cuff and a pulse
    ///   oximeter are not 医行為, 医政発第0726005号); a care manager's
    ///   monitoring visit reports, but does not measure.
    pub fn may(self, capability: TeamCapability) -> bool {
        use Profession::*;
        match capability {
            TeamCapability::ReadClinicalText | TeamCapability::Post => self != Clerk,
            TeamCapability::PostVisitReport => !matches!(self, Liaison | Clerk),
            TeamCapability::RecordVitals => !matches!(self, CareManager | Liaison | Clerk),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn professions_round_trip() {
        for p in Profession::ALL {
            assert_eq!(Profession::from_code(p.code()), Some(p));
        }
        assert_eq!(Profession::from_code("doctor"), None);
        assert_eq!(
            Profession::Therapist.label_ja(),
            "理学療法士・作業療法士・言語聴覚士"
        );
    }

    #[test]
    fn clerks_neither_read_nor_post_and_liaisons_do_not_report_visits() {
        use TeamCapability::*;
        for cap in [ReadClinicalText, Post, PostVisitReport, RecordVitals] {
            assert!(!Profession::Clerk.may(cap), "{cap:?}");
            assert!(Profession::Nurse.may(cap), "{cap:?}");
        }
        assert!(Profession::Liaison.may(Post));
        assert!(!Profession::Liaison.may(PostVisitReport));
        assert!(Profession::CareManager.may(PostVisitReport));
        assert!(!Profession::CareManager.may(RecordVitals));
        assert!(Profession::CareWorker.may(RecordVitals));
    }
}
