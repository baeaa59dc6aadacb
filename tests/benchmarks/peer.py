#!/usr/bin/python3
"""The PyTorch peer of NotebookStyle's benchmark: the same Gatys style transfer, written as a PyTorch user would.

Run with Debian's python3-torch 1.13.1 given OpenBLAS (apt-get install python3-torch python3-numpy
libopenblas0-pthread); tests/benchmarks/bench.py runs it, alternating with the C# side, on problems the C# side
wrote once (tests/NotebookStyle.Benchmarks `prepare`): problem.json, the network's state dict and the two images as
raw little-endian float32.

What it computes, matching lib/NotebookStyle:
- networks: torchvision's VGG19 `features` (conv3x3+ReLU blocks, max pools) and torchvision's ResNet with
  BasicBlocks [2, 2, 2, 3] without avgpool/fc (the CNTK ResNet18 the library ships); both frozen, eval mode; the
  forward runs only as deep as the deepest tapped layer;
- preprocessing inside the objective: optional flip to BGR, x scale, minus mean, / std (problem.json);
- loss: content sum((F - P)^2) x weight; style sum((G - A)^2) / (4 N^2 M^2) ("paper") x style weight x layer
  weight / sum of layer style weights; with "target_norm" each term is divided by its target's squared norm
  (sum P^2, sum A^2) instead; total variation when its weight is non-zero;
- optimisers: torch.optim.LBFGS(lr=1, history_size=100, line_search_fn="strong_wolfe") and torch.optim.Adam
  (clamping to [0, 1] after each step), from the content image.

Modes: lbfgs, adam (time and losses, one JSON report per process), breakdown (forward / losses / backward
timed apart), flops (conv FLOPs counted by hooks), picture (a whole CLI-like run from the image files to a PNG, for
tests/benchmarks/first-picture.sh). --device cuda runs on the GPU (each timed evaluation then ends with
torch.cuda.synchronize(), and the report carries the GPU memory in use).
"""
import argparse
import json
import os
import re
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---------------------------------------------------------------- networks (torchvision's definitions, trimmed)

VGG19_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]


class VGG19(nn.Module):
    """torchvision's VGG19 without the classifier: parameters are features.N.weight / features.N.bias."""

    def __init__(self):
        super().__init__()
        layers, names, c_in, block, conv = [], [], 3, 1, 1
        for v in VGG19_CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
                names.append(f"pool{block}")
                block, conv = block + 1, 1
            else:
                layers += [nn.Conv2d(c_in, v, 3, padding=1), nn.ReLU(inplace=True)]
                names += [f"conv{block}_{conv}", f"relu{block}_{conv}"]
                c_in, conv = v, conv + 1
        self.features = nn.Sequential(*layers)
        self.stage_names = names

    def stages(self):
        return list(zip(self.stage_names, self.features))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):
    """torchvision's ResNet of BasicBlocks without avgpool and fc (never reached by the losses)."""

    def __init__(self, layers):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(64, layers[0])
        self.layer2 = self._make_layer(128, layers[1], stride=2)
        self.layer3 = self._make_layer(256, layers[2], stride=2)
        self.layer4 = self._make_layer(512, layers[3], stride=2)

    def _make_layer(self, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [BasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def stages(self):
        # relu is in place, as in torchvision: bn1's output is overwritten, so "bn1" cannot be tapped next to "relu1".
        return [("conv1", self.conv1), ("bn1", self.bn1), ("relu1", self.relu), ("maxpool", self.maxpool),
                ("layer1", self.layer1), ("layer2", self.layer2), ("layer3", self.layer3), ("layer4", self.layer4)]


def extract(net, x, taps):
    """Runs the stages in order up to the deepest tap; returns {stage: activation}."""
    stages = net.stages()
    names = [n for n, _ in stages]
    deepest = max(names.index(t) for t in taps)
    out = {}
    for name, module in stages[: deepest + 1]:
        x = module(x)
        if name in taps:
            out[name] = x
    return out


# ---------------------------------------------------------------- the problem written by the C# side

def read_raw(path, entry):
    """One tensor of a raw float32 file (read alone, so that loading never holds the whole file)."""
    count = int(np.prod(entry["shape"]))
    data = np.fromfile(path, dtype="<f4", count=count, offset=4 * entry["offset"])
    if data.size != count:
        raise SystemExit(f"{entry['name']} lies outside {path}")
    return torch.from_numpy(data.reshape(entry["shape"]))


def load_problem(manifest_path, device="cpu"):
    folder = os.path.dirname(os.path.abspath(manifest_path))
    with open(manifest_path) as f:
        m = json.load(f)
    net = VGG19() if m["network"] == "vgg19" else ResNet(m["depths"])
    own = {k: v for k, v in net.state_dict().items() if v.is_floating_point()}
    stored = {e["name"]: e for e in m["parameters"]}
    if own.keys() != stored.keys():
        raise SystemExit(f"weights do not match {m['network']}: missing {sorted(own.keys() - stored.keys())}, "
                         f"unexpected {sorted(stored.keys() - own.keys())}")
    with torch.no_grad():
        for name, t in own.items():  # state_dict() tensors share storage with the module's
            t.copy_(read_raw(os.path.join(folder, m["weights_file"]), stored[name]))
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    net.to(device)
    images = {e["name"]: read_raw(os.path.join(folder, m["images_file"]), e).to(device, copy=True) for e in m["images"]}
    return m, net, images["content"], images["style"]


def gram(f):
    _, n, h, w = f.shape
    f = f.view(n, h * w)
    return f @ f.t()


def style_term(f, target, weight, scale, ms):
    """One style term as StyleLoss: a style of another size (ms positions) is compared per position."""
    _, n, h, w = f.shape
    ratio = (h * w) / ms
    s = scale / ratio ** 2 if scale is not None else 1.0 / (4.0 * n * n * (h * w) ** 2)
    # Same-size style (the benchmark's case): no rescaling, as a user with one image size would write it.
    return weight * s * (gram(f) - (target if ratio == 1 else target * ratio)).pow(2).sum()


class Objective:
    """The Gatys loss with the library's weighting; targets computed once."""

    def __init__(self, m, net, content, style):
        self.net = net
        p = m["preprocessing"]
        self.bgr, self.scale = p["bgr"], p["scale"]
        self.mean = torch.tensor(p["mean"], device=content.device).view(1, 3, 1, 1)
        self.std = torch.tensor(p["std"], device=content.device).view(1, 3, 1, 1)
        layers = m["layers"]
        style_sum = sum(l["style"] for l in layers)
        target_norm = m["normalization"] == "target_norm"
        self.taps = sorted({l["stage"] for l in layers})
        self.content, self.style = [], []
        with torch.no_grad():
            cf = extract(net, self.preprocess(content), {l["stage"] for l in layers if l["content"] != 0})
            sf = extract(net, self.preprocess(style), {l["stage"] for l in layers if l["style"] != 0})
            for l in layers:
                if l["content"] != 0:
                    target = cf[l["stage"]].clone()
                    scale = 1.0 / max(target.square().sum().item(), 1e-12) if target_norm else 1.0
                    self.content.append((l["stage"], target, m["content_weight"] * l["content"] * scale))
                if l["style"] != 0:
                    target = gram(sf[l["stage"]])
                    scale = 1.0 / max(target.square().sum().item(), 1e-12) if target_norm else None
                    ms = sf[l["stage"]].shape[2] * sf[l["stage"]].shape[3]
                    self.style.append((l["stage"], target, m["style_weight"] * l["style"] / style_sum, scale, ms))
        self.tv_weight, self.tv_power = m["tv_weight"], m["tv_power"]

    def preprocess(self, rgb):
        x = rgb.flip(1) if self.bgr else rgb
        return (x * self.scale - self.mean) / self.std

    def __call__(self, image):
        feats = extract(self.net, self.preprocess(image), self.taps)
        loss = 0.0
        for stage, target, weight in self.content:
            loss = loss + weight * (feats[stage] - target).pow(2).sum()
        for stage, target, weight, scale, ms in self.style:
            loss = loss + style_term(feats[stage], target, weight, scale, ms)
        if self.tv_weight > 0:
            x = image[:, :, :-1, :-1]
            a = (x - image[:, :, 1:, :-1]).pow(2)
            b = (x - image[:, :, :-1, 1:]).pow(2)
            loss = loss + self.tv_weight * (a + b).pow(self.tv_power).sum()
        return loss


# ---------------------------------------------------------------- measurements

class BudgetSpent(Exception):
    pass


GPU = {"before": None, "peak": None}


def gpu_baseline():
    """Starts CUDA and notes the device memory in use before the problem is loaded (context, other processes)."""
    torch.ones(1, device="cuda")
    torch.cuda.synchronize()
    free, total = torch.cuda.mem_get_info()
    GPU["before"] = GPU["peak"] = total - free


def sample_gpu(device):
    """On a GPU: waits for the queued work (the backward pass), then notes the device memory in use."""
    if device.type != "cuda":
        return
    torch.cuda.synchronize()
    free, total = torch.cuda.mem_get_info()
    GPU["peak"] = max(GPU["peak"], total - free)


def status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(re.search(r"\d+", line).group())
    raise RuntimeError(field)


def math_libraries():
    found = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and ".so" in parts[5] and re.search(r"blas|lapack|mkl|dnnl|omp|torch_cpu", os.path.basename(parts[5]), re.I):
                found.add(os.path.realpath(parts[5]))
    return sorted(found)


def conv_peak(warmup=2, repeats=5, channels=256, side=128):
    """GFLOP/s of a 3x3 conv 256 -> 256 on 128x128 (19.3 GFLOP), forward only: the same probe as ConvPeak.cs."""
    g = torch.Generator().manual_seed(1)
    x = torch.randn(1, channels, side, side, generator=g)
    w = torch.randn(channels, channels, 3, 3, generator=g) * 0.02
    flops = 2.0 * channels * channels * 9 * side * side
    rates = []
    with torch.no_grad():
        for i in range(warmup + repeats):
            t0 = time.perf_counter()
            F.conv2d(x, w, padding=1)
            s = time.perf_counter() - t0
            if i >= warmup:
                rates.append(flops / s / 1e9)
    return rates


def start_report(mode, m, content):
    """Common fields and the memory of loading; then the peak is reset so that finish() can tell the run's own peak."""
    report = {
        "runtime": "pytorch", "mode": mode, "network": m["network"], "size": m["size"], "device": content.device.type,
        "width": content.shape[3], "height": content.shape[2],
        "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(),
        "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available(),
        "blas_info": re.search(r"BLAS_INFO=(\w+)", torch.__config__.show()).group(1),
        "load_peak_rss_kb": status_kb("VmHWM"), "load_rss_kb": status_kb("VmRSS"),
    }
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM := VmRSS (Linux 4.0+)
    return report


def finish(report):
    report["run_peak_rss_kb"] = status_kb("VmHWM")
    report["peak_rss_kb"] = max(report["run_peak_rss_kb"], report["load_peak_rss_kb"])
    report["rss_kb"] = status_kb("VmRSS")
    if GPU["before"] is not None:
        # Device-wide (cudaMemGetInfo), read the same way as the C# side; and the caching allocator's own peaks.
        report["gpu_before_mb"] = GPU["before"] / 2 ** 20
        report["gpu_peak_used_mb"] = GPU["peak"] / 2 ** 20
        report["gpu_max_allocated_mb"] = torch.cuda.max_memory_allocated() / 2 ** 20
        report["gpu_max_reserved_mb"] = torch.cuda.max_memory_reserved() / 2 ** 20
    report["conv_peak_gflops"] = conv_peak() if report["device"] == "cpu" else []  # the probe measures the CPU
    report["math_libraries"] = math_libraries()
    return report


def run_lbfgs(m, net, content, style, evals):
    report = start_report("lbfgs", m, content)
    t0 = time.perf_counter()
    objective = Objective(m, net, content, style)
    report["setup_ms"] = (time.perf_counter() - t0) * 1e3
    x = content.clone().requires_grad_(True)
    o = m["lbfgs"]
    opt = torch.optim.LBFGS([x], lr=o["lr"], max_iter=10 ** 9, max_eval=10 ** 9, tolerance_grad=o["tolerance_grad"],
                            tolerance_change=o["tolerance_change"], history_size=o["history_size"],
                            line_search_fn=o["line_search_fn"])
    times, cpu, losses = [], [], []

    def closure():
        if len(losses) >= evals:
            raise BudgetSpent()
        c = time.process_time()
        t = time.perf_counter()
        opt.zero_grad()
        loss = objective(x)
        loss.backward()
        f = loss.item()
        sample_gpu(x.device)
        times.append((time.perf_counter() - t) * 1e3)
        cpu.append((time.process_time() - c) * 1e3)
        losses.append(f)
        return loss

    try:
        opt.step(closure)
        report["converged"] = True
    except BudgetSpent:
        pass
    report["eval_ms"], report["eval_cpu_ms"], report["losses"] = times, cpu, losses
    report["iterations"] = opt.state[opt._params[0]].get("n_iter")
    return finish(report)


def run_adam(m, net, content, style, steps):
    report = start_report("adam", m, content)
    objective = Objective(m, net, content, style)
    x = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=m["adam_learning_rate"])
    times, losses = [], []
    for _ in range(steps):
        t = time.perf_counter()
        opt.zero_grad()
        loss = objective(x)
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
        losses.append(loss.item())
        times.append((time.perf_counter() - t) * 1e3)
    report["step_ms"], report["losses"] = times, losses
    return finish(report)


def run_breakdown(m, net, content, style, repeats):
    """Where one evaluation's time goes: preprocessing + forward to the deepest tap, the loss terms, backward (as BreakdownRun.cs)."""
    report = start_report("breakdown", m, content)
    objective = Objective(m, net, content, style)
    x = content.clone().requires_grad_(True)
    parts = {"forward_ms": [], "losses_ms": [], "backward_ms": [], "total_ms": []}
    for _ in range(repeats):
        if x.grad is not None:
            x.grad.zero_()
        t0 = time.perf_counter()
        feats = extract(net, objective.preprocess(x), objective.taps)
        t1 = time.perf_counter()
        loss = 0.0
        for stage, target, weight in objective.content:
            loss = loss + weight * (feats[stage] - target).pow(2).sum()
        for stage, target, weight, scale, ms in objective.style:
            loss = loss + style_term(feats[stage], target, weight, scale, ms)
        loss.item()
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        for k, v in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            parts[k].append(v * 1e3)
    report.update(parts)
    return finish(report)


# ---------------------------------------------------------------- a whole picture, as a user's script makes one

def load_image(path, long_side):
    """RGB [0, 1], [1, 3, H, W], the long side resized to long_side (bicubic, rounded as the library rounds)."""
    from PIL import Image
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        size = (long_side, max(1, int(h * long_side / w + 0.5))) if w >= h else (max(1, int(w * long_side / h + 0.5)), long_side)
        im = im.resize(size, Image.BICUBIC)
        return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1).unsqueeze(0).contiguous()


def match_palette(x, palette):
    """The content's RGB mean and covariance made the palette's: (x - mu_c) C_c^-1/2 C_s^1/2 + mu_s (float64), clamped."""
    def stats(p):
        mean = p.mean(0, keepdim=True)
        c = p - mean
        return mean, c.t() @ c / max(1, p.shape[0] - 1) + 1e-5 * torch.eye(3, dtype=p.dtype)

    def power(m, e):
        values, vectors = torch.linalg.eigh(m)
        return vectors @ torch.diag(values.clamp_min(1e-10).pow(e)) @ vectors.t()

    (mc, cc), (ms, cs) = stats(x), stats(palette)
    return ((x - mc) @ power(cc, -0.5) @ power(cs, 0.5) + ms).clamp(0, 1)


def match_histogram(image, palette, strength, passes=8, seed=0):
    """Mean-and-covariance match, then sliced histogram matching on random rotations of RGB (Pitie et al. 2007), blended
    with the first by strength: the library's ColorTransfer.MatchHistogram, written with torch."""
    pixels = lambda t: t.detach().double().reshape(3, -1).t()
    x0 = match_palette(pixels(image), pixels(palette))
    s = pixels(palette)
    n, ns = x0.shape[0], s.shape[0]
    at = torch.linspace(0, ns - 1, n, dtype=torch.float64)
    lo = at.floor().long()
    hi = (lo + 1).clamp_max(ns - 1)
    frac = (at - lo.double()).unsqueeze(1)
    g = torch.Generator().manual_seed(seed)
    x = x0
    for _ in range(passes):
        q, _ = torch.linalg.qr(torch.randn(3, 3, dtype=torch.float64, generator=g))
        px = x @ q
        ps = (s @ q).sort(0).values
        wanted = ps[lo] * (1 - frac) + ps[hi] * frac
        matched = torch.zeros_like(px).scatter_(0, px.argsort(0), wanted)
        x = x + (matched - px) @ q.t()
    blended = x if strength == 1 else x0 + (x - x0) * strength
    return blended.clamp(0, 1).t().reshape(image.shape).float().contiguous()


def run_picture(a):
    """What the CLI's default run does, as a PyTorch script: load both photos, recolour the content to the painting's
    colours (the ResNet default's colour handling), L-BFGS with strong Wolfe for the given iterations from the
    recoloured content (also the content target), write the PNG. Weights and loss settings come from the problem."""
    from PIL import Image
    with open(a.problem) as f:
        m = json.load(f)
    folder = os.path.dirname(os.path.abspath(a.problem))
    net = ResNet(m["depths"]) if m["network"] == "resnet18" else VGG19()
    own = {k: v for k, v in net.state_dict().items() if v.is_floating_point()}
    stored = {e["name"]: e for e in m["parameters"]}
    with torch.no_grad():
        for name, t in own.items():
            t.copy_(read_raw(os.path.join(folder, m["weights_file"]), stored[name]))
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    content = load_image(a.content, a.size)
    style = load_image(a.style, round(a.size * a.style_scale))
    if a.color == "histogram":
        content = match_histogram(content, style, a.histogram_strength)
    elif a.color == "palette":
        content = match_histogram(content, style, 0.0, passes=0)
    objective = Objective(m, net, content, style)
    x = content.clone().requires_grad_(True)
    o = m["lbfgs"]
    opt = torch.optim.LBFGS([x], lr=o["lr"], max_iter=a.iterations, max_eval=10 ** 9, tolerance_grad=o["tolerance_grad"],
                            tolerance_change=o["tolerance_change"], history_size=o["history_size"],
                            line_search_fn=o["line_search_fn"])
    losses = []

    def closure():
        opt.zero_grad()
        loss = objective(x)
        loss.backward()
        losses.append(loss.item())
        return loss

    opt.step(closure)
    with torch.no_grad():
        out = (x.detach().clamp(0, 1)[0].permute(1, 2, 0) * 255).round().to(torch.uint8).numpy()
    Image.fromarray(out).save(a.output)
    return {"runtime": "pytorch", "mode": "picture", "iterations": opt.state[opt._params[0]].get("n_iter"),
            "evaluations": len(losses), "first_loss": losses[0], "last_loss": losses[-1], "width": out.shape[1], "height": out.shape[0]}


def count_flops(m, net, content):
    """Conv FLOPs (2 per multiply-add) of one forward pass to the deepest tap, counted with forward hooks."""
    total = [0]

    def hook(module, inputs, output):
        total[0] += 2 * output.shape[0] * output.shape[2] * output.shape[3] * module.weight[0].numel() * module.out_channels

    handles = [mod.register_forward_hook(hook) for mod in net.modules() if isinstance(mod, nn.Conv2d)]
    with torch.no_grad():
        extract(net, content, {l["stage"] for l in m["layers"]})
    for h in handles:
        h.remove()
    return {"runtime": "pytorch", "mode": "flops", "network": m["network"], "size": m["size"], "conv_flops_forward": total[0]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["lbfgs", "adam", "breakdown", "flops", "picture"])
    ap.add_argument("--problem", required=True)
    ap.add_argument("--json", required=True)
    # picture: a whole run from the image files to a PNG (tests/benchmarks/first-picture.sh)
    ap.add_argument("--content")
    ap.add_argument("--style")
    ap.add_argument("--output")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--color", default="histogram", choices=["none", "palette", "histogram"])
    ap.add_argument("--histogram-strength", type=float, default=0.7)
    ap.add_argument("--style-scale", type=float, default=1.0)
    ap.add_argument("--evals", type=int, default=50)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.mode == "picture":
        report = run_picture(a)
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
        return
    if a.device == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("peer.py: --device cuda, but this torch sees no CUDA device")
        gpu_baseline()
    m, net, content, style = load_problem(a.problem, a.device)
    if a.mode == "lbfgs":
        report = run_lbfgs(m, net, content, style, a.evals)
    elif a.mode == "adam":
        report = run_adam(m, net, content, style, a.evals)
    elif a.mode == "breakdown":
        report = run_breakdown(m, net, content, style, a.evals)
    else:
        report = count_flops(m, net, content)
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
