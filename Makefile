# The two commands a newcomer needs: `make run` and `make test`.
# Each installs what is missing (apt packages, npm packages, tauri-driver).
SHELL := /bin/bash
export CARGO_TERM_COLOR ?= never
# Builds are shared between clones (CI clones afresh each run); a missing
# cache only costs time.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/tsunagu/target

.PHONY: run test bench server setup ui bindings check app clean

run: setup ui
	cargo run --features custom-protocol --bin tsunagu

test: setup
	scripts/test.sh

bench: setup
	cargo bench -p tsunagu-letters --bench letter_figures
	cargo bench -p tsunagu-letters --bench render -- --warm-up-time 1 --measurement-time 4
	cargo bench -p tsunagu-letters --bench forms -- --warm-up-time 1 --measurement-time 4
	cargo bench -p tsunagu-fhir --bench bundle -- --warm-up-time 1 --measurement-time 4
	cargo run --release -p tsunagu-store --example bench_search
	cargo run --release -p tsunagu-app --example bench_referrals
	dbus-run-session -- scripts/test-session.sh cargo run --release -p tsunagu-store --example bench_backup
	dbus-run-session -- scripts/test-session.sh cargo run --release --example bench_sync
	dbus-run-session -- scripts/test-session.sh cargo run --release --example bench_directory
	cargo run --release -p tsunagu-server --example bench_audit
	cargo run --release -p tsunagu-server --example bench_sign_in_burst
	cargo run --release -p tsunagu-server --example bench_live
	cargo run --release -p tsunagu-server --example bench_team
	cargo run --release -p tsunagu-server --example bench_preregistration
	cargo run --release -p tsunagu-server --example bench_discharge
	cargo run --release -p tsunagu-server --example bench_portal_directory

# The regional server on http://127.0.0.1:8443, with a PostgreSQL cluster of
# its own in server-data/ (or DATABASE_URL's). Admin tasks:
#   cargo run -p tsunagu-server -- admin --help
server: setup
	cargo run -p tsunagu-server -- serve

setup:
	scripts/setup.sh

ui:
	cd ui && npm run build

# Rewrite ui/src/api/bindings.ts from the Rust IPC types and commands.ts from
# the command table (every test named ipc_bindings*).
bindings:
	UPDATE_BINDINGS=1 cargo test --features custom-protocol --lib -- ipc_bindings

app: setup ui
	cargo build --features custom-protocol --bin tsunagu

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
