//! The two JP-CLINS documents: the Composition with its sections and the
//! Bundle that carries it with every resource it refers to.

use chrono::{Datelike, NaiveDate, SecondsFormat};
use serde_json::{Value, json};
use tsunagu_domain::lab_results::LabResult;
use tsunagu_letters::{DischargeLetter, Header, ReferralLetter};

use crate::codes::{
    BUNDLE_IDENTIFIER_SYSTEM, DocumentKind, RESOURCE_IDENTIFIER_SYSTEM, Section,
    VERSION_NUMBER_EXTENSION,
};
use crate::ids::{Ids, check_patient_number, clins_identifier};
use crate::lab::{LabContext, lab_lines, lab_observation};
use crate::resources::{
    self, OrganizationFacts, condition, doc_type_coding, entry, lines, reference, section,
    structured_section,
};
use crate::{DocumentInput, FhirError};

/// What both documents share, checked once.
struct Frame<'a> {
    input: &'a DocumentInput<'a>,
    kind: DocumentKind,
    ids: Ids,
    identifier: String,
    /// Issue time as a FHIR instant (seconds and offset).
    issued: String,
}

impl<'a> Frame<'a> {
    fn new(input: &'a DocumentInput<'a>, kind: DocumentKind) -> Result<Frame<'a>, FhirError> {
        if !input.pdf.starts_with(b"%PDF-") {
            return Err(FhirError::NotAPdf);
        }
        check_patient_number(input.patient_number)?;
        let identifier = clins_identifier(
            input.institution_number,
            input.issued_at.year(),
            input.document_number,
        )?;
        // The same checks as issuing: a Bundle is never made of a letter
        // that could not have been issued.
        input.letter.check().map_err(FhirError::Letter)?;
        Ok(Frame {
            input,
            kind,
            ids: Ids::new(&identifier),
            identifier,
            issued: input.issued_at.to_rfc3339_opts(SecondsFormat::Secs, false),
        })
    }
}

/// The fullUrls of the resources every document has.
struct Urls {
    composition: String,
    patient: String,
    author: String,
    organization: String,
    encounter: String,
    addressee: String,
    addressee_doctor: String,
    pdf: String,
}

impl Urls {
    fn new(ids: &Ids) -> Urls {
        Urls {
            composition: ids.urn("composition"),
            patient: ids.urn("patient"),
            author: ids.urn("author"),
            organization: ids.urn("organization"),
            encounter: ids.urn("encounter"),
            addressee: ids.urn("addressee"),
            addressee_doctor: ids.urn("addressee-doctor"),
            pdf: ids.urn("pdf"),
        }
    }
}

pub(crate) fn referral(input: &DocumentInput, letter: &ReferralLetter) -> Result<Value, FhirError> {
    let frame = Frame::new(input, DocumentKind::Referral)?;
    let urls = Urls::new(&frame.ids);
    let (mut entries, condition_refs) =
        conditions(&frame, &urls, "condition", &lines(&letter.diagnoses));
    let (observations, observation_refs) = lab_observations(&frame, &urls, &letter.lab_results);
    entries.extend(observations);
    let mut clinical = vec![
        section(Section::ReferralPurpose, &letter.purpose, Vec::new()),
        section(
            Section::Problem,
            &lines(&letter.diagnoses).join("\n"),
            condition_refs,
        ),
        section(Section::PresentIllness, &letter.course, Vec::new()),
    ];
    if !letter.lab_results.is_empty() {
        clinical.push(section(
            Section::ExamsStudy,
            &lab_lines(&letter.lab_results),
            observation_refs,
        ));
    }
    clinical.extend([
        section(Section::PastIllness, &letter.history, Vec::new()),
        section(Section::ClinicalCourse, &letter.treatment, Vec::new()),
        section(
            Section::Medication,
            &lines(&letter.prescriptions).join("\n"),
            Vec::new(),
        ),
    ]);
    let mut remarks = letter.remarks.trim().to_owned();
    let enclosures = lines(&letter.enclosures);
    if !enclosures.is_empty() {
        if !remarks.is_empty() {
            remarks.push('\n');
        }
        remarks.push_str(&format!("添付資料：{}", enclosures.join("、")));
    }
    Ok(assemble(
        &frame,
        &urls,
        &letter.header,
        None,
        clinical,
        entries,
        &remarks,
    ))
}

pub(crate) fn discharge(
    input: &DocumentInput,
    letter: &DischargeLetter,
) -> Result<Value, FhirError> {
    let frame = Frame::new(input, DocumentKind::DischargeSummary)?;
    let urls = Urls::new(&frame.ids);
    let admission = lines(&letter.admission_diagnoses);
    let at_discharge = lines(&letter.discharge_diagnoses);
    let (mut condition_entries, admission_refs) =
        conditions(&frame, &urls, "admission-condition", &admission);
    let (discharge_entries, discharge_refs) =
        conditions(&frame, &urls, "discharge-condition", &at_discharge);
    condition_entries.extend(discharge_entries);
    let stay = || vec![reference(&urls.encounter, "Encounter")];
    let mut clinical = vec![
        section(
            Section::DetailsOnAdmission,
            &format!("入院日：{}", date_ja(letter.admitted_on)),
            stay(),
        ),
        section(
            Section::DiagnosesOnAdmission,
            &admission.join("\n"),
            admission_refs,
        ),
        section(
            Section::ChiefComplaints,
            &letter.chief_complaint,
            Vec::new(),
        ),
        section(Section::ReasonForAdmission, &letter.reason, Vec::new()),
        section(Section::PresentIllness, &letter.present_illness, Vec::new()),
        section(Section::HospitalCourse, &letter.hospital_course, Vec::new()),
    ];
    // In the text only: the eDischargeSummary Bundle has no slice for the
    // lab profile (ADR 0037).
    if !letter.lab_results.is_empty() {
        clinical.push(section(
            Section::HospitalStudy,
            &lab_lines(&letter.lab_results),
            Vec::new(),
        ));
    }
    clinical.extend([
        section(
            Section::DetailsOnDischarge,
            &format!("退院日：{}", date_ja(letter.discharged_on)),
            stay(),
        ),
        section(
            Section::DiagnosesOnDischarge,
            &at_discharge.join("\n"),
            discharge_refs,
        ),
        section(
            Section::MedicationOnDischarge,
            &lines(&letter.discharge_prescriptions).join("\n"),
            Vec::new(),
        ),
        section(Section::InstructionOnDischarge, &letter.plan, Vec::new()),
    ]);
    let remarks = match letter.contact.trim() {
        "" => String::new(),
        contact => format!("連絡先：{contact}"),
    };
    Ok(assemble(
        &frame,
        &urls,
        &letter.header,
        Some((letter.admitted_on, letter.discharged_on)),
        clinical,
        condition_entries,
        &remarks,
    ))
}

/// One Condition per diagnosis line, and the section's references to them.
fn conditions(
    frame: &Frame,
    urls: &Urls,
    role: &str,
    diagnoses: &[&str],
) -> (Vec<Value>, Vec<Value>) {
    diagnoses
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let url = frame.ids.urn(&format!("{role}:{i}"));
            let resource = condition(&url, &urls.patient, text, &frame.issued);
            (entry(&url, resource), reference(&url, "Condition"))
        })
        .unzip()
}

/// One Observation per lab result, and the section's references to them.
fn lab_observations(frame: &Frame, urls: &Urls, results: &[LabResult]) -> (Vec<Value>, Vec<Value>) {
    let context = LabContext {
        patient_url: &urls.patient,
        encounter_url: &urls.encounter,
        institution_number: frame.input.institution_number,
        identifier: &frame.identifier,
        issued: &frame.issued,
    };
    results
        .iter()
        .enumerate()
        .map(|(i, result)| {
            let url = frame.ids.urn(&format!("lab:{i}"));
            let resource = lab_observation(&url, &context, i + 1, result);
            (entry(&url, resource), reference(&url, "Observation"))
        })
        .unzip()
}

fn assemble(
    frame: &Frame,
    urls: &Urls,
    header: &Header,
    stay: Option<(NaiveDate, NaiveDate)>,
    clinical: Vec<Value>,
    clinical_entries: Vec<Value>,
    remarks: &str,
) -> Value {
    let input = frame.input;
    let from = &header.from;
    let to = &header.to;
    let patient = &header.patient;
    let addressee_named = !to.doctor.trim().is_empty();

    let mut to_refs = vec![reference(&urls.addressee, "Organization")];
    if addressee_named {
        to_refs.push(reference(&urls.addressee_doctor, "Practitioner"));
    }
    let mut sections = vec![
        section(
            Section::ReferralTo,
            &format!("{}　{}", to.institution.trim(), to.salutation()),
            to_refs,
        ),
        section(
            Section::ReferralFrom,
            &format!("{}　{}", from.clinic.trim(), from.doctor.trim()),
            vec![
                reference(&urls.organization, "Organization"),
                reference(&urls.author, "Practitioner"),
            ],
        ),
        section(
            Section::Pdf,
            &format!("{}（PDF）", frame.kind.title()),
            vec![reference(&urls.pdf, "DocumentReference")],
        ),
        structured_section(clinical),
    ];
    if !remarks.trim().is_empty() {
        sections.push(section(Section::RemarksCommunication, remarks, Vec::new()));
    }

    let mut composition = json!({
        "resourceType": "Composition",
        "id": frame.ids.id("composition"),
        "meta": {
            "lastUpdated": frame.issued,
            "profile": [frame.kind.composition_profile()],
        },
        "extension": [{
            "url": VERSION_NUMBER_EXTENSION,
            "valueString": header.version.to_string(),
        }],
        "identifier": { "system": RESOURCE_IDENTIFIER_SYSTEM, "value": frame.identifier },
        "status": "final",
        "type": { "coding": [doc_type_coding(frame.kind)], "text": frame.kind.title() },
        "category": [{ "coding": [doc_type_coding(frame.kind)] }],
        "subject": reference(&urls.patient, "Patient"),
        "encounter": reference(&urls.encounter, "Encounter"),
        "date": frame.issued,
        "author": [
            reference(&urls.author, "Practitioner"),
            reference(&urls.organization, "Organization"),
        ],
        "title": frame.kind.title(),
        "custodian": reference(&urls.organization, "Organization"),
    });
    composition["section"] = Value::Array(sections);

    let mut entries = vec![
        entry(&urls.composition, composition),
        entry(
            &urls.patient,
            resources::patient(
                &urls.patient,
                input.institution_number,
                input.patient_number,
                &patient.name,
                &patient.kana,
                &patient.sex,
                patient.birth_date,
            ),
        ),
        entry(
            &urls.author,
            resources::practitioner(&urls.author, &from.doctor),
        ),
        entry(
            &urls.organization,
            resources::organization(
                &urls.organization,
                &OrganizationFacts {
                    name: &from.clinic,
                    number: Some(input.institution_number),
                    postal_code: &from.postal_code,
                    address: &from.address,
                    phone: &from.phone,
                    fax: &from.fax,
                },
            ),
        ),
        entry(
            &urls.encounter,
            resources::encounter(&urls.encounter, &urls.patient, stay),
        ),
        entry(
            &urls.addressee,
            resources::organization(
                &urls.addressee,
                &OrganizationFacts {
                    name: &to.institution,
                    number: None,
                    postal_code: "",
                    address: "",
                    phone: "",
                    fax: "",
                },
            ),
        ),
    ];
    if addressee_named {
        entries.push(entry(
            &urls.addressee_doctor,
            resources::practitioner(&urls.addressee_doctor, &to.doctor),
        ));
    }
    entries.push(entry(
        &urls.pdf,
        resources::pdf_reference(
            &urls.pdf,
            frame.kind,
            &urls.patient,
            &urls.organization,
            input.pdf,
            &frame.issued,
        ),
    ));
    entries.extend(clinical_entries);

    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": frame.ids.id("bundle"),
        "meta": {
            "lastUpdated": frame.issued,
            "profile": [frame.kind.bundle_profile()],
        },
        "identifier": { "system": BUNDLE_IDENTIFIER_SYSTEM, "value": frame.identifier },
        "type": "document",
        "timestamp": frame.issued,
    });
    bundle["entry"] = Value::Array(entries);
    bundle
}

fn date_ja(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}
