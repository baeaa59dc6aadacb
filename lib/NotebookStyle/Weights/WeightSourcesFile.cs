using System.Text.Json;
using System.Text.Json.Serialization;
using NotebookStyle.Imaging;
using NotebookStyle.Storage;

namespace NotebookStyle.Weights;

/// <summary>
/// Weight sources of one's own, added to the built-in ones: a JSON file named by <c>NOTEBOOKSTYLE_SOURCES</c>
/// (a workshop's local mirror, weights of another origin, a test server). Each entry gives a name, the cache file
/// name, one or more download addresses tried in order, exactly one of <c>md5</c> / <c>sha256</c> (a SHA-256 prefix of
/// at least 8 hex digits is allowed), and optionally the size (also the most a download may bring), the format (<c>keras-hdf5</c>, <c>pytorch</c>,
/// <c>safetensors</c>; default from the file name) and the preprocessing (<c>caffe</c>, <c>torchvision</c>; required
/// except for Keras HDF5, which is Caffe):
/// <code>
/// { "sources": [ { "name": "vgg19-lan", "file": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
///                  "urls": ["http://192.168.1.10/vgg19.h5", "https://storage.googleapis.com/..."],
///                  "md5": "253f8cb515780f3b799900260a226db6", "size": 80134624, "preprocessing": "caffe" } ] }
/// </code>
/// </summary>
public static class WeightSourcesFile
{
    /// <summary>The environment variable naming the sources file.</summary>
    public const string EnvironmentVariable = "NOTEBOOKSTYLE_SOURCES";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The sources of the file named by <see cref="EnvironmentVariable"/>, or none when it is unset.</summary>
    /// <exception cref="WeightSourcesException">The file is missing or malformed.</exception>
    public static IReadOnlyList<WeightSource> FromEnvironment(Func<string, string?>? environment = null)
    {
        string? path = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(path) ? [] : Read(path.Trim());
    }

    /// <summary>Reads a sources file.</summary>
    /// <exception cref="WeightSourcesException">The file is missing or malformed.</exception>
    public static IReadOnlyList<WeightSource> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightSourcesException($"The weight sources file {path} ({EnvironmentVariable}) cannot be read: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses the text of a sources file; <paramref name="origin"/> names it in messages.</summary>
    /// <exception cref="WeightSourcesException">Malformed, or an entry is incomplete or clashes with a built-in source.</exception>
    public static IReadOnlyList<WeightSource> Parse(string json, string origin)
    {
        SourcesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SourcesDocument>(json, Json);
        }
        catch (JsonException e)
        {
            throw new WeightSourcesException($"The weight sources file {origin} is not valid: {e.Message}", e);
        }
        if (document?.Sources is not { } entries)
            throw new WeightSourcesException($"The weight sources file {origin} has no \"sources\" list.");

        var result = new List<WeightSource>();
        for (int i = 0; i < entries.Count; i++)
        {
            var source = Convert(entries[i], $"{origin}, source {i + 1}");
            if (result.Any(s => string.Equals(s.Name, source.Name, StringComparison.OrdinalIgnoreCase)))
                throw new WeightSourcesException($"{origin} lists the source '{source.Name}' twice.");
            result.Add(source);
        }
        return result;
    }

    private static WeightSource Convert(SourceEntry entry, string where)
    {
        string name = Required(entry.Name, "name", where);
        where = $"{where} ('{name}')";
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new WeightSourcesException($"{where}: a name may hold only letters, digits, '-', '_' and '.'.");
        if (WeightSource.Known.Any(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new WeightSourcesException($"{where}: '{name}' is a built-in source; give yours another name.");

        string file = Required(entry.File, "file", where);
        if (file != Path.GetFileName(file) || file is "." or ".." || file.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ||
            new[] { VerifiedDownloader.PartSuffix, VerifiedDownloader.LockSuffix, VerifiedDownloader.RecordedHashSuffix }
                .Any(s => file.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            throw new WeightSourcesException($"{where}: \"file\" must be a plain file name for the cache, got '{file}'.");

        if (entry.Urls is not { Count: > 0 } urls) throw new WeightSourcesException($"{where}: \"urls\" needs at least one address.");
        var addresses = urls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri : throw new WeightSourcesException($"{where}: '{u}' is not an http or https address.")).ToList();

        FileHash hash;
        try
        {
            hash = (entry.Md5, entry.Sha256) switch
            {
                ({ } md5, null) => FileHash.Md5(md5),
                (null, { } sha) => FileHash.Sha256(sha),
                _ => throw new WeightSourcesException($"{where}: give exactly one of \"md5\" and \"sha256\"; a download is kept only when its hash matches."),
            };
        }
        catch (ArgumentException e)
        {
            throw new WeightSourcesException($"{where}: {e.Message}", e);
        }

        var format = entry.Format?.Trim().ToLowerInvariant() switch
        {
            null => Path.GetExtension(file).ToLowerInvariant() switch
            {
                ".h5" or ".hdf5" => WeightFormat.KerasHdf5,
                ".pth" or ".pt" => WeightFormat.PyTorch,
                ".safetensors" => WeightFormat.Safetensors,
                _ => throw new WeightSourcesException($"{where}: cannot tell the format from '{file}'; add \"format\": keras-hdf5, pytorch or safetensors."),
            },
            "keras-hdf5" or "hdf5" or "h5" => WeightFormat.KerasHdf5,
            "pytorch" or "pth" => WeightFormat.PyTorch,
            "safetensors" => WeightFormat.Safetensors,
            var other => throw new WeightSourcesException($"{where}: unknown format '{other}'; use keras-hdf5, pytorch or safetensors."),
        };

        Preprocessing preprocessing;
        if (entry.Preprocessing is null)
            preprocessing = format == WeightFormat.KerasHdf5 ? Preprocessing.Caffe
                : throw new WeightSourcesException($"{where}: say \"preprocessing\": caffe or torchvision (guessing wrong gives poor pictures without any error).");
        else if (entry.Preprocessing.Trim().ToLowerInvariant() is "caffe" or "torchvision")
            preprocessing = Preprocessing.Parse(entry.Preprocessing);
        else
            throw new WeightSourcesException($"{where}: unknown preprocessing '{entry.Preprocessing}'; use caffe or torchvision.");

        if (entry.Size is <= 0) throw new WeightSourcesException($"{where}: \"size\" must be a positive number of bytes.");
        if (WeightSource.Known.FirstOrDefault(k => string.Equals(k.FileName, file, StringComparison.OrdinalIgnoreCase)) is { } same && same.Hash != hash)
            throw new WeightSourcesException($"{where}: the file name '{file}' belongs to the built-in source {same.Name} with {same.Hash}; " +
                                             "a different file under that name would be removed from the cache as damaged. Use another file name.");

        return new WeightSource(name, file, addresses[0], entry.Size, hash, format, preprocessing,
            entry.Description ?? $"from {EnvironmentVariable}") { Mirrors = addresses.Skip(1).ToList() };
    }

    private static string Required(string? value, string field, string where) =>
        string.IsNullOrWhiteSpace(value) ? throw new WeightSourcesException($"{where}: \"{field}\" is required.") : value.Trim();

    private sealed record SourcesDocument(IReadOnlyList<SourceEntry>? Sources, string? Description);

    private sealed record SourceEntry(
        string? Name, string? File, IReadOnlyList<string>? Urls, string? Md5, string? Sha256, long? Size, string? Format,
        string? Preprocessing, string? Description);
}
