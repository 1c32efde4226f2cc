-- lvs-control-plane schema, version 10 (issue 16, item 4): drains that finish.
-- (Version 10: 8 and 9 are left to the other migrations of the same issue.)
--
-- A real server's own drain timeout, in seconds: how long it stays in IPVS at weight 0 while
-- anything of it is left in the kernel. NULL: the director's lvs.reconcile.drain-timeout.
ALTER TABLE real_server ADD COLUMN drain_timeout_seconds INTEGER;

-- Where each draining real server's drain stands on each director, as that director last
-- reported it (every round of its node agent while the real server is draining): what its
-- kernel still holds for it. The node's rows are replaced as a whole; reported_at is the
-- database's clock.
CREATE TABLE director_drain_progress (
    node_name       VARCHAR(253) NOT NULL,
    real_server_id  BIGINT       NOT NULL,
    phase           VARCHAR(16)  NOT NULL,
    active          INTEGER      NOT NULL,
    inactive        INTEGER      NOT NULL,
    persistent      INTEGER      NOT NULL,
    in_table        BOOLEAN      NOT NULL,
    deadline        TIMESTAMP WITH TIME ZONE,
    reported_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_name, real_server_id)
);
CREATE INDEX ix_director_drain_progress_rs ON director_drain_progress (real_server_id);
