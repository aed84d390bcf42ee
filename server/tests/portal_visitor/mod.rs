#![allow(dead_code, reason = "each test binary uses its own share")]

//! The portal as a browser drives it, in-process: cookies, CSRF tokens, a
//! person with a second factor.

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;
use tsunagu_domain::team::Profession;
use tsunagu_protocol::OrgKind;
use tsunagu_server::users::{AccountRequest, Role, create_account};
use uuid::Uuid;

use crate::common::TestServer;

pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub retry_after: Option<u64>,
    pub set_cookies: Vec<String>,
    pub headers: axum::http::HeaderMap,
}

impl Page {
    /// The value a `Set-Cookie` of this answer gives `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies.iter().find_map(|c| {
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (n, v) = pair.split_once('=')?;
            (n == name).then(|| v.to_string())
        })
    }

    /// The first form's CSRF token.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a token") + marker.len();
        let end = self.body[start..].find('"').unwrap();
        self.body[start..start + end].to_string()
    }
}

pub async fn send(
    app: &Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Page {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(body.into()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header("location");
    let retry_after = header("retry-after").and_then(|v| v.parse().ok());
    let set_cookies = headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        location,
        retry_after,
        set_cookies,
        headers,
    }
}

/// A sign-in form's token (the same is in its cookie).
pub async fn login_csrf(app: &Router) -> String {
    let page = send(app, "GET", "/portal/login", &[], Body::empty()).await;
    page.cookie("tsunagu_login")
        .expect("the login form's cookie")
}

pub fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

pub async fn post_login(app: &Router, csrf: &str, login: &str, password: &str) -> Page {
    send(
        app,
        "POST",
        "/portal/login",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &format!("tsunagu_login={csrf}")),
        ],
        form(&[("login", login), ("password", password), ("csrf", csrf)]),
    )
    .await
}

/// A browser with a session.
#[derive(Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
}

impl Session {
    pub async fn get(&self, app: &Router, path: &str) -> Page {
        let cookie = format!("tsunagu_session={}", self.token);
        send(app, "GET", path, &[("cookie", &cookie)], Body::empty()).await
    }

    pub async fn post(&self, app: &Router, path: &str, fields: &[(&str, &str)]) -> Page {
        let cookie = format!("tsunagu_session={}", self.token);
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        send(
            app,
            "POST",
            path,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &cookie),
            ],
            form(&fields),
        )
        .await
    }
}

/// A portal account with its password replaced and a second factor.
pub struct Person {
    pub id: Uuid,
    pub login: String,
    pub password: String,
    pub secret: String,
}

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

impl Person {
    /// An approved account of `organisation` (any kind) with its
    /// profession, its password as issued and a second factor.
    pub async fn of(
        t: &TestServer,
        organisation: Uuid,
        login: &str,
        role: Role,
        profession: Profession,
    ) -> Person {
        let request = AccountRequest {
            organisation,
            login,
            display_name: "田中 ゆき",
            role,
            profession,
        };
        let user = create_account(&t.pool, &request, "admin:test")
            .await
            .unwrap();
        sqlx::query(
            "UPDATE users SET totp_secret = $1, must_change_password = false WHERE id = $2",
        )
        .bind(SECRET)
        .bind(user.id)
        .execute(&t.owner)
        .await
        .unwrap();
        Person {
            id: user.id,
            login: user.login,
            password: user.initial_password,
            secret: SECRET.to_string(),
        }
    }

    pub async fn create(t: &TestServer, kind: OrgKind, login: &str, role: Role) -> Person {
        let org = tsunagu_server::admin::create_organisation(
            &t.pool,
            kind,
            &format!("{login}の所属"),
            "admin:test",
        )
        .await
        .unwrap();
        let user = tsunagu_server::users::create_user(
            &t.pool,
            org.id,
            login,
            "テスト 太郎",
            role,
            "admin:test",
        )
        .await
        .unwrap();
        sqlx::query(
            "UPDATE users SET totp_secret = $1, must_change_password = false WHERE id = $2",
        )
        .bind(SECRET)
        .bind(user.id)
        .execute(&t.owner)
        .await
        .unwrap();
        Person {
            id: user.id,
            login: user.login,
            password: user.initial_password,
            secret: SECRET.to_string(),
        }
    }

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    /// What the authenticator app shows now.
    pub fn code(&self) -> String {
        tsunagu_server::portal::current_code(&self.secret, &self.login, Self::now()).unwrap()
    }

    /// A code of none of the steps accepted now.
    pub fn wrong_code(&self) -> String {
        let now = Self::now();
        let accepted: Vec<String> = [now - 30, now, now + 30]
            .iter()
            .map(|t| tsunagu_server::portal::current_code(&self.secret, &self.login, *t).unwrap())
            .collect();
        (0..1_000_000)
            .map(|n| format!("{n:06}"))
            .find(|c| !accepted.contains(c))
            .unwrap()
    }

    /// Signed in with the password; the second factor still to come.
    pub async fn past_password(&self, app: &Router) -> Session {
        let csrf = login_csrf(app).await;
        let page = post_login(app, &csrf, &self.login, &self.password).await;
        assert_eq!(page.status, 303, "{}", page.body);
        let token = page.cookie("tsunagu_session").expect("a session");
        let session = Session {
            token,
            csrf: String::new(),
        };
        let page = session.get(app, "/portal/second-factor").await;
        Session {
            csrf: page.csrf(),
            ..session
        }
    }

    /// Signed in with both factors.
    pub async fn signed_in(&self, app: &Router) -> Session {
        let session = self.past_password(app).await;
        let page = session
            .post(app, "/portal/second-factor", &[("code", &self.code())])
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
        let token = page.cookie("tsunagu_session").expect("a full session");
        let session = Session {
            token,
            csrf: String::new(),
        };
        let page = session.get(app, "/portal/password").await;
        Session {
            csrf: page.csrf(),
            ..session
        }
    }
}
