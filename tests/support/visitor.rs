//! A browser without JavaScript for end-to-end tests: a cookie jar and
//! forms over HTTP against the real server, and the second factor's code.

use std::collections::HashMap;

use tsunagu_domain::team::Profession;
use tsunagu_server::users::{AccountRequest, Role, create_account};
use uuid::Uuid;

use crate::support::region::Region;

/// The password and second factor of [`nurse_of`]'s account.
pub const NURSE_PASSWORD: &str = "a long enough password";
pub const NURSE_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A nurse of `station` with her password and second factor set, as after
/// her first sign-in: her login.
pub async fn nurse_of(region: &Region, station: Uuid) -> String {
    account_of(
        region,
        station,
        "nurse.tanaka",
        Role::Staff,
        Profession::Nurse,
    )
    .await
}

/// An account of `organisation` with [`NURSE_PASSWORD`] and
/// [`NURSE_SECRET`] set, as after its first sign-in: its login.
pub async fn account_of(
    region: &Region,
    organisation: Uuid,
    login: &str,
    role: Role,
    profession: Profession,
) -> String {
    let request = AccountRequest {
        organisation,
        login,
        display_name: "田中 ゆき",
        role,
        profession,
    };
    let user = create_account(&region.pool, &request, "admin:test")
        .await
        .unwrap();
    let hash = tsunagu_server::users::hash_password(NURSE_PASSWORD).unwrap();
    sqlx::query(
        "UPDATE users SET password_hash = $2, must_change_password = false, totp_secret = $3
         WHERE id = $1",
    )
    .bind(user.id)
    .bind(hash)
    .bind(NURSE_SECRET)
    .execute(&region.owner)
    .await
    .unwrap();
    user.login
}

/// What the authenticator app shows now for `secret`.
pub fn totp_now(secret: &str, login: &str) -> String {
    let secret: String = secret.split_whitespace().collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    tsunagu_server::portal::current_code(&secret, login, now).expect("a valid secret")
}

/// A browser without JavaScript: a cookie jar and forms over HTTP.
pub struct Visitor {
    pub http: reqwest::Client,
    pub base: String,
    cookies: HashMap<String, String>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Visitor {
    pub fn new(base: &str) -> Visitor {
        Visitor {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: base.to_string(),
            cookies: HashMap::new(),
        }
    }

    /// The cookies to send, as a `Cookie` header.
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie = self.cookie_header();
        let response = request.header("cookie", cookie).send().await.unwrap();
        for set in response.headers().get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string()),
            body: response.text().await.unwrap(),
        }
    }

    /// Posts `fields` as `multipart/form-data`, as a browser sends a form
    /// that may carry a file (the team's post form).
    pub async fn post_form_data(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let boundary = "----tsunagu-e2e";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.send(request).await
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// The CSRF token of the page's first form.
    pub fn csrf(page: &Page) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = page.body.find(marker).expect("a form with a token") + marker.len();
        page.body[start..start + 64].to_string()
    }

    /// Signs in as a person whose second factor is `secret`; the CSRF token.
    pub async fn sign_in(&mut self, login: &str, password: &str, secret: &str) -> String {
        let page = self.get("/portal/login").await;
        let csrf = Self::csrf(&page);
        let page = self
            .post(
                "/portal/login",
                &[("login", login), ("password", password), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(
            page.location.as_deref(),
            Some("/portal/second-factor"),
            "{}",
            page.body
        );
        let page = self.get("/portal/second-factor").await;
        let csrf = Self::csrf(&page);
        let page = self
            .post(
                "/portal/second-factor",
                &[("code", &totp_now(secret, login)), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(page.location.as_deref(), Some("/portal"), "{}", page.body);
        let page = self.get("/portal/password").await;
        Self::csrf(&page)
    }
}
