using System.Diagnostics.CodeAnalysis;

namespace NotebookStyle.Weights;

/// <summary>
/// Which ONNX initializer holds each torchvision-named tensor of a <see cref="Models.ResNet"/>, found by following the
/// graph rather than by initializer names: the stem Conv → BatchNormalization → Relu → MaxPool, then one residual block per
/// Add node, each Conv paired with the BatchNormalization that consumes its output. In a block, the Conv whose batch norm
/// feeds a Relu is <c>conv1</c> (then <c>conv2</c>); one whose batch norm feeds the Add directly is the 1×1 shortcut
/// <c>downsample.0</c> (CNTK emits it before <c>conv1</c>). A new stage starts at each block with a shortcut.
/// </summary>
/// <param name="Depths">Blocks per stage as found in the graph.</param>
/// <param name="Entries">Parameter or buffer name (e.g. <c>layer2.0.downsample.1.running_var</c>) → initializer name, in network order.</param>
/// <param name="Input">The graph input the stem reads.</param>
/// <param name="Values">Each stage of the network (<c>conv1</c>, <c>bn1</c>, <c>relu1</c>, <c>maxpool</c>, <c>layer1</c> … <c>layer4</c>,
/// <c>avgpool</c>) → the ONNX value holding the same activation, e.g. to compare taps with another runtime.</param>
public sealed record ResNetOnnxMapping(IReadOnlyList<int> Depths, IReadOnlyList<(string Name, string Initializer)> Entries, string Input,
    IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The batch-norm epsilon the network's <c>BatchNorm2d</c> layers use (PyTorch's default).</summary>
    public const double BatchNormEpsilon = 1e-5;

    /// <summary>Follows <paramref name="graph"/> from its input to its final pool.</summary>
    /// <exception cref="OnnxMappingException">The graph is not a ResNet of basic blocks as built by <see cref="Models.ResNet"/>.</exception>
    public static ResNetOnnxMapping Find(OnnxGraph graph)
    {
        var walker = new Walker(graph);
        return walker.Run();
    }

    private sealed class Walker(OnnxGraph g)
    {
        private readonly List<(string, string)> _entries = [];
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public ResNetOnnxMapping Run()
        {
            if (g.Inputs.Count != 1) Fail($"expected one image input, found {g.Inputs.Count} ({string.Join(", ", g.Inputs.Select(i => i.Name))})");
            string input = g.Inputs[0].Name;

            // Stem: conv1 (7×7, stride 2) → bn1 → relu → maxpool (3×3, stride 2).
            var conv = Only(input, "Conv", "the stem");
            var bn = ConvBn(conv, "conv1", "bn1", kernel: 7, stride: 2);
            var relu = Only(bn.Outputs[0], "Relu", "bn1");
            var pool = Only(relu.Outputs[0], "MaxPool", "the stem's relu");
            CheckWindow(pool, "maxpool", kernel: 3, stride: 2);
            (_values["conv1"], _values["bn1"], _values["relu1"], _values["maxpool"]) = (conv.Outputs[0], bn.Outputs[0], relu.Outputs[0], pool.Outputs[0]);

            // Residual blocks until the final average pool.
            string x = pool.Outputs[0];
            var blocks = new List<(BlockNodes Nodes, bool Downsample)>();
            while (true)
            {
                var next = g.Consuming(x);
                var avg = next.FirstOrDefault(n => n.OpType is "AveragePool" or "GlobalAveragePool");
                if (avg is not null)
                {
                    if (next.Count != 1) Fail($"the final pool's input {x} is also read by {string.Join(", ", next.Where(n => n != avg))}");
                    var depths = Depths(blocks.Select(b => b.Downsample).ToList());
                    Name(blocks, depths);
                    _values["avgpool"] = avg.Outputs[0];
                    return new ResNetOnnxMapping(depths, _entries, input, _values);
                }
                var block = Block(x, blocks.Count);
                blocks.Add((block, block.Shortcut is not null));
                x = block.Output;
            }
        }

        private sealed record BlockNodes(OnnxNode Conv1, OnnxNode Bn1, OnnxNode Conv2, OnnxNode Bn2, (OnnxNode Conv, OnnxNode Bn)? Shortcut, string Output);

        private BlockNodes Block(string x, int index)
        {
            string where = $"residual block {index + 1} (input {x})";
            var convs = g.Consuming(x).Where(n => n.OpType == "Conv").ToList();
            if (convs.Count is < 1 or > 2) Fail($"{where}: expected one or two Conv nodes reading the block input, found {convs.Count}");
            OnnxNode? conv1 = null, bn1 = null;
            (OnnxNode Conv, OnnxNode Bn)? shortcut = null;
            foreach (var c in convs)
            {
                var b = Only(c.Outputs[0], "BatchNormalization", $"{where}, {c}");
                var after = g.Consuming(b.Outputs[0]);
                if (after.Count == 1 && after[0].OpType == "Relu") (conv1, bn1) = (c, b);
                else if (after.Count == 1 && after[0].OpType == "Add") shortcut = (c, b);
                else Fail($"{where}: the batch norm after {c} feeds {string.Join(", ", after)}, neither a Relu nor an Add");
            }
            if (conv1 is null || bn1 is null) Fail($"{where}: no Conv → BatchNormalization → Relu branch");
            var relu = Only(bn1.Outputs[0], "Relu", $"{where}, {bn1}");
            var conv2 = Only(relu.Outputs[0], "Conv", $"{where}, {relu}");
            var bn2 = Only(conv2.Outputs[0], "BatchNormalization", $"{where}, {conv2}");
            var add = Only(bn2.Outputs[0], "Add", $"{where}, {bn2}");
            if (add.Inputs.Count != 2) Fail($"{where}: {add} does not add two values");
            string other = add.Inputs[0] == bn2.Outputs[0] ? add.Inputs[1] : add.Inputs[0];
            string expected = shortcut is { } s ? s.Bn.Outputs[0] : x;
            if (other != expected) Fail($"{where}: {add} adds {other}, expected the {(shortcut is null ? "block input" : "shortcut's batch norm")} {expected}");
            var out_ = Only(add.Outputs[0], "Relu", $"{where}, {add}");
            return new BlockNodes(conv1, bn1, conv2, bn2, shortcut, out_.Outputs[0]);
        }

        private static List<int> Depths(List<bool> downsample)
        {
            var depths = new List<int>();
            for (int i = 0; i < downsample.Count; i++)
            {
                if (i == 0 || downsample[i]) depths.Add(0);
                depths[^1]++;
            }
            return depths;
        }

        private void Name(List<(BlockNodes Nodes, bool Downsample)> blocks, List<int> depths)
        {
            if (depths.Count != 4) Fail($"expected 4 stages, the graph has {depths.Count} (blocks per stage [{string.Join(", ", depths)}])");
            int i = 0;
            for (int s = 0; s < depths.Count; s++)
            {
                for (int b = 0; b < depths[s]; b++, i++)
                {
                    var n = blocks[i].Nodes;
                    string p = $"layer{s + 1}.{b}";
                    int stride = b == 0 && s > 0 ? 2 : 1;
                    if (n.Shortcut is { } sc)
                    {
                        if (b != 0 || s == 0) Fail($"{p} has a shortcut convolution; only the first block of layer2…layer4 may");
                        ConvBn(sc.Conv, $"{p}.downsample.0", $"{p}.downsample.1", kernel: 1, stride: stride, knownBn: sc.Bn);
                    }
                    else if (b == 0 && s > 0) Fail($"{p} has no shortcut convolution, but the first block of a stage needs one");
                    ConvBn(n.Conv1, $"{p}.conv1", $"{p}.bn1", kernel: 3, stride: stride, knownBn: n.Bn1);
                    ConvBn(n.Conv2, $"{p}.conv2", $"{p}.bn2", kernel: 3, stride: 1, knownBn: n.Bn2);
                }
                _values[$"layer{s + 1}"] = blocks[i - 1].Nodes.Output;
            }
        }

        private OnnxNode ConvBn(OnnxNode conv, string convName, string bnName, int kernel, int stride, OnnxNode? knownBn = null)
        {
            var bn = knownBn ?? Only(conv.Outputs[0], "BatchNormalization", conv.ToString());
            if (conv.Inputs.Count < 2) Fail($"{convName}: {conv} has no weight input");
            if (conv.Inputs.Count > 2 && conv.Inputs[2] != "") Fail($"{convName}: {conv} has a bias; the network's convolutions have none (the batch norm follows)");
            if (conv.IntsOr("group", [1])[0] != 1) Fail($"{convName}: {conv} is a grouped convolution");
            if (conv.IntsOr("dilations", [1, 1]).Any(d => d != 1)) Fail($"{convName}: {conv} is dilated");
            CheckWindow(conv, convName, kernel, stride);
            if (bn.Inputs.Count != 5) Fail($"{bnName}: {bn} does not have scale, bias, mean and variance inputs");
            double eps = bn.FloatOr("epsilon", 1e-5f);
            if (Math.Abs(eps - BatchNormEpsilon) > 1e-9) Fail($"{bnName}: {bn} has epsilon {eps}, the network uses {BatchNormEpsilon}");
            if (bn.IntsOr("spatial", [1])[0] != 1) Fail($"{bnName}: {bn} is not spatial (per-pixel statistics)");
            _entries.Add(($"{convName}.weight", conv.Inputs[1]));
            _entries.Add(($"{bnName}.weight", bn.Inputs[1]));
            _entries.Add(($"{bnName}.bias", bn.Inputs[2]));
            _entries.Add(($"{bnName}.running_mean", bn.Inputs[3]));
            _entries.Add(($"{bnName}.running_var", bn.Inputs[4]));
            return bn;
        }

        private void CheckWindow(OnnxNode node, string name, int kernel, int stride)
        {
            long[] k = node.IntsOr("kernel_shape", g.Initializers.TryGetValue(node.Inputs.ElementAtOrDefault(1) ?? "", out var w) && w.Dims.Length == 4 ? w.Dims[2..] : []);
            if (k.Length != 2 || k.Any(v => v != kernel)) Fail($"{name}: {node} has kernel [{string.Join(", ", k)}], expected {kernel}×{kernel}");
            long[] strides = node.IntsOr("strides", [1, 1]);
            if (strides.Any(v => v != stride)) Fail($"{name}: {node} has strides [{string.Join(", ", strides)}], expected {stride}");
            if (node.Ints.ContainsKey("auto_pad") || node.IntsOr("ceil_mode", [0])[0] != 0) Fail($"{name}: {node} uses auto_pad or ceil_mode, which the network does not model");
            // Pads are [begin_h, begin_w, end_h, end_w]. CNTK writes e.g. [3, 3, 2, 2] for conv1: the end padding is one
            // short of the begin. On even sizes (224 → 112 → … → 7) the unused last row never enters a window, so the
            // network's symmetric padding (torchvision's, kernel / 2 on each side) gives the same result.
            long[] pads = node.IntsOr("pads", [0, 0, 0, 0]);
            long half = kernel / 2;
            if (pads.Length != 4 || pads[0] != half || pads[1] != half || pads[2] > half || pads[3] > half || pads[2] < half - 1 || pads[3] < half - 1)
                Fail($"{name}: {node} has pads [{string.Join(", ", pads)}], expected {half} at the start and {half} or {Math.Max(0, half - 1)} at the end");
        }

        private OnnxNode Only(string value, string opType, string after)
        {
            var next = g.Consuming(value);
            if (next.Count != 1 || next[0].OpType != opType)
                Fail($"after {after}, expected a single {opType} reading {value}, found {(next.Count == 0 ? "nothing" : string.Join(", ", next))}");
            return next[0];
        }

        [DoesNotReturn]
        private void Fail(string what) => throw new OnnxMappingException($"{g.Source} is not a ResNet of basic blocks: {what}.");
    }
}
