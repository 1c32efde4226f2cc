-- lvs-control-plane schema, version 2: what the kernel data plane needs to remember.

-- The IPVS services each node's agent has programmed (or adopted) and so may change or
-- delete. Services in the kernel that are not listed here (an operator's own
-- `ipvsadm -A`) are never touched. service_id is how ipvsadm -Ln names the service:
-- "TCP 172.18.42.42:80", "UDP [2001:db8::1]:53", "FWM 7", "FWM 8 IPv6".
CREATE TABLE ipvs_owned_service (
    node_name   VARCHAR(253) NOT NULL,
    service_id  VARCHAR(80)  NOT NULL,
    owned_since TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_name, service_id)
);

-- When a real server's administrative state last changed: a draining real server is
-- removed from IPVS once its active connections reach 0 or lvs.reconcile.drain-timeout
-- has passed since this moment.
ALTER TABLE real_server ADD COLUMN state_changed_at TIMESTAMP WITH TIME ZONE;
UPDATE real_server SET state_changed_at = updated_at;
