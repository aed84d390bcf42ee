//! The Tsunagu desktop shell: Tauri window, IPC commands over the `app`
//! crate. Only this package knows Tauri.

mod background_sync;
mod commands;
mod desktop;
pub mod ipc;

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
            if let Ok(core) = desktop.app() {
                background_sync::spawn(core.clone(), trigger.clone());
            }
            app.manage(desktop);
            app.manage(trigger);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup::get_startup_state,
            commands::clinic::save_clinic_profile,
            commands::patients::search_patients,
            commands::patients::get_patient,
            commands::patients::create_patient,
            commands::patients::update_patient,
            commands::patients::delete_patient,
            commands::patients::restore_patient,
            commands::patients::preview_birth_date,
            commands::letters::start_letter,
            commands::letters::save_letter_draft,
            commands::letters::get_letter_draft,
            commands::letters::discard_letter_draft,
            commands::letters::patient_letters,
            commands::letters::issue_letter,
            commands::letters::correct_letter,
            commands::letters::letter_destinations,
            commands::letters::set_favourite_destination,
            commands::files::save_letter_pdf,
            commands::files::open_letter_pdf,
            commands::referrals::patient_referrals,
            commands::referrals::referral_board,
            commands::referrals::record_referral_event,
            commands::referrals::void_referral_event,
            commands::referrals::worklist,
            commands::referrals::dismiss_worklist_item,
            commands::referrals::worklist_settings,
            commands::referrals::save_worklist_settings,
            commands::replies::choose_reply_attachment,
            commands::replies::record_reply,
            commands::replies::open_reply_attachment,
            commands::figures::loop_figures,
            commands::figures::save_loop_figures_csv,
            commands::sync::sync_status,
            commands::sync::enroll_device,
            commands::sync::check_connection,
            commands::sync::sync_state,
            commands::sync::sync_now,
            commands::sync::sync_conflicts,
            commands::consents::patient_consents,
            commands::consents::save_consent,
            commands::consents::open_consent_form,
            commands::consents::save_consent_form,
        ])
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start")
        .run(|app, event| {
            if let (tauri::RunEvent::Exit, Some(desktop)) = (event, app.try_state::<Desktop>()) {
                tauri::async_runtime::block_on(desktop.close());
            }
        });
}
