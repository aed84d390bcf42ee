//! The workspace's layering, checked on every `cargo test`: which of our
//! crates each crate may depend on, and that only the desktop shell knows
//! Tauri and only the server knows axum. Reads `cargo metadata`, so a new
//! dependency in any Cargo.toml that breaks a rule fails here with the rule.
//!
//! Run it alone: `cargo test --test layering`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const ROOT: &str = "tsunagu";
const DOMAIN: &str = "tsunagu-domain";
const PROTOCOL: &str = "tsunagu-protocol";
const LETTERS: &str = "tsunagu-letters";
const FHIR: &str = "tsunagu-fhir";
const STORE: &str = "tsunagu-store";
const APP: &str = "tsunagu-app";
const SERVER: &str = "tsunagu-server";
const TESTKIT: &str = "tsunagu-testkit";

/// The workspace crates each crate may depend on (normal, build and dev
/// dependencies alike), exactly as the architecture draws it. The desktop
/// package's own dev-dependencies are free: its end-to-end tests run the
/// whole region (see `ROOT_DEV_ALLOWED`).
fn allowed_workspace_deps(package: &str) -> Option<&'static [&'static str]> {
    Some(match package {
        // The vocabulary: depends on no other crate of ours.
        DOMAIN => &[],
        // The wire format and the letters are about domain values only.
        PROTOCOL => &[DOMAIN],
        LETTERS => &[DOMAIN],
        // The FHIR documents are made of the letters and the ACP record.
        FHIR => &[DOMAIN, LETTERS],
        // The local store knows SQL and the keyring, not the wire or letters.
        STORE => &[DOMAIN],
        // The use cases: everything below the shells.
        APP => &[DOMAIN, STORE, LETTERS, FHIR, PROTOCOL],
        // The server shares the vocabulary and the wire, never the client.
        SERVER => &[DOMAIN, PROTOCOL],
        // The desktop shell: the app (its normal dependencies).
        ROOT => &[APP],
        // Test support: fixtures over the app and its store (any crate may
        // use it, as a dev-dependency only: see `TESTKIT` below).
        TESTKIT => &[DOMAIN, STORE, APP],
        _ => return None,
    })
}

/// What the desktop package's tests may use besides: the server they sync
/// with, and the crates they seed and inspect data through.
const ROOT_DEV_ALLOWED: &[&str] = &[APP, SERVER, PROTOCOL, STORE, DOMAIN];

/// Third-party crates a package must not reach, even indirectly, through
/// its normal dependencies: (package, forbidden crate, why).
fn forbidden_transitive(package: &str) -> Vec<(&'static str, &'static str)> {
    let mut rules = Vec::new();
    if package != ROOT {
        rules.push((
            "tauri",
            "only the desktop shell (the root package) knows Tauri",
        ));
    }
    if package != SERVER {
        rules.push(("axum", "only tsunagu-server knows axum"));
    }
    if package == SERVER {
        rules.push((STORE, "the server never uses the client's store"));
        rules.push((APP, "the server never uses the client's use cases"));
    }
    rules
}

/// The machine's target triple: the resolve is filtered to it, so cargo needs
/// only the packages a build here has already downloaded.
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// `cargo metadata` for the whole workspace, every feature on, read once.
fn metadata() -> &'static Value {
    static METADATA: OnceLock<Value> = OnceLock::new();
    METADATA.get_or_init(run_cargo_metadata)
}

fn run_cargo_metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--all-features"])
        .args(["--locked", "--offline", "--filter-platform", &host_triple()])
        .args(["--manifest-path", manifest])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("metadata without {key}: {value}"))
}

fn array_of<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map_or(&[], Vec::as_slice)
}

/// `cargo metadata`, reduced to what the rules need.
struct Workspace {
    /// Member name -> its declared dependencies on other members, with
    /// their kind ("normal", "dev" or "build").
    declared: BTreeMap<String, Vec<(String, String)>>,
    /// Package id -> (name, ids of its normal and build dependencies).
    resolved: BTreeMap<String, (String, Vec<String>)>,
    /// Member name -> package id.
    member_ids: BTreeMap<String, String>,
}

impl Workspace {
    fn load() -> Workspace {
        let meta = metadata();
        let member_ids: BTreeSet<&str> = array_of(meta, "workspace_members")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let packages = array_of(meta, "packages");
        let members: BTreeMap<String, String> = packages
            .iter()
            .filter(|p| member_ids.contains(str_of(p, "id")))
            .map(|p| (str_of(p, "name").to_owned(), str_of(p, "id").to_owned()))
            .collect();
        let declared = packages
            .iter()
            .filter(|p| member_ids.contains(str_of(p, "id")))
            .map(|p| {
                let deps = array_of(p, "dependencies")
                    .iter()
                    .filter(|d| members.contains_key(str_of(d, "name")))
                    .map(|d| {
                        let kind = d["kind"].as_str().unwrap_or("normal").to_owned();
                        (str_of(d, "name").to_owned(), kind)
                    })
                    .collect();
                (str_of(p, "name").to_owned(), deps)
            })
            .collect();
        let names: BTreeMap<&str, &str> = packages
            .iter()
            .map(|p| (str_of(p, "id"), str_of(p, "name")))
            .collect();
        let resolved = array_of(&meta["resolve"], "nodes")
            .iter()
            .map(|node| {
                let id = str_of(node, "id");
                let deps = array_of(node, "deps")
                    .iter()
                    .filter(|dep| {
                        array_of(dep, "dep_kinds")
                            .iter()
                            .any(|k| k["kind"].as_str() != Some("dev"))
                    })
                    .map(|dep| str_of(dep, "pkg").to_owned())
                    .collect();
                (
                    id.to_owned(),
                    (names.get(id).copied().unwrap_or(id).to_owned(), deps),
                )
            })
            .collect();
        Workspace {
            declared,
            resolved,
            member_ids: members,
        }
    }

    /// Names of everything `member` pulls in through normal and build
    /// dependencies, with one path to each, for the message.
    fn reachable(&self, member: &str) -> BTreeMap<String, Vec<String>> {
        let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        let start = &self.member_ids[member];
        let mut queue = vec![(start.clone(), vec![member.to_owned()])];
        while let Some((id, path)) = queue.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some((_, deps)) = self.resolved.get(&id) else {
                continue;
            };
            for dep in deps {
                let name = &self.resolved[dep].0;
                let mut next = path.clone();
                next.push(name.clone());
                paths.entry(name.clone()).or_insert_with(|| next.clone());
                queue.push((dep.clone(), next));
            }
        }
        paths
    }
}

#[test]
fn every_member_has_a_rule() {
    let workspace = Workspace::load();
    let unknown: Vec<&String> = workspace
        .declared
        .keys()
        .filter(|name| allowed_workspace_deps(name).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "workspace members without a layering rule: {unknown:?}; add them to tests/layering.rs"
    );
}

#[test]
fn crates_depend_only_on_the_layers_below() {
    let workspace = Workspace::load();
    let mut broken = Vec::new();
    for (package, deps) in &workspace.declared {
        let Some(allowed) = allowed_workspace_deps(package) else {
            continue;
        };
        for (dep, kind) in deps {
            let ok = if dep == TESTKIT {
                // Nothing shipped may depend on the test support.
                kind == "dev"
            } else if package == ROOT && kind == "dev" {
                ROOT_DEV_ALLOWED.contains(&dep.as_str())
            } else {
                allowed.contains(&dep.as_str())
            };
            if !ok {
                broken.push(format!(
                    "{package} has a {kind} dependency on {dep}; it may depend only on {allowed:?}"
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layering broken:\n  {}",
        broken.join("\n  ")
    );
}

#[test]
fn tauri_and_axum_stay_in_their_shells() {
    let workspace = Workspace::load();
    let mut broken = Vec::new();
    for package in workspace.member_ids.keys() {
        let reachable = workspace.reachable(package);
        for (forbidden, why) in forbidden_transitive(package) {
            if let Some(path) = reachable.get(forbidden) {
                broken.push(format!(
                    "{package} pulls in {forbidden} ({}): {why}",
                    path.join(" -> ")
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layering broken:\n  {}",
        broken.join("\n  ")
    );
}
