# Long-lived connections through a failover: helpers sourced by lab/e2e/scenario.sh
# (inside the lab kernel only). Needs from the caller: RUN (scratch folder on tmpfs),
# PROJECT, now_ms, wait_for and a "client" namespace on the bridge "lan".
#
# The echo service (lab/e2e/echo.py) listens on port 7000 of each real server; a client
# (echo.py client) holds 20 connections through a VIP, each sending a line every 100 ms,
# and opens a new connection every 50 ms. keepalived 2.2.7 pairs run next to our
# directors in the same boot, as the reference: one without lvs_sync_daemon, one with.
ECHO_PORT=7000

echo_server_start() { # echo_server_start NS
  ip netns exec "$1" python3 "$PROJECT/lab/e2e/echo.py" server $ECHO_PORT >"$RUN/$1/echo.log" 2>&1 &
  echo $! > "$RUN/$1/echo.pid"
  for _ in $(seq 100); do ip netns exec "$1" bash -c "echo > /dev/tcp/127.0.0.1/$ECHO_PORT" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# keepalived_pair_start TAG VIP VRID SYNC NS1:ADDR1 NS2:ADDR2   (SYNC 1: lvs_sync_daemon, sync id = VRID)
# NS1 priority 150 (the master), NS2 100; VRRPv2, advert 1 s, the VIP:7000 over rs1 and rs2, rr, DR,
# TCP_CHECK every second: the keepalived side of LAB.md's measurement.
keepalived_pair_start() {
  local tag=$1 vip=$2 vrid=$3 sync=$4; shift 4
  local prio=150 spec ns addr
  for spec in "$@"; do
    ns=${spec%%:*}; addr=${spec#*:}
    attach "$ns" "$addr"
    mkdir -p "$RUN/$ns"
    {
      echo "global_defs {"
      echo "  router_id $ns"
      [ "$sync" = 1 ] && echo "  lvs_sync_daemon eth0 VI_$tag id $vrid"
      echo "}"
      cat <<EOC
vrrp_instance VI_$tag {
  state BACKUP
  interface eth0
  virtual_router_id $vrid
  priority $prio
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass $tag$vrid
  }
  virtual_ipaddress {
    $vip/32 dev eth0
  }
}
virtual_server $vip $ECHO_PORT {
  delay_loop 1
  lb_algo rr
  lb_kind DR
  protocol TCP
  real_server 172.18.42.111 $ECHO_PORT {
    weight 1
    TCP_CHECK {
      connect_timeout 1
    }
  }
  real_server 172.18.42.222 $ECHO_PORT {
    weight 1
    TCP_CHECK {
      connect_timeout 1
    }
  }
}
EOC
    } > "$RUN/$ns/keepalived.conf"
    ip netns exec "$ns" keepalived -n -l -f "$RUN/$ns/keepalived.conf" -p "$RUN/$ns/keepalived.pid" \
      -r "$RUN/$ns/vrrp.pid" -c "$RUN/$ns/checkers.pid" >"$RUN/$ns/log" 2>&1 &
    prio=100
  done
}

has_addr() { ip -n "$1" -4 addr show dev eth0 2>/dev/null | grep -q " $2/"; }
# a namespace's IPVS connection entries for VIP:7000, read from /proc/net/ip_vs_conn
# (hex addresses; cheaper than ipvsadm -Lnc, which matters once a second on the lab's one CPU)
hexaddr() { local IFS=.; set -- $1; printf '%02X%02X%02X%02X' "$1" "$2" "$3" "$4"; }
# "all established" entries for VIP:7000 (sampled once a second for the sync lag)
conn_counts() { ip netns exec "$1" awk -v a="$(hexaddr "$2")" -v p="$(printf %04X $ECHO_PORT)" \
  '$4 == a && $5 == p {n++; if ($8 == "ESTABLISHED") e++} END {print n + 0, e + 0}' /proc/net/ip_vs_conn 2>/dev/null; }
# the ESTABLISHED entries for VIP:7000 in a namespace's IPVS connection table
established() { set -- $(conn_counts "$1" "$2"); echo "${2:-0}"; }
sync_daemons() { ip netns exec "$1" ipvsadm -L --daemon 2>/dev/null | tr '\n' ';'; }

echo_client_start() { # echo_client_start TAG VIP
  ip netns exec client python3 "$PROJECT/lab/e2e/echo.py" client "$2" $ECHO_PORT "$RUN/echo.$1" \
    --long 20 --every 0.1 --new-every 0.05 --timeout 15 >"$RUN/echo.$1.err" 2>&1 &
  echo $! > "$RUN/echo.$1.pid"
}
echo_client_stop() { kill "$(cat "$RUN/echo.$1.pid")" 2>/dev/null; wait "$(cat "$RUN/echo.$1.pid")" 2>/dev/null; true; }
echo_connected() { [ "$(grep -c ' CONNECTED ' "$RUN/echo.$1" 2>/dev/null)" -ge 20 ]; }
# the client's last counters: "alive dead new_ok new_fail"
echo_stat() { awk '$2 == "STAT" {a = $3; d = $4; o = $5; f = $6} END {sub(/.*=/, "", a); sub(/.*=/, "", d); sub(/.*=/, "", o); sub(/.*=/, "", f); print a + 0, d + 0, o + 0, f + 0}' "$RUN/echo.$1"; }
# long-lived connections that died at or after T: "count reasons"
echo_dead_since() { awk -v t="$2" '$2 == "DEAD" && $1 >= t {n++; r[$4]++} END {s = ""; for (k in r) s = s k "x" r[k] " "; print n + 0, s}' "$RUN/echo.$1"; }
# new connections begun in [FROM, TO) that failed
echo_newfail_between() { awk -v a="$2" -v b="$3" '$2 == "NEWFAIL" && $3 >= a && $3 < b' "$RUN/echo.$1" | wc -l; }
# new connections begun in [FROM, TO): the client's new_ok + new_fail grew by about (TO - FROM) / pace;
# counted from the STAT lines
echo_new_between() { awk -v a="$2" -v b="$3" '$2 == "STAT" { split($5, o, "="); split($6, f, "="); n = o[2] + f[2]; if ($1 < a) s = n; if ($1 < b) e = n } END {print e - s}' "$RUN/echo.$1"; }

# a director dies as a box does: its link goes down, then every process in it gets kill -9
box_kill() { ip -n "$1" link set eth0 down; kill -9 $(ip netns pids "$1") 2>/dev/null; true; }

# summary of one client over a failover (one line):
# "K/20 kept (D died since the kill: REASONS); new connections failed N of M begun since the kill (L after takeover + 1 s)"
echo_summary() { # echo_summary TAG KILLED_MS TAKEOVER_MS
  local alive dn dr nf late n
  read -r alive _ <<< "$(echo_stat "$1")"
  read -r dn dr <<< "$(echo_dead_since "$1" "$2")"
  nf=$(echo_newfail_between "$1" "$2" 99999999999999)
  late=$(echo_newfail_between "$1" $(( $3 + 1000 )) 99999999999999)
  n=$(echo_new_between "$1" "$2" 99999999999999)
  echo "$alive/20 kept ($dn died since the kill${dr:+: $dr}); new connections failed $nf of $n begun since the kill ($late after takeover + 1 s)"
}
