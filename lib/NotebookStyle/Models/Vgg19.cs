using NotebookStyle.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// VGG19's convolutional part (no classifier), laid out as torchvision's <c>features</c> Sequential so that
/// parameter names are <c>features.N.weight</c>. Stages carry the paper's names (<c>conv1_1</c>, <c>relu1_1</c>,
/// <c>pool1</c>, …); Keras names are aliases: <c>block1_conv1</c> is the output of Keras' conv layer, which
/// includes its ReLU, so it means <c>relu1_1</c>; <c>block1_pool</c> means <c>pool1</c>.
/// </summary>
public sealed class Vgg19 : FeatureExtractor
{
    /// <summary>Convolutions per block.</summary>
    public static readonly int[] BlockDepths = [2, 2, 4, 4, 4];

    /// <summary>Output channels per block.</summary>
    public static readonly int[] BlockChannels = [64, 128, 256, 512, 512];

    private readonly Sequential features;

    /// <summary>The pooling between blocks.</summary>
    public Pooling Pooling { get; }

    /// <summary>
    /// Builds VGG19 with seeded random weights (Kaiming normal, fan-out, as torchvision). Load real weights with
    /// the Weights readers; <paramref name="preprocessing"/> must be the one those weights were trained with.
    /// </summary>
    public Vgg19(Pooling pooling = Pooling.Max, Preprocessing? preprocessing = null, long seed = 0)
        : base("vgg19", preprocessing ?? Preprocessing.Caffe)
    {
        Pooling = pooling;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var stages = new List<(string Name, nn.Module<Tensor, Tensor> Module)>();
        int inChannels = 3, index = 0;
        for (int b = 0; b < BlockDepths.Length; b++)
        {
            for (int c = 1; c <= BlockDepths[b]; c++)
            {
                var conv = nn.Conv2d(inChannels, BlockChannels[b], 3, padding: 1);
                var relu = nn.ReLU();
                layers.Add(((index++).ToString(), conv));
                layers.Add(((index++).ToString(), relu));
                stages.Add(($"conv{b + 1}_{c}", conv));
                stages.Add(($"relu{b + 1}_{c}", relu));
                inChannels = BlockChannels[b];
            }
            nn.Module<Tensor, Tensor> pool = pooling == Pooling.Max ? nn.MaxPool2d(2, 2) : nn.AvgPool2d(2, 2);
            layers.Add(((index++).ToString(), pool));
            stages.Add(($"pool{b + 1}", pool));
        }
        features = nn.Sequential(layers);
        RegisterComponents();
        foreach (var (name, module) in stages) AddStage(name, module);
        for (int b = 0; b < BlockDepths.Length; b++)
        {
            for (int c = 1; c <= BlockDepths[b]; c++) AddAlias($"block{b + 1}_conv{c}", $"relu{b + 1}_{c}");
            AddAlias($"block{b + 1}_pool", $"pool{b + 1}");
        }
        Initialize(seed);
        Freeze();
        ChannelsLastOnCpu = true;
    }

    /// <inheritdoc />
    public override string NetworkName => "vgg19";

    /// <summary>Conv layers in order with their Keras names, e.g. (<c>block1_conv1</c>, module, index in <c>features</c>).</summary>
    public IEnumerable<(string KerasName, Conv2d Conv, int FeatureIndex)> Convolutions()
    {
        int index = 0;
        for (int b = 0; b < BlockDepths.Length; b++)
        {
            for (int c = 1; c <= BlockDepths[b]; c++)
            {
                yield return ($"block{b + 1}_conv{c}", (Conv2d)features[index], index);
                index += 2;
            }
            index++;
        }
    }

    /// <inheritdoc />
    public override IEnumerable<SummaryLayer> SummaryLayers()
    {
        yield return new("input_1", "InputLayer", null, 0);
        int b = 0;
        foreach (var (name, conv, _) in Convolutions())
        {
            int block = int.Parse(name[5..name.IndexOf('_')]);
            if (block != b && b > 0) yield return new($"block{b}_pool", Pooling == Pooling.Max ? "MaxPooling2D" : "AveragePooling2D", $"pool{b}", 0);
            b = block;
            yield return new(name, "Conv2D", Resolve(name), conv.parameters().Sum(p => p.numel()));
        }
        yield return new($"block{b}_pool", Pooling == Pooling.Max ? "MaxPooling2D" : "AveragePooling2D", $"pool{b}", 0);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlidingWindow>? WindowsOf(string stage) => stage[..4] switch
    {
        "conv" => [new SlidingWindow(3, 1, 1)],
        "pool" => [new SlidingWindow(2, 2, 0)],
        _ => [],
    };

    private void Initialize(long seed)
    {
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var (_, conv, _) in Convolutions())
        {
            // Kaiming normal, fan-out, ReLU gain: std = sqrt(2 / (out_channels · 3 · 3)); biases zero.
            double std = Math.Sqrt(2.0 / (conv.weight!.shape[0] * 9));
            using (var w = randn(conv.weight!.shape, generator: generator)) conv.weight!.copy_(w.mul_(std));
            conv.bias!.zero_();
        }
    }
}
