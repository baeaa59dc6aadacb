namespace NotebookStyle.Tests.Cli;

/// <summary>The bad-input matrix, part 1: cases refused before any network is loaded (a fraction of a second each).</summary>
[Trait("Category", "Matrix")]
public class BadInputMatrixTests
{
    [LinuxTheory]
    [MemberData(nameof(BadInputMatrix.Fast), MemberType = typeof(BadInputMatrix))]
    public Task RefusedBeforeTheNetworkLoads(string name) => BadInputMatrixRunner.Check(name);

    [Fact]
    public void TheMatrixHasAtLeastFortyCases() => Assert.True(BadInputMatrix.ByName.Count >= 40, $"{BadInputMatrix.ByName.Count} cases");
}

/// <summary>
/// The bad-input matrix, part 2: cases that load the ResNet18 default and optimise a little (32–64 px), signals among
/// them. A separate class so that xunit runs it beside part 1.
/// </summary>
[Trait("Category", "Matrix")]
public class RunningBadInputMatrixTests
{
    [LinuxTheory]
    [MemberData(nameof(BadInputMatrix.Running), MemberType = typeof(BadInputMatrix))]
    public Task HandledOnceTheNetworkRuns(string name) => BadInputMatrixRunner.Check(name);
}
