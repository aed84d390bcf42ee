-- This install's enrollment with the regional server: where it is, which
-- device this is and for which organisation. The device's secret is in the
-- OS keyring, never here. One row, or none before enrollment.
CREATE TABLE sync_device (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    server_url         TEXT NOT NULL,
    device_id          TEXT NOT NULL,
    organisation_id    TEXT NOT NULL,
    organisation_name  TEXT NOT NULL,
    enrolled_at        TEXT NOT NULL
);
