#!/usr/bin/env bash
# Installs the Debian packages WebTrainer needs that this machine lacks.
#   scripts/install-deps.sh run    PostgreSQL server, Fashion-MNIST sample
#   scripts/install-deps.sh test   the above plus headless Chromium for browser tests, docker-compose to check the compose file,
#                                  and Debian's PyTorch + torchvision for the tests that load our .pt/safetensors exports in PyTorch,
#                                  with h5py for bench compare's PyTorch side (which also wants libopenblas0-openmp: bench/README.md)
set -euo pipefail
purpose=${1:-run}

packages=(postgresql dataset-fashion-mnist)
if [ "$purpose" = test ]; then packages+=(chromium docker-compose python3-torch python3-torchvision python3-numpy python3-h5py); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi
