-- Failed enrollment attempts, by address, for rate limiting: kept in the
-- database (not in server memory) so every server process sees them.
CREATE TABLE enrollment_failures (
    address  text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrollment_failures_by_address ON enrollment_failures (address, at);
