//! Criterion: rendering the standard letter in process (fonts already
//! mapped, as in the running app).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use tsunagu_letters::{Letter, layout, render_pdf};

fn standard() -> Letter {
    Letter::from_json(include_str!("../fixtures/standard-referral.json")).expect("fixture")
}

fn render(c: &mut Criterion) {
    let letter = standard();
    c.bench_function("layout standard letter", |b| b.iter(|| layout(&letter)));
    c.bench_function("render standard letter to PDF", |b| {
        b.iter(|| render_pdf(&letter).expect("renders"))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
