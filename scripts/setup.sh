#!/usr/bin/env bash
# Installs what building, running and testing need, when it is missing.
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # building the Tauri app
  build-essential pkg-config libssl-dev curl wget file libwebkit2gtk-4.1-dev
  libxdo-dev libayatana-appindicator3-dev librsvg2-dev libdbus-1-dev
  # running headless, end-to-end tests, the keyring, fonts, PDF checks
  xvfb xauth webkit2gtk-driver xdotool imagemagick x11-utils dbus gnome-keyring
  libsecret-tools fonts-ipaexfont fonts-noto-cjk poppler-utils sqlite3
  # the regional server and its tests: a PostgreSQL cluster of their own
  postgresql
  # the portal's end-to-end test: Debian's Chromium driven through ChromeDriver
  chromium chromium-driver
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The UI's npm packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

# tauri-driver drives the real desktop window in end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

# The FHIR validator the tsunagu-fhir tests run (crates/fhir/tests/validate.rs,
# ADR 0036): fhir.resources and fhirpathpy from PyPI, pinned, in a venv of
# its own.
FHIR_VENV="$HOME/.cache/tsunagu/fhir-venv"
FHIR_PINS=(fhir.resources==8.3.0 fhir-core==1.1.12 pydantic==2.14.4 fhirpathpy==2.2.4)
if [ "$(cat "$FHIR_VENV/.pins" 2>/dev/null)" != "${FHIR_PINS[*]}" ]; then
  echo "setup: installing the FHIR validator (${FHIR_PINS[0]})"
  python3 -m venv "$FHIR_VENV"
  "$FHIR_VENV/bin/pip" install --quiet --disable-pip-version-check "${FHIR_PINS[@]}"
  echo "${FHIR_PINS[*]}" > "$FHIR_VENV/.pins"
fi
