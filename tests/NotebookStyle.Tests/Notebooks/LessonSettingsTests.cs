using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class LessonSettingsTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData(null, false)]
    public void QuickModeComesFromTheEnvironment(string? value, bool quick)
    {
        var s = LessonSettings.FromEnvironment(new Dictionary<string, string?> { [NotebookEnvironment.Quick] = value });
        Assert.Equal(quick, s.Quick);
        Assert.Same(quick ? LessonSettings.QuickMode : LessonSettings.Full, s);
    }

    [Fact]
    public void QuickModeIsSmallerInEveryBudget()
    {
        var q = LessonSettings.QuickMode;
        var f = LessonSettings.Full;
        Assert.True(q.ImageSize < f.ImageSize && q.Iterations < f.Iterations && q.ExperimentSize < f.ExperimentSize && q.ExperimentIterations < f.ExperimentIterations);
    }

    [Fact]
    public void CacheFolderHonoursItsVariables()
    {
        Assert.Equal(Path.GetFullPath("/tmp/x"), NotebookEnvironment.CacheFolder(new Dictionary<string, string?> { [NotebookEnvironment.Cache] = "/tmp/x" }));
        Assert.Equal(Path.Combine("/xdg", "notebookstyle"), NotebookEnvironment.CacheFolder(new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = "/xdg" }));
    }
}
