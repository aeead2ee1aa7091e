#!/usr/bin/env bash
# Here, on a development machine with the .NET SDK: packs what bench/scripts/gpu-check.sh needs on a GPU machine
# that has PyTorch with CUDA but no .NET (the device machines of issue 12). libtorch-cuda is not in the package
# registry, so TorchSharp's native layer is made to load that machine's own libtorch instead: the bench goes
# without libtorch-cpu's native libraries (about 500 MB) and the .NET runtime goes with it, both as tar.xz in
# .devicekit/ (kept out of git by .git/info/exclude, named in the device call's `carry`). About 32 MB.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
cd "$top"
kit=.devicekit
grep -qxF "/$kit/" .git/info/exclude 2>/dev/null || echo "/$kit/" >> .git/info/exclude
rm -rf "$kit" && mkdir -p "$kit"

dotnet build bench/WebTrainer.Bench -c Release -v quiet -nologo -clp:ErrorsOnly
bench=bench/WebTrainer.Bench/bin/Release/net10.0
native=runtimes/linux-x64/native
# Everything but the other platforms' and libtorch-cpu's native files; the build's libLibTorchSharp.so is the
# copy with GLIBCXX_3.4.32 made weak (build/TorchSharpNativeFix.targets).
(cd "$bench" && { find . -path ./runtimes -prune -o -type f -print; echo "./$native/libLibTorchSharp.so"; echo "./$native/libSkiaSharp.so"; }) \
  | tar -C "$bench" --transform 's,^\./,bench/,' -cf - -T - | xz -T0 -6 > "$kit/bench.tar.xz"

root=$(dirname "$(readlink -f "$(command -v dotnet)")")
framework=$(sed -n 's/.*"name": "\(Microsoft.NETCore.App\)".*/\1/p' "$bench/WebTrainer.Bench.runtimeconfig.json")
version=$(ls "$root/shared/$framework" | sort -V | tail -n 1)
tar -C "$root" --transform 's,^,dotnet/,' -cf - dotnet host "shared/$framework/$version" | xz -T0 -6 > "$kit/dotnet.tar.xz"
du -ah "$kit"
