"""The PyTorch side of the interop tests (Debian 12: apt-get install python3-torch python3-torchvision).

  check  ARCH CHANNELS SIZE CLASSES WEIGHTS INPUT OUTPUT
      builds ARCH in PyTorch, loads WEIGHTS (a torch.save state dict, or safetensors when the name
      ends in .safetensors) with strict=True, runs it in eval mode on INPUT (raw little-endian
      float32, [N,CHANNELS,SIZE,SIZE]) and writes the logits to OUTPUT (raw little-endian float32)
  export ARCH CHANNELS SIZE CLASSES WEIGHTS
      builds ARCH with torch.manual_seed(1), moves its BatchNorm statistics with two training-mode
      passes, and saves model.state_dict() with torch.save
"""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

torch.set_num_threads(2)


def small_cnn(channels: int, classes: int) -> nn.Module:
    # Exactly as in docs/small-cnn.md.
    model = nn.Module()
    model.features = nn.Sequential()
    model.features.add_module("conv1", nn.Conv2d(channels, 32, 3, padding=1))
    model.features.add_module("bn1", nn.BatchNorm2d(32))
    model.features.add_module("relu1", nn.ReLU())
    model.features.add_module("pool1", nn.MaxPool2d(2))
    model.features.add_module("conv2", nn.Conv2d(32, 64, 3, padding=1))
    model.features.add_module("bn2", nn.BatchNorm2d(64))
    model.features.add_module("relu2", nn.ReLU())
    model.features.add_module("pool2", nn.MaxPool2d(2))
    model.features.add_module("avgpool", nn.AdaptiveAvgPool2d(7))
    model.classifier = nn.Sequential()
    model.classifier.add_module("flatten", nn.Flatten())
    model.classifier.add_module("dropout", nn.Dropout(0.25))
    model.classifier.add_module("fc1", nn.Linear(64 * 7 * 7, 128))
    model.classifier.add_module("relu3", nn.ReLU())
    model.classifier.add_module("fc2", nn.Linear(128, classes))
    model.forward = lambda x: model.classifier(model.features(x))
    return model


def build(arch: str, channels: int, classes: int) -> nn.Module:
    if arch == "small_cnn":
        return small_cnn(channels, classes)
    if arch == "inception_v3":
        return torchvision.models.inception_v3(num_classes=classes, aux_logits=True, init_weights=False)
    return getattr(torchvision.models, arch)(num_classes=classes)


def load_safetensors(path: str) -> dict:
    dtypes = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
              "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}
    with open(path, "rb") as f:
        raw = f.read()
    length = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + length])
    data = raw[8 + length:]
    state = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        state[name] = torch.from_numpy(array.copy())
    return state


def main(argv):
    command, arch, channels, size, classes = argv[1], argv[2], int(argv[3]), int(argv[4]), int(argv[5])
    if command == "check":
        weights, input_path, output_path = argv[6], argv[7], argv[8]
        model = build(arch, channels, classes)
        state = load_safetensors(weights) if weights.endswith(".safetensors") else torch.load(weights)
        model.load_state_dict(state, strict=True)
        model.eval()
        x = torch.from_numpy(np.fromfile(input_path, dtype="<f4").reshape(-1, channels, size, size))
        with torch.no_grad():
            logits = model(x)
        logits.numpy().astype("<f4").tofile(output_path)
    elif command == "export":
        torch.manual_seed(1)
        model = build(arch, channels, classes)
        model.train()
        with torch.no_grad():
            for _ in range(2):
                model(torch.rand(4, channels, size, size))
        torch.save(model.state_dict(), argv[6])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
