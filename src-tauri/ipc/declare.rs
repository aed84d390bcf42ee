//! How the IPC commands are declared once: the `ipc_commands!` macro, used
//! by the table in `src-tauri/commands/mod.rs`, and the TypeScript wrappers
//! (`ui/src/api/commands.ts`) written from that table.
//!
//! An entry of the table reads
//!
//! ```text
//! /// What the UI needs to know (becomes the wrapper's JSDoc).
//! fn record_reply(referral_id: String, input: ReplyInput, attachment: Option<String>) -> Referral
//!     as recordReply => replies::record_reply(desktop, chosen).await;
//! ```
//!
//! that is: the command's name, its arguments as the webview sends them
//! (snake_case here, camelCase on the wire and in TypeScript), what it
//! resolves with (its failure is always `AppError`), the name of its
//! TypeScript wrapper, and the function that does the work, with the
//! state Tauri passes it ahead of the arguments (`app`, `window`,
//! `desktop`, `chosen`, `trigger`). `.await` marks an async command;
//! without it the command is synchronous and Tauri runs it on the main
//! thread. From the table come the `#[tauri::command]` functions, the
//! invoke handler, the `COMMANDS` list (for the TypeScript wrappers and
//! the tests) and, through build.rs reading the table as text, the
//! `allow-*` permissions and the `ipc-commands` set the window is granted.

use std::any::TypeId;
use std::collections::BTreeSet;

use ts_rs::{Config, TS};

/// One IPC command, as the table declares it.
pub struct Command {
    /// The command's name on the wire, e.g. `search_patients`.
    pub name: &'static str,
    /// The TypeScript wrapper's name, e.g. `searchPatients`.
    pub ts_name: &'static str,
    /// The doc comment's lines.
    pub docs: &'static [&'static str],
    pub args: &'static [Arg],
    /// The TypeScript type it resolves with.
    pub returns: fn(&Config) -> String,
}

/// One argument the webview sends.
pub struct Arg {
    /// As declared (snake_case); Tauri reads it from the camelCase key.
    pub name: &'static str,
    pub ts_type: fn(&Config) -> String,
}

/// A command returning `()` resolves with nothing: `Promise<void>`.
pub fn ts_return<T: TS + 'static>(cfg: &Config) -> String {
    if TypeId::of::<T>() == TypeId::of::<()>() {
        "void".to_string()
    } else {
        T::name(cfg)
    }
}

/// The key Tauri reads an argument from (its `rename_all = "camelCase"`
/// default): `include_deleted` → `includeDeleted`.
pub fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    for (i, word) in snake.split('_').filter(|w| !w.is_empty()).enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

/// `ui/src/api/commands.ts`: one wrapper per command, each going through
/// `call` in `index.ts` (which turns a rejection into an `ApiError`).
/// `bindings` is `bindings.ts`, where every named type must be declared.
pub fn typescript_commands(commands: &[Command], bindings: &str) -> String {
    let cfg = Config::default();
    let mut types = BTreeSet::new();
    let mut functions = String::new();
    for command in commands {
        let params: Vec<(String, String)> = command
            .args
            .iter()
            .map(|arg| (camel_case(arg.name), (arg.ts_type)(&cfg)))
            .collect();
        let returns = (command.returns)(&cfg);
        for ts_type in params.iter().map(|(_, t)| t).chain([&returns]) {
            types.extend(type_names(ts_type));
        }
        functions.push('\n');
        match command.docs {
            [] => {}
            [line] => functions.push_str(&format!("/** {} */\n", line.trim())),
            lines => {
                functions.push_str("/**\n");
                for line in lines {
                    functions.push_str(&format!(" *{}\n", line.trim_end()));
                }
                functions.push_str(" */\n");
            }
        }
        let signature: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let keys: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let args = if keys.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", keys.join(", "))
        };
        functions.push_str(&format!(
            "export function {}({}): Promise<{returns}> {{\n  return call(\"{}\"{args});\n}}\n",
            command.ts_name,
            signature.join(", "),
            command.name,
        ));
    }
    let mut out = String::from(
        "// Generated from the IPC command table (src-tauri/commands/mod.rs).\n\
         // Do not edit by hand: run `make bindings`.\n\n",
    );
    if !types.is_empty() {
        out.push_str("import type {\n");
        for name in &types {
            assert!(
                bindings.contains(&format!("export type {name} ")),
                "the IPC command table names the type {name}, which bindings.ts does not \
                 declare: add it to typescript_bindings() in src-tauri/ipc/mod.rs"
            );
            out.push_str(&format!("  {name},\n"));
        }
        out.push_str("} from \"./bindings\";\n");
    }
    out.push_str("import { call } from \"./index\";\n");
    out.push_str(&functions);
    out
}

/// The declared types a TypeScript type names: `Array<WorklistItem>` →
/// `WorklistItem`; built-ins (`string`, `Array`) are not declared.
fn type_names(ts_type: &str) -> Vec<String> {
    ts_type
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|word| !matches!(*word, "Array" | "Record" | "Partial"))
        .map(str::to_string)
        .collect()
}

/// Declares the IPC commands; see the module's documentation for an
/// entry's form. Used once, in `src-tauri/commands/mod.rs`.
macro_rules! ipc_commands {
    (
        $(
            $(#[doc = $doc:literal])*
            fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty
                as $ts_name:ident => $($path:ident)::+($($state:ident),* $(,)?) $(.$await:tt)?;
        )*
    ) => {
        $(
            $crate::ipc::ipc_commands!(@command [$($await)?] [$(#[doc = $doc])*]
                $name($($arg: $ty),*) -> $ret => $($path)::+($($state),*));
        )*

        /// Every command, for `tauri::Builder::invoke_handler`.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command's signature, for the TypeScript wrappers.
        pub const COMMANDS: &[$crate::ipc::declare::Command] = &[
            $(
                $crate::ipc::declare::Command {
                    name: stringify!($name),
                    ts_name: stringify!($ts_name),
                    docs: &[$($doc),*],
                    args: &[$(
                        $crate::ipc::declare::Arg {
                            name: stringify!($arg),
                            ts_type: <$ty as ts_rs::TS>::name,
                        }
                    ),*],
                    returns: $crate::ipc::declare::ts_return::<$ret>,
                }
            ),*
        ];
    };

    (@command [await] [$(#[$attr:meta])*]
        $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => $($path:ident)::+($($state:ident),*)
    ) => {
        $(#[$attr])*
        #[tauri::command]
        async fn $name(
            $($state: $crate::ipc::ipc_commands!(@state $state),)*
            $($arg: $ty),*
        ) -> Result<$ret, $crate::ipc::AppError> {
            $($path)::+($($state,)* $($arg),*).await
        }
    };

    (@command [] [$(#[$attr:meta])*]
        $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => $($path:ident)::+($($state:ident),*)
    ) => {
        $(#[$attr])*
        #[tauri::command]
        fn $name(
            $($state: $crate::ipc::ipc_commands!(@state $state),)*
            $($arg: $ty),*
        ) -> Result<$ret, $crate::ipc::AppError> {
            $($path)::+($($state,)* $($arg),*)
        }
    };

    // What Tauri passes a command ahead of the webview's arguments.
    (@state app) => { tauri::AppHandle };
    (@state window) => { tauri::WebviewWindow };
    (@state desktop) => { tauri::State<'_, $crate::desktop::Desktop> };
    (@state chosen) => { tauri::State<'_, $crate::commands::replies::ChosenFiles> };
    (@state trigger) => { tauri::State<'_, $crate::background_sync::SyncTrigger> };
}

pub(crate) use ipc_commands;
