#!/usr/bin/env bash
# ab -n 20000 -c 50 (with and without -k) and wrk -c 64 -d 10s against the
# HTTP server on virtio-net (http_clients_load.bash has the checks).
set -u
. "$(dirname "$0")/http_clients_load.bash"

http_clients_load http_clients_load_virtio virtio-net-pci
echo "http_clients_load_virtio: ok"
