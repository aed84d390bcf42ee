import type { ClinicProfile, StartupState } from "../api";

/** What the window shows. */
export type AppState =
  | { kind: "starting" }
  | { kind: "failed"; message: string; code: string; dataDir: string | null }
  | { kind: "new"; dataDir: string }
  | { kind: "setup" }
  | { kind: "backup-setup"; clinic: ClinicProfile }
  | { kind: "ready"; clinic: ClinicProfile };

/** What the backend's startup state means for the window. */
export function fromStartup(s: StartupState): AppState {
  switch (s.status) {
    case "failed":
      return { kind: "failed", message: s.error.message, code: s.error.code, dataDir: s.dataDir };
    case "new":
      return { kind: "new", dataDir: s.dataDir };
    case "ready":
      return s.clinic === null ? { kind: "setup" } : { kind: "ready", clinic: s.clinic };
  }
}
