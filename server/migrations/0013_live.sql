-- Live news: each statement that adds to the feed announces, at commit, the
-- newest position of each scope it advanced on the channel the live streams
-- listen to ("<scope> <seq>"). The feed stays the truth: a stream that
-- missed an announcement (a listener reconnecting) tells its clients to
-- pull anyway, and the clients' poll remains as the fallback.
CREATE FUNCTION announce_feed_entries() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    advanced record;
BEGIN
    FOR advanced IN SELECT scope, max(seq) AS seq FROM fresh GROUP BY scope LOOP
        PERFORM pg_notify('tsunagu_feed', advanced.scope || ' ' || advanced.seq);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER change_log_announced
AFTER INSERT ON change_log
REFERENCING NEW TABLE AS fresh
FOR EACH STATEMENT EXECUTE FUNCTION announce_feed_entries();
