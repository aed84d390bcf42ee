import { useEffect, useState } from "preact/hooks";
import { getStartupState, toApiError } from "./api";
import { fromStartup, type AppState } from "./lib/startup";
import { ClinicForm } from "./screens/ClinicForm";
import { FirstBackupSetup } from "./screens/FirstBackupSetup";
import { MainScreen } from "./screens/MainScreen";
import { SessionGate } from "./screens/SessionGate";
import { StartScreen } from "./screens/StartScreen";
import { StartupErrorScreen } from "./screens/StartupErrorScreen";

export function App() {
  const [state, setState] = useState<AppState>({ kind: "starting" });

  useEffect(() => {
    getStartupState().then(
      (s) => {
        setState(fromStartup(s));
      },
      (e: unknown) => {
        // Not even the startup state came back: the backend is unreachable, so the
        // app must stay closed just as when the store failed to open.
        const err = toApiError(e);
        setState({ kind: "failed", message: err.message, code: err.code, dataDir: null });
      },
    );
  }, []);

  switch (state.kind) {
    case "starting":
      return (
        <p class="starting" role="status">
          起動しています…
        </p>
      );
    case "failed":
      return (
        <StartupErrorScreen
          message={state.message}
          code={state.code}
          dataDir={state.dataDir}
          onRestored={(s) => {
            setState(fromStartup(s));
          }}
        />
      );
    case "new":
      return (
        <StartScreen
          dataDir={state.dataDir}
          onStarted={(s) => {
            setState(fromStartup(s));
          }}
        />
      );
    case "setup":
    case "backup-setup":
    case "ready":
      return (
        <SessionGate>
          {(controls) =>
            state.kind === "backup-setup" ? (
              <FirstBackupSetup
                onDone={() => {
                  setState({ kind: "ready", clinic: state.clinic });
                }}
              />
            ) : state.kind === "setup" ? (
              <div class="setup-shell">
                <header class="app-header">
                  <div class="brand">
                    <span class="app-name">つなぐ</span>
                  </div>
                </header>
                <main class="app-main">
                  <ClinicForm
                    mode="setup"
                    initial={null}
                    onSaved={(clinic) => {
                      // Backups are the administrator's to set up: they see that step next.
                      setState(
                        controls.account.isAdmin ? { kind: "backup-setup", clinic } : { kind: "ready", clinic },
                      );
                    }}
                  />
                </main>
              </div>
            ) : (
              <MainScreen
                clinic={state.clinic}
                session={controls}
                onClinicSaved={(clinic) => {
                  setState({ kind: "ready", clinic });
                }}
              />
            )
          }
        </SessionGate>
      );
  }
}

