//! The JP Core resources a document refers to (Patient, Organization,
//! Practitioner, Encounter, Condition, DocumentReference) and the section
//! shape, as JSON values.

use base64::Engine as _;
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::codes::{
    ACT_CODE_SYSTEM, DOC_TYPE_SYSTEM, DocumentKind, INSTITUTION_ID_SYSTEM,
    LIST_EMPTY_REASON_SYSTEM, NAME_REPRESENTATION_EXTENSION, PATIENT_ID_SYSTEM_PREFIX,
    PROFILE_CONDITION, PROFILE_DOCUMENT_REFERENCE, PROFILE_ENCOUNTER, PROFILE_ORGANIZATION,
    PROFILE_PATIENT, PROFILE_PRACTITIONER, SECTION_SYSTEM, Section,
};
use crate::xhtml;

/// A Bundle entry: its fullUrl and the resource, whose id is the UUID.
/// (A `Value` given to `json!` is serialised again, a deep copy: large
/// values are moved in instead, here and where documents are assembled.)
pub(crate) fn entry(full_url: &str, resource: Value) -> Value {
    let mut entry = json!({ "fullUrl": full_url });
    entry["resource"] = resource;
    entry
}

pub(crate) fn reference(full_url: &str, kind: &str) -> Value {
    json!({ "reference": full_url, "type": kind })
}

fn id_of(full_url: &str) -> &str {
    full_url.strip_prefix("urn:uuid:").unwrap_or(full_url)
}

/// The patient as JP Core asks: 患者番号 under the institution's OID, the
/// name in 漢字 (IDE) and in カナ (SYL).
pub(crate) fn patient(
    full_url: &str,
    institution_number: &str,
    patient_number: &str,
    name: &str,
    kana: &str,
    sex: &str,
    birth_date: NaiveDate,
) -> Value {
    let mut names = vec![human_name(name, "IDE")];
    let kana = katakana(kana);
    if !kana.trim().is_empty() {
        names.push(human_name(&kana, "SYL"));
    }
    json!({
        "resourceType": "Patient",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_PATIENT] },
        "identifier": [patient_identifier(institution_number, patient_number)],
        "name": names,
        "gender": gender(sex),
        "birthDate": birth_date.format("%Y-%m-%d").to_string(),
    })
}

pub(crate) fn patient_identifier(institution_number: &str, patient_number: &str) -> Value {
    json!({
        "system": format!("{PATIENT_ID_SYSTEM_PREFIX}{institution_number}"),
        "value": patient_number,
    })
}

pub(crate) fn institution_identifier(institution_number: &str) -> Value {
    json!({ "system": INSTITUTION_ID_SYSTEM, "value": institution_number })
}

/// The patient record's sex codes to FHIR's administrative gender.
pub(crate) fn gender(sex: &str) -> &'static str {
    match sex {
        "male" => "male",
        "female" => "female",
        "other" => "other",
        _ => "unknown",
    }
}

/// A HumanName split at the first space (full-width or not) into family
/// and given, with its ISO 21090 representation (IDE or SYL).
pub(crate) fn human_name(text: &str, representation: &str) -> Value {
    let text = text.trim();
    let mut parts = text.split([' ', '\u{3000}']).filter(|p| !p.is_empty());
    let family = parts.next().unwrap_or(text);
    let given: Vec<&str> = parts.collect();
    let mut name = json!({
        "extension": [{ "url": NAME_REPRESENTATION_EXTENSION, "valueCode": representation }],
        "use": "official",
        "text": text,
        "family": family,
    });
    if !given.is_empty() {
        name["given"] = json!([given.join(" ")]);
    }
    name
}

/// ひらがな → カタカナ: JP Core carries the reading in katakana; the app
/// stores it as typed (usually hiragana).
pub(crate) fn katakana(kana: &str) -> String {
    kana.chars()
        .map(|c| match c {
            '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

/// What an organisation shows of itself in a document.
pub(crate) struct OrganizationFacts<'a> {
    pub name: &'a str,
    /// 医療機関番号, when known (the issuer's is; an addressee's is not).
    pub number: Option<&'a str>,
    pub postal_code: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub fax: &'a str,
}

pub(crate) fn organization(full_url: &str, facts: &OrganizationFacts) -> Value {
    let mut org = json!({
        "resourceType": "Organization",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_ORGANIZATION] },
        "name": facts.name.trim(),
    });
    if let Some(number) = facts.number {
        org["identifier"] = json!([institution_identifier(number)]);
    }
    let mut telecom = Vec::new();
    if !facts.phone.trim().is_empty() {
        telecom.push(json!({ "system": "phone", "value": facts.phone.trim(), "use": "work" }));
    }
    if !facts.fax.trim().is_empty() {
        telecom.push(json!({ "system": "fax", "value": facts.fax.trim(), "use": "work" }));
    }
    if !telecom.is_empty() {
        org["telecom"] = Value::Array(telecom);
    }
    if !facts.address.trim().is_empty() {
        let mut address = json!({ "text": facts.address.trim(), "country": "JP" });
        if !facts.postal_code.trim().is_empty() {
            address["postalCode"] = json!(facts.postal_code.trim());
        }
        org["address"] = json!([address]);
    }
    org
}

pub(crate) fn practitioner(full_url: &str, name: &str) -> Value {
    json!({
        "resourceType": "Practitioner",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_PRACTITIONER] },
        "name": [human_name(name, "IDE")],
    })
}

/// The visit the document was written at: outpatient for a referral, the
/// stay (admission to discharge) for a discharge summary.
pub(crate) fn encounter(
    full_url: &str,
    patient_url: &str,
    stay: Option<(NaiveDate, NaiveDate)>,
) -> Value {
    let (code, display) = match stay {
        Some(_) => ("IMP", "inpatient encounter"),
        None => ("AMB", "ambulatory"),
    };
    let mut encounter = json!({
        "resourceType": "Encounter",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_ENCOUNTER] },
        "status": "finished",
        "class": { "system": ACT_CODE_SYSTEM, "code": code, "display": display },
        "subject": reference(patient_url, "Patient"),
    });
    if let Some((admitted, discharged)) = stay {
        encounter["period"] = json!({
            "start": admitted.format("%Y-%m-%d").to_string(),
            "end": discharged.format("%Y-%m-%d").to_string(),
        });
    }
    encounter
}

/// A diagnosis as written on the letter (text only: the app does not code
/// diagnoses to the MEDIS master yet).
pub(crate) fn condition(full_url: &str, patient_url: &str, text: &str, recorded: &str) -> Value {
    json!({
        "resourceType": "Condition",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_CONDITION] },
        "code": { "text": text.trim() },
        "subject": reference(patient_url, "Patient"),
        "recordedDate": recorded,
    })
}

/// The letter's PDF, carried inline (base64) so the Bundle stands alone.
pub(crate) fn pdf_reference(
    full_url: &str,
    kind: DocumentKind,
    patient_url: &str,
    author_url: &str,
    pdf: &[u8],
    issued: &str,
) -> Value {
    let mut reference = json!({
        "resourceType": "DocumentReference",
        "id": id_of(full_url),
        "meta": { "profile": [PROFILE_DOCUMENT_REFERENCE] },
        "status": "current",
        "type": { "coding": [doc_type_coding(kind)] },
        "subject": reference(patient_url, "Patient"),
        "date": issued,
        "author": [reference(author_url, "Organization")],
        "content": [{
            "attachment": {
                "contentType": "application/pdf",
                "language": "ja",
                "size": pdf.len(),
                "title": format!("{}.pdf", kind.title()),
                "creation": issued,
            }
        }],
    });
    reference["content"][0]["attachment"]["data"] =
        Value::String(base64::engine::general_purpose::STANDARD.encode(pdf));
    reference
}

pub(crate) fn doc_type_coding(kind: DocumentKind) -> Value {
    json!({ "system": DOC_TYPE_SYSTEM, "code": kind.type_code(), "display": kind.title() })
}

/// A section with its code, its text and its entries. A blank field still
/// gives its section: R4's cmp-1 wants text, entries or sub-sections in
/// every section, so it says 「記載なし」 and gives the reason in
/// `emptyReason` (cmp-2 allows it: no entries).
pub(crate) fn section(section: Section, text: &str, entries: Vec<Value>) -> Value {
    let mut value = json!({
        "title": section.title(),
        "code": { "coding": [{
            "system": SECTION_SYSTEM,
            "code": section.code(),
            "display": section.display(),
        }] },
    });
    let blank = text.trim().is_empty();
    let shown = if blank && entries.is_empty() {
        EMPTY_TEXT
    } else {
        text
    };
    if !shown.trim().is_empty() {
        value["text"] = json!({ "status": "additional", "div": xhtml::div(shown) });
    }
    if !entries.is_empty() {
        value["entry"] = Value::Array(entries);
    } else if blank {
        value["emptyReason"] = json!({ "coding": [{
            "system": LIST_EMPTY_REASON_SYSTEM,
            "code": "unavailable",
            "display": "Unavailable",
        }] });
    }
    value
}

/// What a section of a blank field says.
pub(crate) const EMPTY_TEXT: &str = "記載なし";

/// The 構造情報 section: no text of its own (the profile forbids it), the
/// clinical sections inside.
pub(crate) fn structured_section(children: Vec<Value>) -> Value {
    let mut value = section(Section::Structured, "", Vec::new());
    if let Some(map) = value.as_object_mut() {
        map.remove("emptyReason");
        map.remove("text");
    }
    value["section"] = Value::Array(children);
    value
}

/// The non-blank lines of a list field, as typed.
pub(crate) fn lines(items: &[String]) -> Vec<&str> {
    items
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kana_becomes_katakana() {
        assert_eq!(katakana("やまだ　たろう"), "ヤマダ　タロウ");
        assert_eq!(katakana("ヤマダ ゞ"), "ヤマダ ヾ");
    }

    #[test]
    fn names_split_at_the_first_space() {
        let name = human_name("山田　太郎", "IDE");
        assert_eq!(name["family"], "山田");
        assert_eq!(name["given"][0], "太郎");
        let single = human_name("山田", "IDE");
        assert_eq!(single["family"], "山田");
        assert!(single.get("given").is_none());
    }

    #[test]
    fn an_empty_section_says_why() {
        let s = section(Section::PastIllness, " ", Vec::new());
        assert_eq!(s["emptyReason"]["coding"][0]["code"], "unavailable");
        assert!(s["text"]["div"].as_str().unwrap_or("").contains(EMPTY_TEXT));
    }
}
