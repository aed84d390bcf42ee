//! A liaison finds a pre-registered home patient (事前登録, issue 17): the
//! form (whole name, birth date, and the sex when several match) and the
//! one patient found, with the family doctor to call.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use serde::{Deserialize, Serialize};
use tsunagu_domain::format_birth_date;
use tsunagu_domain::preregistration::LookupDraft;

use crate::http::portal::pages::{database_error, message, render_with_status, user_view};
use crate::http::portal::session::{Posted, ReferralUser, forbidden};
use crate::model::Role;
use crate::services::preregistration::{LookedUp, look_up};
use crate::services::referrals::view::today;
use crate::services::sessions::SignedIn;

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
        Ok(LookedUp::Found(found)) => {
            let today = today();
            let patient = context! {
                name => found.name,
                kana => found.kana,
                birth_date => format_birth_date(found.birth_date, today),
                sex => tsunagu_domain::Sex::from_code(&found.sex).map(|s| s.label_ja()),
                clinic => found.clinic_name,
                clinic_phone => found.clinic_phone,
                clinic_fax => found.clinic_fax,
            };
            page(&user, StatusCode::OK, &form, Some(patient), None)
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
    found: Option<minijinja::Value>,
    error: Option<&str>,
) -> Response {
    render_with_status(
        status,
        "preregistered.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            form => minijinja::Value::from_serialize(form),
            found => found,
            error => error,
            today => today().to_string(),
        },
    )
}
