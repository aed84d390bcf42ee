/// Every IPC command; Tauri generates `allow-<command>` permissions for
/// each, and capabilities/default.json grants them to the main window.
const COMMANDS: &[&str] = &[
    "get_startup_state",
    "save_clinic_profile",
    "search_patients",
    "get_patient",
    "create_patient",
    "update_patient",
    "delete_patient",
    "restore_patient",
    "preview_birth_date",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
