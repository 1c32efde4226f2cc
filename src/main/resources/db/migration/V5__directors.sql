-- lvs-control-plane schema, version 5: the heartbeat of each director (issue 6).
-- One row per node name (not per Director record: a process whose node no Director
-- names still reports itself). last_seen is the database's clock, so ages compare
-- without trusting the directors' clocks; clock_offset_ms is the director's clock
-- minus the database's, measured around a round trip.
CREATE TABLE director_heartbeat (
    node_name                VARCHAR(253) NOT NULL PRIMARY KEY,
    started_at               TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen                TIMESTAMP WITH TIME ZONE NOT NULL,
    build_version            VARCHAR(64)  NOT NULL,
    dataplane_mode           VARCHAR(16)  NOT NULL,
    clock_offset_ms          BIGINT       NOT NULL,
    applied_generation       BIGINT       NOT NULL,
    applied_at               TIMESTAMP WITH TIME ZONE,
    started_from_local_state BOOLEAN      NOT NULL
);
