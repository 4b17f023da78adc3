#!/usr/bin/env bash
# Rebuilds the models this project trains, from Debian's KJV text with
# Debian's PyTorch, and refreshes their checksums. About an hour on 2 cores.
#   apt-get install -y python3-torch python3-onnx bible-kjv-text bible-kjv libopenblas0-openmp
#   bash packages/model-zoo/train/build.sh [kjv-gpt-mini|kjv-embed-mini]
set -euo pipefail
cd "$(dirname "$0")"
export OMP_WAIT_POLICY=PASSIVE PYTHONUNBUFFERED=1
python=/usr/bin/python3 # Debian's, which has torch; another python3 on PATH may not
models=("${@:-kjv-gpt-mini kjv-embed-mini}")
for model in ${models[*]}; do
  case "$model" in
    kjv-gpt-mini) "$python" train_gpt.py --out ../models/kjv-gpt-mini ;;
    kjv-embed-mini) "$python" train_embedder.py --out ../models/kjv-embed-mini ;;
    *) echo "unknown model: $model" >&2; exit 2 ;;
  esac
  "$python" quantize.py "../models/$model" # its int8 variant, onnx/model_int8.onnx
  (cd "../models/$model" && find . -type f ! -name SHA256SUMS ! -name README.md ! -name aiaas.json -printf '%P\n' | sort | xargs sha256sum > SHA256SUMS)
done
