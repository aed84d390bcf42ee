import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { getSession, lockNow, onSessionLost, stillHere, toApiError, type Session, type SignedInAccount } from "../api";
import { idleTooLong, sessionScreen, shouldSayStillHere } from "../lib/session";
import { FirstAccountForm, LockScreen, MustChangePassword, SignInForm } from "./SessionForms";

export interface SessionControls {
  account: SignedInAccount;
  session: Session;
  onSession: (session: Session) => void;
}

interface Props {
  children: (controls: SessionControls) => ComponentChildren;
}

const INPUT_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel"] as const;

/**
 * Nothing of the app shows before an account signs in, and while it is locked the
 * app is hidden behind the lock screen (kept mounted, so what was being typed is
 * still there after unlocking). The backend refuses every command while locked;
 * this only follows it: idle here, a refused command, or ロック.
 */
export function SessionGate({ children }: Props) {
  const [session, setSession] = useState<Session | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const lastInput = useRef(Date.now());
  const lastSent = useRef(Date.now());

  const refresh = () => {
    getSession().then(setSession, (e: unknown) => {
      setFailure(toApiError(e).message);
    });
  };

  useEffect(refresh, []);
  useEffect(() => onSessionLost(refresh), []);

  const screen = session === null ? null : sessionScreen(session);
  const lockMinutes = session?.lockMinutes ?? 10;

  useEffect(() => {
    if (screen !== "app") return;
    lastInput.current = Date.now();
    const seen = () => {
      lastInput.current = Date.now();
    };
    INPUT_EVENTS.forEach((name) => {
      window.addEventListener(name, seen, { passive: true });
    });
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (idleTooLong(lastInput.current, now, lockMinutes)) {
        lockNow().then(setSession, refresh);
      } else if (shouldSayStillHere(lastInput.current, lastSent.current, now)) {
        lastSent.current = now;
        // A refusal (locked meanwhile) reaches onSessionLost.
        stillHere().catch(() => undefined);
      }
    }, 5_000);
    return () => {
      INPUT_EVENTS.forEach((name) => {
        window.removeEventListener(name, seen);
      });
      window.clearInterval(timer);
    };
  }, [screen, lockMinutes]);

  if (failure !== null) {
    return (
      <p class="alert alert-error" role="alert">
        {failure}
      </p>
    );
  }
  if (session === null || screen === null) {
    return (
      <p class="starting" role="status">
        起動しています…
      </p>
    );
  }
  switch (screen) {
    case "first-account":
      return <FirstAccountForm onSession={setSession} />;
    case "sign-in":
      return <SignInForm onSession={setSession} />;
    case "change-password":
      return <MustChangePassword onSession={setSession} />;
    case "locked":
    case "app":
      return (
        <>
          {screen === "locked" && <LockScreen session={session} onSession={setSession} />}
          {session.account !== null && (
            <div hidden={screen === "locked"} class="session-app">
              {children({ account: session.account, session, onSession: setSession })}
            </div>
          )}
        </>
      );
  }
}
