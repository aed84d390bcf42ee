//! 一括取り込み on the portal (issue 18): the desk uploads a provider list
//! (the open data or the simple layout), chooses its layout or lets the
//! header tell, and sees what was added, updated and refused, line by line.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use tsunagu_domain::directory::import::Layout;

use crate::http::portal::pages::{database_error, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, csrf_refused, forbidden};
use crate::http::state::ServerState;
use crate::services::directory_import::{self, Outcome, Report};
use crate::services::sessions::{SignedIn, same_secret};

pub(crate) async fn show(State(_): State<ServerState>, PortalUser(user): PortalUser) -> Response {
    if !user.is_desk() {
        return forbidden(&user);
    }
    page(&user, StatusCode::OK, "auto", None, None)
}

/// The form: `csrf`, `layout` (`auto` or a layout's code) and `file`.
pub(crate) async fn upload(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    mut form: Multipart,
) -> Response {
    if !user.is_desk() {
        return forbidden(&user);
    }
    let mut csrf = String::new();
    let mut layout = String::from("auto");
    let mut file: Option<Vec<u8>> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return too_large(&user),
        };
        match field.name().unwrap_or_default() {
            "file" => match field.bytes().await {
                Ok(bytes) if !bytes.is_empty() => file = Some(bytes.to_vec()),
                Ok(_) => {}
                Err(_) => return too_large(&user),
            },
            name => {
                let name = name.to_string();
                let Ok(text) = field.text().await else {
                    return too_large(&user);
                };
                match name.as_str() {
                    "csrf" => csrf = text,
                    "layout" => layout = text,
                    _ => {}
                }
            }
        }
    }
    if !same_secret(&csrf, &user.csrf) {
        return csrf_refused();
    }
    let Some(bytes) = file else {
        let error = "取り込むファイルを選んでください。";
        return page(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &layout,
            None,
            Some(error),
        );
    };
    let asked = Layout::from_code(&layout);
    match directory_import::import(&state.pool, &user, bytes, asked).await {
        Ok(Outcome::Done(report)) => {
            let status = if report.imported() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            page(&user, status, &layout, Some(&report), None)
        }
        Ok(Outcome::Forbidden) => forbidden(&user),
        Err(e) => database_error(&e),
    }
}

fn too_large(user: &SignedIn) -> Response {
    page(
        user,
        StatusCode::PAYLOAD_TOO_LARGE,
        "auto",
        None,
        Some(
            "ファイルを受け取れませんでした。取り込めるファイルは20MBまでです。大きい場合は分けて取り込んでください。",
        ),
    )
}

fn page(
    user: &SignedIn,
    status: StatusCode,
    layout: &str,
    report: Option<&Report>,
    error: Option<&str>,
) -> Response {
    let layouts: Vec<Value> = Layout::ALL
        .into_iter()
        .map(|l| context! { code => l.code(), label => l.label_ja() })
        .collect();
    let report = report.map(|r| {
        context! {
            imported => r.imported(),
            layout => r.layout.map(Layout::label_ja),
            encoding => r.encoding.map(|e| e.label_ja()),
            rows => r.rows,
            added => r.added,
            updated => r.updated,
            refused_count => r.refused.len(),
            file_refused => r.file_refused,
            refused => r.refused.iter().map(|row| context! {
                line => row.line,
                name => row.name,
                reason => row.reason,
            }).collect::<Vec<_>>(),
        }
    });
    render_with_status(
        status,
        "directory_import.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            layouts => layouts,
            chosen => layout,
            report => report,
            error => error,
        },
    )
}
