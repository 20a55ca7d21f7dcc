#!/bin/sh
# A light fake `oc` for the verify benchmark: only `oc debug node/N ... -- chroot /host sh -c SCRIPT sh /`,
# answered from $FAKE_OC_ROOT/<node> after $FAKE_OC_LATENCY_MS (counted from start, like a real oc's
# answer time). A real oc is a compiled binary; this shell script costs about as little CPU, where the
# Node-based fake (fake-oc.mjs, used by the tests) costs ~60 ms of CPU per call.
# FAKE_OC_PER_CONTEXT=1: nodes live under $FAKE_OC_ROOT/<context>/<node> (--context=C), as in fake-oc.mjs.
start=$(date +%s%3N)
node=
ctx=
while [ $# -gt 0 ]; do
  case "$1" in
    node/*) node=${1#node/} ;;
    --context=*) ctx=${1#--context=} ;;
    --) shift; break ;;
  esac
  shift
done
[ "$1" = chroot ] && [ "$2" = /host ] || { echo "error: fake oc expects chroot /host after --" >&2; exit 1; }
shift 2
[ -n "$FAKE_OC_LOG" ] && printf '{"event":"start","node":"%s","context":"%s","t":%s}\n' "$node" "$ctx" "$start" >> "$FAKE_OC_LOG"
root=$FAKE_OC_ROOT
[ "$FAKE_OC_PER_CONTEXT" = 1 ] && root=$FAKE_OC_ROOT/$ctx
# Replace the host root (last argument, "/") with the fixture root.
n=$#; i=0; for a in "$@"; do i=$((i + 1)); if [ $i -eq $n ]; then set -- "$@" "$root/$node/"; else set -- "$@" "$a"; fi; shift; done
out=$("$@"; printf x); code=$?
now=$(date +%s%3N)
left=$(( ${FAKE_OC_LATENCY_MS:-0} - (now - start) ))
[ $left -gt 0 ] && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
printf '%s' "${out%x}"
[ -n "$FAKE_OC_LOG" ] && printf '{"event":"end","node":"%s","context":"%s","t":%s}\n' "$node" "$ctx" "$(date +%s%3N)" >> "$FAKE_OC_LOG"
exit $code
