#!/bin/bash
# The cheapest fake `oc` for the fleet benchmark: `oc debug node/N [--context=C] -- ...` answers with the
# recorded output of the read script for that node, $FAKE_OC_ROOT/<C>/<N>.out (recorded once with the light
# fake from a real node tree), after $FAKE_OC_LATENCY_MS counted from start. No shell script runs on a
# "node": with 1,000 reads on 2 CPUs the benchmark measures verify, not the fake's own forks.
# FAKE_OC_LOG: JSON lines {event, node, context, t} (bash's clock: no extra process).
start=${EPOCHREALTIME/./}; start=${start:0:13}
node=; ctx=
for a in "$@"; do
  case "$a" in
    node/*) node=${a#node/} ;;
    --context=*) ctx=${a#--context=} ;;
    --) break ;;
  esac
done
[ -n "$FAKE_OC_LOG" ] && printf '{"event":"start","node":"%s","context":"%s","t":%s}\n' "$node" "$ctx" "$start" >> "$FAKE_OC_LOG"
file=$FAKE_OC_ROOT/$ctx/$node.out
[ -r "$file" ] || { echo "Error from server (NotFound): nodes \"$node\" not found" >&2; exit 1; }
now=${EPOCHREALTIME/./}; now=${now:0:13}
left=$(( ${FAKE_OC_LATENCY_MS:-0} - (now - start) ))
[ $left -gt 0 ] && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
printf '%s\n' "$(<"$file")"
if [ -n "$FAKE_OC_LOG" ]; then end=${EPOCHREALTIME/./}; printf '{"event":"end","node":"%s","context":"%s","t":%s}\n' "$node" "$ctx" "${end:0:13}" >> "$FAKE_OC_LOG"; fi
exit 0
