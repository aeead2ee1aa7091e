#!/usr/bin/env bash
# On a GPU machine with PyTorch but no .NET (issue 12, point 4), from the repository root, with .devicekit/ carried
# (bench/scripts/gpu-pack.sh makes it): one pass of every GPU check that fits a few minutes.
#   1. gpu_checks.py: the GPU path's assumptions about libtorch, in PyTorch (augmentation ops in float32 on the GPU
#      against float64, pinned batches freed after a non-blocking copy, per-batch loss reads), and whether TorchSharp's
#      native layer links against this machine's libtorch;
#   2. WebTrainer's own run on that libtorch: `bench fit --device cuda` (TorchSharp loading the machine's libtorch_cuda);
#   3. side by side with the PyTorch reference on the same GPU: `bench compare --device cuda`, small CNN and ResNet-18
#      on the synthetic 64x64 file; where step 2 failed, the reference alone.
# The whole log goes to $OUT/gpu-check.log (or /tmp/gpu-check/). Locally, as a trial on a CPU:
#   DEVICE=cpu PYTHON=/usr/bin/python3 LIBTORCH_DIR=<libtorch-cpu's native folder> EPOCHS=1 PAIRS=1 SYNC_STEPS=20 bench/scripts/gpu-check.sh
set -u
export PYTHONUNBUFFERED=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
exec > >(tee "$out/gpu-check.log") 2>&1
python=${PYTHON:-python3}
device=${DEVICE:-cuda}
epochs=${EPOCHS:-3}
pairs=${PAIRS:-2}
threads=${THREADS:-8}
sync_steps=${SYNC_STEPS:-300}
kit=${KIT:-/tmp/kit}
step() { echo; echo "== $(date -u +%T) $*"; }

step "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv 2>&1 | head -3
echo "$(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo)"; uname -r
"$python" -c 'import torch, h5py; print("torch", torch.__version__, "CUDA", torch.version.cuda, "available", torch.cuda.is_available(), "h5py", h5py.__version__)'
libtorch=${LIBTORCH_DIR:-$("$python" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
echo "libtorch: $libtorch"; ls "$libtorch" | grep -E '^lib(torch|c10)' | tr '\n' ' '; echo

step "unpack .devicekit"
rm -rf "$kit" && mkdir -p "$kit"
for archive in .devicekit/dotnet.tar.xz .devicekit/bench.tar.xz; do
  tar -C "$kit" -xJf "$archive" || { echo "cannot unpack $archive: run bench/scripts/gpu-pack.sh here and carry .devicekit"; exit 2; }
done
export DOTNET_ROOT=$kit/dotnet PATH=$kit/dotnet:$PATH
export LD_LIBRARY_PATH=$libtorch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
bench=$kit/bench/WebTrainer.Bench.dll
dotnet --list-runtimes

step "1 gpu_checks.py"
timeout 240 "$python" bench/scripts/gpu_checks.py --device "$( [ "$device" = cpu ] && echo cpu || echo auto )" \
  --native "$kit/bench/runtimes/linux-x64/native/libLibTorchSharp.so" --native-libtorch "$libtorch" --sync-steps "$sync_steps"
checks=$?

step "2 bench fit --device $device (WebTrainer on this libtorch)"
# The environment a Worker gives its run processes (RunEnvironment; compare applies it itself).
mapfile -t run_env < <(dotnet "$bench" run-env --threads "$threads")
echo "run environment: ${run_env[*]}"
env "${run_env[@]}" timeout 300 dotnet "$bench" fit --data synthetic64 --device "$device" --epochs 2 --batch 128 --threads "$threads"
fit=$?
echo "fit exit $fit"

if [ "$fit" -eq 0 ]; then
  for arch in small_cnn resnet18; do
    step "3 bench compare $arch --device $device"
    timeout 300 dotnet "$bench" compare --data synthetic64 --arch "$arch" --device "$device" --epochs "$epochs" --pairs "$pairs" \
      --threads "$threads" --python "$(command -v "$python")"
  done
else
  file=$(ls -t /tmp/webtrainer-bench-synth-*.h5 2>/dev/null | head -n 1)
  for arch in small_cnn resnet18; do
    step "3 the PyTorch reference alone, $arch --device $device"
    [ -n "$file" ] && timeout 200 "$python" bench/scripts/torch_reference.py --data "$file" --arch "$arch" --device "$device" \
      --epochs "$epochs" --batch 128 --threads "$threads"
  done
fi

step "summary"
grep -h -E '^CHECK |^round |^side |^(small_cnn|resnet18|webtrainer|pytorch) |test accuracy|fit exit|RESULT' "$out/gpu-check.log" | grep -v '^step' | cut -c1-400
echo "checks failed: $checks; fit exit: $fit"
