using System.Buffers.Binary;
using System.Collections;
using System.Formats.Tar;
using System.Globalization;
using System.Runtime.CompilerServices;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookStyle.Weights;

/// <summary>
/// Reads a state dict in torch's original tar format (PyTorch 0.1.x, before March 2017; likely the format of
/// jcjohnson's <c>vgg19-d01eb7cb.pth</c>). The layout, as torch 1.13's <c>_legacy_load</c> still reads it: a tar with
/// <c>storages</c> (pickled count; per storage a pickled (key, location, storage type), an int64 element count and the
/// raw bytes; then a pickled list of storage views), <c>tensors</c> (pickled count; per tensor a pickled (key, storage
/// key, type), int32 rank, 4 padding bytes, int64 sizes, strides and offset) and <c>pickle</c> (the state dict, whose
/// tensors are persistent ids naming tensor keys). Tar entries are read with System.Formats.Tar, pickles with
/// Razorvine.Pickle.
/// </summary>
public static class TorchTarFile
{
    /// <summary>Whether <paramref name="head"/> (at least 262 bytes of the file) is a tar header.</summary>
    public static bool Recognise(ReadOnlySpan<byte> head) => head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8);

    /// <summary>Reads every tensor of the state dict in <paramref name="path"/>; the caller disposes them.</summary>
    /// <exception cref="WeightsTruncatedException">The tar or an entry ends early.</exception>
    /// <exception cref="WeightsFormatException">Entries missing or not in torch's layout.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        string name = Path.GetFileName(path);
        var storages = new Dictionary<long, Tensor>();
        var tensors = new Dictionary<long, Tensor>();
        byte[]? pickle = null, tensorTable = null;
        bool sawStorages = false;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var tar = new TarReader(file);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                switch (entry.Name)
                {
                    case "pickle": pickle = ReadAll(entry.DataStream, entry.Length); break;
                    case "tensors": tensorTable = ReadAll(entry.DataStream, entry.Length); break;
                    case "storages": ReadStorages(entry.DataStream, storages, name, entry.Length); sawStorages = true; break;
                }
            }
            if (pickle is null || tensorTable is null || !sawStorages)
                throw new WeightsFormatException($"{name}: a tar without torch's pickle, tensors and storages entries is not a torch.save file.");

            using (var table = new MemoryStream(tensorTable))
            {
                long count = Convert.ToInt64(Load(table));
                Span<byte> word = stackalloc byte[8];
                for (long i = 0; i < count; i++)
                {
                    var args = (object[])Load(table);
                    long key = Key(args[0]), storageKey = Key(args[1]);
                    table.ReadExactly(word[..8]); // int32 rank, then 4 bytes of padding
                    int rank = BinaryPrimitives.ReadInt32LittleEndian(word);
                    var sizes = Longs(table, rank);
                    var strides = Longs(table, rank);
                    long offset = Longs(table, 1)[0];
                    if (!storages.TryGetValue(storageKey, out var storage))
                        throw new WeightsFormatException($"{name}: tensor {key} refers to storage {storageKey}, which is not in the file.");
                    if (!Fits(sizes, strides, offset, storage.shape[0]))
                        throw new WeightsFormatException($"{name}: tensor {key} claims shape {Vgg19Parameter.Format(sizes)}, more than its storage of {storage.shape[0]:N0} elements holds.");
                    tensors[key] = storage.as_strided(sizes, strides, offset);
                }
            }

            using var unpickler = new TarUnpickler(tensors);
            if (unpickler.load(new MemoryStream(pickle)) is not IDictionary stateDict)
                throw new WeightsFormatException($"{name}: the file holds no state dict (save model.state_dict(), not the model).");
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry e in stateDict)
                if (e.Value is Tensor t) result[(string)e.Key] = t.alias();
            return result;
        }
        catch (Exception e) when (e is EndOfStreamException || (e is InvalidDataException && e.Message.Contains("end", StringComparison.OrdinalIgnoreCase)))
        {
            throw new WeightsTruncatedException($"{name} is truncated: its tar data ends early. Download or copy it again.", e);
        }
        catch (Exception e) when (e is not NotebookStyleException)
        {
            throw new WeightsFormatException($"{name}: cannot read it as a torch tar file ({LegacyTorchFile.Reason(e)}).", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
            foreach (var t in storages.Values) t.Dispose();
        }
    }

    private static void ReadStorages(Stream stream, Dictionary<long, Tensor> storages, string name, long available)
    {
        long count = Convert.ToInt64(Load(stream));
        Span<byte> word = stackalloc byte[8];
        for (long i = 0; i < count; i++)
        {
            var args = (object[])Load(stream);
            long key = Key(args[0]);
            var (dtype, size) = LegacyTorchFile.StorageType(((ClassDictConstructor)args[2]).name);
            stream.ReadExactly(word);
            long numel = BinaryPrimitives.ReadInt64LittleEndian(word);
            if (numel < 0 || numel > available / size) // checked before anything is allocated
                throw new WeightsFormatException($"{name}: storage {key} claims {numel:N0} elements of {size} bytes, more than its {available:N0}-byte tar entry holds.");
            var bytes = new byte[checked(numel * size)];
            stream.ReadExactly(bytes);
            var storage = empty(numel, dtype);
            storage.bytes = bytes;
            storages[key] = storage;
        }
        if (Load(stream) is IEnumerable views)
            foreach (object[] view in views) // (target key, root key, offset, numel)
            {
                if (!storages.TryGetValue(Key(view[1]), out var root))
                    throw new WeightsFormatException($"{name}: a storage view refers to a missing storage.");
                storages[Key(view[0])] = root.narrow(0, Convert.ToInt64(view[2]), Convert.ToInt64(view[3]));
            }
    }

    /// <summary>Whether a view of <paramref name="sizes"/>, <paramref name="strides"/> and <paramref name="offset"/> stays inside <paramref name="numel"/> elements.</summary>
    private static bool Fits(long[] sizes, long[] strides, long offset, long numel)
    {
        if (sizes.Any(d => d < 0) || strides.Any(d => d < 0) || offset < 0) return false;
        if (sizes.Any(d => d == 0)) return true;
        try
        {
            long last = offset;
            for (int i = 0; i < sizes.Length; i++) last = checked(last + (sizes[i] - 1) * strides[i]);
            return last < numel;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static byte[] ReadAll(Stream stream, long length)
    {
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static long[] Longs(Stream stream, int count)
    {
        if (count is < 0 or > 64) throw new WeightsFormatException($"A tensor of rank {count} is not plausible; the file is damaged.");
        var bytes = new byte[8 * count];
        stream.ReadExactly(bytes);
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i))).ToArray();
    }

    private static long Key(object o) => o is string s ? long.Parse(s, CultureInfo.InvariantCulture) : Convert.ToInt64(o, CultureInfo.InvariantCulture);

    private static object Load(Stream stream)
    {
        using var unpickler = new Unpickler();
        return unpickler.load(stream);
    }

    private sealed class TarUnpickler(Dictionary<long, Tensor> tensors) : Unpickler
    {
        // collections.OrderedDict is constructed by the constructor PyBridge registers.
        static TarUnpickler() => RuntimeHelpers.RunClassConstructor(typeof(PyTorchUnpickler).TypeHandle);

        protected override object persistentLoad(object pid) =>
            tensors.TryGetValue(Key(pid), out var t) ? t : throw new WeightsFormatException($"Tensor {pid} is not in the file.");
    }
}
