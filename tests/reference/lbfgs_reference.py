#!/usr/bin/python3
"""Reference numbers for NotebookStyle's L-BFGS (strong Wolfe) on one small Gatys problem.

Run with Debian's PyTorch (apt-get install python3-torch libopenblas0-pthread), from the repository root:

    /usr/bin/python3 tests/reference/lbfgs_reference.py

The problem is defined exactly as the C# library computes it (lib/NotebookStyle):
- network: torchvision's VGG19 `features` layout truncated after relu2_1 (indices 0..6: conv1_1, relu1_1,
  conv1_2, relu1_2, pool1 (max), conv2_1, relu2_1), seeded random weights and biases;
- images: content, style and start image, seeded uniform RGB [0, 1] tensors of shape 1x3x32x32;
- the image is optimised in RGB [0, 1]; Caffe preprocessing (Imaging/Preprocessing.cs) is applied inside the
  objective: flip to BGR, x255, minus [103.939, 116.779, 123.68];
- loss (Losses/StyleTransferObjective.cs, LossNormalization.Paper, no TV): content Σ(F−P)² x contentWeight at
  relu2_1, plus for each style layer Σ(G−A)²/(4N²M²) x styleWeight x layerWeight / Σ layerStyleWeights;
- optimiser: torch.optim.LBFGS(lr=1, max_iter=large, max_eval=N, history_size=100, line_search_fn="strong_wolfe"),
  one step() call per budget N, from the same start image each time.

Writes tests/reference/gatys_fixture.bin (raw little-endian float32 tensors, concatenated) and
tests/reference/gatys_fixture.json (the manifest: name, shape, offset in floats; the problem's settings; and for
each budget N the evaluations PyTorch spent and the loss at the point it stopped, plus every evaluation's loss).
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20241128
SIZE = 32
THREADS = 2
BUDGETS = [10, 20, 40]
CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]
CONTENT_WEIGHT = 1e-4
STYLE_WEIGHT = 10.0
# (layer, style weight, content weight), as LayerWeights in C#; names are the paper's aliases.
LAYERS = [("relu1_1", 1.0, 0.0), ("relu2_1", 2.0, 1.0)]
INDEX = {"conv1_1": 0, "relu1_1": 1, "conv1_2": 2, "relu1_2": 3, "pool1": 4, "conv2_1": 5, "relu2_1": 6}
CONVS = [("block1_conv1", 0, 3, 64), ("block1_conv2", 2, 64, 64), ("block2_conv1", 5, 64, 128)]


def build_network(gen):
    layers = []
    for name, index, cin, cout in CONVS:
        while len(layers) < index:
            layers.append(torch.nn.ReLU() if len(layers) in (1, 3, 6) else torch.nn.MaxPool2d(2, 2))
        conv = torch.nn.Conv2d(cin, cout, 3, padding=1)
        with torch.no_grad():
            # Kaiming normal (fan-out, ReLU gain) as Models/Vgg19.cs, and non-zero biases so that loading them is tested.
            conv.weight.copy_(torch.randn(conv.weight.shape, generator=gen) * (2.0 / (cout * 9)) ** 0.5)
            conv.bias.copy_(torch.randn(conv.bias.shape, generator=gen))
        layers.append(conv)
    layers.append(torch.nn.ReLU())  # relu2_1, index 6
    net = torch.nn.Sequential(*layers).eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def preprocess(rgb):
    mean = torch.tensor(CAFFE_MEAN_BGR, dtype=rgb.dtype).view(1, 3, 1, 1)
    return rgb.flip(1).mul(255.0).sub(mean)


def extract(net, rgb, taps):
    x = preprocess(rgb)
    out = {}
    deepest = max(INDEX[t] for t in taps)
    for i in range(deepest + 1):
        x = net[i](x)
        for t in taps:
            if INDEX[t] == i:
                out[t] = x
    return out


def gram(f):
    n = f.shape[1]
    m = f.shape[2] * f.shape[3]
    f = f.reshape(n, m)
    return f.matmul(f.t()), n, m


class Objective:
    def __init__(self, net, content, style):
        self.net = net
        self.taps = sorted({l for l, _, _ in LAYERS}, key=lambda t: INDEX[t])
        style_sum = sum(s for _, s, _ in LAYERS)
        with torch.no_grad():
            cf = extract(net, content, [l for l, _, c in LAYERS if c != 0])
            sf = extract(net, style, [l for l, s, _ in LAYERS if s != 0])
            # Order as StyleTransferObjective.Create: content losses first, then style losses, in layer order.
            self.content = [(l, cf[l].clone(), CONTENT_WEIGHT * c) for l, _, c in LAYERS if c != 0]
            self.style = [(l, gram(sf[l])[0], STYLE_WEIGHT * s / style_sum) for l, s, _ in LAYERS if s != 0]

    def __call__(self, image):
        f = extract(self.net, image, self.taps)
        total = torch.zeros((), dtype=image.dtype)
        for l, p, w in self.content:
            total = total + f[l].sub(p).square().sum().mul(w)
        for l, a, w in self.style:
            g, n, m = gram(f[l])
            total = total + g.sub(a).square().sum().mul(w / (4.0 * n * n * float(m) * m))
        return total


def main():
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(SEED)
    net = build_network(gen)
    content = torch.rand(1, 3, SIZE, SIZE, generator=gen)
    style = torch.rand(1, 3, SIZE, SIZE, generator=gen)
    start = torch.rand(1, 3, SIZE, SIZE, generator=gen)
    objective = Objective(net, content, style)

    runs = []
    for budget in BUDGETS:
        x = start.clone().requires_grad_(True)
        opt = torch.optim.LBFGS([x], lr=1, max_iter=100000, max_eval=budget, history_size=100,
                                line_search_fn="strong_wolfe")
        trace = []

        def closure():
            opt.zero_grad()
            loss = objective(x)
            loss.backward()
            trace.append(float(loss))
            return loss

        opt.step(closure)  # one call: iterations until at least `budget` evaluations (checked after each iteration)
        state = opt.state[x]
        with torch.no_grad():
            final = float(objective(x))
        runs.append({"budget": budget, "evaluations": state["func_evals"], "iterations": state["n_iter"],
                     "loss": final, "trace": trace})
        print(f"N={budget}: {state['func_evals']} evaluations, {state['n_iter']} iterations, "
              f"loss {trace[0]:.6g} -> {final:.6g}", file=sys.stderr)

    tensors = [("content", content), ("style", style), ("start", start)]
    for name, index, _, _ in CONVS:
        tensors.append((f"{name}.weight", net[index].weight))
        tensors.append((f"{name}.bias", net[index].bias))
    manifest, blobs, offset = [], [], 0
    for name, t in tensors:
        a = t.detach().contiguous().numpy().astype("<f4")
        manifest.append({"name": name, "shape": list(a.shape), "offset": offset})
        blobs.append(a.tobytes())
        offset += a.size
    with open(os.path.join(HERE, "gatys_fixture.bin"), "wb") as f:
        f.write(b"".join(blobs))
    doc = {
        "generator": "tests/reference/lbfgs_reference.py",
        "torch": torch.__version__,
        "threads": THREADS,
        "seed": SEED,
        "data": "gatys_fixture.bin",
        "tensors": manifest,
        "preprocessing": "caffe",
        "pooling": "max",
        "layers": [{"layer": l, "styleWeight": s, "contentWeight": c} for l, s, c in LAYERS],
        "contentWeight": CONTENT_WEIGHT,
        "styleWeight": STYLE_WEIGHT,
        "lbfgs": {"lr": 1, "history_size": 100, "line_search_fn": "strong_wolfe", "tolerance_grad": 1e-7,
                  "tolerance_change": 1e-9},
        "runs": runs,
    }
    with open(os.path.join(HERE, "gatys_fixture.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
