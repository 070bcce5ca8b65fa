#!/usr/bin/env bash
# 100 MiB through TCP echo on e1000 over a link with 5% loss, 25%
# reordering and 1% duplication each way (echo_impair_lib.bash).
. "$(dirname "$0")/echo_impair_lib.bash"
echo_impair_run echo_impair_e1000 e1000
