using Microsoft.DotNet.Interactive;

namespace NotebookStyle.Notebooks;

/// <summary>Something that shows values and can replace them in place (the notebook kernel, or a test double).</summary>
public interface IDisplayTarget
{
    /// <summary>Shows <paramref name="value"/> as a new output.</summary>
    IDisplayHandle Display(object value);
}

/// <summary>An output that can be replaced in place.</summary>
public interface IDisplayHandle
{
    /// <summary>Replaces the output with <paramref name="value"/>.</summary>
    void Update(object value);
}

/// <summary>The running notebook kernel's <c>display(x)</c> / <c>.Update(y)</c>.</summary>
public sealed class KernelDisplay : IDisplayTarget
{
    /// <summary>The one instance.</summary>
    public static KernelDisplay Instance { get; } = new();

    /// <inheritdoc />
    public IDisplayHandle Display(object value) => new Handle(Kernel.display(value));

    private sealed class Handle(Microsoft.DotNet.Interactive.Formatting.DisplayedValue shown) : IDisplayHandle
    {
        public void Update(object value) => shown.Update(value);
    }
}
