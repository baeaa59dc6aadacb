using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>Calls a learner's function for a check: an exception becomes a failed check that names it.</summary>
internal static class LearnerCode
{
    /// <summary>The function's result, or the failed check that says what it threw.</summary>
    public static (T? Value, CheckOutcome? Failure) Call<T>(string name, Func<T> call)
    {
        try
        {
            return (call(), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            string what = ex is NotImplementedException ? "is not written yet (it throws NotImplementedException)" : $"threw {ex.GetType().Name}: {ex.Message}";
            return (default, CheckOutcome.Fail($"{name} {what}"));
        }
    }

    /// <summary>A shape as [a, b, c].</summary>
    public static string Shape(Tensor t) => Shape(t.shape);

    /// <summary>A shape as [a, b, c].</summary>
    public static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>A list in words: "a", "a and b", "a, b and c".</summary>
    public static string Words(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "nothing",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
