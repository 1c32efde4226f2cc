#!/bin/bash
# guest-test.sh: runs inside the booted lab root (systemd as init, the package installed by
# lab/deb/test-deb.sh). Writes PASS/FAIL/NOTE lines to /lab/results.txt; exit 0 when all passed.
set -u
R=/lab/results.txt; : > "$R"
pass() { echo "PASS $*" | tee -a "$R"; }
fail() { echo "FAIL $*" | tee -a "$R"; }
note() { echo "NOTE $*" | tee -a "$R"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
now() { date +%s.%N; }
secs() { python3 -c "print('%.1f' % ($2 - $1))" 2>/dev/null || awk "BEGIN{printf \"%.1f\", $2 - $1}"; }
UNIT=lvs-control-plane.service
VIP=172.18.44.44
PW=lab-admin-password-1
API=http://127.0.0.1:8080/api/v1

note "kernel $(uname -r), init $(readlink -f /proc/1/exe), systemd $(systemctl --version | head -n1)"
note "systemctl is-system-running: $(systemctl is-system-running 2>&1)"
check "installed: dpkg says $(dpkg-query -W -f='${Version} ${Status}' lvs-control-plane)" \
  dpkg-query -W -f='${Status}' lvs-control-plane | grep -q 'install ok installed'
check "state directory /var/lib/lvs-control-plane is 0700 lvscp" \
  test "$(stat -c '%a %U' /var/lib/lvs-control-plane)" = "700 lvscp"
check "CDS archive in place ($( [ -L /var/cache/lvs-control-plane/lvs-control-plane.jsa ] && echo 'the one made at package build: same JVM build' || echo 'made by postinst: the package was built with another JVM build'))" \
  test -s /var/cache/lvs-control-plane/lvs-control-plane.jsa
note "JVM: $(readlink -f /usr/bin/java) $(java -version 2>&1 | sed -n 2p); package's archive made by: $(cat /usr/share/lvs-control-plane/lvs-control-plane.jsa.jvm 2>/dev/null | cut -c1-60)"
check "unit not started by the first install" test "$(systemctl is-active $UNIT)" = inactive
check "ip_vs loaded at boot by systemd-modules-load" grep -q '^ip_vs ' /proc/modules
check "sysctl.d applied at boot (expire_nodest_conn=1, arp_ignore=1)" \
  test "$(sysctl -n net.ipv4.vs.expire_nodest_conn)$(sysctl -n net.ipv4.conf.all.arp_ignore)" = 11
v=$(systemd-analyze verify $UNIT 2>&1); check "systemd-analyze verify: clean${v:+ ($v)}" test -z "$v"
exposure=$(systemd-analyze security $UNIT 2>/dev/null | tail -n1)
note "systemd-analyze security: $exposure"
systemd-analyze security $UNIT > /lab/security.txt 2>&1

check "lab: tmpfs copies of PostgreSQL's data and the state directory" systemctl is-active --quiet lvscp-lab-tmpfs.service

# PostgreSQL in the guest (Debian's 15 from the base root), as the directors share one
systemctl start postgresql@15-main.service 2>/dev/null || systemctl start postgresql.service
for i in $(seq 300); do su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 0.3; done
note "PostgreSQL: $(systemctl is-active postgresql@15-main.service) after $i polls"
su postgres -c "psql -qc \"create role lvscp login password 'lvscp'\"" 2>&1 | tee -a /lab/pg.log
su postgres -c "createdb -O lvscp lvscp" 2>&1 | tee -a /lab/pg.log
check "PostgreSQL up with database lvscp" su postgres -c "psql -qAtc 'select 1' lvscp"
# the cluster's port (mmdebstrap's postinst picks 5433 when the build host's own PostgreSQL has 5432)
PGPORT=$(sed -n 's/^port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' /etc/postgresql/15/main/postgresql.conf); PGPORT=${PGPORT:-5432}

# the director's configuration (a conffile edit, kept across the upgrade)
cat >> /etc/lvs-control-plane/application.properties <<EOC
lvs.node-name=lvs1
spring.profiles.active=postgres
spring.datasource.url=jdbc:postgresql://127.0.0.1:$PGPORT/lvscp
spring.datasource.username=lvscp
spring.datasource.password=lvscp
lvs.security.initial-admin-password=$PW
EOC

# the segment: the director's lan0 to a real server's namespace, a client's namespace on cl0
ip netns add rs; ip netns add client
ip link add lan0 type veth peer name eth0 netns rs
ip link add cl0 type veth peer name eth0 netns client
ip addr add 10.9.0.1/24 dev lan0; ip link set lan0 up
ip addr add 192.168.77.1/24 dev cl0; ip link set cl0 up
ip -n rs addr add 10.9.0.2/24 dev eth0; ip -n rs link set eth0 up; ip -n rs link set lo up
ip -n rs addr add $VIP/32 dev lo; ip -n rs route add default via 10.9.0.1
ip netns exec rs sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
ip -n client addr add 192.168.77.2/24 dev eth0; ip -n client link set eth0 up; ip -n client link set lo up
ip -n client route add default via 192.168.77.1
# the real server's answers go back to the client through the director's routing
sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lan0.rp_filter=0 net.ipv4.conf.lan0.accept_local=1
mkdir -p /run/www && echo hello-from-rs > /run/www/index.html
ip netns exec rs busybox httpd -p 80 -h /run/www

systemctl enable $UNIT
t=$(now)
systemctl start $UNIT
rc=$?
note "systemctl start (until /actuator/health/readiness UP) in the lab kernel: $(secs "$t" "$(now)") s"
check "systemctl start $UNIT succeeded (exec + readiness check)" test $rc = 0
pid=$(systemctl show -p MainPID --value $UNIT)
check "runs as lvscp: $(ps -o user=,args= -p "$pid" | cut -c1-120)" test "$(ps -o user= -p "$pid")" = lvscp
caps=$(grep -E '^Cap(Eff|Prm|Bnd|Amb)' /proc/$pid/status | tr '\t\n' '  ')
check "capabilities exactly NET_ADMIN+NET_RAW (0x3000): $caps" \
  test "$(grep '^CapEff' /proc/$pid/status | awk '{print $2}')-$(grep '^CapBnd' /proc/$pid/status | awk '{print $2}')" = 0000000000003000-0000000000003000
check "NoNewPrivs set" grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$pid/status
check "the start mapped the CDS archive (no 'Unable to use shared archive' in the journal)" \
  bash -c "! journalctl -u $UNIT --no-pager | grep -q 'Unable to use shared archive'"
check "journal has the service's log" bash -c "journalctl -u $UNIT --no-pager | grep -q 'Started LvsControlPlaneApplication'"
check "the service set its IPVS sysctls under the unit's sandbox (lvs.ipvs-sysctl.*)" \
  bash -c "journalctl -u $UNIT --no-pager | grep -q 'IPVS sysctls set' && ! journalctl -u $UNIT --no-pager | grep -q 'Setting the IPVS sysctls'"
check "/usr is read-only to the service (ProtectSystem=strict)" \
  bash -c "nsenter -t $pid -m sh -c 'touch /usr/share/lvs-control-plane/x' 2>/dev/null; test ! -e /usr/share/lvs-control-plane/x"

TOKEN=$(curl -s -u "admin:$PW" -XPOST $API/tokens -H 'Content-Type: application/json' -d '{"name":"lab"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
check "API token for the first admin" bash -c "echo '$TOKEN' | grep -q '^lvscp_'"
H="Authorization: Bearer $TOKEN"; J='Content-Type: application/json'
post() { curl -s -o /dev/null -w '%{http_code}' -H "$H" -H "$J" -XPOST "$API$1" -d "$2"; }
s1=$(post /clusters '{"name":"lab"}')
s2=$(post /clusters/lab/directors '{"nodeName":"lvs1","managementAddress":"10.9.0.1","interfaceName":"lan0"}')
s3=$(post /clusters/lab/vrrp-instances "{\"name\":\"vi_1\",\"vrid\":51,\"interfaceName\":\"lan0\",\"vrrpVersion\":2,\"priorities\":[{\"director\":\"lvs1\",\"priority\":150}],\"vips\":[{\"address\":\"$VIP\",\"device\":\"lan0\"}]}")
vs=$(curl -s -H "$H" -H "$J" -XPOST "$API/clusters/lab/virtual-servers" -d "{\"vrrpInstance\":\"vi_1\",\"vip\":\"$VIP\",\"port\":80,\"protocol\":\"TCP\",\"scheduler\":\"wrr\",\"forwarding\":\"DR\"}")
vsid=$(echo "$vs" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2); s4=$([ -n "$vsid" ] && echo 201 || echo "$vs")
s5=$(post /clusters/lab/virtual-servers/$vsid/real-servers '{"address":"10.9.0.2","port":80,"weight":1,"healthCheck":{"type":"TCP_CHECK","connectTimeout":1,"retry":0}}')
check "cluster, director, VRRP instance, virtual server, real server created: $s1 $s2 $s3 $s4 $s5" test "$s1$s2$s3$s4$s5" = 201201201201201

waitfor() { local n=$1; shift; for i in $(seq $((n * 5))); do "$@" && return 0; sleep 0.2; done; return 1; }
vs_line() { ipvsadm -Ln -t $VIP:80 2>/dev/null | grep -q '10.9.0.2:80'; }
has_vip() { ip -4 addr show dev lan0 | grep -q "$VIP/"; }
# the kernel folds its per-CPU counters into what ipvsadm reads every 2 s (the rate estimator), so
# a read right after the traffic shows an older count: wait 3 s before reading
conns() { sleep 3; ipvsadm -Ln --stats -t $VIP:80 2>/dev/null | awk '$1=="TCP"{print $3}'; }
check "IPVS programmed: $VIP:80 -> 10.9.0.2:80" waitfor 30 vs_line
check "VIP held (VRRP master) on lan0" waitfor 30 has_vip
# the unit's LimitRTPRIO=10 (the service has no CAP_SYS_NICE): the engine process's VRRP loop thread in SCHED_RR 10
check "the VRRP loop thread runs SCHED_RR 10 under the unit: $(ps -eLo cls=,rtprio=,comm= | grep -E '^ *RR +[0-9]+ +vrrp-' | tr -s ' ' | head -1)" \
  bash -c "journalctl -u $UNIT --no-pager | grep -q 'SCHED_RR priority 10 in effect' && ps -eLo cls=,rtprio=,comm= | grep -Eq '^ *RR +10 +vrrp-'"
traffic() { local ok=0; for i in $(seq "$1"); do ip netns exec client curl -s -m 3 http://$VIP/ | grep -q hello-from-rs && ok=$((ok + 1)); done; echo $ok; }
ok=$(traffic 5)
c1=$(conns)
check "a client's connections go through IPVS to the real server ($ok/5 answered, IPVS Conns $c1)" test "$ok" = 5 -a "${c1:-0}" -ge 5

# restart: the table is never emptied, the counters keep counting
touch /run/watch
( end=$(( $(date +%s) + 120 )); while [ -f /run/watch ] && [ "$(date +%s)" -lt $end ]; do
    vs_line || echo gone >> /run/watch.gone; sleep 0.1; done ) &
watcher=$!
ip netns exec rs timeout 60 tcpdump -i eth0 -n -l 'ip proto 112' > /lab/vrrp-restart.txt 2>/dev/null &
tcpd=$!; sleep 1
t=$(now); systemctl restart $UNIT; rc=$?
note "systemctl restart: $(secs "$t" "$(now)") s"
rm -f /run/watch; wait $watcher
check "systemctl restart succeeded" test $rc = 0
check "the IPVS service never left the table during the restart" bash -c "test ! -e /run/watch.gone && ipvsadm -Ln -t $VIP:80 >/dev/null 2>&1"
sleep 2; kill $tcpd 2>/dev/null; wait $tcpd 2>/dev/null
check "the stop was a VRRP hand-over: an advertisement with priority 0 on the wire ($(grep -c 'prio 0' /lab/vrrp-restart.txt) seen)" \
  grep -q 'prio 0' /lab/vrrp-restart.txt
c2=$(conns)
check "IPVS counters kept across the restart (Conns $c1 -> $c2, not reset by a flush)" test "${c1:-0}" -ge 5 -a "${c2:-0}" -ge "${c1:-0}"
check "VIP held again after the restart" waitfor 30 has_vip
ok=$(traffic 3); c3=$(conns)
check "counters keep counting after the restart (Conns $c2 -> $c3, $ok/3 answered)" test "$ok" = 3 -a "${c3:-0}" -ge $(( ${c2:-0} + 3 ))

# upgrade to the newer build with apt, the service running
touch /run/watch; rm -f /run/watch.gone
( end=$(( $(date +%s) + 300 )); while [ -f /run/watch ] && [ "$(date +%s)" -lt $end ]; do
    vs_line || echo gone >> /run/watch.gone; sleep 0.1; done ) &
watcher=$!
oldpid=$(systemctl show -p MainPID --value $UNIT)
t=$(now)
(cd /lab && DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confold ./new.deb) > /lab/upgrade.log 2>&1
rc=$?
note "apt-get install new.deb (postinst: bin/cds-setup, try-restart): $(secs "$t" "$(now)") s"
check "the upgrade's postinst did not wait for a CDS training run (shipped archive linked, or one made in the background): $(grep -o 'lvs-control-plane: CDS archive made at package build[^)]*)\|making it in the background' /lab/upgrade.log | head -n1)" \
  grep -q 'CDS archive made at package build\|making it in the background' /lab/upgrade.log
rm -f /run/watch; wait $watcher
check "upgrade to $(dpkg-query -W -f='${Version}' lvs-control-plane) with apt (rc $rc)" test $rc = 0
newpid=$(systemctl show -p MainPID --value $UNIT)
check "the upgrade restarted the running service (pid $oldpid -> $newpid)" test -n "$newpid" -a "$newpid" != 0 -a "$newpid" != "$oldpid"
check "service active after the upgrade" test "$(systemctl is-active $UNIT)" = active
check "configuration edits kept by the upgrade" grep -q '^lvs.node-name=lvs1' /etc/lvs-control-plane/application.properties
check "the IPVS service never left the table during the upgrade" bash -c "test ! -e /run/watch.gone && ipvsadm -Ln -t $VIP:80 >/dev/null 2>&1"
c4=$(conns)
check "IPVS counters kept across the upgrade (Conns $c3 -> $c4)" test "${c3:-0}" -ge 8 -a "${c4:-0}" -ge "${c3:-0}"
check "VIP held after the upgrade" waitfor 30 has_vip
ok=$(traffic 2)
check "traffic after the upgrade ($ok/2)" test "$ok" = 2

# remove keeps state and configuration (and the IPVS table: the director keeps forwarding); purge deletes them
apt-get remove -y lvs-control-plane > /lab/remove.log 2>&1
check "remove: service stopped" test "$(systemctl is-active $UNIT)" != active
check "remove: IPVS table left as it was" vs_line
check "remove: /etc/lvs-control-plane and /var/lib/lvs-control-plane kept" \
  test -s /etc/lvs-control-plane/application.properties -a -d /var/lib/lvs-control-plane
umount /var/lib/lvs-control-plane   # the lab's tmpfs copy (above); purge deletes the directory
apt-get purge -y lvs-control-plane > /lab/purge.log 2>&1
check "purge: configuration and state deleted" test ! -e /etc/lvs-control-plane -a ! -e /var/lib/lvs-control-plane
journalctl -u $UNIT --no-pager > /lab/journal.txt 2>&1
grep -q '^FAIL' "$R" && exit 1
exit 0
