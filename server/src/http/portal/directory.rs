//! The directory's search on the portal (issue 18): everyone signed in
//! finds the region's organisations by kind, what they can do, the area
//! they serve, whether they take new patients now, open beds and name
//! (kanji or kana, any width, 旧字体 or 新字体); each result says how fresh
//! it is, and offers a 受入相談.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};
use tsunagu_domain::directory::beds::WardType;
use tsunagu_domain::directory::search::{SearchDraft, check_search};
use tsunagu_domain::directory::{Offer, offers_for};
use tsunagu_domain::team::OrganisationKind;

use crate::http::portal::pages::{database_error, render_with_status, user_view};
use crate::http::portal::session::PortalUser;
use crate::http::portal::teams::jst;
use crate::http::state::ServerState;
use crate::services::listings::{self, Listing};

/// Results on one page: a search narrows, it does not page.
const SHOWN: usize = 50;

/// The form as a query: `name`, `kind`, `municipality`, `accepting`,
/// `beds`, and a checkbox per offer (`offer_<code>`).
pub(crate) async fn search(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(fields): Query<BTreeMap<String, String>>,
) -> Response {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let draft = SearchDraft {
        name: field("name"),
        kind: field("kind"),
        offers: fields
            .keys()
            .filter_map(|k| k.strip_prefix("offer_"))
            .map(str::to_string)
            .collect(),
        municipality: field("municipality"),
        accepting_only: fields.contains_key("accepting"),
        open_beds: field("beds"),
    };
    let asked = !fields.is_empty();
    let (status, error, results, total) = match check_search(&draft) {
        Err(why) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(why.to_string()),
            Vec::new(),
            0,
        ),
        Ok(_) if !asked => (StatusCode::OK, None, Vec::new(), 0),
        Ok(query) => {
            match listings::search(&state.pool, &state.directory, &query, SHOWN, Utc::now()).await {
                Ok((found, total)) => (StatusCode::OK, None, found, total),
                Err(e) => return database_error(&e),
            }
        }
    };
    let region = match crate::services::directory::region(&state.pool).await {
        Ok(region) => region,
        Err(e) => return database_error(&e),
    };
    render_with_status(
        status,
        "directory.html",
        context! {
            region => region.municipalities(),
            me => user_view(&user),
            form => form_view(&draft),
            error => error,
            asked => asked,
            total => total,
            shown => results.len(),
            results => results.iter().map(result_view).collect::<Vec<_>>(),
        },
    )
}

/// The form's choices and what was typed.
fn form_view(draft: &SearchDraft) -> Value {
    let kinds: Vec<Value> = OrganisationKind::ALL
        .into_iter()
        .filter(|k| *k != OrganisationKind::Desk)
        .map(|k| context! { code => k.code(), label => k.label_ja(), selected => draft.kind == k.code() })
        .collect();
    // The chosen kind's offers, or every offer when no kind is chosen.
    let offers: Vec<Offer> = match OrganisationKind::from_code(&draft.kind) {
        Some(kind) => offers_for(kind).to_vec(),
        None => Offer::ALL.to_vec(),
    };
    let offers: Vec<Value> = offers
        .into_iter()
        .map(|o| context! { code => o.code(), label => o.label_ja(), checked => draft.offers.iter().any(|c| c == o.code()) })
        .collect();
    let wards: Vec<Value> = WardType::ALL
        .into_iter()
        .map(|w| context! { code => w.code(), label => w.label_ja(), selected => draft.open_beds == w.code() })
        .collect();
    context! {
        name => draft.name, municipality => draft.municipality,
        accepting => draft.accepting_only, kinds => kinds, offers => offers, wards => wards,
    }
}

fn result_view(l: &Listing) -> Value {
    context! {
        id => l.id,
        name => l.name,
        kind => l.kind.map(|k| k.label_ja()),
        phone => l.phone,
        fax => l.fax,
        address => l.address,
        hours => l.hours,
        area => l.municipalities.join("、"),
        offers => l.offers.iter().map(|o| o.label_ja()).collect::<Vec<_>>(),
        accepting => l.accepting.map(|a| a.label_ja()),
        accepting_code => l.accepting.map(|a| a.code()),
        beds => l.beds.iter().map(|(w, free, total, at)| context! {
            ward => w.label_ja(), free => free, total => total, at => jst(*at),
        }).collect::<Vec<_>>(),
        freshness => l.freshness.label_ja(),
        stale => l.freshness.stale,
    }
}
