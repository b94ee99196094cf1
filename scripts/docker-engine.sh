#!/usr/bin/env bash
# Sourced by the packages' test:docker scripts: a Docker engine and the node:20-bookworm-slim base image, wherever this
# can run. If an engine answers, it is used; else, as root, a private dockerd is started on its own bridge (this kind
# of machine runs none by default), and where the base image cannot be pulled a stand-in is built with debootstrap
# and this machine's node. Where none of that can work it prints SKIPPED and fails, unless ALLOW_DOCKER_SKIP=1.
# Defines: docker_skip MESSAGE; docker_engine_start (exports DOCKER_HOST, DOCKER_BUILDKIT); $docker_work (a scratch
# directory removed on exit). A script sets docker_test_cleanup (a function) to remove its containers on exit.
set -euo pipefail

docker_skip() {
  echo "test:docker: SKIPPED: $1"
  if [ "${ALLOW_DOCKER_SKIP:-}" = 1 ]; then exit 0; fi
  exit 1
}

export DOCKER_HOST=${DOCKER_HOST:-}
docker_work=$(mktemp -d /tmp/mle-docker.XXXXXX)
docker_bridge=mlebr$$
docker_started_engine=0
docker_cleanup() {
  set +e
  if [ -n "$DOCKER_HOST" ] && declare -F docker_test_cleanup >/dev/null; then docker_test_cleanup; fi
  if [ "$docker_started_engine" = 1 ]; then
    kill "$(cat "$docker_work/dockerd.pid" 2>/dev/null)" 2>/dev/null
    sleep 2
    ip link del "$docker_bridge" 2>/dev/null
  fi
  rm -rf "$docker_work" 2>/dev/null
}
trap docker_cleanup EXIT

docker_engine_start() {
  if ! docker info >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || docker_skip "no Docker engine is running, and starting a private one needs root"
    if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null || docker_skip "cannot install docker.io and debootstrap"
    fi
    ip link add "$docker_bridge" type bridge && ip addr add 172.31.251.1/24 dev "$docker_bridge" && ip link set "$docker_bridge" up \
      || docker_skip "cannot create a network bridge"
    dockerd --data-root "$docker_work/data" --exec-root "$docker_work/exec" -H "unix://$docker_work/docker.sock" \
      --pidfile "$docker_work/dockerd.pid" --storage-driver=overlay2 --iptables=false --ip-forward=false --ip-masq=false \
      --bridge="$docker_bridge" >"$docker_work/dockerd.log" 2>&1 &
    docker_started_engine=1
    export DOCKER_HOST="unix://$docker_work/docker.sock"
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { tail -20 "$docker_work/dockerd.log"; docker_skip "the Docker engine did not start"; }
  fi
  echo "test:docker: engine $(docker version --format '{{.Server.Version}}')"

  if ! docker image inspect node:20-bookworm-slim >/dev/null 2>&1 && ! docker pull -q node:20-bookworm-slim >/dev/null 2>&1; then
    echo "test:docker: building a stand-in node:20-bookworm-slim (debootstrap + this machine's node)"
    local mirror root npm_dir
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    debootstrap --variant=minbase bookworm "$docker_work/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$docker_work/debootstrap.log" 2>&1 \
      || { tail -20 "$docker_work/debootstrap.log"; docker_skip "debootstrap failed"; }
    root="$docker_work/rootfs"
    cp "$(readlink -f "$(command -v node)")" "$root/usr/bin/node"
    npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
    mkdir -p "$root/usr/lib/node_modules" && cp -r "$npm_dir" "$root/usr/lib/node_modules/npm"
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
    echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$root/etc/passwd"
    echo 'node:x:1000:' >>"$root/etc/group"
    mkdir -p "$root/home/node" && chown 1000:1000 "$root/home/node"
    mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
    tar -C "$root" -c . | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - node:20-bookworm-slim >/dev/null
  fi

  # BuildKit needs the buildx plugin, which Debian 12's docker.io lacks; the classic builder runs these Dockerfiles too.
  if docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=1; else export DOCKER_BUILDKIT=0; fi
}
