using NotebookStyle.Imaging;
using NotebookStyle.Losses;
using NotebookStyle.Models;
using NotebookStyle.Optimization;
using NotebookStyle.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// A benchmark problem loaded for the C# side: the network rebuilt from the weights file both runtimes read (not from
/// its original source, so that the C# side uses exactly the bytes the peer uses), the two images, and the loss setup.
/// </summary>
internal sealed class Problem : IDisposable
{
    private Problem(ProblemManifest manifest, FeatureExtractor network, Tensor content, Tensor style)
    {
        Manifest = manifest;
        Network = network;
        Content = content;
        Style = style;
    }

    public ProblemManifest Manifest { get; }

    public FeatureExtractor Network { get; }

    /// <summary>RGB [0, 1], [1, 3, H, W].</summary>
    public Tensor Content { get; }

    /// <summary>RGB [0, 1], [1, 3, H, W].</summary>
    public Tensor Style { get; }

    public IReadOnlyList<LayerWeights> Layers => Manifest.Layers.Select(l => new LayerWeights(l.Layer, l.Style, l.Content)).ToList();

    public LossNormalization Normalization => Manifest.Normalization == "target_norm" ? LossNormalization.TargetNorm : LossNormalization.Paper;

    /// <summary>The objective exactly as the driver builds it (<see cref="ResolvedSettings.CreateObjective"/>).</summary>
    public StyleTransferObjective Objective() => ResolvedSettings.Resolve(Settings(1), Network).CreateObjective(Network, Content, Style);

    /// <summary>The driver's settings for this problem (L-BFGS, content init, no colour handling).</summary>
    public StyleTransferSettings Settings(int iterations) => new()
    {
        Iterations = iterations,
        Optimizer = OptimizerKind.Lbfgs,
        Init = InitKind.Content,
        Layers = Layers,
        Normalization = Normalization,
        ContentWeight = Manifest.ContentWeight,
        StyleWeight = Manifest.StyleWeight,
        TvWeight = Manifest.TvWeight,
        TvPower = Manifest.TvPower,
        Color = ColorMode.None,
        AdamLearningRate = Manifest.AdamLearningRate,
    };

    /// <summary>The device the network and the images live on.</summary>
    public Device Device => Content.device;

    /// <summary>Loads a problem (on the CPU, then moved to <paramref name="device"/> when given).</summary>
    public static Problem Load(string manifestPath, Device? device = null)
    {
        var manifest = ProblemManifest.Read(manifestPath);
        string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        FeatureExtractor network = manifest.Network switch
        {
            "vgg19" => new Vgg19(),
            "resnet18" => new ResNet(manifest.Depths),
            _ => throw new InvalidDataException($"Unknown network '{manifest.Network}' in {manifestPath}."),
        };
        var own = FloatingState(network);
        var missing = own.Keys.Except(manifest.Parameters.Select(e => e.Name)).ToList();
        var extra = manifest.Parameters.Select(e => e.Name).Except(own.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidDataException($"Weights do not match {manifest.Network}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}].");
        using (no_grad())
            RawTensors.ReadEach(Path.Combine(dir, manifest.WeightsFile), manifest.Parameters, (name, t) => own[name].copy_(t));
        var images = new Dictionary<string, Tensor>();
        RawTensors.ReadEach(Path.Combine(dir, manifest.ImagesFile), manifest.Images, (name, t) => images[name] = t.clone());
        if (device is not null && device.type != DeviceType.CPU)
        {
            network.to(device);
            foreach (var name in images.Keys.ToList())
            {
                var moved = images[name].to(device);
                images[name].Dispose();
                images[name] = moved;
            }
        }
        // Reading went through managed arrays (the images' are image-sized): hand them back, so that the run's peak is the run's.
        NotebookStyle.Backend.ProcessMemory.Release();
        return new Problem(manifest, network, images["content"], images["style"]);
    }

    /// <summary>The floating-point entries of a state dict (BatchNorm's num_batches_tracked counter is not a weight).</summary>
    public static Dictionary<string, Tensor> FloatingState(nn.Module network) =>
        network.state_dict().Where(kv => kv.Value.is_floating_point()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public void Dispose()
    {
        Content.Dispose();
        Style.Dispose();
        Network.Dispose();
    }

    /// <summary>
    /// Writes one problem folder per size under <paramref name="outDir"/> for <paramref name="network"/>, sharing one
    /// weights file; returns the manifests written.
    /// </summary>
    public static List<string> Prepare(string outDir, string network, IEnumerable<int> sizes, string contentPath, string stylePath)
    {
        Directory.CreateDirectory(outDir);
        using FeatureExtractor net = network switch
        {
            // No VGG19 weights can be had offline: seeded random weights cost the same per evaluation.
            "vgg19" => new Vgg19(seed: 0),
            "resnet18" => ResNet18Onnx.Load(),
            _ => throw new ArgumentException($"Unknown network '{network}': use vgg19 or resnet18."),
        };
        string origin = net is ResNet ? ResNet18Onnx.Locate() : "random (Kaiming normal, seed 0)";
        string weightsFile = $"{network}.weights.f32";
        var parameters = RawTensors.Write(Path.Combine(outDir, weightsFile), FloatingState(net).Select(kv => (kv.Key, kv.Value)));
        var defaults = net.Defaults;
        var preprocessing = net.Preprocessing;
        var written = new List<string>();
        foreach (int size in sizes)
        {
            string dir = Path.Combine(outDir, $"{network}-{size}");
            Directory.CreateDirectory(dir);
            using var content = ImageTensor.Load(contentPath, size);
            using var style = ImageTensor.Load(stylePath, size);
            var images = RawTensors.Write(Path.Combine(dir, "images.f32"), [("content", content), ("style", style)]);
            var layers = defaults.Layers.Select(l => new LayerEntry(l.Layer, net.Resolve(l.Layer), l.StyleWeight, l.ContentWeight)).ToList();
            var lbfgs = new LbfgsOptions();
            var manifest = new ProblemManifest(
                network, origin, net is ResNet r ? [.. r.Depths] : null, size,
                new PreprocessingEntry(preprocessing.Name, preprocessing.Bgr, preprocessing.Scale, [.. preprocessing.Mean], [.. preprocessing.Std]),
                defaults.Normalization == LossNormalization.TargetNorm ? "target_norm" : "paper",
                defaults.ContentWeight, defaults.StyleWeight, defaults.TvWeight, new StyleTransferSettings().TvPower, layers,
                Path.Combine("..", weightsFile), parameters, "images.f32", images,
                ConvFlops.Forward(net, content, layers.Select(l => l.Layer)),
                new LbfgsEntry(lbfgs.LearningRate, lbfgs.HistorySize, lbfgs.ToleranceGrad, lbfgs.ToleranceChange,
                    lbfgs.StrongWolfe ? "strong_wolfe" : "none", lbfgs.MaxLineSearch),
                new StyleTransferSettings().AdamLearningRate, Path.GetFullPath(contentPath), Path.GetFullPath(stylePath));
            string path = Path.Combine(dir, "problem.json");
            manifest.Write(path);
            written.Add(path);
        }
        return written;
    }
}
