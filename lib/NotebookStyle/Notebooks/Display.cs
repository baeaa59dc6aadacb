using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

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

/// <summary>
/// The running notebook kernel's <c>display(x)</c> / <c>.Update(y)</c>, with the output's id given by this library: the
/// .NET Interactive Jupyter kernel (1.0.712001) sends <c>Kernel.display</c>'s first output with a fresh Jupyter
/// <c>display_id</c> and its updates with the handle's own id, so a Jupyter front end drops every update (the browser
/// test found it). Publishing the display event with an explicit value id makes both messages carry the same id, in
/// Jupyter and in Polyglot Notebooks alike.
/// </summary>
public sealed class KernelDisplay : IDisplayTarget
{
    /// <summary>The one instance.</summary>
    public static KernelDisplay Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="NotebookSetupException">No notebook cell is running.</exception>
    public IDisplayHandle Display(object value)
    {
        var context = KernelInvocationContext.Current ?? throw new NotebookSetupException("No notebook cell is running: a display needs one.");
        string id = Guid.NewGuid().ToString("N");
        context.Publish(new DisplayedValueProduced(value, context.Command, FormattedValue.CreateManyFromObject(value), id));
        return new Handle(context, id);
    }

    private sealed class Handle(KernelInvocationContext shownIn, string id) : IDisplayHandle
    {
        public void Update(object value)
        {
            var context = KernelInvocationContext.Current ?? shownIn;
            context.Publish(new DisplayedValueUpdated(value, id, context.Command, FormattedValue.CreateManyFromObject(value)));
        }
    }
}
