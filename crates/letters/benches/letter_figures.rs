//! `make bench`: the figures the letters issue budgets, for the standard
//! letter (fixtures/standard-referral.json):
//! in-process render time (median), whole-process time of the command-line
//! renderer (median), PDF size and the renderer's peak memory.
//!
//! The same in-process figures follow for the standard letter carrying 30
//! lab results (issue 19), which go to a 別紙 page.
//!
//! Environment: `BENCH_RENDERS` in-process runs (default 300),
//! `BENCH_PROCESSES` process runs (default 40).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tsunagu_domain::lab_results::LabResult;
use tsunagu_letters::{Letter, render_pdf};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/standard-referral.json"
);
const RENDERER: &str = env!("CARGO_BIN_EXE_tsunagu-letter");

const IN_PROCESS_BUDGET_MS: f64 = 5.0;
const PROCESS_BUDGET_MS: f64 = 30.0;
const SIZE_BUDGET_KB: f64 = 100.0;
const RSS_BUDGET_MIB: f64 = 50.0;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((p / 100.0 * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]
}

fn verdict(value: f64, budget: f64) -> &'static str {
    if value <= budget { "OK" } else { "OVER" }
}

fn main() {
    let renders = env_count("BENCH_RENDERS", 300);
    let processes = env_count("BENCH_PROCESSES", 40);
    let letter =
        Letter::from_json(&std::fs::read_to_string(FIXTURE).expect("fixture")).expect("valid");

    // In process: the first render maps the fonts; the app pays that once.
    let first = Instant::now();
    let pdf = render_pdf(&letter).expect("renders");
    let first_ms = ms(first.elapsed());
    let times: Vec<f64> = (0..renders)
        .map(|_| {
            let start = Instant::now();
            let out = render_pdf(&letter).expect("renders");
            let elapsed = ms(start.elapsed());
            assert_eq!(out, pdf, "rendering is deterministic");
            elapsed
        })
        .collect();

    // Whole process: the command-line renderer, input file to output file.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("standard.pdf");
    let mut wall = Vec::new();
    let mut peak_kib = 0u64;
    for _ in 0..processes {
        let start = Instant::now();
        let run = Command::new(RENDERER)
            .args([Path::new(FIXTURE), &out])
            .arg("--stats")
            .output()
            .expect("runs the renderer");
        wall.push(ms(start.elapsed()));
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let stats = String::from_utf8_lossy(&run.stderr);
        let rss = stats
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("peak_rss_kib="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        peak_kib = peak_kib.max(rss);
    }
    let written = std::fs::read(&out).expect("output");
    assert_eq!(written, pdf, "the CLI writes what the library renders");

    let in_median = median(times.clone());
    let process_median = median(wall.clone());
    let size_kb = pdf.len() as f64 / 1024.0;
    let rss_mib = peak_kib as f64 / 1024.0;
    println!("standard letter (fixtures/standard-referral.json), release build");
    println!(
        "in-process render   median {in_median:6.2} ms  p90 {:6.2} ms  ({renders} runs; first {first_ms:.2} ms)  budget {IN_PROCESS_BUDGET_MS} ms: {}",
        percentile(times, 90.0),
        verdict(in_median, IN_PROCESS_BUDGET_MS)
    );
    println!(
        "whole process (CLI) median {process_median:6.2} ms  p90 {:6.2} ms  ({processes} runs)  budget {PROCESS_BUDGET_MS} ms: {}",
        percentile(wall, 90.0),
        verdict(process_median, PROCESS_BUDGET_MS)
    );
    println!(
        "PDF size            {size_kb:6.1} KB ({} bytes)  budget {SIZE_BUDGET_KB} KB: {}",
        pdf.len(),
        verdict(size_kb, SIZE_BUDGET_KB)
    );
    println!(
        "peak RSS (CLI)      {rss_mib:6.1} MiB  budget {RSS_BUDGET_MIB} MiB: {}",
        verdict(rss_mib, RSS_BUDGET_MIB)
    );

    let with_labs = with_lab_results(letter, 30);
    let labs_pdf = render_pdf(&with_labs).expect("renders");
    let labs_times: Vec<f64> = (0..renders)
        .map(|_| {
            let start = Instant::now();
            let out = render_pdf(&with_labs).expect("renders");
            let elapsed = ms(start.elapsed());
            assert_eq!(out, labs_pdf, "rendering is deterministic");
            elapsed
        })
        .collect();
    let labs_median = median(labs_times.clone());
    let labs_kb = labs_pdf.len() as f64 / 1024.0;
    println!("standard letter with 30 lab results (a 別紙 page)");
    println!(
        "in-process render   median {labs_median:6.2} ms  p90 {:6.2} ms  ({renders} runs)  budget {IN_PROCESS_BUDGET_MS} ms: {}",
        percentile(labs_times, 90.0),
        verdict(labs_median, IN_PROCESS_BUDGET_MS)
    );
    println!(
        "PDF size            {labs_kb:6.1} KB ({} bytes)  budget {SIZE_BUDGET_KB} KB: {}",
        labs_pdf.len(),
        verdict(labs_kb, SIZE_BUDGET_KB)
    );
    println!(
        "load average at end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
}

/// The letter with `count` results of a routine blood test.
fn with_lab_results(mut letter: Letter, count: usize) -> Letter {
    const TESTS: [(&str, &str, &str, &str); 10] = [
        ("HbA1c", "7.2", "%", "4.6-6.2"),
        ("血糖", "132", "mg/dL", "73-109"),
        ("Cre", "0.80", "mg/dL", "0.65-1.07"),
        ("eGFR", "58.2", "mL/min/1.73m2", "60以上"),
        ("BNP", "86.0", "pg/mL", "0-18.4"),
        ("Na", "138", "mmol/L", "138-145"),
        ("K", "3.3", "mmol/L", "3.6-4.8"),
        ("LDLコレステロール", "142", "mg/dL", "65-163"),
        ("CRP", "<0.01", "mg/dL", "0-0.14"),
        ("TSH", "1.82", "μIU/mL", "0.61-4.23"),
    ];
    let Letter::Referral(referral) = &mut letter else {
        panic!("the standard letter is a referral")
    };
    referral.lab_results = (0..count)
        .map(|i| {
            let (item, value, unit, range) = TESTS[i % TESTS.len()];
            LabResult {
                item: item.into(),
                value: value.into(),
                unit: unit.into(),
                reference_range: range.into(),
                taken_on: NaiveDate::from_ymd_opt(2026, 5, 8 - (i / TESTS.len()) as u32)
                    .expect("a day"),
            }
        })
        .collect();
    letter
}
