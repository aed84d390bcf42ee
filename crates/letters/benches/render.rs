//! Criterion: rendering the standard letter in process (fonts already
//! mapped, as in the running app).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use tsunagu_domain::lab_results::LabResult;
use tsunagu_letters::{Letter, layout, render_pdf};

fn standard() -> Letter {
    Letter::from_json(include_str!("../fixtures/standard-referral.json")).expect("fixture")
}

/// The standard letter with 30 lab results (they go to a 別紙 page).
fn with_lab_results() -> Letter {
    let mut letter = standard();
    let Letter::Referral(r) = &mut letter else {
        panic!("a referral")
    };
    r.lab_results = (0..30)
        .map(|i| LabResult {
            item: format!("検査項目{i}"),
            value: format!("{}.{}", i / 3, i % 10),
            unit: "mg/dL".into(),
            reference_range: "1.0-8.0".into(),
            taken_on: NaiveDate::from_ymd_opt(2026, 5, 8).expect("a day"),
        })
        .collect();
    letter
}

fn render(c: &mut Criterion) {
    let letter = standard();
    c.bench_function("layout standard letter", |b| b.iter(|| layout(&letter)));
    c.bench_function("render standard letter to PDF", |b| {
        b.iter(|| render_pdf(&letter).expect("renders"))
    });
    let labs = with_lab_results();
    c.bench_function("render standard letter with 30 lab results to PDF", |b| {
        b.iter(|| render_pdf(&labs).expect("renders"))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
