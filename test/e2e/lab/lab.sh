#!/bin/bash
# lab.sh start|stop|status — local registries for the e2e conformance suite (npm run test:e2e).
# Adapted from the project's shared conformance lab; the suite in ../conformance.e2e.ts drives it.
#
# Everything runs in a private, loopback-only network namespace (made here with unshare -n):
# the registries listen on 127.0.0.1 in it, and lab-run puts skopeo/podman in the same one.
# So no lab traffic can leave the machine, even when a rendered config names a real registry
# (docker.io, quay.io, ...): those lookups fail at once with "network is unreachable".
# It also means host ports are never in the way. From the host shell use:  ./lab-run DIR -- CMD
#
# Registries (docker-registry 2.8 from Debian) inside that namespace:
#   127.0.0.1:5001  plain HTTP   lab/app:v1
#   127.0.0.1:5002  plain HTTP   lab/app:v1
#   127.0.0.1:5003  plain HTTP   lab/app:v1, lab/only3:v1 (only here: short-name fall-through)
#   127.0.0.1:5004  HTTPS        lab/app:v1; server cert signed by ../testca/ca.crt (SAN localhost,127.0.0.1,::1)
#   127.0.0.1:5009  nothing      a "down" mirror: connection refused
# lab/app:v1 is byte-identical everywhere, so one digest ($APP_DIGEST in lab.env) is valid on
# every registry; which registry served a pull is proven from that registry's own access log.
#
# State: $LAB_STATE (default /tmp/ocreg-e2e): lab.env, netns.pid, ca/, reg-<port>/{config.yml,log,pid,data}.
# Every process here is bounded by $LAB_TTL seconds (default 1800) and stops by itself.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CA_DIR=$(cd "$HERE/../testca" && pwd)
export LAB_STATE=${LAB_STATE:-/tmp/ocreg-e2e}
LAB_TTL=${LAB_TTL:-900}
PORTS="5001 5002 5003 5004"
HTTPS_PORT=5004

die() { echo "lab: $*" >&2; exit 1; }
log() { echo "lab: $*" >&2; }

# PID in $1 if that process is alive and still ours (its command line names $2).
check_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$2" || return 1
  echo "$pid"
}
netns_pid() { check_pid "$LAB_STATE/netns.pid" "ocreg-e2e-netns:$LAB_STATE"; }
reg_pid() { check_pid "$LAB_STATE/reg-$1/pid" "$LAB_STATE/reg-$1/config.yml"; }
# Running and not a zombie (reparented zombies can wait a while for init to reap them).
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ "$st" != Z ]; }
in_netns() { local h; h=$(netns_pid) || return 1; nsenter --net="/proc/$h/ns/net" -- "$@"; }

# Is the registry on port $1 answering /v2/ ? (The HTTPS one is verified against the test CA.)
ping_reg() {
  local url=http://127.0.0.1:$1/v2/ ca=()
  [ "$1" = "$HTTPS_PORT" ] && url=https://127.0.0.1:$1/v2/ ca=(--cacert "$CA_DIR/ca.crt")
  in_netns curl -fsS -m 2 "${ca[@]}" "$url" >/dev/null 2>&1
}

is_up() {
  local p
  [ -f "$LAB_STATE/lab.env" ] || return 1
  for p in $PORTS; do reg_pid "$p" >/dev/null && ping_reg "$p" || return 1; done
}

# Server cert for the HTTPS registry, signed by the fixed test CA in testca/ (the examples ship
# that CA as certs.d/<host:port>/ca.crt). Go ignores the CN: the SAN is what is checked.
make_server_cert() {
  local d=$LAB_STATE/ca
  mkdir -p "$d/trust"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    "extendedKeyUsage=serverAuth" "basicConstraints=CA:FALSE" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$CA_DIR/ca.crt" -CAkey "$CA_DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 2 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
  cp "$CA_DIR/ca.crt" "$d/trust/ca.crt"   # a cert dir with only the CA (a *.key there means client cert)
}

# Build a one-layer OCI image layout by hand (no network): $1=layout dir, $2=tag, $3=file content.
# tar/gzip are deterministic, so the digest is the same on every run and machine.
make_image() {
  local out=$1 tag=$2 w diffid ldig lsize cdig csize mdig msize
  w=$(mktemp -d "$LAB_STATE/img.XXXX")
  mkdir -p "$w/rootfs" "$out/blobs/sha256"
  printf '%s\n' "$3" >"$w/rootfs/hello.txt"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$w/rootfs" -cf "$w/layer.tar" hello.txt
  diffid=$(sha256sum <"$w/layer.tar" | cut -d' ' -f1)
  gzip -n -9 <"$w/layer.tar" >"$w/layer.tgz"
  ldig=$(sha256sum <"$w/layer.tgz" | cut -d' ' -f1) lsize=$(stat -c %s "$w/layer.tgz")
  printf '{"architecture":"%s","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(dpkg --print-architecture)" "$diffid" >"$w/config.json"
  cdig=$(sha256sum <"$w/config.json" | cut -d' ' -f1) csize=$(stat -c %s "$w/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$cdig" "$csize" "$ldig" "$lsize" >"$w/manifest.json"
  mdig=$(sha256sum <"$w/manifest.json" | cut -d' ' -f1) msize=$(stat -c %s "$w/manifest.json")
  cp "$w/layer.tgz" "$out/blobs/sha256/$ldig"
  cp "$w/config.json" "$out/blobs/sha256/$cdig"
  cp "$w/manifest.json" "$out/blobs/sha256/$mdig"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \
    "$mdig" "$msize" "$tag" >"$out/index.json"
  rm -rf "$w"
  echo "sha256:$mdig"
}

start_registry() {
  local port=$1 d=$LAB_STATE/reg-$1 h
  h=$(netns_pid)
  mkdir -p "$d/data"
  {
    echo "version: 0.1"
    echo "log: {level: warn, accesslog: {disabled: false}}"   # access log = server-side proof of who served
    echo "storage: {filesystem: {rootdirectory: $d/data}}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: ocreg-e2e-$port"
    if [ "$port" = "$HTTPS_PORT" ]; then
      echo "  tls: {certificate: $LAB_STATE/ca/server.crt, key: $LAB_STATE/ca/server.key}"
    fi
  } >"$d/config.yml"
  # setsid+nohup: outlives this script; nsenter execs timeout, so $! is timeout's PID and
  # TERM to it reaches docker-registry. timeout: stops by itself after LAB_TTL seconds.
  setsid nohup nsenter --net="/proc/$h/ns/net" -- timeout "$LAB_TTL" \
    docker-registry serve "$d/config.yml" >"$d/log" 2>&1 </dev/null &
  echo $! >"$d/pid"
}

# Push an OCI layout into a lab registry. It goes through lab-run with a minimal root
# (empty registries.conf, accept-anything policy), so the host's /etc/containers plays no part.
seed() { # $1=layout $2=tag $3=port $4=repo
  local tls=(--dest-tls-verify=false)
  [ "$3" = "$HTTPS_PORT" ] && tls=(--dest-cert-dir "$LAB_STATE/ca/trust")
  bash "$HERE/lab-run.sh" "$LAB_STATE/seed-root" -- skopeo copy -q "${tls[@]}" "oci:$1:$2" "docker://127.0.0.1:$3/$4:$2" >/dev/null
}

cmd_start() {
  local p t0 app only3
  for p in docker-registry skopeo openssl curl nsenter unshare ip; do
    command -v "$p" >/dev/null || die "$p missing: run setup.sh"
  done
  if is_up; then log "already running ($LAB_STATE)"; return 0; fi
  cmd_stop >/dev/null 2>&1 || true
  t0=$(date +%s%N)
  mkdir -p "$LAB_STATE/seed-root/etc/containers"
  : >"$LAB_STATE/seed-root/etc/containers/registries.conf"
  echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$LAB_STATE/seed-root/etc/containers/policy.json"
  # The namespace holder: a bounded sleep in a new net namespace with only "lo", brought up.
  # bash's exec -a tags its command line so stop/status can tell it is ours.
  # shellcheck disable=SC2016  # $$ and $1.. belong to the inner bash
  setsid nohup unshare -n -- bash -c 'ip link set lo up && echo $$ >"$1" && exec -a "ocreg-e2e-netns:$2" sleep "$3"' \
    ocreg-e2e "$LAB_STATE/netns.pid" "$LAB_STATE" "$LAB_TTL" >/dev/null 2>&1 </dev/null &
  for _ in $(seq 50); do netns_pid >/dev/null && break; sleep 0.1; done
  netns_pid >/dev/null || die "could not create the lab network namespace (unshare -n)"
  make_server_cert
  for p in $PORTS; do start_registry "$p"; done
  for p in $PORTS; do # bounded wait: 50 x 0.1 s
    for _ in $(seq 50); do ping_reg "$p" && break; sleep 0.1; done
    ping_reg "$p" || die "registry on $p did not come up; see $LAB_STATE/reg-$p/log"
  done
  app=$(make_image "$LAB_STATE/oci-app" v1 "lab/app v1")
  only3=$(make_image "$LAB_STATE/oci-only3" v1 "lab/only3 v1")
  for p in $PORTS; do seed "$LAB_STATE/oci-app" v1 "$p" lab/app; done
  seed "$LAB_STATE/oci-only3" v1 5003 lab/only3
  printf 'APP_DIGEST=%s\nONLY3_DIGEST=%s\nLAB_PORTS="%s"\n' "$app" "$only3" "$PORTS" >"$LAB_STATE/lab.env"
  log "up in $(( ($(date +%s%N) - t0) / 1000000 )) ms: 127.0.0.1:{${PORTS// /,}} in netns of pid $(netns_pid), APP_DIGEST=$app"
}

cmd_stop() {
  local p pid
  for p in $PORTS; do
    pid=$(reg_pid "$p") || continue
    kill "$pid" 2>/dev/null || true   # timeout(1) forwards TERM to docker-registry
    for _ in $(seq 30); do alive "$pid" || break; sleep 0.1; done
  done
  if pid=$(netns_pid); then kill "$pid" 2>/dev/null || true; fi   # the netns goes away with its last process
  case $LAB_STATE in /tmp/?*) rm -rf "$LAB_STATE" ;; *) log "left $LAB_STATE in place (not under /tmp)" ;; esac
  log "stopped"
}

cmd_status() {
  local p rc=0
  for p in $PORTS; do
    if reg_pid "$p" >/dev/null && ping_reg "$p"; then echo "127.0.0.1:$p up"; else echo "127.0.0.1:$p DOWN"; rc=1; fi
  done
  [ -f "$LAB_STATE/lab.env" ] && cat "$LAB_STATE/lab.env"
  return $rc
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status   (LAB_STATE=$LAB_STATE LAB_TTL=$LAB_TTL)" >&2; exit 2 ;;
esac
