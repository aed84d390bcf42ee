//! What kind of organisation a row is: the open data's 「サービスの種類」
//! or the simple layout's 種別.

use crate::normalize::nfkc;
use crate::team::OrganisationKind;

/// 介護 services a 介護事業所 (`care_service`) provides, as the
/// 介護サービス情報公表システム names them (介護予防 variants are read
/// without the prefix).
const CARE_SERVICES: &[&str] = &[
    "訪問介護",
    "訪問入浴介護",
    "通所介護",
    "地域密着型通所介護",
    "療養通所介護",
    "通所リハビリテーション",
    "短期入所生活介護",
    "短期入所療養介護",
    "特定施設入居者生活介護",
    "地域密着型特定施設入居者生活介護",
    "福祉用具貸与",
    "特定福祉用具販売",
    "定期巡回・随時対応型訪問介護看護",
    "夜間対応型訪問介護",
    "認知症対応型通所介護",
    "小規模多機能型居宅介護",
    "認知症対応型共同生活介護",
    "地域密着型介護老人福祉施設入所者生活介護",
    "看護小規模多機能型居宅介護",
    "複合型サービス",
    "介護老人福祉施設",
    "介護老人保健施設",
    "介護医療院",
    "介護療養型医療施設",
];

/// The kind a service type is run as, or `None` for one the directory
/// does not take (居宅療養管理指導 is a clinic's or pharmacy's, listed
/// through the simple layout).
pub(super) fn service_kind(raw: &str) -> Option<OrganisationKind> {
    let name = nfkc(raw.trim());
    // 「短期入所療養介護（介護老人保健施設）」: the kind is before the note.
    let name = name.split('(').next().unwrap_or_default().trim();
    if matches!(name, "地域包括支援センター" | "介護予防支援") {
        return Some(OrganisationKind::CommunitySupportCenter);
    }
    let name = name.strip_prefix("介護予防").unwrap_or(name);
    match name {
        "訪問看護" => Some(OrganisationKind::VisitingNurseStation),
        "居宅介護支援" => Some(OrganisationKind::CareManagementOffice),
        "訪問リハビリテーション" => Some(OrganisationKind::HomeRehabilitation),
        _ if CARE_SERVICES.contains(&name) => Some(OrganisationKind::CareService),
        _ => None,
    }
}

/// A kind by its code or its label; a few everyday names too. Never the
/// desk: it runs the region, it is not imported.
pub(super) fn listed_kind(raw: &str) -> Option<OrganisationKind> {
    let name = nfkc(raw.trim());
    let everyday = match name.as_str() {
        "薬局" => Some(OrganisationKind::Pharmacy),
        "歯科" | "歯科医院" => Some(OrganisationKind::DentalClinic),
        "クリニック" | "医院" => Some(OrganisationKind::Clinic),
        _ => None,
    };
    everyday
        .or_else(|| OrganisationKind::from_code(&name.to_lowercase()))
        .or_else(|| {
            OrganisationKind::ALL
                .into_iter()
                .find(|k| nfkc(k.label_ja()) == name)
        })
        .filter(|k| *k != OrganisationKind::Desk)
}
