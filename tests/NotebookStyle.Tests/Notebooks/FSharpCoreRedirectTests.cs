using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class FSharpCoreRedirectTests
{
    [Fact]
    public void AnyFSharpCoreVersionIsAnsweredWithTheLoadedOne()
    {
        var loaded = typeof(Microsoft.FSharp.Core.FSharpOption<int>).Assembly;
        var answer = FSharpCoreRedirect.Resolve("FSharp.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", [typeof(object).Assembly, loaded]);
        Assert.Same(loaded, answer);
        Assert.Null(FSharpCoreRedirect.Resolve("Plotly.NET, Version=6.0.0.0", [loaded]));
        FSharpCoreRedirect.Install();
        FSharpCoreRedirect.Install();
    }
}
