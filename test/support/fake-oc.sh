#!/bin/bash
# A fake `oc` for tests and benchmarks (bash, no Node: it costs about what a real, compiled oc costs).
# It implements
#   oc debug node/N [--quiet] [--context=C] -- chroot /host sh -c SCRIPT sh /
#   oc exec -n NS POD -c CONTAINER [--context=C] -- sh -c SCRIPT sh /rootfs
# by running SCRIPT with the real sh against a fixture node root ($FAKE_OC_ROOT/<node>): the host
# root argument (the last one) is mapped to that directory.
#
# Environment (all optional except FAKE_OC_ROOT):
#   FAKE_OC_ROOT         directory holding one sub-directory per node (<node>/etc/...)
#   FAKE_OC_LATENCY_MS   answer time of every node, counted from oc's start (default 0)
#   FAKE_OC_LATENCY      per node: "worker-0=1500,worker-1=20"
#   FAKE_OC_HANG         nodes that never answer: "worker-1,worker-2" (the caller's timeout must kill us)
#   FAKE_OC_IMAGE_PULL   nodes whose debug pod image cannot be pulled ("*" = all); only for `oc debug`
#   FAKE_OC_EXIT         nodes for which oc fails: "worker-1=1"
#   FAKE_OC_PODS         pod -> node map for exec: "mcd-abc=worker-0" (default: pod name minus "machine-config-daemon-")
#   FAKE_OC_LOG          append JSON lines {event: start|end, verb, node, context, pod, pid, t} to this file
#   FAKE_OC_PER_CONTEXT  "1": nodes live under $FAKE_OC_ROOT/<context>/<node>, the context named by --context=C
#                        (several fake clusters behind one fake oc)
# No globbing: list values such as "*" are words, not patterns.
set -f
# Milliseconds since the epoch into NOW (bash's clock, no process: $(...) would fork one).
now() { local t=${EPOCHREALTIME/./}; NOW=${t:0:13}; }
now
start=$NOW

die() { printf '%s\n' "$1" >&2; exit "${2:-1}"; }
# "a=1,b=2" lookups (the value into FOUND) and "a,b" / "*" membership, without forks.
lookup() { local IFS=, kv; for kv in $1; do [ "${kv%%=*}" = "$2" ] && { FOUND=${kv#*=}; return 0; }; done; return 1; }
member() { local IFS=, x; for x in $1; do [ "$x" = '*' ] || [ "$x" = "$2" ] && return 0; done; return 1; }

verb=$1
before=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do before+=("$1"); shift; done
[ "$1" = -- ] || die 'error: fake oc supports only `debug node/N -- ...` and `exec ... -- ...`'
shift
ctx=; node=; pod=
for a in "${before[@]}"; do case "$a" in --context=*) ctx=${a#--context=} ;; esac; done
if [ "$verb" = debug ]; then
  for a in "${before[@]}"; do case "$a" in node/*) node=${a#node/} ;; esac; done
  [ -n "$node" ] || die 'error: fake oc debug needs node/NAME'
  [ "$1" = chroot ] && [ "$2" = /host ] || die 'error: fake oc debug expects `chroot /host ...` after --'
  shift 2
  hostroot=/
elif [ "$verb" = exec ]; then
  ns=; container=
  set -- "${before[@]:1}" -- "$@"
  while [ "$1" != -- ]; do
    case "$1" in
      -n | --namespace) ns=$2; shift ;;
      -c | --container) container=$2; shift ;;
      -*) ;;
      *) [ -n "$pod" ] || pod=$1 ;;
    esac
    shift
  done
  shift
  [ "$ns" = openshift-machine-config-operator ] || die "Error from server (NotFound): pods \"$pod\" not found"
  [ "$container" = machine-config-daemon ] || die "error: container not found in pod $pod"
  if lookup "$FAKE_OC_PODS" "$pod"; then node=$FOUND; else node=${pod#machine-config-daemon-}; fi
  hostroot=/rootfs
else
  die "error: unknown command \"$verb\" for \"oc\" (fake)"
fi

log() {
  [ -n "$FAKE_OC_LOG" ] || return 0
  now
  printf '{"event":"%s","verb":"%s","node":"%s","context":"%s",%s"pid":%s,"t":%s}\n' "$1" "$verb" "$node" "$ctx" "${pod:+\"pod\":\"$pod\",}" "$$" "$NOW" >> "$FAKE_OC_LOG"
}
log start
# The latency is the whole answer time, counted from oc's start (a real oc's own start-up and the
# work on the node are part of it): the work is done first, then the answer is held back.
if lookup "$FAKE_OC_LATENCY" "$node"; then latency=$FOUND; else latency=${FAKE_OC_LATENCY_MS:-0}; fi
answer() {
  now
  local left=$((latency - (NOW - start)))
  local secs
  [ "$left" -gt 0 ] && printf -v secs '%d.%03d' $((left / 1000)) $((left % 1000)) && sleep "$secs"
  return 0
}
finish() { log end; exit "$1"; }

if member "$FAKE_OC_HANG" "$node"; then
  answer
  [ "$verb" = debug ] && printf 'Starting pod/%s-debug-fake ...\n' "$node" >&2
  # Replaced by sleep: the caller's kill reaches the process that holds the output open.
  exec sleep 100000
fi
if [ "$verb" = debug ] && member "$FAKE_OC_IMAGE_PULL" "$node"; then
  answer
  printf 'Starting pod/%s-debug-fake ...\nRemoving debug pod ...\n' "$node" >&2
  printf 'error: unable to start debug pod: container "container-00": ErrImagePull: Source image rejected: Running image quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:%s is rejected by policy.\n' 1111111111111111111111111111111111111111111111111111111111111111 >&2
  finish 1
fi
if lookup "$FAKE_OC_EXIT" "$node"; then
  code=$FOUND
  answer
  printf 'error: unable to upgrade connection: container not found ("%s")\n' "$node" >&2
  finish "$code"
fi
root=$FAKE_OC_ROOT
[ "$FAKE_OC_PER_CONTEXT" = 1 ] && root=$root/${ctx:-(no --context)}
root=$root/$node
if [ -z "$FAKE_OC_ROOT" ] || [ ! -d "$root" ]; then
  answer
  printf 'Error from server (NotFound): nodes "%s" not found\n' "$node" >&2
  finish 1
fi
[ "${!#}" = "$hostroot" ] || die "error: fake oc expects the host root $hostroot as the last argument"
[ "$hostroot" = / ] && root=$root/
# The answer is held in a variable until the latency has passed (no extra processes: a benchmark runs
# hundreds of these at once). Text only, as the read script's output is (files travel base64-encoded);
# its exit status rides along after the marker x.
out=$("${@:1:$#-1}" "$root"; printf 'x%d' $?)
code=${out##*x}
answer
printf '%s' "${out%x*}"
finish "$code"
