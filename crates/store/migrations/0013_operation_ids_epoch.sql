-- Each queued operation's id (protocol version 4), kept through retries and
-- renumbering: the server tells a retry of the same operation from another
-- operation under a reused number (a restored store, a copied data folder).
-- Set by the trigger below whichever statement queues the row: a random
-- (version 4) UUID, hyphenated like every id the store writes.
ALTER TABLE sync_outbox ADD COLUMN op_id TEXT;
UPDATE sync_outbox SET op_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))) WHERE op_id IS NULL;
CREATE TRIGGER sync_outbox_op_id AFTER INSERT ON sync_outbox
WHEN NEW.op_id IS NULL
BEGIN
    UPDATE sync_outbox SET op_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
        || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1)
        || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
    WHERE op_seq = NEW.op_seq;
END;

-- The server database's lifetime as last seen (its `epoch`). A different one
-- means the server was restored from a backup: the feed is read again from
-- its start, and what this install holds is sent again.
ALTER TABLE sync_device ADD COLUMN server_epoch TEXT;
