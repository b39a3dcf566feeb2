#!/usr/bin/env bash
# make-certs.sh DIR NAME [SAN]: a throw-away test CA (DIR/NAME-ca.pem) and a server certificate it
# signed for 127.0.0.1 and localhost, or for the subjectAltName list SAN (DIR/NAME-server.pem, key
# DIR/NAME-server.key), made with openssl at test time so that no key is ever committed. Valid for
# a day.
set -euo pipefail
dir=$1 name=$2 san=${3:-IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1}
cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=btcstream test CA $name" \
    -keyout "$name-ca.key" -out "$name-ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$name-server.key" -out "$name-server.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "$name-ext.cnf"
openssl x509 -req -in "$name-server.csr" -CA "$name-ca.pem" -CAkey "$name-ca.key" \
    -CAcreateserial -days 1 -extfile "$name-ext.cnf" -out "$name-server.pem" 2>/dev/null
