//! NUL (U+0000) cannot be stored in PostgreSQL text: a value carrying one
//! would fail deep in a query as a server error. It is no character anyone
//! types, so it is refused at the door, with a coded answer, wherever it
//! can come in: the address, a posted form, a JSON body.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tsunagu_protocol::ErrorCode;

use crate::http::api::error::ApiError;
use crate::http::portal::pages::message;

const REFUSED: &str = "使えない文字（NUL）が含まれているため受け付けられません。";

/// A path or query with an encoded NUL is refused before any handler.
pub(crate) async fn refuse_in_address(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let has_nul = |text: &str| text.contains("%00");
    if has_nul(uri.path()) || uri.query().is_some_and(has_nul) {
        return if uri.path().starts_with("/v1/") {
            refused_api().into_response()
        } else {
            refused_page()
        };
    }
    next.run(request).await
}

pub(crate) fn refused_page() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "入力を読み取れませんでした",
        REFUSED,
    )
}

pub(crate) fn refused_api() -> ApiError {
    ApiError::new(ErrorCode::Malformed, REFUSED)
}

/// Whether a URL-encoded form carries a NUL in a name or a value.
pub(crate) fn in_form(body: &[u8]) -> bool {
    body.contains(&0)
        || serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).is_ok_and(|pairs| {
            pairs
                .iter()
                .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        })
}

/// Whether a JSON text carries a NUL: a raw zero byte, or a `\u0000`
/// escape (and not an escaped backslash followed by `u0000`).
pub(crate) fn in_json(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            0 => return true,
            b'\\' if body.get(i + 1) == Some(&b'u') => {
                if body.get(i + 2..i + 6) == Some(b"0000") {
                    return true;
                }
                i += 6;
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_however_it_is_written_and_only_then() {
        assert!(in_json(br#"{"name":"a\u0000b"}"#));
        assert!(!in_json(br#"{"name":"a\\u0000b"}"#), "an escaped backslash");
        assert!(in_json(br#"{"name":"a\\\u0000b"}"#));
        assert!(!in_json(br#"{"name":"\u00e9\n"}"#));
        assert!(in_form(b"login=a%00b&csrf=x"));
        assert!(in_form(b"a%00=b"));
        assert!(!in_form(b"login=a%2500b"), "a percent sign and two zeros");
    }
}
