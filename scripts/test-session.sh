#!/usr/bin/env bash
# Runs "$@" with a fresh Secret Service (gnome-keyring, unlocked, no
# prompts) on the current D-Bus session and an Xvfb display. Meant to run
# under `dbus-run-session`.
set -euo pipefail

work=$(mktemp -d)
trap 'kill ${XVFB_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_RUNTIME_DIR="$work/runtime" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"
chmod 700 "$XDG_RUNTIME_DIR"

eval "$(printf '%s' "test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# A display of our own, without xvfb-run's wrapper so its PID is known.
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISPLAY_NUM=$n; break; fi
done
# -noreset: without it Xvfb resets when its last client leaves and refuses
# the next app's connection now and then.
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

export WEBKIT_DISABLE_DMABUF_RENDERER=1
"$@"
