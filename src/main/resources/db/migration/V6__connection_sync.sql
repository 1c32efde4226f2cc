-- lvs-control-plane schema, version 6: IPVS connection synchronisation per VRRP instance (issue 16).
-- Off while lvs_sync_interface is NULL. lvs_sync_id is the sync id (0-255; the API defaults it to the
-- instance's VRID, as keepalived's lvs_sync_daemon does); the others NULL leave the kernel's default
-- (maximum payload from the interface's MTU, group 224.0.0.81, port 8848, TTL 1).
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_interface VARCHAR(15);
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_id INTEGER;
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_max_length INTEGER;
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_group VARCHAR(45);
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_port INTEGER;
ALTER TABLE vrrp_instance ADD COLUMN lvs_sync_ttl INTEGER;
