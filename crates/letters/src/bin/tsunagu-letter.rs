//! Renders a letter from JSON to PDF, for batch printing and for measuring.
//!
//!     tsunagu-letter letter.json letter.pdf
//!     tsunagu-letter - - < letter.json > letter.pdf
//!
//! The input format is `tsunagu_letters::Letter` (see fixtures/ for one).
//! Exit status: 0 written, 1 the letter is not valid (the message says
//! why), 2 wrong arguments, 3 a file could not be read or written.

use std::io::{Read, Write};
use std::process::ExitCode;

use tsunagu_letters::{Letter, render_pdf};

const USAGE: &str = "使い方: tsunagu-letter <入力.json | -> <出力.pdf | -> [--stats]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stats = args.iter().any(|a| a == "--stats");
    let paths: Vec<&String> = args.iter().filter(|a| *a != "--stats").collect();
    let [input, output] = paths.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let json = match read_input(input) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("入力を読めません（{input}）: {e}");
            return ExitCode::from(3);
        }
    };
    let pdf = match Letter::from_json(&json).and_then(|letter| render_pdf(&letter)) {
        Ok(pdf) => pdf,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = write_output(output, &pdf) {
        eprintln!("出力を書き込めません（{output}）: {e}");
        return ExitCode::from(3);
    }
    if stats {
        eprintln!(
            "bytes={} peak_rss_kib={}",
            pdf.len(),
            peak_rss_kib().unwrap_or(0)
        );
    }
    ExitCode::SUCCESS
}

fn read_input(path: &str) -> std::io::Result<String> {
    if path == "-" {
        let mut json = String::new();
        std::io::stdin().read_to_string(&mut json)?;
        Ok(json)
    } else {
        std::fs::read_to_string(path)
    }
}

/// Writes beside the target and renames, so a failed run never leaves a
/// half-written PDF where a good one was.
fn write_output(path: &str, pdf: &[u8]) -> std::io::Result<()> {
    if path == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(pdf)?;
        return out.flush();
    }
    let target = std::path::Path::new(path);
    let partial = target.with_extension("pdf.partial");
    std::fs::write(&partial, pdf)?;
    std::fs::rename(&partial, target)
}

/// Peak resident memory (Linux `VmHWM`), for the benchmark.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
