//! Criterion: the standard referral letter rendered to PDF, against the same
//! render followed by its JP-CLINS Bundle (the PDF inside). Issue 19's
//! budget: the Bundle costs at most 2 ms more than the PDF alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

use std::time::{Duration, Instant};

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use tsunagu_domain::lab_results::{LabRowInput, check_lab_row};
use tsunagu_fhir::{DocumentInput, referral_bundle};
use tsunagu_letters::{Letter, render_pdf};

fn standard() -> Letter {
    Letter::from_json(include_str!(
        "../../letters/fixtures/standard-referral.json"
    ))
    .expect("fixture")
}

fn bundle_of(letter: &Letter, pdf: &[u8]) -> String {
    let issued_at = DateTime::parse_from_rfc3339("2026-05-12T10:30:00+09:00").expect("time");
    referral_bundle(&DocumentInput {
        letter,
        pdf,
        institution_number: "1311234567",
        patient_number: "000123",
        document_number: "000042",
        issued_at,
    })
    .expect("bundle")
}

fn bundle(c: &mut Criterion) {
    let letter = standard();
    c.bench_function("render standard letter to PDF", |b| {
        b.iter(|| render_pdf(&letter).expect("renders"))
    });
    c.bench_function("render standard letter to PDF + JP-CLINS bundle", |b| {
        b.iter(|| {
            let pdf = render_pdf(&letter).expect("renders");
            bundle_of(&letter, &pdf)
        })
    });
    let pdf = render_pdf(&letter).expect("renders");
    c.bench_function("JP-CLINS bundle of the rendered PDF", |b| {
        b.iter(|| bundle_of(&letter, &pdf))
    });

    // The budget, said plainly: the Bundle's own cost, a mean over many
    // runs, against 2 ms; and again for a letter with 30 lab results (an
    // Observation each).
    report("bundle beside the PDF", &letter);
    report(
        "bundle with 30 lab results beside the PDF",
        &with_lab_results(standard(), 30),
    );
}

fn report(what: &str, letter: &Letter) {
    let pdf = render_pdf(letter).expect("renders");
    let start = Instant::now();
    for _ in 0..200 {
        std::hint::black_box(letter.check().is_ok());
    }
    println!(
        "check: {:.3} ms",
        start.elapsed().as_secs_f64() * 1e3 / 200.0
    );
    let runs = 200u32;
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(bundle_of(letter, &pdf));
    }
    let per_bundle = start.elapsed() / runs;
    let budget = Duration::from_millis(2);
    println!(
        "{what}: {:.3} ms more than the PDF alone (budget {} ms, PDF {} bytes, bundle {} bytes): {}",
        per_bundle.as_secs_f64() * 1e3,
        budget.as_millis(),
        pdf.len(),
        bundle_of(letter, &pdf).len(),
        if per_bundle <= budget {
            "within"
        } else {
            "OVER"
        }
    );
}

/// `letter` with `n` results, as a lab's CSV would give them.
fn with_lab_results(letter: Letter, n: usize) -> Letter {
    let Letter::Referral(mut referral) = letter else {
        panic!("the fixture is a referral")
    };
    referral.lab_results = (0..n)
        .map(|i| {
            let value = format!("{}.{}", 5 + i % 4, i % 10);
            check_lab_row(LabRowInput {
                item: &format!("検査項目{}", i + 1),
                value: &value,
                unit: "mg/dL",
                reference_range: "4.0-7.0",
                taken_on: "2026-05-08",
            })
            .expect("a valid row")
        })
        .collect();
    Letter::Referral(referral)
}

criterion_group!(benches, bundle);
criterion_main!(benches);
