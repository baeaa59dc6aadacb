using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads a state dict in torch's legacy serialization (torch.save before 1.6, or with
/// <c>_use_new_zipfile_serialization=False</c>) — the format of torchvision's 2017 <c>vgg19-dcbb9e9d.pth</c>, which
/// TorchSharp.PyBridge does not read. The layout (torch/serialization.py, <c>_legacy_save</c>): four pickles — magic
/// number, protocol version 1001, system info, the state dict whose tensors refer to storages by key — then the pickled
/// list of storage keys, then per storage an int64 element count and its raw little-endian bytes. The pickles are read
/// with Razorvine.Pickle (the library PyBridge uses).
/// </summary>
public static class LegacyTorchFile
{
    private static readonly BigInteger Magic = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber);

    /// <summary>Whether <paramref name="head"/> (the file's first bytes) starts like a legacy torch file.</summary>
    public static bool Recognise(ReadOnlySpan<byte> head) => head.StartsWith((ReadOnlySpan<byte>)[0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46]);

    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>; the caller disposes them.</summary>
    /// <exception cref="WeightsTruncatedException">The storage data ends early.</exception>
    /// <exception cref="WeightsFormatException">Not this format, or an object this reader does not understand.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        string name = Path.GetFileName(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var storages = new Dictionary<string, LegacyStorage>(StringComparer.Ordinal);
        IDictionary stateDict;
        IEnumerable keys;
        try
        {
            if (Load(stream, storages) is not BigInteger magic || magic != Magic)
                throw new WeightsFormatException($"{name}: not a legacy torch.save file (wrong magic number).");
            if (Convert.ToInt64(Load(stream, storages)) != 1001)
                throw new WeightsFormatException($"{name}: unknown legacy torch.save protocol version.");
            if (Load(stream, storages) is IDictionary sysInfo && sysInfo["little_endian"] is false)
                throw new WeightsFormatException($"{name} was saved on a big-endian machine; re-save it with torch.save on a little-endian one.");
            stateDict = Load(stream, storages) as IDictionary
                ?? throw new WeightsFormatException($"{name}: the file holds no state dict (torch.save of a whole model object is not readable; save model.state_dict()).");
            keys = Load(stream, storages) as IEnumerable
                ?? throw new WeightsFormatException($"{name}: the storage key list is missing.");
        }
        catch (Exception e) when (e is not NotebookStyleException)
        {
            if (e is EndOfStreamException || stream.Position >= stream.Length)
                throw new WeightsTruncatedException($"{name} is truncated: it ends inside its header ({stream.Length:N0} bytes).", e);
            throw new WeightsFormatException($"{name}: cannot read it as a legacy torch.save file ({Reason(e)}).", e);
        }

        try
        {
            Span<byte> count = stackalloc byte[8];
            foreach (var keyObject in keys)
            {
                string key = Convert.ToString(keyObject, System.Globalization.CultureInfo.InvariantCulture)!;
                if (!storages.TryGetValue(key, out var storage))
                    throw new WeightsFormatException($"{name}: storage {key} is listed but never used.");
                if (stream.ReadAtLeast(count, 8, throwOnEndOfStream: false) < 8) throw Truncated(name, stream);
                long numel = BinaryPrimitives.ReadInt64LittleEndian(count);
                if (numel != storage.Numel)
                    throw new WeightsFormatException($"{name}: storage {key} holds {numel} elements, its tensors expect {storage.Numel}.");
                // The claim is checked against what the file can hold before anything is allocated.
                long left = stream.Length - stream.Position;
                if (numel < 0 || numel > left / storage.ElementSize)
                    throw new WeightsFormatException($"{name}: storage {key} claims {numel:N0} elements of {storage.ElementSize} bytes, but only {left:N0} bytes follow; the file is damaged or not a weights file.");
                var bytes = new byte[checked(numel * storage.ElementSize)];
                if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length) throw Truncated(name, stream);
                storage.Data = empty(numel, storage.Dtype);
                storage.Data.bytes = bytes;
            }

            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in stateDict)
            {
                if (entry.Value is not LegacyTensor t) continue; // e.g. nested metadata
                CheckExtent(t, Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!, name);
                var data = t.Storage.Data ?? throw new WeightsFormatException($"{name}: the data of {entry.Key} is missing.");
                result[(string)entry.Key] = data.as_strided(t.Shape, t.Stride, t.Offset);
            }
            return result;
        }
        finally
        {
            foreach (var s in storages.Values) s.Data?.Dispose();
        }
    }

    /// <summary>
    /// Checks what the pickled state dict of a zip-format torch.save file (<c>ARCHIVE/data.pkl</c>) claims against the
    /// zip's own entries before any tensor is made: each storage's element count must fit its entry
    /// (<c>ARCHIVE/data/KEY</c>, <paramref name="storageBytes"/>), and each tensor's shape, strides and offset must stay
    /// inside its storage. The zip format's persistent ids are the legacy format's without the view field.
    /// </summary>
    /// <exception cref="WeightsFormatException">A claim the file cannot hold; the message names the tensor or storage.</exception>
    internal static void CheckZipClaims(Stream dataPickle, IReadOnlyDictionary<string, long> storageBytes, string name)
    {
        var storages = new Dictionary<string, LegacyStorage>(StringComparer.Ordinal);
        object root;
        try
        {
            using var unpickler = new LegacyUnpickler(storages);
            root = unpickler.load(dataPickle);
        }
        catch (Exception)
        {
            return; // not understood here (another storage type, a parameter object): the zip reader decides, and says why
        }
        foreach (var (key, storage) in storages)
        {
            if (!storageBytes.TryGetValue(key, out long bytes))
                throw new WeightsFormatException($"{name}: storage {key} is not in the zip; the file is damaged.");
            if (storage.Numel < 0 || storage.Numel > bytes / storage.ElementSize)
                throw new WeightsFormatException($"{name}: storage {key} claims {storage.Numel:N0} elements of {storage.ElementSize} bytes, but the file holds {bytes:N0} bytes for it.");
        }
        if (root is IDictionary stateDict)
            foreach (DictionaryEntry entry in stateDict)
                if (entry.Value is LegacyTensor t) CheckExtent(t, Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!, name);
    }

    /// <summary>A tensor's shape, strides and offset must stay inside its storage (no negative sizes, no overflow).</summary>
    private static void CheckExtent(LegacyTensor t, string key, string name)
    {
        string shape = Vgg19Parameter.Format(t.Shape);
        if (t.Shape.Length != t.Stride.Length || t.Shape.Any(d => d < 0) || t.Stride.Any(d => d < 0) || t.Offset < 0)
            throw new WeightsFormatException($"{name}: tensor {key} has an impossible shape {shape} (strides or offset negative or mismatched).");
        if (t.Shape.Any(d => d == 0)) return;
        try
        {
            long last = t.Offset;
            for (int i = 0; i < t.Shape.Length; i++) last = checked(last + (t.Shape[i] - 1) * t.Stride[i]);
            if (last < t.Storage.Numel) return;
        }
        catch (OverflowException) { }
        throw new WeightsFormatException($"{name}: tensor {key} claims shape {shape}, more than its storage of {t.Storage.Numel:N0} elements holds; the file is damaged or not a weights file.");
    }

    /// <summary>A pickled integer (int, long or, past 64 bits, BigInteger) as a long.</summary>
    /// <exception cref="WeightsFormatException">Not an integer, or beyond 64 bits.</exception>
    private static long ToLong(object value) => value switch
    {
        int i => i,
        long l => l,
        BigInteger b when b >= long.MinValue && b <= long.MaxValue => (long)b,
        BigInteger b => throw new WeightsFormatException($"A size of {b} in the file is beyond 64 bits; the file is damaged or not a weights file."),
        _ => throw new WeightsFormatException("A size in the file is not an integer; the file is damaged or not a weights file."),
    };

    /// <summary>A low-level failure in words: a cast or an overflow says nothing useful in .NET's terms.</summary>
    internal static string Reason(Exception e) => e is InvalidCastException or OverflowException or NullReferenceException or IndexOutOfRangeException
        ? "a value of an unexpected type or size where a tensor was expected"
        : e.Message;

    private static WeightsTruncatedException Truncated(string name, Stream stream) =>
        new($"{name} is truncated: its tensor data ends early at {stream.Length:N0} bytes. Download or copy it again.");

    private static object Load(Stream stream, Dictionary<string, LegacyStorage> storages)
    {
        using var unpickler = new LegacyUnpickler(storages);
        return unpickler.load(stream);
    }

    /// <summary>dtype and element size of a torch storage class name, e.g. <c>FloatStorage</c>.</summary>
    internal static (ScalarType, int) StorageType(string name) => name switch
    {
        "FloatStorage" => (ScalarType.Float32, 4),
        "DoubleStorage" => (ScalarType.Float64, 8),
        "HalfStorage" => (ScalarType.Float16, 2),
        "BFloat16Storage" => (ScalarType.BFloat16, 2),
        "LongStorage" => (ScalarType.Int64, 8),
        "IntStorage" => (ScalarType.Int32, 4),
        "ShortStorage" => (ScalarType.Int16, 2),
        "CharStorage" => (ScalarType.Int8, 1),
        "ByteStorage" => (ScalarType.Byte, 1),
        "BoolStorage" => (ScalarType.Bool, 1),
        _ => throw new WeightsFormatException($"Unknown torch storage type {name}."),
    };

    private sealed class LegacyStorage(ScalarType dtype, int elementSize, long numel)
    {
        public ScalarType Dtype { get; } = dtype;
        public int ElementSize { get; } = elementSize;
        public long Numel { get; } = numel;
        public Tensor? Data { get; set; }
    }

    private sealed record LegacyTensor(LegacyStorage Storage, long Offset, long[] Shape, long[] Stride);

    private sealed class LegacyUnpickler(Dictionary<string, LegacyStorage> storages) : Unpickler
    {
        static LegacyUnpickler()
        {
            // Razorvine's constructor registry is global and PyBridge fills it for its zip reader. Wrap PyBridge's
            // tensor constructors instead of replacing them: ours handles legacy storages, anything else goes to PyBridge.
            RuntimeHelpers.RunClassConstructor(typeof(PyTorchUnpickler).TypeHandle);
            foreach (var name in new[] { "_rebuild_tensor_v2", "_rebuild_tensor" })
            {
                objectConstructors.TryGetValue("torch._utils." + name, out var inner);
                registerConstructor("torch._utils", name, new RebuildTensor(inner));
            }
        }

        protected override object persistentLoad(object pid)
        {
            // ('storage', storage_type, root_key, location, numel, view_metadata); the zip format's has no view_metadata
            if (pid is not object[] { Length: 5 or 6 } id || id[0] as string != "storage")
                throw new WeightsFormatException("Unsupported object in a legacy torch file (only tensors can be read).");
            var (dtype, size) = StorageType(((ClassDictConstructor)id[1]).name);
            string key = Convert.ToString(id[2], System.Globalization.CultureInfo.InvariantCulture)!;
            if (id.Length == 6 && id[5] is not null)
                throw new WeightsFormatException("Storage views in legacy torch files are not supported; re-save the state dict.");
            if (!storages.TryGetValue(key, out var storage))
                storages[key] = storage = new LegacyStorage(dtype, size, ToLong(id[4]));
            return storage;
        }
    }

    private sealed class RebuildTensor(IObjectConstructor? inner) : IObjectConstructor
    {
        public object construct(object[] args)
        {
            // torch._utils._rebuild_tensor[_v2](storage, storage_offset, size, stride, ...)
            if (args.Length >= 4 && args[0] is LegacyStorage storage)
                return new LegacyTensor(storage, ToLong(args[1]), Longs(args[2]), Longs(args[3]));
            return inner?.construct(args) ?? throw new PickleException("torch._utils._rebuild_tensor has no constructor registered.");
        }

        private static long[] Longs(object tuple) => ((object[])tuple).Select(ToLong).ToArray();
    }
}
