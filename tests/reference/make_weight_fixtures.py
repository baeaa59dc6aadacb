#!/usr/bin/python3
"""Writes VGG19 weight files with the reference writers, for the Weights tests.

Usage: /usr/bin/python3 make_weight_fixtures.py OUT_DIR

Needs Debian's python3-torch, python3-h5py and python3-numpy (apt-get install python3-torch python3-h5py
python3-numpy). Every file has the full VGG19 shapes (16 conv layers, 20,024,384 parameters, ~80 MB), so the
tests generate them in a temporary folder instead of committing them. Values are seeded random (Kaiming
normal weights, non-zero uniform biases), so a reader that swaps, transposes or drops a tensor is caught.

Files written:
  keras.h5                   Keras legacy HDF5 layout written by h5py: root attribute `layer_names`, one group
                             per layer with attribute `weight_names` (empty for input/pool layers, as Keras
                             writes it), datasets `blockB_convC_W_1:0` (kernel, HWIO) and `blockB_convC_b_1:0`.
  torchvision.pth            torch.save (zip format) of a torchvision-style VGG19 state dict: `features.N.*` and
                             the classifier keys `classifier.{0,3,6}.{weight,bias}`. Deviation: the classifier
                             tensors have reduced shapes (the real ones hold 120M parameters, ~480 MB); the reader
                             ignores classifier keys by name, so their shapes play no part.
  torchvision_legacy.pth     The same state dict in torch's legacy (pre-1.6, non-zip) format, the format of the
                             torchvision file vgg19-dcbb9e9d.pth.
  torchvision_tar.pth        The same state dict in torch's original tar format (PyTorch 0.1.x, before March 2017),
                             the likely format of jcjohnson's vgg19-d01eb7cb.pth. No installed torch writes it any more:
                             write_torch_tar follows the layout torch 1.13's own reader (_legacy_load) expects, and the
                             file is checked by reading it back with torch.load.
  features.pth               torch.save of `features.state_dict()` alone (keys `N.weight`, `N.bias`).
  vgg19.safetensors          The `features.N.*` tensors in the safetensors layout (8-byte header length, JSON
                             header, raw little-endian data). Written here by hand from the specification:
                             Debian has no safetensors package.
  reference.pth              torch.save of {input, relu1_1, relu2_1, relu3_1, relu4_1, relu4_2, relu5_1, pool5}:
                             torch's features for a fixed 1x3x32x32 input (already preprocessed).
Small files for the error tests (h5: zeros stored compressed; pth: real shapes only up to the faulty tensor):
  keras_wrong_shape.h5       block3_conv1's kernel is (3,3,128,128) instead of (3,3,128,256).
  keras_missing_layer.h5     block4_conv3 is absent from layer_names and from the file.
  torch_wrong_shape.pth      features.10.weight is [256,128,1,1] instead of [256,128,3,3].
  torch_missing_key.pth      features.34.bias is absent.
  torch_wrong_prefix.pth     keys are `model.features.N.*` (a wrapper's prefix).
  torch_wrong_dtype.pth      features.0.weight is int64.
"""

import collections
import io
import json
import os
import pickle
import struct
import sys
import tarfile

import h5py
import numpy as np
import torch
import torch.nn as nn

BLOCK_DEPTHS = [2, 2, 4, 4, 4]
BLOCK_CHANNELS = [64, 128, 256, 512, 512]


def conv_layout():
    """[(keras_name, feature_index, in_channels, out_channels)] in order, and the total length of `features`."""
    layout, index, cin = [], 0, 3
    for b, (depth, cout) in enumerate(zip(BLOCK_DEPTHS, BLOCK_CHANNELS), start=1):
        for c in range(1, depth + 1):
            layout.append((f"block{b}_conv{c}", index, cin, cout))
            index += 2
            cin = cout
        index += 1
    return layout, index


def make_features():
    layout, length = conv_layout()
    modules = [None] * length
    for _, index, cin, cout in layout:
        modules[index] = nn.Conv2d(cin, cout, 3, padding=1)
        modules[index + 1] = nn.ReLU(inplace=False)
    for i in range(length):
        if modules[i] is None:
            modules[i] = nn.MaxPool2d(2, 2)
    features = nn.Sequential(*modules)
    g = torch.Generator().manual_seed(20240607)
    with torch.no_grad():
        for _, index, cin, cout in layout:
            conv = features[index]
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * (2.0 / (cin * 9)) ** 0.5)
            conv.bias.copy_(torch.rand(conv.bias.shape, generator=g) * 0.2 - 0.1)
    return features.eval()


def torchvision_state_dict(features):
    sd = collections.OrderedDict(("features." + k, v) for k, v in features.state_dict().items())
    g = torch.Generator().manual_seed(7)
    # Deviation: reduced classifier shapes (real: [4096,25088], [4096,4096], [1000,4096]); ignored by the reader.
    for name, shape in [("0", (16, 32)), ("3", (16, 16)), ("6", (10, 16))]:
        sd[f"classifier.{name}.weight"] = torch.randn(shape, generator=g)
        sd[f"classifier.{name}.bias"] = torch.randn(shape[:1], generator=g)
    return sd


def write_keras(path, features, skip=None, override_shape=None, zeros=False):
    layout, _ = conv_layout()
    by_name = {name: index for name, index, _, _ in layout}
    names = ["input_1"]
    for b, depth in enumerate(BLOCK_DEPTHS, start=1):
        names += [f"block{b}_conv{c}" for c in range(1, depth + 1)] + [f"block{b}_pool"]
    names = [n for n in names if n != skip]
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n in names])
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.1.5"
        for name in names:
            g = f.create_group(name)
            if name not in by_name:
                g.attrs["weight_names"] = np.array([])  # what Keras writes for a layer without weights
                continue
            conv = features[by_name[name]]
            kernel = conv.weight.detach().permute(2, 3, 1, 0).contiguous().numpy()  # OIHW -> HWIO
            bias = conv.bias.detach().numpy()
            if override_shape is not None and name == override_shape[0]:
                kernel = np.zeros(override_shape[1], dtype=np.float32)
            wn = [f"{name}_W_1:0", f"{name}_b_1:0"]
            g.attrs["weight_names"] = np.array([n.encode() for n in wn])
            opts = {"compression": "gzip"} if zeros else {}
            g.create_dataset(wn[0], data=np.zeros_like(kernel) if zeros else kernel, **opts)
            g.create_dataset(wn[1], data=np.zeros_like(bias) if zeros else bias, **opts)


def write_safetensors(path, state_dict):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for key, t in state_dict.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header with spaces to 8-byte alignment
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_torch_tar(path, state_dict):
    """torch's pre-0.1.10 tar layout: entries sys_info, pickle, tensors, storages (see the module docstring)."""
    tensor_keys, entries = {}, collections.OrderedDict()
    for i, t in enumerate(state_dict.values()):
        tensor_keys[id(t)] = 1000 + 2 * i  # old torch used tensor._cdata; any distinct ints do

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return str(tensor_keys[id(obj)]) if torch.is_tensor(obj) else None

    entries["sys_info"] = pickle.dumps({"protocol_version": 1001, "little_endian": True,
                                        "type_sizes": {"short": 2, "int": 4, "long": 8}}, protocol=2)
    buffer = io.BytesIO()
    Pickler(buffer, protocol=2).dump(state_dict)
    entries["pickle"] = buffer.getvalue()
    tensors, storages = [pickle.dumps(len(state_dict), protocol=2)], [pickle.dumps(len(state_dict), protocol=2)]
    for t in state_dict.values():
        key, storage_key, c = tensor_keys[id(t)], tensor_keys[id(t)] + 1, t.contiguous()
        tensors.append(pickle.dumps((key, storage_key, torch.FloatTensor), protocol=2))
        tensors.append(struct.pack("<i", c.dim()) + b"\0" * 4 + struct.pack(f"<{c.dim()}q", *c.shape)
                       + struct.pack(f"<{c.dim()}q", *c.stride()) + struct.pack("<q", 0))
        storages.append(pickle.dumps((storage_key, "cpu", torch.FloatStorage), protocol=2))
        storages.append(struct.pack("<q", c.numel()) + c.numpy().astype("<f4").tobytes())
    storages.append(pickle.dumps([], protocol=2))  # no storage views
    entries["tensors"], entries["storages"] = b"".join(tensors), b"".join(storages)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(2)
    features = make_features()
    sd = torchvision_state_dict(features)

    write_keras(os.path.join(out, "keras.h5"), features)
    torch.save(sd, os.path.join(out, "torchvision.pth"))
    torch.save(sd, os.path.join(out, "torchvision_legacy.pth"), _use_new_zipfile_serialization=False)
    write_torch_tar(os.path.join(out, "torchvision_tar.pth"), sd)
    torch.save(features.state_dict(), os.path.join(out, "features.pth"))
    write_safetensors(os.path.join(out, "vgg19.safetensors"),
                      collections.OrderedDict((k, v) for k, v in sd.items() if k.startswith("features.")))

    x = torch.randn(1, 3, 32, 32, generator=torch.Generator().manual_seed(11))
    taps = {"relu1_1": 1, "relu2_1": 6, "relu3_1": 11, "relu4_1": 20, "relu4_2": 22, "relu5_1": 29, "pool5": 36}
    ref, y = collections.OrderedDict(input=x), x
    with torch.no_grad():
        for i, module in enumerate(features):
            y = module(y)
            for name, index in taps.items():
                if index == i:
                    ref[name] = y.clone()
    torch.save(ref, os.path.join(out, "reference.pth"))

    write_keras(os.path.join(out, "keras_wrong_shape.h5"), features, override_shape=("block3_conv1", (3, 3, 128, 128)), zeros=True)
    write_keras(os.path.join(out, "keras_missing_layer.h5"), features, skip="block4_conv3", zeros=True)
    # Small error files: the reader stops at the first mismatch, so only the tensors before it need their real shapes.
    # (Stride-0 views would be smaller still, but PyBridge cannot read non-contiguous stored tensors.)
    def small(sd, real_until=None):
        keys = list(sd)
        cut = keys.index(real_until) if real_until in keys else 0
        return collections.OrderedDict((k, torch.zeros(v.shape, dtype=v.dtype) if i < cut else torch.zeros(1, dtype=v.dtype))
                                       for i, (k, v) in enumerate(sd.items()))

    wrong_shape = small(sd, "features.10.weight")
    wrong_shape["features.10.weight"] = torch.zeros(256, 128, 1, 1)
    torch.save(wrong_shape, os.path.join(out, "torch_wrong_shape.pth"))
    torch.save(collections.OrderedDict((k, v) for k, v in small(sd).items() if k != "features.34.bias"),
               os.path.join(out, "torch_missing_key.pth"))
    torch.save(collections.OrderedDict(("model." + k, v) for k, v in small(sd).items()),
               os.path.join(out, "torch_wrong_prefix.pth"))
    wrong_dtype = small(sd)
    wrong_dtype["features.0.weight"] = torch.zeros(64, 3, 3, 3, dtype=torch.int64)
    torch.save(wrong_dtype, os.path.join(out, "torch_wrong_dtype.pth"))

    # The reference reader must read back what the reference writers wrote.
    for name in ["torchvision.pth", "torchvision_legacy.pth", "torchvision_tar.pth"]:
        loaded = torch.load(os.path.join(out, name))
        assert all(torch.equal(loaded[k], sd[k]) for k in sd), name
    with h5py.File(os.path.join(out, "keras.h5"), "r") as f:
        assert len(f.attrs["layer_names"]) == 22
    n = sum(p.numel() for p in features.parameters())
    assert n == 20024384, n
    print(f"wrote {out}: {n} parameters")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
