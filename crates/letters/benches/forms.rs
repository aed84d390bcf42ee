//! Criterion: rendering the 訪問看護指示書 (様式16, with 点滴注射) in
//! process, fonts already mapped as in the running app; and its size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

#[path = "../tests/common/nursing_order_fixture.rs"]
mod fixture;

use criterion::{Criterion, criterion_group, criterion_main};
use tsunagu_letters::{layout_nursing_order, render_nursing_order_pdf};

/// The budget (ADR 0034): ≤ 5 ms median in process, ≤ 100 KB.
const MAX_BYTES: usize = 100 * 1024;

fn render(c: &mut Criterion) {
    let form = fixture::regular();
    let pdf = render_nursing_order_pdf(&form).expect("renders");
    println!(
        "様式16 fixture: {} bytes ({:.1} KB, budget {} KB)",
        pdf.len(),
        pdf.len() as f64 / 1024.0,
        MAX_BYTES / 1024
    );
    assert!(pdf.len() <= MAX_BYTES, "the PDF is over budget");
    c.bench_function("layout nursing order (様式16)", |b| {
        b.iter(|| layout_nursing_order(&form))
    });
    c.bench_function("render nursing order (様式16) to PDF", |b| {
        b.iter(|| render_nursing_order_pdf(&form).expect("renders"))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
