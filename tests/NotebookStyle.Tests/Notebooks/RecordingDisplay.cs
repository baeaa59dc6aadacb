using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

/// <summary>A display target for tests: every output, each with the values it showed in order (the first, then each update).</summary>
public sealed class RecordingDisplay : IDisplayTarget
{
    /// <summary>The outputs shown so far.</summary>
    public List<List<object>> Outputs { get; } = [];

    /// <inheritdoc />
    public IDisplayHandle Display(object value)
    {
        var history = new List<object> { value };
        Outputs.Add(history);
        return new Handle(history);
    }

    private sealed class Handle(List<object> history) : IDisplayHandle
    {
        public void Update(object value) => history.Add(value);
    }
}
