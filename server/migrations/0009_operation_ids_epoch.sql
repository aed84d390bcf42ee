-- Which operation each remembered (device, op_seq) was: a client restored
-- from a backup, or a data folder copied to another PC, numbers new
-- operations again from an earlier point, and an id that differs tells
-- the server that the number was reused (answered `seq_taken`, not
-- "applied" and dropped). NULL for operations of clients before version 4.
ALTER TABLE applied_ops ADD COLUMN op_id uuid;

-- This database's lifetime. `admin restore` replaces it: a restored feed
-- numbers its changes again from an earlier point, and clients that see a
-- new epoch read the feed from its start and send again what they hold.
-- One row; the runtime role may read it, never change it.
CREATE TABLE server_epoch (
    id     boolean PRIMARY KEY DEFAULT TRUE CHECK (id),
    epoch  uuid NOT NULL
);
INSERT INTO server_epoch (epoch) VALUES (gen_random_uuid());
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tsunagu_app') THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON server_epoch FROM tsunagu_app;
    END IF;
END
$$;
