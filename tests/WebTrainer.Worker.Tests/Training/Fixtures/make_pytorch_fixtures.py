"""Writes the small PyTorch files the weights-reader tests use (Debian 12: apt-get install python3-torch).

pytorch_tensors.pt     a state dict of plain, offset and transposed views, an int64 scalar and float16
pytorch_model.pt       torch.save(model): a pickled module, not a state dict
pytorch_checkpoint.pt  a training checkpoint dict holding a state dict
pytorch_legacy.pt      a state dict in the pre-1.6 (non-zip) torch.save format
"""
from collections import OrderedDict

import torch
import torch.nn as nn

torch.manual_seed(0)
base = torch.arange(12, dtype=torch.float32)
tensors = OrderedDict()
tensors["plain"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)
tensors["offset"] = base[2:8].reshape(2, 3)  # shares base's storage from element 2
tensors["transposed"] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()
tensors["count"] = torch.tensor(7, dtype=torch.int64)
tensors["half"] = torch.tensor([0.5, -2.0], dtype=torch.float16)
torch.save(tensors, "pytorch_tensors.pt")

model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
torch.save(model, "pytorch_model.pt")
torch.save({"model": model.state_dict(), "epoch": 3}, "pytorch_checkpoint.pt")
torch.save(model.state_dict(), "pytorch_legacy.pt", _use_new_zipfile_serialization=False)
