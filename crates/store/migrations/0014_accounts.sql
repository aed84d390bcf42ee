-- The clinic's own accounts (医師・看護師・事務). Passwords and PINs are
-- Argon2id hashes in PHC form; the store never sees either in clear.
-- An account is disabled, never deleted: the audit log names it.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('doctor', 'nurse', 'clerk')),
    is_admin INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    password_hash TEXT NOT NULL,
    pin_hash TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

-- The last enabled administrator stays: disabling or demoting them is
-- refused here as well as in the app, so no path leaves a clinic locked
-- out of its own accounts.
CREATE TRIGGER accounts_keep_an_admin BEFORE UPDATE OF is_admin, disabled_at ON accounts
WHEN OLD.is_admin = 1 AND OLD.disabled_at IS NULL
     AND (NEW.is_admin = 0 OR NEW.disabled_at IS NOT NULL)
     AND (SELECT count(*) FROM accounts WHERE is_admin = 1 AND disabled_at IS NULL) <= 1
BEGIN
    SELECT RAISE(ABORT, 'last administrator');
END;

CREATE TRIGGER accounts_never_deleted BEFORE DELETE ON accounts
BEGIN
    SELECT RAISE(ABORT, 'accounts are disabled, not deleted');
END;
