//! The second factor: TOTP (RFC 6238, SHA-1, 6 digits, 30 s — what every
//! authenticator app reads from the QR code) and single-use recovery codes.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};

const ISSUER: &str = "Tsunagu";
const STEP_SECONDS: u64 = 30;
const ALPHABET: base32::Alphabet = base32::Alphabet::Rfc4648 { padding: false };
pub const RECOVERY_CODES: usize = 10;

/// A fresh 160-bit secret, as the base32 an authenticator app takes.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    base32::encode(ALPHABET, &bytes)
}

fn totp(secret: &str, login: &str) -> Option<TOTP> {
    let bytes = base32::decode(ALPHABET, secret)?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_string()),
        login.to_string(),
    )
    .ok()
}

/// The time step whose code `typed` is (the one before and after are
/// accepted too, for a phone's clock a little off), or `None`.
pub fn matching_step(secret: &str, login: &str, typed: &str, unix_now: u64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, login)?;
    let now = unix_now / STEP_SECONDS;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .find(|step| totp.generate(step * STEP_SECONDS) == typed)
        .map(|step| step as i64)
}

/// The code of this moment: what the authenticator app shows.
pub fn current_code(secret: &str, login: &str, unix_now: u64) -> Option<String> {
    Some(totp(secret, login)?.generate(unix_now))
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `otpauth://` address as a QR code, as inline SVG.
pub fn qr_svg(secret: &str, login: &str) -> Option<String> {
    let url = totp(secret, login)?.get_url();
    let code = QrCode::new(url.as_bytes()).ok()?;
    let document = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the XML declaration goes.
    Some(document[document.find("<svg")?..].to_string())
}

/// Ten codes like `k7mq-xr4p-9tbh`, from an alphabet without look-alikes:
/// about 60 bits each, so SHA-256 is enough to keep them.
pub fn new_recovery_codes() -> Vec<String> {
    const SYMBOLS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let symbols: String = (0..12)
                .map(|_| SYMBOLS[(rng.next_u32() as usize) % SYMBOLS.len()] as char)
                .collect();
            format!("{}-{}-{}", &symbols[0..4], &symbols[4..8], &symbols[8..12])
        })
        .collect()
}

/// A recovery code as typed: case, spaces and hyphens forgiven.
pub fn normalise_recovery_code(typed: &str) -> String {
    let symbols: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if symbols.len() == 12 {
        format!("{}-{}-{}", &symbols[0..4], &symbols[4..8], &symbols[8..12])
    } else {
        symbols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = current_code(&secret, "sato", now).unwrap();
        assert_eq!(
            matching_step(&secret, "sato", &code, now),
            Some((now / 30) as i64)
        );
        assert!(matching_step(&secret, "sato", &code, now + 30).is_some());
        assert_eq!(matching_step(&secret, "sato", &code, now + 90), None);
        assert_eq!(matching_step(&secret, "sato", "12345", now), None);
        assert_eq!(matching_step(&secret, "sato", "abcdef", now), None);
    }

    #[test]
    fn the_qr_code_carries_an_otpauth_address() {
        let svg = qr_svg(&new_secret(), "sato").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_forgivingly() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let typed = codes[0].to_uppercase().replace('-', " ");
        assert_eq!(normalise_recovery_code(&typed), codes[0]);
    }
}
