//! The Tsunagu desktop shell: Tauri window, IPC commands over the `app`
//! crate. Only this package knows Tauri.

mod background_backup;
mod background_sync;
#[cfg(test)]
mod command_names;
mod commands;
mod desktop;
pub mod ipc;
pub mod vocabulary;

use tauri::Manager;

use crate::desktop::{Desktop, configured_data_dir};

#[expect(
    clippy::expect_used,
    reason = "without its runtime the app cannot start; the panic is the report"
)]
#[expect(
    clippy::exit,
    reason = "tauri::generate_context! expands to a process::exit"
)]
pub fn run() {
    tauri::Builder::default()
        .manage(commands::replies::ChosenFiles::default())
        .setup(|app| {
            let default_dir = app.path().app_data_dir().ok();
            let data_dir = configured_data_dir(|| default_dir)
                .ok_or("no application-data folder on this system; set TSUNAGU_DATA_DIR")?;
            commands::files::clear_print_files(&data_dir);
            let desktop = tauri::async_runtime::block_on(Desktop::open(data_dir));
            let trigger = background_sync::SyncTrigger::default();
            if let Ok(core) = desktop.core() {
                start_background_work(core, &trigger);
            }
            app.manage(desktop);
            app.manage(trigger);
            Ok(())
        })
        .invoke_handler(commands::invoke_handler())
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start")
        .run(|app, event| {
            if let (tauri::RunEvent::Exit, Some(desktop)) = (event, app.try_state::<Desktop>()) {
                tauri::async_runtime::block_on(desktop.close());
            }
        });
}

/// Syncing and automatic backups, once there is a store (at start, or
/// after 新しく始める or a restore).
pub(crate) fn start_background_work(
    core: tsunagu_app::App,
    trigger: &background_sync::SyncTrigger,
) {
    background_sync::spawn(core.clone(), trigger.clone());
    background_sync::spawn_live(core.clone(), trigger.clone());
    background_backup::spawn(core);
}
