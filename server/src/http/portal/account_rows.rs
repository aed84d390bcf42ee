//! Accounts as the desk administrator's and an organisation
//! administrator's pages show them, the profession choices (from the
//! domain), and what a refused account says.

use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use serde::Serialize;
use uuid::Uuid;

use crate::http::portal::pages::{database_error, message, render, user_view};
use crate::model::{Approval, Role};
use crate::services::accounts::{ListedAccount, NewUser, Profession, UserError};
use crate::services::sessions::SignedIn;

#[derive(Serialize)]
pub(crate) struct AccountRow {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: &'static str,
    pub role_code: String,
    pub profession: &'static str,
    pub organisation: String,
    pub organisation_kind: &'static str,
    pub approval: &'static str,
    pub approval_code: String,
    pub second_factor: bool,
    pub disabled: bool,
    /// Failed sign-ins make this login wait (the administrator may clear them).
    pub sign_in_waits: bool,
    /// Keeps the organisation's directory profile (a member of staff).
    pub keeps_profile: bool,
}

impl AccountRow {
    pub(crate) fn of(u: ListedAccount, sign_in_waits: bool) -> AccountRow {
        AccountRow {
            id: u.id,
            role: Role::from_code(&u.role).map_or("", Role::label_ja),
            profession: Profession::from_code(&u.profession).map_or("", Profession::label_ja),
            organisation_kind: tsunagu_domain::team::OrganisationKind::from_code(
                &u.organisation_kind,
            )
            .map_or("", |k| k.label_ja()),
            approval: Approval::from_code(&u.approval).map_or("", Approval::label_ja),
            login: u.login,
            display_name: u.display_name,
            role_code: u.role,
            organisation: u.organisation,
            approval_code: u.approval,
            second_factor: u.second_factor,
            disabled: u.disabled,
            keeps_profile: u.keeps_profile,
            sign_in_waits,
        }
    }
}

/// Every profession, in the domain's order, with its label.
pub(crate) fn profession_choices() -> Vec<Value> {
    Profession::ALL
        .into_iter()
        .map(|p| context! { code => p.code(), label => p.label_ja() })
        .collect()
}

/// The first password, shown once.
pub(crate) fn created_page(
    user: &SignedIn,
    created: &NewUser,
    back: &str,
    pending: bool,
) -> Response {
    let advice = if pending {
        "このパスワードはこの画面でだけ表示されます。相談窓口が承認すると、本人がサインインできるようになります。本人に安全な方法で伝えてください。最初のサインインで、本人が新しいパスワードと二要素認証を設定します。"
    } else {
        "このパスワードはこの画面でだけ表示されます。本人に安全な方法で伝えてください。最初のサインインで、本人が新しいパスワードと二要素認証を設定します。"
    };
    render(
        "admin_created.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            title => "アカウントを作成しました",
            what => format!("ログインID {} の最初のパスワード", created.login),
            secret => created.initial_password,
            advice => advice,
            back => back,
        },
    )
}

/// How a refused account is answered.
pub(crate) enum Refused {
    /// On the form again, saying this.
    Form(&'static str),
    /// With a page of its own (the database, hashing).
    Page(Response),
}

/// What a refused account says.
pub(crate) fn refusal(e: UserError) -> Refused {
    match e {
        UserError::BadLogin => Refused::Form(
            "ログインIDは3〜40文字の半角英小文字・数字・「.」「_」「-」で入力してください。",
        ),
        UserError::BadName => Refused::Form("氏名を100文字までで入力してください。"),
        UserError::LoginTaken => Refused::Form("このログインIDは既に使われています。"),
        UserError::RoleDoesNotFit { .. } => Refused::Form(
            "連携担当者は病院に、管理者と相談窓口の職員は相談窓口に、機関の管理者と職員は相談窓口以外の機関に所属します。",
        ),
        UserError::NoOrganisation | UserError::NoSuchUser | UserError::NotPending => {
            Refused::Form("所属またはアカウントが見つかりません。")
        }
        UserError::Database(e) => Refused::Page(database_error(&e)),
        UserError::Hash(_) => Refused::Page(message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "アカウントを作成できませんでした",
            "もう一度お試しください。",
        )),
    }
}
