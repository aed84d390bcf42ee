-- The role the server runs as: it may read and write what the API needs,
-- but never change or remove audit rows. Migrations run as the owner. On a
-- database whose owner may not create roles, this step is skipped (the
-- triggers still refuse audit changes) and the operator creates the role.
-- A later migration that adds a table gets the defaults below; one that
-- adds an append-only table must REVOKE UPDATE, DELETE, TRUNCATE itself.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user
                   AND (rolsuper OR rolcreaterole)) THEN
            CREATE ROLE tsunagu_app LOGIN;
        ELSE
            RAISE NOTICE 'tsunagu_app not created: the migrating role may not create roles';
            RETURN;
        END IF;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO tsunagu_app', current_database());
    GRANT USAGE ON SCHEMA public TO tsunagu_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tsunagu_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tsunagu_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tsunagu_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO tsunagu_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM tsunagu_app;
    REVOKE UPDATE, DELETE, TRUNCATE ON referral_events FROM tsunagu_app;
    REVOKE ALL ON _sqlx_migrations FROM tsunagu_app;
END
$$;
