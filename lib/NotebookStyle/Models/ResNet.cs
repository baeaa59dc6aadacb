using NotebookStyle.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// A ResNet of <see cref="BasicBlock"/>s without its classifier, laid out as torchvision's <c>ResNet</c> so that parameter
/// names are <c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>layer1.0.conv1.weight</c>, <c>layer2.0.downsample.0.weight</c>, ….
/// The default depths [2, 2, 2, 3] are those of the CNTK ResNet18 in Microsoft.ML.DnnImageFeaturizer.ResNet18, the offline
/// default network (torchvision's resnet18 has [2, 2, 2, 2]); load its weights with <c>Weights.ResNet18Onnx</c>.
/// Stages (taps): <c>conv1</c>, <c>bn1</c>, <c>relu1</c>, <c>maxpool</c>, <c>layer1</c> … <c>layer4</c>, <c>avgpool</c>.
/// </summary>
public sealed class ResNet : FeatureExtractor
{
    /// <summary>Blocks per stage of the CNTK ResNet18.</summary>
    public static readonly int[] CntkDepths = [2, 2, 2, 3];

    /// <summary>Output channels of layer1 … layer4.</summary>
    public static readonly int[] StageChannels = [64, 128, 256, 512];

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;

    /// <summary>
    /// Builds the network with seeded random weights (torchvision's initialisation: Kaiming normal, fan-out, for convs;
    /// batch norms as identity). <paramref name="preprocessing"/> must be the one the loaded weights were trained with.
    /// </summary>
    /// <param name="depths">Blocks per stage (null: the CNTK ResNet18's [2, 2, 2, 3]).</param>
    /// <param name="preprocessing">Input normalisation (null: CNTK's).</param>
    /// <param name="seed">Seed of the random initialisation.</param>
    public ResNet(IReadOnlyList<int>? depths = null, Preprocessing? preprocessing = null, long seed = 0)
        : base("resnet", preprocessing ?? Preprocessing.Cntk)
    {
        Depths = [.. depths ?? CntkDepths];
        if (Depths.Count != 4 || Depths.Any(depth => depth < 1))
            throw new NotebookStyleException($"A ResNet needs four stages of at least one block each, got [{string.Join(", ", Depths)}].");
        conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = nn.ReLU();
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        var layers = new Sequential[4];
        long inChannels = 64;
        for (int stage = 0; stage < 4; stage++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < Depths[stage]; b++)
            {
                blocks.Add((b.ToString(), new BasicBlock($"layer{stage + 1}.{b}", inChannels, StageChannels[stage], b == 0 && stage > 0 ? 2 : 1)));
                inChannels = StageChannels[stage];
            }
            layers[stage] = nn.Sequential(blocks);
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        // Deviation: CNTK pools with a fixed 7×7 window (the map at 224×224); a global average pool is the same there and works at any size.
        avgpool = nn.AdaptiveAvgPool2d(1);
        RegisterComponents();

        AddStage("conv1", conv1);
        AddStage("bn1", bn1);
        AddStage("relu1", relu);
        AddStage("maxpool", maxpool);
        for (int stage = 0; stage < 4; stage++) AddStage($"layer{stage + 1}", layers[stage]);
        AddStage("avgpool", avgpool);
        AddAlias("relu", "relu1");
        AddAlias("pool", "avgpool");
        Initialize(seed);
        Freeze();
    }

    /// <summary>Blocks per stage.</summary>
    public IReadOnlyList<int> Depths { get; }

    private bool _foldBatchNorm = true;

    /// <summary>
    /// Whether evaluation (while <see cref="FeatureExtractor.PrepareForEvaluation"/> holds) folds the batch norms inside the
    /// blocks of layer1 … layer3 into the convolutions before them: one convolution with a bias instead of a convolution and a batch norm,
    /// the same activations and input gradients up to float rounding, faster per evaluation. On by default; off runs the
    /// network layer by layer (for comparisons). The stem's conv1 and bn1 stay apart: they are taps, and the max-pool
    /// after relu1 is sensitive to the last bit of its input (at 512 px on golden_gate.jpg even float32 and float64 layer
    /// by layer give input gradients 1.5e-3 apart, relative L2): folding them moved the input gradient 8.8e-4 away from
    /// layer by layer at 256 px (~1,100 of 147,456 values), while the blocks' folds stay within 5e-7 of it at 256 and
    /// 512 px — so the folded run computes what PyTorch's layer-by-layer ResNet computes. layer4 stays apart too: its
    /// convolutions hold 82% of the weights, so folded copies of them added most of the 52 MB the copies cost the whole
    /// process (measured at 256 px; 3 MB with layer4 apart), for maps 1/32 of the image's side where a batch norm costs
    /// next to nothing.
    /// </summary>
    public bool FoldBatchNorm
    {
        get => _foldBatchNorm;
        set
        {
            if (value == _foldBatchNorm) return;
            _foldBatchNorm = value;
            // The folded copies of the weights (as many bytes as the blocks' convolutions) exist only while they are used.
            if (Prepared) OnPrepare(value);
        }
    }

    /// <summary>The stages whose blocks are folded (layer1 … layer3; see <see cref="FoldBatchNorm"/>).</summary>
    public const int FoldedStages = 3;

    /// <inheritdoc />
    protected override void OnPrepare(bool prepared)
    {
        for (int stage = 1; stage <= 4; stage++)
            foreach (var block in Blocks(stage))
            {
                if (prepared && _foldBatchNorm && stage <= FoldedStages) block.Fold();
                else block.Unfold();
            }
    }

    /// <inheritdoc />
    public override string NetworkName => Depths.SequenceEqual(CntkDepths) ? "resnet18" : $"resnet[{string.Join(",", Depths)}]";

    /// <summary>The blocks of one stage (1 … 4).</summary>
    public IReadOnlyList<BasicBlock> Blocks(int stage) => stage switch
    {
        1 => Children(layer1),
        2 => Children(layer2),
        3 => Children(layer3),
        4 => Children(layer4),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "ResNet stages are 1 to 4."),
    };

    private static List<BasicBlock> Children(Sequential layer) => [.. layer.children().Cast<BasicBlock>()];

    /// <inheritdoc />
    public override IEnumerable<SummaryLayer> SummaryLayers()
    {
        yield return new("input_1", "InputLayer", null, 0);
        yield return new("conv1", "Conv2D", "conv1", Count(conv1));
        yield return new("bn1", "BatchNormalization", "bn1", Count(bn1));
        yield return new("relu1", "Activation", "relu1", 0);
        yield return new("maxpool", "MaxPooling2D", "maxpool", 0);
        // Every block of a stage has the stage's output shape: only the first one changes it.
        for (int stage = 1; stage <= 4; stage++)
        {
            var blocks = Blocks(stage);
            for (int b = 0; b < blocks.Count; b++) yield return new($"layer{stage}.{b}", "BasicBlock", $"layer{stage}", Count(blocks[b]));
        }
        yield return new("avgpool", "GlobalAveragePooling2D", "avgpool", 0);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlidingWindow>? WindowsOf(string stage)
    {
        switch (stage)
        {
            case "conv1": return [new SlidingWindow(7, 2, 3)];
            case "maxpool": return [new SlidingWindow(3, 2, 1)];
            case "avgpool": return null;
            case "bn1" or "relu1": return [];
        }
        // layerK: each block's main branch is two 3×3 convolutions, the first with the block's stride; the shortcut
        // (identity or a strided 1×1) reaches less far, so the main branch bounds the field.
        int k = int.Parse(stage["layer".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var windows = new List<SlidingWindow>();
        for (int b = 0; b < Depths[k - 1]; b++)
        {
            windows.Add(new SlidingWindow(3, b == 0 && k > 1 ? 2 : 1, 1));
            windows.Add(new SlidingWindow(3, 1, 1));
        }
        return windows;
    }

    private static long Count(nn.Module module) => module.parameters().Sum(parameter => parameter.numel());

    private void Initialize(long seed)
    {
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var (_, module) in named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    // Kaiming normal, fan-out, ReLU gain, as torchvision: std = sqrt(2 / (out_channels · kh · kw)).
                    var weight = conv.weight!;
                    double std = Math.Sqrt(2.0 / (weight.shape[0] * weight.shape[2] * weight.shape[3]));
                    using (var w = randn(weight.shape, generator: generator)) weight.copy_(w.mul_(std));
                    break;
                case BatchNorm2d bn:
                    bn.weight!.fill_(1);
                    bn.bias!.zero_();
                    break;
            }
        }
    }
}
