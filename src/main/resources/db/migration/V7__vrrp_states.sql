-- lvs-control-plane schema, version 7 (issue 16): the VRRP state of every instance each director
-- runs, written with its heartbeat (lvs.directors.heartbeat-interval, and at once on a transition),
-- so that two masters of one instance are seen through the database even when the directors cannot
-- hear each other's adverts (split brain). reported_at is the database's clock. The node's rows are
-- replaced as a whole in one transaction; a director whose rows stop being refreshed is not counted.
-- (Version 7, not 6: 6 is kept for the connection synchronisation migration of the same issue.)
CREATE TABLE director_vrrp_state (
    node_name     VARCHAR(253) NOT NULL,
    instance_name VARCHAR(63)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    priority      INTEGER      NOT NULL,
    reported_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_name, instance_name)
);
