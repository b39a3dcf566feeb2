# Helpers for the bus tests, sourced: NATS servers on 127.0.0.1 that the test starts and kills.
# nats_start NAME CLIENT_PORT [CLUSTER_PORT ROUTE_PORTS...]: starts (or restarts) a JetStream
# server with its store in $WORK/nats-NAME; a cluster node when CLUSTER_PORT is given.
command -v nats-server > /dev/null || skip "nats-server is not installed"
declare -A NATS_PID
nats_start() {
    local name=$1 port=$2 cport=${3:-} routes=()
    shift 2
    [ -n "$cport" ] && shift
    local args=(-a 127.0.0.1 -p "$port" -js -sd "$WORK/nats-$name" -n "$name")
    if [ -n "$cport" ]; then
        local r
        for r in "$@"; do routes+=("nats://127.0.0.1:$r"); done
        args+=(--cluster_name bs --cluster "nats://127.0.0.1:$cport"
               --routes "$(IFS=,; echo "${routes[*]}")")
    fi
    nats-server "${args[@]}" > "$WORK/nats-$name.log" 2>&1 &
    NATS_PID[$name]=$!
    local i
    for i in $(seq 1 100); do
        if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then return 0; fi
        sleep 0.05
    done
    fail "nats-server $name did not start: $(tail -5 "$WORK/nats-$name.log")"
}
nats_kill() { kill -9 "${NATS_PID[$1]}" 2> /dev/null || true; wait "${NATS_PID[$1]}" 2> /dev/null || true; }
nats_stop_all() { local n; for n in "${!NATS_PID[@]}"; do nats_kill "$n"; done; }
# nats_pub PORT SUBJECT PAYLOAD: a plain NATS publish (no JetStream ack), for bad messages.
nats_pub() {
    $PY - "$@" <<'PY'
import socket, sys
port, subject, payload = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
s = socket.create_connection(("127.0.0.1", port))
s.recv(4096)  # INFO
s.sendall(b'CONNECT {"verbose":false}\r\nPUB ' + subject.encode() + b" " +
          str(len(payload)).encode() + b"\r\n" + payload + b"\r\nPING\r\n")
buf = b""
while b"PONG" not in buf:
    buf += s.recv(4096)
PY
}
# nats_start_deploy NAME BASE: starts deploy/nats/NAME.conf (the documented cluster) with its
# ports moved to BASE+0..2 (clients) and BASE+5..7 (routes) and its store in $WORK.
nats_start_deploy() {
    local name=$1 base=$2 conf="$WORK/$1.conf"
    sed -e "s/:4222/:$base/; s/:4223/:$((base + 1))/; s/:4224/:$((base + 2))/" \
        -e "s/:6222/:$((base + 5))/g; s/:6223/:$((base + 6))/g; s/:6224/:$((base + 7))/g" \
        -e "s|/var/lib/btcstream-nats/|$WORK/nats-|" "$BS_SOURCE_DIR/deploy/nats/$name.conf" > "$conf"
    local port
    port=$(sed -n 's/^listen: 127.0.0.1:\([0-9]*\)$/\1/p' "$conf")
    nats-server -c "$conf" > "$WORK/nats-$name.log" 2>&1 &
    NATS_PID[$name]=$!
    local i
    for i in $(seq 1 100); do
        if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then return 0; fi
        sleep 0.05
    done
    fail "nats-server $name did not start: $(tail -5 "$WORK/nats-$name.log")"
}
