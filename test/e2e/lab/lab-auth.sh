#!/bin/bash
# lab-auth.sh start|stop — registries with authentication for the `mirror check` e2e cases, added to a
# running lab (lab.sh start) in its loopback-only network namespace ($LAB_STATE/netns.pid):
#   127.0.0.1:5005  plain HTTP, htpasswd Basic auth (user puller)        lab/app:v1
#   127.0.0.1:5006  plain HTTP, token auth (Bearer; realm 127.0.0.1:5008)  lab/app:v1
#   127.0.0.1:5008  the token server (../support/token-server.mjs, Node), same user
# Credentials: $LAB_STATE/auth/auth.json (containers auth.json for both registries). Test-only secrets.
# Same layout as lab.sh (reg-<port>/{config.yml,log,pid}), so the suite reads their access logs the same way.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
export LAB_STATE=${LAB_STATE:-/tmp/ocreg-e2e}
LAB_TTL=${LAB_TTL:-900}
NODE=${NODE:-$(command -v node)}
AUTH_USER=puller
AUTH_PASS=lab-pull-s3cret
D=$LAB_STATE/auth

die() { echo "lab-auth: $*" >&2; exit 1; }
netns_pid() {
  local pid
  pid=$(cat "$LAB_STATE/netns.pid" 2>/dev/null) || return 1
  { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "ocreg-e2e-netns:$LAB_STATE" || return 1
  echo "$pid"
}
in_netns() { nsenter --net="/proc/$(netns_pid)/ns/net" -- "$@"; }
# HTTP status of GET /v2/ (401 = up and asking for credentials).
code_of() { in_netns curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null || true; }

start_bg() { # $1=dir, rest = command; bounded by LAB_TTL, outlives this script
  local d=$1; shift
  setsid nohup nsenter --net="/proc/$(netns_pid)/ns/net" -- timeout "$LAB_TTL" "$@" >"$d/log" 2>&1 </dev/null &
  echo $! >"$d/pid"
}

registry() { # $1=port $2=auth yaml
  local d=$LAB_STATE/reg-$1
  mkdir -p "$d/data"
  printf '%s\n' "version: 0.1" "log: {level: warn, accesslog: {disabled: false}}" \
    "storage: {filesystem: {rootdirectory: $d/data}}" "http:" "  addr: 127.0.0.1:$1" "  secret: ocreg-e2e-$1" "$2" >"$d/config.yml"
  start_bg "$d" docker-registry serve "$d/config.yml"
}

cmd_start() {
  local p
  for p in htpasswd openssl curl docker-registry skopeo; do command -v "$p" >/dev/null || die "$p missing (apt-get install apache2-utils openssl curl docker-registry skopeo)"; done
  [ -n "$NODE" ] || die "node missing"
  netns_pid >/dev/null || die "the lab is not up ($LAB_STATE): run lab.sh start first"
  mkdir -p "$D" "$LAB_STATE/token"
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASS" >"$D/htpasswd" 2>/dev/null
  # The token signing key and its self-signed certificate (the registry's rootcertbundle).
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=lab token issuer" \
    -days 2 -keyout "$D/token.key" -out "$D/token.crt" 2>/dev/null
  printf '{"auths":{"127.0.0.1:5005":{"auth":"%s"},"127.0.0.1:5006":{"auth":"%s"}}}\n' \
    "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)" "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)" >"$D/auth.json"
  registry 5005 "auth: {htpasswd: {realm: lab-basic, path: $D/htpasswd}}"
  registry 5006 "auth: {token: {realm: 'http://127.0.0.1:5008/token', service: lab-token, issuer: lab-issuer, rootcertbundle: $D/token.crt}}"
  start_bg "$LAB_STATE/token" "$NODE" "$HERE/../support/token-server.mjs" 5008 "$D/token.key" "$D/token.crt" "$AUTH_USER" "$AUTH_PASS"
  for p in 5005 5006; do
    for _ in $(seq 50); do [ "$(code_of "$p")" = 401 ] && break; sleep 0.1; done
    [ "$(code_of "$p")" = 401 ] || die "registry on $p did not come up; see $LAB_STATE/reg-$p/log"
  done
  for _ in $(seq 50); do in_netns curl -s -o /dev/null -m 1 http://127.0.0.1:5008/token && break; sleep 0.1; done
  for p in 5005 5006; do
    bash "$HERE/lab-run.sh" "$LAB_STATE/seed-root" -- skopeo copy -q --dest-tls-verify=false --dest-creds "$AUTH_USER:$AUTH_PASS" \
      "oci:$LAB_STATE/oci-app:v1" "docker://127.0.0.1:$p/lab/app:v1" >/dev/null || die "push to $p failed; see $LAB_STATE/reg-$p/log"
  done
  echo "lab-auth: up: 127.0.0.1:5005 (basic), 127.0.0.1:5006 (bearer, token server 127.0.0.1:5008); credentials $D/auth.json" >&2
}

cmd_stop() {
  local f pid
  for f in "$LAB_STATE/reg-5005/pid" "$LAB_STATE/reg-5006/pid" "$LAB_STATE/token/pid"; do
    pid=$(cat "$f" 2>/dev/null) || continue
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$LAB_STATE"; then kill "$pid" 2>/dev/null || true; fi
  done
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|stop   (LAB_STATE=$LAB_STATE)" >&2; exit 2 ;;
esac
