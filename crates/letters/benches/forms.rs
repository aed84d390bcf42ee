//! Criterion: rendering the 訪問看護指示書 (様式16, with 点滴注射) and the
//! emergency sheet (救急医療情報) in process, fonts already mapped as in the
//! running app; and their sizes. The sheet is also timed alternately with
//! the standard letter, so that a loaded machine slows both alike and the
//! ratio stays meaningful.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

#[path = "../tests/common/nursing_order_fixture.rs"]
mod fixture;
#[path = "../tests/common/emergency_sheet_fixture.rs"]
mod sheet_fixture;

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use tsunagu_letters::{
    Letter, layout_emergency_sheet, layout_nursing_order, render_emergency_sheet_pdf,
    render_nursing_order_pdf, render_pdf,
};

/// The budget (ADR 0034): ≤ 5 ms median in process, ≤ 100 KB.
const MAX_BYTES: usize = 100 * 1024;
/// Rounds of the alternate timing.
const ROUNDS: usize = 200;

fn report_size(what: &str, pdf: &[u8]) {
    println!(
        "{what}: {} bytes ({:.1} KB, budget {} KB)",
        pdf.len(),
        pdf.len() as f64 / 1024.0,
        MAX_BYTES / 1024
    );
    assert!(pdf.len() <= MAX_BYTES, "{what}: the PDF is over budget");
}

fn median_ms(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn render(c: &mut Criterion) {
    let form = fixture::regular();
    report_size(
        "様式16 fixture",
        &render_nursing_order_pdf(&form).expect("renders"),
    );
    c.bench_function("layout nursing order (様式16)", |b| {
        b.iter(|| layout_nursing_order(&form))
    });
    c.bench_function("render nursing order (様式16) to PDF", |b| {
        b.iter(|| render_nursing_order_pdf(&form).expect("renders"))
    });
}

fn emergency_sheet(c: &mut Criterion) {
    let sheet = sheet_fixture::sheet();
    let crowded = sheet_fixture::crowded(40);
    report_size(
        "emergency sheet fixture",
        &render_emergency_sheet_pdf(&sheet).expect("renders"),
    );
    report_size(
        "emergency sheet, every box full",
        &render_emergency_sheet_pdf(&crowded).expect("renders"),
    );
    let letter = Letter::from_json(include_str!("../fixtures/standard-referral.json"))
        .expect("the standard letter");
    let (mut sheet_ms, mut letter_ms) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let start = Instant::now();
        std::hint::black_box(render_emergency_sheet_pdf(&sheet).expect("renders"));
        sheet_ms.push(start.elapsed().as_secs_f64() * 1e3);
        let start = Instant::now();
        std::hint::black_box(render_pdf(&letter).expect("renders"));
        letter_ms.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let (sheet_median, letter_median) = (median_ms(sheet_ms), median_ms(letter_ms));
    println!(
        "alternate, {ROUNDS} rounds: emergency sheet {sheet_median:.2} ms median, \
         standard letter {letter_median:.2} ms median (ratio {:.2})",
        sheet_median / letter_median
    );
    c.bench_function("layout emergency sheet", |b| {
        b.iter(|| layout_emergency_sheet(&sheet))
    });
    c.bench_function("render emergency sheet to PDF", |b| {
        b.iter(|| render_emergency_sheet_pdf(&sheet).expect("renders"))
    });
    c.bench_function("layout emergency sheet, every box full", |b| {
        b.iter(|| layout_emergency_sheet(&crowded))
    });
    c.bench_function("render emergency sheet, every box full, to PDF", |b| {
        b.iter(|| render_emergency_sheet_pdf(&crowded).expect("renders"))
    });
}

criterion_group!(benches, render, emergency_sheet);
criterion_main!(benches);
