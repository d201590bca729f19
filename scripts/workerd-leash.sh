#!/bin/sh
# workerd on a leash: Miniflare starts this (MINIFLARE_WORKERD_PATH, set by scripts/lib/lifecycle.mjs) in place of
# workerd, with its config on stdin and its control pipe on fd 3. workerd dies with this script and this script with
# scripts/start.mjs (PR_SET_PDEATHSIG via setpriv, or a polling watchdog where there is no setpriv); a signal that
# stops workerd or this script is passed on to start.mjs, which then stops the whole server (instead of Miniflare
# restarting workerd).
set -u
workerd=${SECRETS_EDGE_WORKERD:?set by scripts/start.mjs}
has_setpriv=$(command -v setpriv || true)

# First pass: re-run this script (same pid) with a death signal tied to start.mjs, its parent.
if [ -n "$has_setpriv" ] && [ -z "${SECRETS_EDGE_LEASHED:-}" ]; then
  SECRETS_EDGE_LEASHED=1 exec setpriv --pdeathsig KILL -- /bin/sh "$0" "$@"
fi

start_mjs=$PPID
exec 4<&0 # an asynchronous command's stdin would be /dev/null; workerd reads its config from it
if [ -n "$has_setpriv" ]; then
  setpriv --pdeathsig KILL -- "$workerd" "$@" <&4 4<&- &
  runtime=$!
else
  "$workerd" "$@" <&4 4<&- &
  runtime=$!
  (while kill -0 "$start_mjs" 2>/dev/null && kill -0 "$runtime" 2>/dev/null; do sleep 1; done
   kill -KILL "$runtime" 2>/dev/null) </dev/null >/dev/null 2>&1 3>&- &
fi
exec 4<&-

trap 'kill -TERM "$start_mjs" 2>/dev/null' TERM INT HUP
while :; do
  wait "$runtime"
  status=$?
  kill -0 "$runtime" 2>/dev/null || break # still running: wait was cut short by a trapped signal
done
# Stopped from outside (workerd exits 0 on SIGTERM; Miniflare itself SIGKILLs this script): stop the whole server.
# A crash (any other status) is left to Miniflare, which restarts workerd.
case $status in 0 | 129 | 130 | 143) kill -TERM "$start_mjs" 2>/dev/null ;; esac
exit "$status"
