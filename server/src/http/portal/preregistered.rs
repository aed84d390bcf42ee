//! A liaison finds a pre-registered home patient (事前登録, issue 17): the
//! form (whole name, birth date, and the sex when several match) and the
//! one patient found, with the family doctor to call and the form that
//! records the admission without a letter (紹介状なし入院).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tsunagu_domain::format_birth_date;
use tsunagu_domain::preregistration::{AdmissionDraft, LookupDraft};

use crate::db::preregistration::Match;
use crate::http::portal::forms::{MAX_NOTE_CHARS, text};
use crate::http::portal::pages::{IdPath, database_error, message, render_with_status, user_view};
use crate::http::portal::session::{Posted, ReferralUser, forbidden};
use crate::model::Role;
use crate::services::preregistration::{LookedUp, found_again, look_up};
use crate::services::referrals::unplanned::{Admitted, admit};
use crate::services::referrals::view::today;
use crate::services::sessions::SignedIn;

/// What the admission form posts.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct AdmissionForm {
    date: String,
    ward: String,
    attending: String,
    note: String,
}

impl AdmissionForm {
    /// The form as first shown: the day of admission is today.
    fn blank() -> Self {
        AdmissionForm {
            date: today().to_string(),
            ..AdmissionForm::default()
        }
    }
}

/// The patient found, with the admission form as shown (blank, or as
/// posted with why it was refused).
struct Found<'a> {
    patient: &'a Match,
    admission: &'a AdmissionForm,
    refusal: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct LookupForm {
    name: String,
    birth_date: String,
    sex: String,
}

/// The empty form.
pub(crate) async fn form(ReferralUser(user): ReferralUser) -> Response {
    if user.role != Role::Liaison {
        return forbidden(&user);
    }
    page(&user, StatusCode::OK, &LookupForm::default(), None, None)
}

/// Records the admission of the patient just found; refused, the found
/// patient and the form are shown again with why.
pub(crate) async fn record_admission(
    State(state): State<crate::http::state::ServerState>,
    IdPath(patient): IdPath,
    Posted(ReferralUser(user), form): Posted<ReferralUser, AdmissionForm>,
) -> Response {
    if user.role != Role::Liaison {
        return forbidden(&user);
    }
    let draft = AdmissionDraft {
        date: form.date.clone(),
        ward: form.ward.clone(),
        attending: form.attending.clone(),
    };
    let admitted = match text(&form.note, "連絡事項", false, MAX_NOTE_CHARS) {
        Ok(note) => admit(&state.pool, &user, patient, &draft, &note).await,
        Err(why) => Ok(Admitted::Refused(why.0)),
    };
    let why = match admitted {
        Ok(Admitted::Opened(referral)) => {
            return Redirect::to(&format!("/portal/referrals/{referral}?recorded=admission"))
                .into_response();
        }
        Ok(Admitted::Forbidden) => return forbidden(&user),
        Ok(Admitted::Refused(why)) => why,
        Err(e) => return database_error(&e),
    };
    match found_again(&state.pool, &user, patient).await {
        Ok(Some(found)) => {
            let found = Found {
                patient: &found,
                admission: &form,
                refusal: Some(format!("{}。", why.trim_end_matches('。'))),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&user, status, &LookupForm::default(), Some(found), None)
        }
        Ok(None) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "入院を記録できません",
            &format!("{}。", why.trim_end_matches('。')),
        ),
        Err(e) => database_error(&e),
    }
}

/// The patient found, with the family doctor, as the template reads it.
fn patient_view(found: &Match) -> minijinja::Value {
    context! {
        id => found.patient_id,
        name => found.name,
        kana => found.kana,
        birth_date => format_birth_date(found.birth_date, today()),
        sex => tsunagu_domain::Sex::from_code(&found.sex).map(|s| s.label_ja()),
        clinic => found.clinic_name,
        clinic_phone => found.clinic_phone,
        clinic_fax => found.clinic_fax,
    }
}

/// The look-up.
pub(crate) async fn search(
    State(state): State<crate::http::state::ServerState>,
    Posted(ReferralUser(user), form): Posted<ReferralUser, LookupForm>,
) -> Response {
    if user.role != Role::Liaison {
        return forbidden(&user);
    }
    let draft = LookupDraft {
        name: form.name.clone(),
        birth_date: form.birth_date.clone(),
        sex: form.sex.clone(),
    };
    let hospital = user.organisation.id;
    match look_up(&state.pool, &user, hospital, &draft, today()).await {
        Ok(LookedUp::Found(patient)) => {
            let found = Found {
                patient: &patient,
                admission: &AdmissionForm::blank(),
                refusal: None,
            };
            page(&user, StatusCode::OK, &form, Some(found), None)
        }
        Ok(LookedUp::Nobody(why)) => page(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            None,
            Some(&why),
        ),
        Ok(LookedUp::RateLimited) => message(
            StatusCode::TOO_MANY_REQUESTS,
            "見つからない検索が続いています",
            "安全のため、しばらく検索できません。15分ほど待ってから、氏名・生年月日を確かめて、もう一度入力してください。",
        ),
        Err(e) => database_error(&e),
    }
}

fn page(
    user: &SignedIn,
    status: StatusCode,
    form: &LookupForm,
    found: Option<Found<'_>>,
    error: Option<&str>,
) -> Response {
    render_with_status(
        status,
        "preregistered.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            form => minijinja::Value::from_serialize(form),
            found => found.as_ref().map(|f| patient_view(f.patient)),
            admission => found.as_ref().map(|f| minijinja::Value::from_serialize(f.admission)),
            admission_error => found.and_then(|f| f.refusal),
            error => error,
            today => today().to_string(),
        },
    )
}
