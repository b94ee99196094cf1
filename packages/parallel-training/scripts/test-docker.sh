#!/usr/bin/env bash
# pnpm --filter @mle/parallel-training test:docker
# Builds the training image with a real Docker engine (scripts/docker-engine.sh, shared with the model server's test)
# and runs it as a cloud training service would: one trial with the MNIST digits mounted read-only, the model
# written to AIP_MODEL_DIR and the metric to CLOUD_ML_HP_METRIC_FILE (checked: the model files, one hypertune line
# per epoch); a missing data mount refused by name; then a two-rank data-parallel job, one container per rank,
# meeting over TCP (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT). Where no engine can run it prints SKIPPED and
# fails, unless ALLOW_DOCKER_SKIP=1.
repo=$(cd "$(dirname "$0")/../../.." && pwd)
source "$repo/scripts/docker-engine.sh"
docker_test_cleanup() { docker rm -f mle-trainer-rank0 mle-trainer-rank1 >/dev/null 2>&1; }
docker_engine_start

echo "test:docker: building the training image (BuildKit: $DOCKER_BUILDKIT)"
docker build --network host -q -f "$repo/packages/parallel-training/Dockerfile" -t mle-trainer:test "$repo" >/dev/null
[ "$(docker image inspect -f '{{.Config.User}}' mle-trainer:test)" = node ] || { echo "test:docker: FAILED: the image does not run as node"; exit 1; }

# The data volume: the digit files as the mnist package ships them; the model volumes: writable by the node user.
digits=$(cd "$repo/packages/datasets" && node -e 'const p = require("node:path"); console.log(p.join(p.dirname(require.resolve("mnist/package.json")), "src", "digits"))')
mkdir -p "$docker_work/data" "$docker_work/model" "$docker_work/dp-model"
cp "$digits"/*.json "$docker_work/data/"
chmod -R a+rX "$docker_work/data" && chmod 777 "$docker_work/model" "$docker_work/dp-model"

out=$(docker run --rm --network none -v "$docker_work/data:/data:ro" -v "$docker_work/model:/model" \
  -e AIP_MODEL_DIR=/model -e CLOUD_ML_HP_METRIC_FILE=/model/hypertune/output.metrics -e CLOUD_ML_TRIAL_ID=7 \
  mle-trainer:test trial --data /data --lr 0.003 --hidden 32 --batch-size 128 --epochs 2)
echo "$out" | sed 's/^/  /'
for f in model.json model.bin summary.json hypertune/output.metrics; do
  [ -s "$docker_work/model/$f" ] || { echo "test:docker: FAILED: the job wrote no $f to AIP_MODEL_DIR"; exit 1; }
done
node -e '
  const fs = require("node:fs");
  const lines = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const keys = "dev_accuracy,global_step,timestamp,trial";
  const ok = lines.length === 2 && lines.every((l, i) => l.trial === "7" && l.global_step === String(i + 1) && Number(l.dev_accuracy) > 0.8 && Object.keys(l).join() === keys);
  if (!ok) { console.error("test:docker: FAILED: hypertune metric lines", lines); process.exit(1); }
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  if (manifest.tensors.length !== 4) { console.error("test:docker: FAILED: the model holds", manifest.tensors.length, "tensors, expected 4"); process.exit(1); }
' "$docker_work/model/hypertune/output.metrics" "$docker_work/model/model.json"

set +e
refused=$(docker run --rm --network none -v "$docker_work/model:/model" -e AIP_MODEL_DIR=/model mle-trainer:test trial --data /nodata 2>&1)
code=$?
set -e
[ "$code" = 2 ] && echo "$refused" | grep -q -- '--data /nodata holds no 0.json' \
  || { echo "test:docker: FAILED: a missing data mount gave exit $code: $refused"; exit 1; }

# Two containers, one rank each, on the host's network (the private engine runs without iptables), meeting at rank 0.
port=$((29000 + $$ % 1000))
for rank in 0 1; do
  docker run -d --name "mle-trainer-rank$rank" --network host -v "$docker_work/data:/data:ro" -v "$docker_work/dp-model:/model" \
    -e RANK=$rank -e WORLD_SIZE=2 -e MASTER_ADDR=127.0.0.1 -e MASTER_PORT=$port -e AIP_MODEL_DIR=/model \
    -e CLOUD_ML_HP_METRIC_FILE=/model/hypertune/output.metrics \
    mle-trainer:test data-parallel --data /data --layers 784,64,10 --global-batch 128 --steps 20 >/dev/null
done
for rank in 0 1; do
  code=$(docker wait "mle-trainer-rank$rank")
  docker logs "mle-trainer-rank$rank" 2>&1 | sed "s/^/  rank $rank: /"
  [ "$code" = 0 ] || { echo "test:docker: FAILED: rank $rank exited $code"; exit 1; }
done
[ -s "$docker_work/dp-model/model.bin" ] || { echo "test:docker: FAILED: rank 0 wrote no model"; exit 1; }
echo "test:docker: image $(($(docker image inspect -f '{{.Size}}' mle-trainer:test) / 1048576)) MiB"
echo "test:docker: passed (a trial wrote its model and 2 hypertune lines, a missing mount was refused, 2 containers trained one model over TCP)"
