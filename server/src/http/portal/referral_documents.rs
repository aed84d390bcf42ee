//! A hospital's 返書 or 退院時サマリー sent on the referral page (ADR
//! 0041): a multipart form (the session's CSRF token, the kind, the PDF),
//! and each document's download for those who may see the referral.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::http::portal::pages::{database_error, message, not_found};
use crate::http::portal::referral_page::{forbidden_referral, refused_form};
use crate::http::portal::session::{ReferralUser, csrf_refused};
use crate::http::portal::teams::percent_encode;
use crate::http::state::ServerState;
use crate::services::referrals::documents::{self, Upload, Uploaded};
use crate::services::sessions::same_secret;

/// Said when the body could not be read whole: over the upload limit, or
/// cut off.
pub(crate) const TOO_LARGE: &str = "ファイルを受け取れませんでした。送れるPDFは20MBまでです。ファイルを小さくしてから、もう一度送ってください。";

/// The form: `csrf`, `kind` (the domain's code) and `file`.
pub(crate) async fn upload(
    State(state): State<ServerState>,
    ReferralUser(user): ReferralUser,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let mut csrf = String::new();
    let mut kind = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return refused_form(&state, &user, id, TOO_LARGE, None).await,
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let Ok(bytes) = field.bytes().await else {
                return refused_form(&state, &user, id, TOO_LARGE, None).await;
            };
            file = Some((file_name, bytes.to_vec()));
            continue;
        }
        let Ok(text) = field.text().await else {
            return refused_form(&state, &user, id, TOO_LARGE, None).await;
        };
        match name.as_str() {
            "csrf" => csrf = text,
            "kind" => kind = text,
            _ => {}
        }
    }
    if !same_secret(&csrf, &user.csrf) {
        return csrf_refused();
    }
    let (file_name, bytes) = file.unwrap_or_default();
    let upload = Upload {
        kind: &kind,
        file_name: &file_name,
        bytes: &bytes,
    };
    match documents::upload(&state.pool, &user, id, upload).await {
        Ok(Uploaded::Done) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=document")).into_response()
        }
        Ok(Uploaded::Refused(reason)) => refused_form(&state, &user, id, &reason, None).await,
        Ok(Uploaded::Forbidden) => forbidden_referral(&user, id),
        Err(e) => database_error(&e),
    }
}

pub(crate) async fn download(
    State(state): State<ServerState>,
    ReferralUser(user): ReferralUser,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    match documents::download_for_user(&state.pool, &user, id).await {
        Ok(Some((row, bytes))) => {
            let disposition = format!("inline; filename*=UTF-8''{}", percent_encode(&row.name));
            (
                [
                    (header::CONTENT_TYPE, row.media_type),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => not_found(),
        Err(e) => database_error(&e),
    }
}

/// An upload refused by the body limit before it reached the form (its
/// Content-Length over the limit): a page that says why, not a bare 413.
pub(crate) async fn too_large_page(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"))
    {
        return response;
    }
    message(
        StatusCode::PAYLOAD_TOO_LARGE,
        "ファイルが大きすぎます",
        TOO_LARGE,
    )
}
