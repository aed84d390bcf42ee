//! Desktop notifications for worklist items the physician has not been told
//! about: discharged elsewhere, died, overdue. The text names no patient —
//! notifications show on lock screens and in shared notification centres.

use std::collections::BTreeMap;

use tsunagu_app::App;

/// Announces new worklist items once each.
pub async fn announce_new_alerts(app: App) {
    let Ok(fresh) = app.new_worklist_alerts().await else {
        eprintln!("tsunagu: worklist alerts not read; no notification");
        return;
    };
    if fresh.is_empty() {
        return;
    }
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for item in &fresh {
        *counts.entry(item.title.as_str()).or_default() += 1;
    }
    let lines: Vec<String> = counts.iter().map(|(t, n)| format!("{t}：{n}件")).collect();
    let body = format!("{}\n「要確認」で確認してください。", lines.join("\n"));
    // On a thread of its own: the D-Bus call blocks, for as long as the bus
    // takes to say there is no notification service (a headless or minimal
    // session). That failure is fine: the worklist on screen is the record.
    // (tauri-plugin-notification makes this call on an async worker, which
    // stalled the app's other work while it waited.)
    let shown = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            if notify_rust::Notification::new()
                .summary("つなぐ：要確認")
                .body(&body)
                .appname("つなぐ")
                .show()
                .is_err()
            {
                eprintln!("tsunagu: desktop notification not shown (no notification service)");
            }
        });
    if shown.is_err() {
        eprintln!("tsunagu: desktop notification not shown (no thread)");
    }
}
