using NotebookStyle.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>
/// A pretrained CNN seen as a chain of named stages whose outputs can be tapped. <see cref="Extract"/> runs
/// only as deep as the deepest requested tap, keeps only the tapped activations and disposes every other
/// intermediate as soon as the next stage has consumed it (halves peak memory at 512 px).
/// Parameters are frozen: style transfer needs gradients with respect to the image only.
/// </summary>
public abstract class FeatureExtractor : nn.Module
{
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _stages = [];

    /// <summary>Creates the extractor; subclasses call <see cref="AddStage"/> in order, then <see cref="Freeze"/>.</summary>
    protected FeatureExtractor(string name, Preprocessing preprocessing) : base(name) => Preprocessing = preprocessing;

    /// <summary>How images must be normalised before <see cref="Extract"/>.</summary>
    public Preprocessing Preprocessing { get; }

    /// <summary>
    /// Whether <see cref="Extract"/> lays a CPU input out channels-last (<see cref="ChannelsLast"/>) so that every
    /// convolution, ReLU and pooling runs on NHWC maps; the tapped activations are then channels-last too (same shapes
    /// and values; <see cref="Losses.GramMatrix.Flatten"/> reads them without a copy). Off by default; VGG19 turns it on
    /// (its convolutions at 512 px take ~0.9× the time); CUDA inputs are left as they are. While
    /// <see cref="PrepareForEvaluation"/> holds, the CPU convolution weights are laid out channels-last as well.
    /// </summary>
    public bool ChannelsLastOnCpu
    {
        get => _channelsLastOnCpu;
        set
        {
            _channelsLastOnCpu = value;
            if (!Prepared) return;
            Leave();
            Enter();
        }
    }

    private bool _channelsLastOnCpu;

    /// <summary>The network's own name, e.g. <c>vgg19</c>.</summary>
    public abstract string NetworkName { get; }

    /// <summary>Stage names in order: the taps.</summary>
    public IReadOnlyList<string> LayerNames => _stages.Select(s => s.Name).ToList();

    /// <summary>Other accepted names (e.g. Keras' <c>block5_conv2</c>) and the stage each means.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>The rows of the Keras-style summary table.</summary>
    public abstract IEnumerable<SummaryLayer> SummaryLayers();

    /// <summary>Registers the next stage of the chain.</summary>
    protected void AddStage(string name, nn.Module<Tensor, Tensor> module)
    {
        _index[name] = _stages.Count;
        _stages.Add((name, module));
    }

    /// <summary>Registers another name for a stage.</summary>
    protected void AddAlias(string alias, string stage) => _aliases[alias] = stage;

    /// <summary>Puts the network in evaluation mode and turns off gradients for every parameter.</summary>
    protected void Freeze()
    {
        foreach (var parameter in parameters()) parameter.requires_grad = false;
        eval();
    }

    /// <summary>The stage a name or alias refers to.</summary>
    /// <exception cref="UnknownLayerException">Neither a stage nor an alias.</exception>
    public string Resolve(string layer)
    {
        if (_index.ContainsKey(layer)) return layer;
        if (_aliases.TryGetValue(layer, out var stage)) return stage;
        throw new UnknownLayerException($"{NetworkName} has no layer '{layer}'. Layers: {string.Join(", ", LayerNames)}" +
                                        (_aliases.Count > 0 ? $"; aliases: {string.Join(", ", _aliases.Keys)}" : "") + ".");
    }

    /// <summary>Position of a stage (or alias) in the chain.</summary>
    public int IndexOf(string layer) => _index[Resolve(layer)];

    /// <summary>
    /// Runs <paramref name="input"/> (already preprocessed, [N, 3, H, W]) up to the deepest of <paramref name="taps"/>
    /// and returns the tapped activations keyed by the names asked for (aliases stay as given).
    /// </summary>
    public Dictionary<string, Tensor> Extract(Tensor input, IEnumerable<string> taps)
    {
        var wanted = taps.Distinct().ToList();
        if (wanted.Count == 0) return [];
        var byStage = wanted.GroupBy(Resolve).ToDictionary(g => g.Key, g => g.ToList());
        int deepest = byStage.Keys.Max(k => _index[k]);

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        // A converted input is the chain's own: it is disposed once the first stage has consumed it.
        Tensor x = ChannelsLastOnCpu && input.device_type == DeviceType.CPU && input.dim() == 4 && !ChannelsLast.Is(input)
            ? ChannelsLast.From(input)
            : input;
        for (int i = 0; i <= deepest; i++)
        {
            var (name, module) = _stages[i];
            Tensor y = module.call(x);
            bool xKept = ReferenceEquals(x, input) || (i > 0 && byStage.ContainsKey(_stages[i - 1].Name));
            if (!xKept) x.Dispose();
            if (byStage.TryGetValue(name, out var names))
                foreach (var asked in names) result[asked] = y;
            x = y;
        }
        return result;
    }

    private int _prepared;

    /// <summary>Whether at least one <see cref="PrepareForEvaluation"/> handle is alive.</summary>
    public bool Prepared => _prepared > 0;

    /// <summary>
    /// Prepares the network for many evaluations with the weights as they are now, until the handle is disposed (handles
    /// count: the last one disposed ends it). A network may then run a faster form that gives the same activations up to
    /// float rounding — the ResNet folds the batch norms inside its blocks into their convolutions. The weights (and batch-norm
    /// statistics) must not change while a handle lives; a <see cref="Losses.StyleTransferObjective"/> holds one for its
    /// life, as its targets are computed once from the same weights.
    /// </summary>
    public IDisposable PrepareForEvaluation()
    {
        if (_prepared++ == 0) Enter();
        return new PreparedHandle(this);
    }

    private void Release()
    {
        if (_prepared > 0 && --_prepared == 0) Leave();
    }

    /// <summary>The prepared form: weights in the layout the convolutions run in, then the network's own (<see cref="OnPrepare"/>).</summary>
    private void Enter()
    {
        LayOutWeights(ChannelsLastOnCpu);
        OnPrepare(true);
    }

    /// <summary>Back to the network as loaded, in the reverse order of <see cref="Enter"/>.</summary>
    private void Leave()
    {
        OnPrepare(false);
        LayOutWeights(false);
    }

    /// <summary>
    /// Lays the 4-D (convolution) weights on the CPU out channels-last (true) or channels-first (false); same values. A
    /// convolution whose weight is channels-first and whose input is channels-last copies the weight into the input's
    /// layout on every call, forward and backward: for VGG19 its 61 MB of weights twice per evaluation, ~2% of the time at
    /// 256 px. PyTorch users get the same by <c>model.to(memory_format=torch.channels_last)</c>.
    /// </summary>
    private void LayOutWeights(bool channelsLast)
    {
        using var _ = no_grad();
        foreach (var parameter in parameters())
        {
            if (parameter.dim() != 4) continue;
            bool wanted = channelsLast && parameter.device_type == DeviceType.CPU;
            if (wanted ? ChannelsLast.Is(parameter) : parameter.is_contiguous()) continue;
            using var laidOut = wanted ? ChannelsLast.From(parameter) : parameter.contiguous();
            // The parameter takes the copy's storage and strides (same object, same name, same values).
            var result = parameter.set_(laidOut);
            if (!ReferenceEquals(result, parameter)) result.Dispose();
        }
    }

    private sealed class PreparedHandle(FeatureExtractor network) : IDisposable
    {
        private FeatureExtractor? _network = network;

        public void Dispose()
        {
            _network?.Release();
            _network = null;
        }
    }

    /// <summary>Called when the first handle of <see cref="PrepareForEvaluation"/> is taken (true) and when the last is disposed (false).</summary>
    protected virtual void OnPrepare(bool prepared) { }

    /// <summary>Preprocesses an RGB [0, 1] image and extracts <paramref name="taps"/>.</summary>
    public Dictionary<string, Tensor> ExtractRgb(Tensor rgb, IEnumerable<string> taps)
    {
        using var x = Preprocessing.Apply(rgb);
        return Extract(x, taps);
    }

    /// <summary>
    /// The sliding windows (convolutions, poolings) a stage applies along its widest path, in order; empty for
    /// point-wise stages (ReLU, batch norm). Null when the stage mixes every position (a global pooling): such a stage
    /// cannot be evaluated in tiles. The base class knows no stage: networks that support tiling override this.
    /// </summary>
    protected virtual IReadOnlyList<SlidingWindow>? WindowsOf(string stage) =>
        throw new NotSupportedException($"{NetworkName} does not describe its stages' windows; it cannot be evaluated in tiles.");

    /// <summary>The receptive field of a stage (or alias): its total stride and how far it reaches into the input.</summary>
    /// <exception cref="NotSupportedException">The stage (or one before it) mixes every position, or the network does not describe its windows.</exception>
    public ReceptiveField ReceptiveFieldOf(string layer)
    {
        var field = ReceptiveField.Input;
        int last = IndexOf(layer);
        for (int i = 0; i <= last; i++)
        {
            var windows = WindowsOf(_stages[i].Name)
                ?? throw new NotSupportedException($"{NetworkName}'s {_stages[i].Name} mixes every position: it cannot be evaluated in tiles.");
            foreach (var window in windows) field = field.Then(window);
        }
        return field;
    }

    /// <summary>
    /// The geometry tiles of an image must respect for <paramref name="taps"/>: the largest total stride (tile origins are
    /// multiples of it) and the largest receptive-field reach (the halo around each tile's core).
    /// </summary>
    public (int Stride, int Radius) TilingGeometry(IEnumerable<string> taps)
    {
        var fields = taps.Select(ReceptiveFieldOf).ToList();
        return fields.Count == 0 ? (1, 0) : (fields.Max(f => f.Stride), fields.Max(f => f.Radius));
    }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => parameters().FirstOrDefault()?.device ?? CPU;
}
