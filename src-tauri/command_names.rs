//! The command names of the `ipc_commands!` table in
//! `src-tauri/commands/mod.rs`, read as text: build.rs needs them for the
//! permissions and cannot see the crate's code. Shared with the crate's
//! tests, which check it finds what the macro declares.

/// Each line of the table that starts with `fn ` declares one command; the
/// table ends at the first line that is just `}`.
pub fn command_names(source: &str) -> Vec<String> {
    source
        .lines()
        .skip_while(|line| !line.starts_with("ipc_commands! {"))
        .skip(1)
        .take_while(|line| *line != "}")
        .filter_map(|line| line.trim_start().strip_prefix("fn "))
        .filter_map(|rest| rest.split('(').next())
        .map(|name| name.trim().to_string())
        .collect()
}
