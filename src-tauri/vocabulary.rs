//! The domain's codes and Japanese labels that the UI offers as choices,
//! written out as TypeScript constants (ui/src/api/vocabulary.ts) so the
//! UI never keeps a copy of its own.

use std::fmt::Write;

use tsunagu_app::{DestinationKind, ReferralStatus, StaffRole};

/// A TypeScript string literal (JSON's quoting is TypeScript's).
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

pub fn typescript_vocabulary() -> String {
    let mut out = String::from(
        "// Generated from the domain's codes and labels (src-tauri/vocabulary.rs).\n\
         // Do not edit by hand: run `make bindings`.\n\n",
    );
    out.push_str(
        "/** The referral statuses, in the status machine's order, with their labels. */\n\
         export const REFERRAL_STATUSES: readonly { code: string; label: string }[] = [\n",
    );
    for status in ReferralStatus::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(status.code()),
            quoted(status.label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** Where a patient may be discharged to; `name` labels the field a kind needs. */\n\
         export const DISCHARGE_DESTINATIONS: readonly { code: string; label: string; name?: string }[] = [\n",
    );
    for kind in DestinationKind::ALL {
        let name = kind
            .name_label_ja()
            .map(|n| format!(", name: {}", quoted(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {}{name} }},",
            quoted(kind.code()),
            quoted(kind.choice_label_ja())
        );
    }
    out.push_str(
        "];\n\n\
         /** A clinic account's job (職種), in the order the forms offer them. */\n\
         export const STAFF_ROLES: readonly { code: string; label: string }[] = [\n",
    );
    for role in StaffRole::ALL {
        let _ = writeln!(
            out,
            "  {{ code: {}, label: {} }},",
            quoted(role.code()),
            quoted(role.label_ja())
        );
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    const VOCABULARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/vocabulary.ts");

    /// The UI's choices must be the domain's (run with the bindings test:
    /// `make bindings` rewrites both).
    #[test]
    fn ipc_bindings_vocabulary_is_current() {
        let generated = super::typescript_vocabulary();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(VOCABULARY, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(VOCABULARY).unwrap_or_default();
        assert!(
            current == generated,
            "ui/src/api/vocabulary.ts is stale: run `make bindings` and commit the result"
        );
    }
}
