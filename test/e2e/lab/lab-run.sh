#!/bin/bash
# lab-run.sh ROOTDIR -- COMMAND [ARGS...]   (e2e suite; adapted from the shared conformance lab)
#
# Runs COMMAND so that containers/image consumers (skopeo, podman) see EXACTLY the rendered
# node files under ROOTDIR and nothing of this host's configuration:
#   - a private mount namespace (unshare -m --propagation private): nothing leaks out, and
#     it all disappears when COMMAND exits;
#   - /etc/containers   <- ROOTDIR/etc/containers (read-only): registries.conf,
#                          registries.conf.d/, policy.json, registries.d/, certs.d/
#   - /etc/docker       <- ROOTDIR/etc/docker (read-only) or an empty dir: certs.d/<host:port>/
#   - /var/lib/containers, /run/containers, /var/cache/containers <- fresh scratch dirs:
#     podman storage, blob-info cache, auth.json, and the short-name alias cache (podman records
#     resolved short names there, which would change later resolutions);
#   - a clean environment (env -i) with an empty HOME: $HOME/.config/containers/registries.conf,
#     registries.conf.d/ and policy.json are read even as root and would override or add to /etc;
#     CONTAINERS_*, REGISTRY_AUTH_FILE, SSL_CERT_FILE, XDG_* from the caller could change behaviour;
#   - the lab's loopback-only network namespace (see lab.sh) when the lab is up, otherwise a
#     fresh one with only "lo": either way nothing can reach beyond this machine.
# Why not env vars / flags instead? See README.md: skopeo 1.9 ignores CONTAINERS_REGISTRIES_CONF,
# and neither --registries-conf nor CONTAINERS_REGISTRIES_CONF (podman) stops drop-ins being read
# from the HOST's /etc/containers/registries.conf.d.
# LAB_RUN_KEEP=1 keeps the scratch dir (its path is printed on stderr).
set -euo pipefail

if [ $# -lt 3 ] || [ "$2" != "--" ]; then echo "usage: lab-run ROOTDIR -- COMMAND [ARGS...]" >&2; exit 2; fi
[ "$(id -u)" = 0 ] || { echo "lab-run: needs root (mount namespace)" >&2; exit 2; }
root=$(cd "$1" && pwd)
shift 2
[ -d "$root/etc/containers" ] || { echo "lab-run: $root/etc/containers missing" >&2; exit 2; }
LAB_STATE=${LAB_STATE:-/tmp/ocreg-e2e}

scratch=$(mktemp -d /tmp/ocreg-e2e-run.XXXXXX)
if [ "${LAB_RUN_KEEP:-}" ]; then echo "lab-run: scratch $scratch" >&2; else trap 'rm -rf "$scratch"' EXIT; fi
mkdir -p "$scratch"/{home,tmp,varlib,run,cache,no-docker}
etc_docker=$root/etc/docker
[ -d "$etc_docker" ] || etc_docker=$scratch/no-docker
# Mount points must exist on the host; creating these empty dirs is the only host-side effect.
mkdir -p /etc/docker /var/lib/containers /run/containers /var/cache/containers

# Join the lab's network namespace if its holder process is alive and ours, else make a new one.
netns=(unshare -n)
h=$(cat "$LAB_STATE/netns.pid" 2>/dev/null || true)
if [ -n "$h" ] && { tr '\0' ' ' <"/proc/$h/cmdline"; } 2>/dev/null | grep -qF "ocreg-e2e-netns:$LAB_STATE"; then
  netns=(nsenter --net="/proc/$h/ns/net")
fi

# shellcheck disable=SC2016  # $1.. are expanded by the inner sh, on purpose
"${netns[@]}" -- unshare -m --propagation private -- /bin/sh -eu -c '
  ip link set lo up                       # no-op in the lab namespace, needed in a fresh one
  bind_ro() { mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; }
  bind_ro "$1" /etc/containers
  bind_ro "$2" /etc/docker
  mount --bind "$3/varlib" /var/lib/containers
  mount --bind "$3/run" /run/containers
  mount --bind "$3/cache" /var/cache/containers
  s=$3; shift 3
  exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME="$s/home" TMPDIR="$s/tmp" "$@"
' lab-run "$root/etc/containers" "$etc_docker" "$scratch" "$@"
