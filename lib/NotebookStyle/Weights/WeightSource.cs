using NotebookStyle.Imaging;
using NotebookStyle.Storage;

namespace NotebookStyle.Weights;

/// <summary>
/// Where a set of VGG19 weights comes from and what it needs: download addresses (the first and its mirrors, tried in
/// order), expected size and hash, file format and the <see cref="Imaging.Preprocessing"/> the weights were trained
/// with — so weights are never paired with the wrong normalisation. Built-in sources are static properties; a JSON file
/// named by <c>NOTEBOOKSTYLE_SOURCES</c> adds more (<see cref="WeightSourcesFile"/>); <see cref="FromFile"/> wraps a
/// user's own file.
/// </summary>
/// <param name="Name">Short identifier, e.g. <c>vgg19-keras</c>.</param>
/// <param name="FileName">File name in the cache.</param>
/// <param name="Url">The first download address; null for a local file. <see cref="Mirrors"/> are tried after it.</param>
/// <param name="ExpectedSize">Size in bytes: shown as progress before the server says, and the most a download may bring (a larger one is refused and not kept); the hash is what is verified.</param>
/// <param name="Hash">Expected digest; null for a local file (nothing to verify against).</param>
/// <param name="Format">File format.</param>
/// <param name="Preprocessing">The input normalisation these weights expect.</param>
/// <param name="Description">One line for people: origin and licence notes.</param>
public sealed record WeightSource(
    string Name, string FileName, Uri? Url, long? ExpectedSize, FileHash? Hash, WeightFormat Format,
    Preprocessing Preprocessing, string Description)
{
    /// <summary>For a user-given file: its full path (the store is not involved). Null for downloadable sources.</summary>
    public string? LocalPath { get; init; }

    /// <summary>Further addresses of the same file, tried in order when <see cref="Url"/> fails (the hash decides what is kept).</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    /// <summary>Every download address in the order they are tried: <see cref="Url"/>, then <see cref="Mirrors"/>.</summary>
    public IReadOnlyList<Uri> Addresses => Url is null ? Mirrors : [Url, .. Mirrors];

    /// <summary>
    /// The Keras example's weights and the default: Keras applications' VGG19 without the classifier — the original Caffe VGG19
    /// (Simonyan and Zisserman) converted to Keras. MD5 as Keras' own <c>file_hash</c>. Caffe preprocessing.
    /// </summary>
    public static WeightSource KerasVgg19 { get; } = new(
        "vgg19-keras", "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        new Uri("https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        80_134_624, FileHash.Md5("253f8cb515780f3b799900260a226db6"), WeightFormat.KerasHdf5, Preprocessing.Caffe,
        "Keras applications VGG19 notop (the Caffe VGG19 weights, CC BY 4.0), 80 MB");

    /// <summary>torchvision's VGG19 (retrained by the PyTorch team; classifier included, ignored). Torchvision preprocessing.</summary>
    public static WeightSource TorchvisionVgg19 { get; } = new(
        "vgg19-torchvision", "vgg19-dcbb9e9d.pth", new Uri("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"),
        574_673_361, FileHash.Sha256("dcbb9e9d"), WeightFormat.PyTorch, Preprocessing.Torchvision,
        "torchvision VGG19 (BSD-3-Clause), 548 MB, legacy torch.save format");

    /// <summary>
    /// jcjohnson's exact conversion of the Caffe VGG19 to PyTorch (classifier included, ignored): BGR, 0..255, Caffe mean.
    /// Two public addresses: the one neural-style-pt's download script uses, then the original S3 bucket.
    /// </summary>
    public static WeightSource CaffeVgg19Pth { get; } = new(
        "vgg19-caffe-pth", "vgg19-d01eb7cb.pth", new Uri("https://web.eecs.umich.edu/~justincj/models/vgg19-d01eb7cb.pth"),
        null, FileHash.Sha256("d01eb7cb"), WeightFormat.PyTorch, Preprocessing.Caffe,
        "Caffe VGG19 converted to PyTorch by jcjohnson (CC BY 4.0), ~548 MB")
    {
        Mirrors = [new Uri("https://s3-us-west-2.amazonaws.com/jcjohns-models/vgg19-d01eb7cb.pth")],
    };

    /// <summary>The default source: <see cref="KerasVgg19"/>, the Keras example's weights.</summary>
    public static WeightSource Default => KerasVgg19;

    /// <summary>The built-in downloadable sources, default first.</summary>
    public static IReadOnlyList<WeightSource> Known { get; } = [KerasVgg19, TorchvisionVgg19, CaffeVgg19Pth];

    /// <summary>
    /// The built-in sources followed by those of the file named by <c>NOTEBOOKSTYLE_SOURCES</c>, if set
    /// (<paramref name="environment"/> looks variables up; default: this process's environment).
    /// </summary>
    /// <exception cref="WeightSourcesException">The sources file is missing or malformed.</exception>
    public static IReadOnlyList<WeightSource> Available(Func<string, string?>? environment = null) =>
        [.. Known, .. WeightSourcesFile.FromEnvironment(environment)];

    /// <summary>
    /// A known source — built in or from <c>NOTEBOOKSTYLE_SOURCES</c> — by <see cref="Name"/> or <see cref="FileName"/>
    /// (case-insensitive), or null.
    /// </summary>
    /// <exception cref="WeightSourcesException">The sources file is missing or malformed.</exception>
    public static WeightSource? FindKnown(string nameOrFileName, Func<string, string?>? environment = null) =>
        Available(environment).FirstOrDefault(s => string.Equals(s.Name, nameOrFileName, StringComparison.OrdinalIgnoreCase) ||
                                                   string.Equals(s.FileName, nameOrFileName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A user's own weight file. The format comes from the file's first bytes (else its extension). The preprocessing is
    /// <paramref name="preprocessing"/> when given; otherwise that of the known source with the same file name; otherwise
    /// Caffe for Keras HDF5 (Keras' VGG19 weights are the Caffe conversion). A .pth or .safetensors file of unknown origin
    /// needs it said: guessing wrong gives poor results without any error.
    /// </summary>
    /// <exception cref="WeightsUnavailableException">The file does not exist.</exception>
    /// <exception cref="WeightsFormatException">Not a format the readers understand.</exception>
    /// <exception cref="PreprocessingRequiredException">The preprocessing cannot be inferred.</exception>
    public static WeightSource FromFile(string path, Preprocessing? preprocessing = null)
    {
        var full = Path.GetFullPath(path);
        var format = WeightFormatDetector.Detect(full);
        var fileName = Path.GetFileName(full);
        var known = FindKnown(fileName);
        var chosen = preprocessing ?? known?.Preprocessing ?? (format == WeightFormat.KerasHdf5 ? Preprocessing.Caffe : null)
            ?? throw new PreprocessingRequiredException(
                $"Cannot tell which preprocessing '{fileName}' was trained with: say caffe (BGR, 0..255, mean subtracted: " +
                "Caffe/Keras conversions) or torchvision (RGB, 0..1, ImageNet mean and std).");
        return new WeightSource($"file:{fileName}", fileName, null, new FileInfo(full).Length, null, format, chosen,
            known is null ? $"local file {full}" : $"local copy of {known.Description}") { LocalPath = full };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Description}; {Preprocessing} preprocessing)";
}
