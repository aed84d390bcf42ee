//! The regional directory (issue 18): each organisation keeps its own
//! profile — contact, hours, the area it serves, what it can do (by kind)
//! and whether it takes new patients now — and each part shows when it
//! was last confirmed; a part not confirmed for 90 days is stale. The
//! talk's complaint this answers: 「調べても情報にはかたよりや限界がある」.

pub mod beds;
pub mod import;
mod region;
pub mod search;

use chrono::{DateTime, Duration, Utc};

use crate::field_rules::check_phone;
use crate::team::OrganisationKind;
pub use region::Region;

/// What an organisation can do, as its profile ticks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Offer {
    HomeVisits,
    HouseCalls,
    Around24h,
    SupportClinic,
    EnhancedSupport,
    Weekends,
    EndOfLife,
    Palliative,
    HomeOxygen,
    Ventilator,
    Tpn,
    TubeFeeding,
    PressureUlcers,
    Paediatric,
    Dementia,
    SpecialManagement,
    Therapists,
    Psychiatric,
    PharmacyVisits,
    SterileCompounding,
    Narcotics,
    HomeDental,
    OralCare,
    SwallowingAssessment,
    BackupBeds,
    RespiteAdmission,
}

impl Offer {
    pub const ALL: [Offer; 26] = [
        Offer::HomeVisits,
        Offer::HouseCalls,
        Offer::Around24h,
        Offer::SupportClinic,
        Offer::EnhancedSupport,
        Offer::Weekends,
        Offer::EndOfLife,
        Offer::Palliative,
        Offer::HomeOxygen,
        Offer::Ventilator,
        Offer::Tpn,
        Offer::TubeFeeding,
        Offer::PressureUlcers,
        Offer::Paediatric,
        Offer::Dementia,
        Offer::SpecialManagement,
        Offer::Therapists,
        Offer::Psychiatric,
        Offer::PharmacyVisits,
        Offer::SterileCompounding,
        Offer::Narcotics,
        Offer::HomeDental,
        Offer::OralCare,
        Offer::SwallowingAssessment,
        Offer::BackupBeds,
        Offer::RespiteAdmission,
    ];

    pub fn code(self) -> &'static str {
        use Offer::*;
        match self {
            HomeVisits => "home_visits",
            HouseCalls => "house_calls",
            Around24h => "around_24h",
            SupportClinic => "support_clinic",
            EnhancedSupport => "enhanced_support",
            Weekends => "weekends",
            EndOfLife => "end_of_life",
            Palliative => "palliative",
            HomeOxygen => "home_oxygen",
            Ventilator => "ventilator",
            Tpn => "tpn",
            TubeFeeding => "tube_feeding",
            PressureUlcers => "pressure_ulcers",
            Paediatric => "paediatric",
            Dementia => "dementia",
            SpecialManagement => "special_management",
            Therapists => "therapists",
            Psychiatric => "psychiatric",
            PharmacyVisits => "pharmacy_visits",
            SterileCompounding => "sterile_compounding",
            Narcotics => "narcotics",
            HomeDental => "home_dental",
            OralCare => "oral_care",
            SwallowingAssessment => "swallowing_assessment",
            BackupBeds => "backup_beds",
            RespiteAdmission => "respite_admission",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use Offer::*;
        match self {
            HomeVisits => "訪問診療",
            HouseCalls => "往診",
            Around24h => "24時間対応",
            SupportClinic => "在宅療養支援診療所・病院",
            EnhancedSupport => "機能強化型",
            Weekends => "土日祝の対応",
            EndOfLife => "看取り",
            Palliative => "緩和ケア・医療用麻薬",
            HomeOxygen => "在宅酸素",
            Ventilator => "人工呼吸器",
            Tpn => "中心静脈栄養",
            TubeFeeding => "経管栄養・胃ろう",
            PressureUlcers => "褥瘡",
            Paediatric => "小児",
            Dementia => "認知症",
            SpecialManagement => "特別管理",
            Therapists => "リハビリ職",
            Psychiatric => "精神科訪問看護",
            PharmacyVisits => "在宅訪問（薬剤）",
            SterileCompounding => "無菌調剤",
            Narcotics => "麻薬の調剤",
            HomeDental => "訪問歯科",
            OralCare => "口腔ケア",
            SwallowingAssessment => "嚥下評価",
            BackupBeds => "後方支援病床",
            RespiteAdmission => "レスパイト入院",
        }
    }
}

/// What an organisation of `kind` may tick, in the form's order.
pub fn offers_for(kind: OrganisationKind) -> &'static [Offer] {
    use Offer::*;
    use OrganisationKind as K;
    // A hospital offers what a clinic does, and its beds besides.
    const HOSPITAL: &[Offer] = &[
        HomeVisits,
        HouseCalls,
        Around24h,
        SupportClinic,
        EnhancedSupport,
        Weekends,
        EndOfLife,
        Palliative,
        HomeOxygen,
        Ventilator,
        Tpn,
        TubeFeeding,
        PressureUlcers,
        Paediatric,
        Dementia,
        BackupBeds,
        RespiteAdmission,
    ];
    const MEDICAL: &[Offer] = HOSPITAL.split_at(HOSPITAL.len() - 2).0;
    match kind {
        K::Clinic => MEDICAL,
        K::Hospital => HOSPITAL,
        K::VisitingNurseStation => &[
            Around24h,
            SpecialManagement,
            Therapists,
            Psychiatric,
            Paediatric,
            EndOfLife,
        ],
        K::Pharmacy => &[PharmacyVisits, SterileCompounding, Narcotics, Around24h],
        K::DentalClinic => &[HomeDental, OralCare, SwallowingAssessment],
        K::CareManagementOffice
        | K::HomeRehabilitation
        | K::CareService
        | K::CommunitySupportCenter
        | K::Desk => &[],
    }
}

/// Whether it takes new patients now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Accepting {
    Yes,
    Ask,
    No,
}

impl Accepting {
    pub const ALL: [Accepting; 3] = [Accepting::Yes, Accepting::Ask, Accepting::No];

    pub fn code(self) -> &'static str {
        match self {
            Accepting::Yes => "yes",
            Accepting::Ask => "ask",
            Accepting::No => "no",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Accepting::Yes => "受入可",
            Accepting::Ask => "要相談",
            Accepting::No => "受入不可",
        }
    }
}

/// The parts of a profile, each confirmed on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProfilePart {
    Contact,
    Hours,
    Area,
    Offers,
    Accepting,
    CareManagers,
}

impl ProfilePart {
    pub const ALL: [ProfilePart; 6] = [
        ProfilePart::Contact,
        ProfilePart::Hours,
        ProfilePart::Area,
        ProfilePart::Offers,
        ProfilePart::Accepting,
        ProfilePart::CareManagers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProfilePart::Contact => "contact",
            ProfilePart::Hours => "hours",
            ProfilePart::Area => "area",
            ProfilePart::Offers => "offers",
            ProfilePart::Accepting => "accepting",
            ProfilePart::CareManagers => "care_managers",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ProfilePart::Contact => "所在地・連絡先",
            ProfilePart::Hours => "受付時間",
            ProfilePart::Area => "対応地域",
            ProfilePart::Offers => "対応できること",
            ProfilePart::Accepting => "新規の受入",
            ProfilePart::CareManagers => "ケアマネジャー数",
        }
    }

    /// Whether an organisation of `kind` keeps this part.
    pub fn applies_to(self, kind: OrganisationKind) -> bool {
        match self {
            ProfilePart::Offers => !offers_for(kind).is_empty(),
            ProfilePart::CareManagers => kind == OrganisationKind::CareManagementOffice,
            _ => kind != OrganisationKind::Desk,
        }
    }
}

/// A part not confirmed for this long is stale, and its organisation is
/// reminded.
pub const STALE_AFTER_DAYS: i64 = 90;

/// Whether a part last confirmed at `confirmed_at` (never: `None`) is
/// stale at `now`.
pub fn is_stale(confirmed_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    confirmed_at.is_none_or(|at| now - at >= Duration::days(STALE_AFTER_DAYS))
}

pub const ADDRESS_MAX_CHARS: usize = 200;
pub const HOURS_MAX_CHARS: usize = 200;
pub const AREA_DETAIL_MAX_CHARS: usize = 500;
pub const MAX_RADIUS_KM: u16 = 50;
pub const MAX_CARE_MANAGERS: u16 = 200;

/// The profile form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileDraft {
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub hours: String,
    /// 市区町村, separated by 、 , or spaces.
    pub municipalities: String,
    /// 町丁目 or other detail of the area.
    pub area_detail: String,
    /// A radius in km, or empty.
    pub radius_km: String,
    /// `Offer` codes ticked.
    pub offers: Vec<String>,
    /// An `Accepting` code, or empty.
    pub accepting: String,
    pub care_managers: String,
}

/// A checked profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub hours: String,
    pub municipalities: Vec<String>,
    pub area_detail: String,
    pub radius_km: Option<u16>,
    pub offers: Vec<Offer>,
    pub accepting: Option<Accepting>,
    pub care_managers: Option<u16>,
}

/// The form's fields, for the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileField {
    Address,
    Phone,
    Fax,
    Hours,
    Municipalities,
    AreaDetail,
    RadiusKm,
    Offers,
    Accepting,
    CareManagers,
}

impl ProfileField {
    pub fn code(self) -> &'static str {
        match self {
            ProfileField::Address => "address",
            ProfileField::Phone => "phone",
            ProfileField::Fax => "fax",
            ProfileField::Hours => "hours",
            ProfileField::Municipalities => "municipalities",
            ProfileField::AreaDetail => "area_detail",
            ProfileField::RadiusKm => "radius_km",
            ProfileField::Offers => "offers",
            ProfileField::Accepting => "accepting",
            ProfileField::CareManagers => "care_managers",
        }
    }
}

/// Checks the form for an organisation of `kind` in `region`; every
/// problem at once.
pub fn check_profile(
    draft: &ProfileDraft,
    kind: OrganisationKind,
    region: &Region,
) -> Result<Profile, Vec<(ProfileField, String)>> {
    let mut errors = Vec::new();
    let mut text = |value: &str, field, max: usize, label: &str| {
        let value = value.trim().to_string();
        if value.chars().count() > max {
            errors.push((field, format!("{label}は{max}文字までです")));
        }
        value
    };
    let address = text(
        &draft.address,
        ProfileField::Address,
        ADDRESS_MAX_CHARS,
        "所在地",
    );
    let hours = text(
        &draft.hours,
        ProfileField::Hours,
        HOURS_MAX_CHARS,
        "受付時間",
    );
    let area_detail = text(
        &draft.area_detail,
        ProfileField::AreaDetail,
        AREA_DETAIL_MAX_CHARS,
        "対応地域の詳細",
    );
    let mut phone_of = |raw: &str, field, label| match check_phone(raw, label, false) {
        Ok(phone) => phone,
        Err(why) => {
            errors.push((field, why.0));
            String::new()
        }
    };
    let phone = phone_of(&draft.phone, ProfileField::Phone, "電話番号");
    let fax = phone_of(&draft.fax, ProfileField::Fax, "FAX番号");
    let municipalities = municipalities(&draft.municipalities, MAX_AREA_MUNICIPALITIES)
        .map_err(|e| e.to_string())
        .and_then(|names| match names.iter().find_map(|n| region.refuses(n)) {
            Some(why) => Err(why),
            None => Ok(names),
        })
        .map_err(|why| errors.push((ProfileField::Municipalities, why)))
        .unwrap_or_default();
    let number = |raw: &str| crate::normalize::nfkc(raw.trim()).parse::<u16>();
    let radius_km = match draft.radius_km.trim() {
        "" => None,
        raw => match number(raw) {
            Ok(km) if (1..=MAX_RADIUS_KM).contains(&km) => Some(km),
            _ => {
                errors.push((
                    ProfileField::RadiusKm,
                    format!("半径は1〜{MAX_RADIUS_KM}kmの数字で入力してください"),
                ));
                None
            }
        },
    };
    let allowed = offers_for(kind);
    let mut offers = Vec::new();
    for code in &draft.offers {
        match Offer::from_code(code) {
            Some(offer) if allowed.contains(&offer) => {
                if !offers.contains(&offer) {
                    offers.push(offer);
                }
            }
            Some(offer) => errors.push((
                ProfileField::Offers,
                format!(
                    "「{}」は{}の項目ではありません",
                    offer.label_ja(),
                    kind.label_ja()
                ),
            )),
            None => errors.push((
                ProfileField::Offers,
                "対応できることの値が正しくありません".into(),
            )),
        }
    }
    offers.sort_by_key(|o| allowed.iter().position(|a| a == o));
    let accepting = match draft.accepting.trim() {
        "" => None,
        code => {
            let accepting = Accepting::from_code(code);
            if accepting.is_none() {
                errors.push((
                    ProfileField::Accepting,
                    "新規の受入の値が正しくありません".into(),
                ));
            }
            accepting
        }
    };
    let care_managers = match draft.care_managers.trim() {
        "" => None,
        raw if kind == OrganisationKind::CareManagementOffice => match number(raw) {
            Ok(n) if n <= MAX_CARE_MANAGERS => Some(n),
            _ => {
                errors.push((
                    ProfileField::CareManagers,
                    format!("ケアマネジャー数は0〜{MAX_CARE_MANAGERS}の数字で入力してください"),
                ));
                None
            }
        },
        _ => {
            errors.push((
                ProfileField::CareManagers,
                format!("ケアマネジャー数は{}の項目ではありません", kind.label_ja()),
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Profile {
        address,
        phone,
        fax,
        hours,
        municipalities,
        area_detail,
        radius_km,
        offers,
        accepting,
        care_managers,
    })
}

/// An organisation serves at most this many 市区町村.
pub const MAX_AREA_MUNICIPALITIES: usize = 30;

/// 市区町村 as typed: each a name ending in 市, 区, 町 or 村, at most
/// `max`.
/// Why a list of 市区町村 was refused: a code the forms and the import
/// can tell apart, and the Japanese message shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MunicipalityError {
    #[error("「{0}」は市区町村名として読めません（例：豊島区、練馬区）")]
    NotAMunicipality(String),
    #[error("対応地域の市区町村は{0}までです")]
    TooMany(usize),
}

impl MunicipalityError {
    pub fn code(&self) -> &'static str {
        match self {
            MunicipalityError::NotAMunicipality(_) => "not_a_municipality",
            MunicipalityError::TooMany(_) => "too_many_municipalities",
        }
    }
}

pub(crate) fn municipalities(raw: &str, max: usize) -> Result<Vec<String>, MunicipalityError> {
    let normalized = crate::normalize::nfkc(raw);
    let mut names: Vec<String> = Vec::new();
    for name in normalized.split(|c: char| c == '、' || c == ',' || c.is_whitespace()) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let is_municipality = name.chars().count() <= 20
            && ['市', '区', '町', '村']
                .iter()
                .any(|end| name.ends_with(*end));
        if !is_municipality {
            return Err(MunicipalityError::NotAMunicipality(name.to_string()));
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    if names.len() > max {
        return Err(MunicipalityError::TooMany(max));
    }
    Ok(names)
}

#[cfg(test)]
mod tests;
