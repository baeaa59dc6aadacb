using System.Reflection;

namespace NotebookStyle.Notebooks;

/// <summary>
/// Plotly.NET 6 is built against FSharp.Core 10.1; the notebook kernels (Polyglot Notebooks, dotnet-repl) ship and
/// load FSharp.Core 10.0, and the runtime then fails with "Could not load file or assembly 'FSharp.Core,
/// Version=10.1.0.0'". This redirect answers any request for FSharp.Core with the one already loaded.
/// </summary>
public static class FSharpCoreRedirect
{
    private static int _installed;

    /// <summary>Installs the redirect once per process (later calls do nothing).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) => Resolve(args.Name, AppDomain.CurrentDomain.GetAssemblies());
    }

    /// <summary>The loaded FSharp.Core when <paramref name="requested"/> names FSharp.Core, else null (let others resolve it).</summary>
    public static Assembly? Resolve(string requested, IEnumerable<Assembly> loaded)
    {
        if (!string.Equals(new AssemblyName(requested).Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase)) return null;
        var present = loaded.FirstOrDefault(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase));
        if (present is not null) return present;
        // Not loaded yet (a C#-only host): the host's own copy, if it ships one.
        string beside = Path.Combine(AppContext.BaseDirectory, "FSharp.Core.dll");
        return File.Exists(beside) ? Assembly.LoadFrom(beside) : null;
    }
}
