-- Health-check knobs of keepalived that V1 did not store (issue 5): connect_ip, bindto,
-- misc_timeout, TLS verification for SSL_GET, and rise/fall counts against flapping.
ALTER TABLE real_server ADD COLUMN check_connect_ip VARCHAR(45);
ALTER TABLE real_server ADD COLUMN check_bind_to VARCHAR(45);
ALTER TABLE real_server ADD COLUMN check_tls_verify BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE real_server ADD COLUMN check_rise INTEGER CHECK (check_rise BETWEEN 1 AND 100);
ALTER TABLE real_server ADD COLUMN check_fall INTEGER CHECK (check_fall BETWEEN 1 AND 100);
ALTER TABLE real_server ADD COLUMN check_misc_timeout INTEGER CHECK (check_misc_timeout BETWEEN 1 AND 3600);
