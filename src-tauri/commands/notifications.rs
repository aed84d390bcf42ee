//! Desktop notifications for worklist items the physician has not been told
//! about (discharged elsewhere, died, overdue) and for news that a sync
//! brought from the desk or a hospital. The text names no patient —
//! notifications show on lock screens and in shared notification centres.

use std::collections::BTreeMap;

use tsunagu_app::{App, EntryKind, SyncReport};

/// Announces new worklist items once each.
pub async fn announce_new_alerts(app: App) {
    announce(app, 0).await;
}

/// After a sync that brought `news` events from the desk or a hospital:
/// the new worklist items, and how many records arrived (受付・入院・連絡…,
/// which are no worklist item but the physician wants to know of).
pub async fn announce_news(app: App, news: usize) {
    announce(app, news).await;
}

async fn announce(app: App, news: usize) {
    let Ok(fresh) = app.new_worklist_alerts().await else {
        eprintln!("tsunagu: worklist alerts not read; no notification");
        return;
    };
    if fresh.is_empty() && news == 0 {
        return;
    }
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for item in &fresh {
        *counts.entry(item.title.as_str()).or_default() += 1;
    }
    let mut lines: Vec<String> = counts.iter().map(|(t, n)| format!("{t}：{n}件")).collect();
    if news > 0 {
        lines.push(format!("病院・相談窓口からの新しい記録：{news}件"));
    }
    let body = format!(
        "{}\n{}",
        lines.join("\n"),
        if fresh.is_empty() {
            "「紹介患者」で確認してください。"
        } else {
            "「要確認」で確認してください。"
        }
    );
    show("つなぐ：要確認", body);
}

/// After a sync that brought a 緊急 post or a reply to one of the clinic's
/// 相談 from another team member: the kind and a count only (the domain's
/// `notification_ja`), never the patient or the text.
pub fn announce_team(report: &SyncReport) {
    let mut lines = Vec::new();
    if report.urgent > 0 {
        lines.push(format!(
            "{}（{}件）",
            EntryKind::Urgent.notification_ja(),
            report.urgent
        ));
    }
    if report.replies_to_ours > 0 {
        lines.push(format!("相談・依頼への返信：{}件", report.replies_to_ours));
    }
    if lines.is_empty() {
        return;
    }
    lines.push("患者の「在宅チーム」で確認してください。".to_string());
    show("つなぐ：在宅チーム", lines.join("\n"));
}

/// Shows a notification on a thread of its own: the D-Bus call blocks, for
/// as long as the bus takes to say there is no notification service (a
/// headless or minimal session). That failure is fine: the screens are the
/// record. (tauri-plugin-notification makes this call on an async worker,
/// which stalled the app's other work while it waited.)
fn show(summary: &'static str, body: String) {
    let shown = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            if notify_rust::Notification::new()
                .summary(summary)
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
