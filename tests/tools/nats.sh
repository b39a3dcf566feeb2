# Helpers for the bus tests, sourced: NATS servers on 127.0.0.1 that the test starts and kills.
command -v nats-server > /dev/null || skip "nats-server is not installed"
declare -A NATS_PID
# nats_wait NAME PORT: waits until the server just started as NAME listens on PORT. Its own log
# must say so: on a machine where other tests run servers too, a port that answers may be another
# test's server (ours then dies on "address already in use"), and talking to it would mix ticks.
nats_wait() {
    local i
    for i in $(seq 1 200); do
        kill -0 "${NATS_PID[$1]}" 2> /dev/null ||
            fail "nats-server $1 exited (port $2 taken?): $(tail -5 "$WORK/nats-$1.log")"
        if grep -q "Listening for client connections on 127.0.0.1:$2" "$WORK/nats-$1.log" 2> /dev/null &&
            (exec 3<> "/dev/tcp/127.0.0.1/$2") 2> /dev/null; then return 0; fi
        sleep 0.05
    done
    fail "nats-server $1 did not start: $(tail -5 "$WORK/nats-$1.log")"
}
# nats_free_base FROM SPAN: a base port B in [FROM, FROM + SPAN) whose ports B..B+9 nothing
# listens on now (the servers' own logs catch the rare race, nats_wait).
nats_free_base() {
    local base i p busy
    for i in $(seq 1 50); do
        base=$(($1 + (RANDOM % ($2 / 10)) * 10)) busy=0
        for p in $(seq "$base" $((base + 9))); do
            if (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then busy=1 && break; fi
        done
        [ $busy = 0 ] && echo "$base" && return 0
    done
    fail "no free ports found for nats-server"
}
# nats_start NAME CLIENT_PORT: starts (or restarts) a JetStream server with its store in
# $WORK/nats-NAME.
nats_start() {
    nats-server -a 127.0.0.1 -p "$2" -js -sd "$WORK/nats-$1" -n "$1" > "$WORK/nats-$1.log" 2>&1 &
    NATS_PID[$1]=$!
    nats_wait "$1" "$2"
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
    nats_wait "$name" "$port"
}
# same_tables_as_directory SOURCE LINES WHAT [HISTORY]: the history (H.json unless given) that
# came through the bus holds the tables that the same ticks (SOURCE, LINES a stream file) give
# through the stream directory.
same_tables_as_directory() {
    mkdir S
    split -l "$2" -d -a 3 --additional-suffix=.json "$1" S/ohlc_
    "$BTCSTREAM" stream --stream-dir S --history F.json --until-idle --trigger 0 --quiet > /dev/null 2>&1
    local t
    for t in hourly daily moving_avg; do
        "$BTCSTREAM" aggregate --input "${4:-H.json}" --table $t --format csv > bus_$t.csv
        "$BTCSTREAM" aggregate --input F.json --table $t --format csv > dir_$t.csv
        cmp -s bus_$t.csv dir_$t.csv || fail "the $t table differs between $3 and the directory"
    done
    pass "$3 and the stream directory give the same tables"
}
