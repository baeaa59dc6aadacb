using System.Diagnostics;
using NotebookStyle.Imaging;

namespace NotebookStyle.Tests.Fuzzing;

/// <summary>
/// Feeds mutated images to <see cref="ImageLoader"/> and sorts each outcome: loaded, refused with one of the loader's
/// named exceptions, or unexpected (any other exception, or no answer within the time limit: a hang). Used by the
/// bounded unit test and by the long run in the benchmarks (<c>NotebookStyle.Benchmarks fuzz</c>).
/// </summary>
public sealed class LoaderFuzzer(int seed, TimeSpan perInputLimit)
{
    /// <summary>The budget the fuzzed loads run under: small, so that a mutated header cannot ask for a long decode.</summary>
    public static readonly ImageLoadOptions Options = new(MaxPixels: 1_000_000, MaxFileBytes: 4L << 20);

    /// <summary>Counts per outcome ("loaded", "UnreadableImageException", ..., "unexpected ...", "hang").</summary>
    public SortedDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts per mutation kind.</summary>
    public SortedDictionary<string, int> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>The first few unexpected outcomes: kind, seed index and what happened.</summary>
    public List<string> Unexpected { get; } = [];

    /// <summary>Inputs tried so far.</summary>
    public int Inputs { get; private set; }

    /// <summary>The slowest single load.</summary>
    public TimeSpan Slowest { get; private set; }

    /// <summary>
    /// Tries up to <paramref name="count"/> inputs, stopping early when <paramref name="budget"/> is spent. With
    /// <paramref name="only"/>, the inputs are made in the same sequence but only the chosen indices are loaded (to
    /// replay a few); <paramref name="keep"/> receives each unexpected input's index and bytes.
    /// </summary>
    public void Run(int count, TimeSpan budget, IProgress<int>? progress = null, Func<int, bool>? only = null, Action<int, byte[]>? keep = null)
    {
        var corpus = FuzzCorpus.Create();
        var mutator = new ImageMutator(seed);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count && clock.Elapsed < budget; i++)
        {
            var (bytes, kind) = mutator.Mutate(corpus[i % corpus.Count], corpus);
            if (only is not null && !only(i)) continue;
            Count(Kinds, kind.Split('+')[0]);
            string outcome = Try(bytes, out TimeSpan took);
            if (took > Slowest) Slowest = took;
            Count(Outcomes, outcome);
            if (outcome.StartsWith("unexpected", StringComparison.Ordinal) || outcome == "hang")
            {
                if (Unexpected.Count < 20) Unexpected.Add($"input {i} ({kind}): {outcome}");
                keep?.Invoke(i, bytes);
            }
            Inputs++;
            if (progress is not null && Inputs % 1000 == 0) progress.Report(Inputs);
        }
    }

    private string Try(byte[] bytes, out TimeSpan took)
    {
        var clock = Stopwatch.StartNew();
        var load = Task.Run(() =>
        {
            try
            {
                using var image = ImageLoader.Load(bytes, "fuzzed", Options);
                return "loaded";
            }
            catch (Exception ex) when (ex is UnreadableImageException or UnsupportedImageException or ImageTooLargeException)
            {
                return ex.GetType().Name;
            }
            catch (Exception ex)
            {
                return $"unexpected {ex.GetType().Name}: {ex.Message}";
            }
        });
        bool finished = load.Wait(perInputLimit);
        took = clock.Elapsed;
        return finished ? load.Result : "hang";
    }

    private static void Count(SortedDictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
