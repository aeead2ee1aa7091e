#!/usr/bin/env python3
"""Checks, in PyTorch on a CUDA machine, what WebTrainer's GPU path (docs/gpu-step.md) assumes of libtorch:
TorchSharp calls the same libtorch operators, so where a GPU machine has PyTorch but no .NET this is how
those assumptions are tried there. Run by bench/scripts/gpu-check.sh; runs on a CPU too (the CUDA parts
then say so and are skipped), which is how the script itself is tried on the development machines.

1. augmentation: the device augmenter's ops (theta, grid by broadcast sums, grid_sample bilinear with
   border padding and align_corners, brightness, contrast) in float32 on the device against the same ops
   in float64 on the CPU, in grey levels; the broadcast grid against affine_grid; time per batch.
2. pinned: a pinned host batch freed right after its non-blocking copy (what TensorPool relies on when it
   stops reusing tensors on CUDA) must not be overwritten before the copy has read it; and a control that
   does overwrite a still-copying buffer, to show the check can see the hazard at all.
3. sync: training steps that read the loss every batch against sums kept on the device (RunningMetrics).
4. native: TorchSharp's native layer (libLibTorchSharp.so, built against libtorch 2.10.0) loaded, in a child
   process, against this PyTorch's libtorch: how many of its libtorch symbols are missing there, does it load,
   and does its CUDA query answer (--native-libtorch DIR: against another libtorch, e.g. libtorch-cpu's, as a control).
Each section prints one line starting `CHECK <name>: ok|FAILED|skipped` and its figures; the exit code is
the number of failed checks.
"""
import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

failures = 0


def report(name: str, ok: bool | None, detail: str) -> None:
    global failures
    state = "skipped" if ok is None else "ok" if ok else "FAILED"
    failures += ok is False
    print(f"CHECK {name}: {state}: {detail}", flush=True)


def timed_ms(fn, device: torch.device, reps: int) -> float:
    """Median milliseconds of fn() over reps, after two warm-ups; device events on CUDA."""
    for _ in range(2):
        fn()
    times = []
    for _ in range(reps):
        if device.type == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def draws(n: int, height: int, width: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-sample inverse maps (u, v) -> (A u + B v + C, D u + E v + F) in centred pixels, as the CPU augmenter
    draws them (rotation, zoom, shear, shifts, flips), and brightness and contrast factors."""
    def uniform(low, high):
        return torch.rand(n, generator=generator, dtype=torch.float64) * (high - low) + low

    angle, zoom, shear = uniform(-0.5, 0.5), uniform(0.8, 1.2), uniform(-0.2, 0.2)
    flip_x = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0).double()
    flip_y = torch.where(torch.rand(n, generator=generator) < 0.2, -1.0, 1.0).double()
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    maps = torch.stack([cos * flip_x, (-sin + shear) * flip_y, uniform(-0.1, 0.1) * width,
                        sin * flip_x, cos * flip_y, uniform(-0.1, 0.1) * height], dim=1)
    return maps, uniform(0.8, 1.2), uniform(0.8, 1.2)


def theta_of(maps: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """DeviceAugmenter.Theta: the centred-pixel maps in affine_grid's normalised coordinates (align_corners)."""
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    a, b, c, d, e, f = maps.unbind(1)
    return torch.stack([a, b * cy / cx, c / cx, d * cx / cy, e, f / cy], dim=1)


def grid_of(theta: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """DeviceAugmenter.Grid: affine_grid's positions as broadcast sums of per-sample factors times coordinates."""
    n = theta.shape[0]
    xs = torch.linspace(-1, 1, width, dtype=theta.dtype, device=theta.device).view(1, 1, width)
    ys = torch.linspace(-1, 1, height, dtype=theta.dtype, device=theta.device).view(1, height, 1)

    def factor(k):
        return theta[:, k].view(n, 1, 1)

    def coordinate(r):
        return factor(3 * r) * xs + factor(3 * r + 2) + factor(3 * r + 1) * ys

    return torch.stack([coordinate(0), coordinate(1)], dim=3)


def augment(x: torch.Tensor, theta: torch.Tensor, brightness: torch.Tensor, contrast: torch.Tensor) -> torch.Tensor:
    """DeviceAugmenter.Apply on rescaled N,C,H,W pixels."""
    n, _, height, width = x.shape
    x = F.grid_sample(x, grid_of(theta, height, width), mode="bilinear", padding_mode="border", align_corners=True)
    x = x * brightness.view(n, 1, 1, 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - mean) * contrast.view(n, 1, 1, 1) + mean


def check_augmentation(device: torch.device) -> None:
    generator = torch.Generator().manual_seed(12)
    for n, size in ((128, 64), (32, 299)):
        stored = torch.randint(0, 256, (n, 3, size, size), dtype=torch.uint8, generator=generator)
        maps, brightness, contrast = draws(n, size, size, generator)
        theta = theta_of(maps, size, size)
        reference = augment(stored.double() / 255, theta, brightness, contrast)
        pixels = stored.to(device)
        args = [t.float().to(device) for t in (theta, brightness, contrast)]

        def run():
            return augment(pixels.float().div_(255), *args)

        got = run().double().cpu()
        difference = (got - reference).abs() * 255
        grid_gap = (grid_of(args[0], size, size) - F.affine_grid(args[0].view(n, 2, 3), [n, 3, size, size], align_corners=True)).abs().max().item()
        mean, worst = difference.mean().item(), difference.max().item()
        ms = timed_ms(run, device, reps=20)
        ok = math.isfinite(worst) and mean < 0.01 and worst <= 0.5 and grid_gap < 1e-5
        report(f"augmentation {n}x3x{size}x{size} on {device.type}", ok,
               f"float32 vs float64 reference: mean {mean:.2e}, worst {worst:.2e} grey levels (limits 0.01, 0.5); "
               f"grid vs affine_grid {grid_gap:.1e}; {ms:.3f} ms per batch, {n / ms * 1000:.0f} img/s")


def check_pinned(device: torch.device) -> None:
    if device.type != "cuda":
        report("pinned", None, "no CUDA device: libtorch cannot pin host memory without one")
        return
    megabytes, rounds = 64, 8
    elements = megabytes << 20

    def delay():
        # Keeps the stream busy so that each copy is still queued when the host moves on.
        torch.cuda._sleep(20_000_000)

    # As the collator does on CUDA: a fresh pinned batch per step, freed as soon as its copy is queued.
    targets, addresses = [], []
    for i in range(rounds):
        host = torch.empty(elements, dtype=torch.uint8, pin_memory=True).fill_(i)
        addresses.append(host.data_ptr())
        delay()
        targets.append(host.to(device, non_blocking=True))
        del host
    torch.cuda.synchronize()
    wrong = [i for i, t in enumerate(targets) if not bool((t == i).all())]
    reused = len(addresses) - len(set(addresses))
    # Control: one pinned buffer overwritten while its copy is still queued; a check that cannot see this is no check.
    host = torch.empty(elements, dtype=torch.uint8, pin_memory=True)
    controls = []
    for i in range(rounds):
        host.fill_(i)
        delay()
        controls.append(host.to(device, non_blocking=True))
    torch.cuda.synchronize()
    control_wrong = sum(not bool((t == i).all()) for i, t in enumerate(controls))
    report("pinned", not wrong and control_wrong > 0,
           f"{rounds} fresh {megabytes} MB pinned batches freed after a queued non-blocking copy: {len(wrong)} arrived wrong "
           f"({reused} host blocks handed out again); control, one buffer overwritten while queued: {control_wrong} of {rounds} wrong")


def small_cnn(classes: int) -> nn.Module:
    """docs/small-cnn.md (the reference's model)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.AdaptiveAvgPool2d(7), nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, classes))


def check_sync(device: torch.device, steps: int) -> None:
    torch.manual_seed(3)
    batches = [(torch.randn(128, 1, 28, 28, device=device), torch.randint(0, 10, (128,), device=device)) for _ in range(8)]
    model = small_cnn(10).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train(read_every_batch: bool) -> tuple[float, float]:
        loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        host_sum = 0.0
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for step in range(steps):
            x, y = batches[step % len(batches)]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            if read_every_batch:
                host_sum += loss.item() * len(y)
            else:
                loss_sum += loss.detach().double() * len(y)
        total = host_sum if read_every_batch else loss_sum.item()
        seconds = time.perf_counter() - start
        return steps * 128 / seconds, total

    train(False)
    per_batch, on_device = [], []
    for _ in range(3):
        per_batch.append(train(True)[0])
        on_device.append(train(False)[0])
    a, b = statistics.median(per_batch), statistics.median(on_device)
    report(f"sync on {device.type}", True,
           f"small CNN batch 128, {steps} steps, median of 3 interleaved: loss read every batch {a:.0f} img/s, "
           f"sums on the device {b:.0f} img/s ({b / a:.2f} x)")


def check_native(library: str | None, lib_dir: str | None) -> None:
    if not library:
        report("native", None, "no --native libLibTorchSharp.so given")
        return
    lib_dir = lib_dir or os.path.join(os.path.dirname(torch.__file__), "lib")
    detail = f"{os.path.basename(library)} against the libtorch in {lib_dir}"
    missing = undefined_against(library, lib_dir)
    if missing is not None:
        detail += f"; {len(missing)} of its libtorch symbols are not defined there" + (f", e.g. {missing[0]}" if missing else "")
    # In a child process: a native layer built against another libtorch can crash as it loads (it did against 1.13).
    environment = dict(os.environ, LD_LIBRARY_PATH=os.pathsep.join(filter(None, [lib_dir, os.environ.get("LD_LIBRARY_PATH")])))
    probe = subprocess.run([sys.executable, "-c", NATIVE_PROBE, library], capture_output=True, text=True, timeout=120,
                           check=False, env=environment)
    said = (probe.stdout.strip() or probe.stderr.strip()[-300:]).replace("\n", " ")
    if probe.returncode < 0:
        report("native", False, f"{detail}; the process loading it died of signal {-probe.returncode} {said}")
    else:
        report("native", probe.returncode == 0, f"{detail}; {said}")


NATIVE_PROBE = """
import ctypes, sys
try:
    native = ctypes.CDLL(sys.argv[1])  # CPython's ctypes binds every symbol now, so a missing one fails here
except OSError as error:
    print(f"does not load: {error}")
    sys.exit(1)
native.THSTorchCuda_is_available.restype = ctypes.c_bool
native.THSTorchCuda_device_count.restype = ctypes.c_int
print(f"loads; THSTorchCuda_is_available {native.THSTorchCuda_is_available()}, THSTorchCuda_device_count {native.THSTorchCuda_device_count()}")
"""


def undefined_against(library: str, lib_dir: str) -> list[str] | None:
    """The dynamic symbols of libtorch's namespaces (at, c10, torch, caffe2) that the library needs and lib_dir's
    libraries do not define; None where there is no nm or no libtorch there."""
    nm = shutil.which("nm")
    if nm is None:
        return None

    def symbols(path: str, *flags: str) -> set[str]:
        lines = subprocess.run([nm, "-D", *flags, path], capture_output=True, text=True, check=False).stdout.splitlines()
        return {line.split()[-1] for line in lines if line.strip()}

    libtorch = re.compile(r"_Z(?:T[VIS])?NK?(?:2at|3c10|5torch|6caffe2)")
    needed = {s for s in symbols(library, "--undefined-only") if libtorch.match(s)}
    defined = set()
    for name in ("libtorch.so", "libtorch_cpu.so", "libc10.so", "libtorch_cuda.so", "libc10_cuda.so"):
        path = os.path.join(lib_dir, name)
        if os.path.exists(path):
            defined |= symbols(path, "--defined-only")
    return sorted(needed - defined) if defined else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--native", help="libLibTorchSharp.so to load against this PyTorch's libtorch")
    parser.add_argument("--native-libtorch", help="the folder of the libtorch to load it against (default: this PyTorch's)")
    parser.add_argument("--sync-steps", type=int, default=300)
    parser.add_argument("--only", default="augmentation,pinned,sync,native")
    args = parser.parse_args()
    cuda = torch.cuda.is_available()
    if args.device == "cuda" and not cuda:
        raise SystemExit("gpu_checks.py: --device cuda, but this PyTorch sees no CUDA device")
    device = torch.device("cuda" if cuda and args.device != "cpu" else "cpu")
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, device "
          f"{torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu'}, {os.cpu_count()} CPUs", flush=True)
    only = set(args.only.split(","))
    checks = {"augmentation": lambda: check_augmentation(device), "pinned": lambda: check_pinned(device),
              "sync": lambda: check_sync(device, args.sync_steps), "native": lambda: check_native(args.native, args.native_libtorch)}
    for name, check in checks.items():
        if name in only:
            try:
                check()
            except Exception as error:  # one broken check must not hide the others' results
                report(name, False, f"{type(error).__name__}: {error}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
