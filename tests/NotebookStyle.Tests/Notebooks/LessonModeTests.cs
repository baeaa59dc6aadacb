using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public sealed class LessonModeTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("nbstyle-mode-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private Dictionary<string, string?> Env(string? quick = null) => new()
    {
        [NotebookEnvironment.Cache] = _cache,
        [NotebookEnvironment.Quick] = quick,
    };

    [Fact]
    public void NothingSetIsFull()
    {
        var mode = new LessonMode(Env());
        Assert.Same(LessonSettings.Full, mode.Current);
        Assert.Equal("default (full)", mode.Source);
    }

    [Fact]
    public void ASwitchInACellIsWhatTheFollowingCellsGet()
    {
        var mode = new LessonMode(Env(quick: "1"));
        Assert.Same(LessonSettings.QuickMode, mode.Current);
        Assert.Same(LessonSettings.Full, mode.Use(quick: false));
        Assert.Same(LessonSettings.Full, mode.Current);
        Assert.Equal("switched in this kernel", mode.Source);
        Assert.Same(LessonSettings.QuickMode, mode.Use(quick: true));
        Assert.Same(LessonSettings.QuickMode, mode.Current);
        Assert.False(File.Exists(mode.RememberedFile)); // this lesson only unless asked
    }

    [Fact]
    public void ARememberedChoiceReachesTheNextKernelUnlessTheEnvironmentSaysOtherwise()
    {
        var first = new LessonMode(Env());
        first.Use(quick: true, forLaterLessons: true);
        Assert.Equal("quick", File.ReadAllText(first.RememberedFile).Trim());

        var next = new LessonMode(Env());
        Assert.Same(LessonSettings.QuickMode, next.Current);
        Assert.StartsWith("remembered in ", next.Source);

        var workshop = new LessonMode(Env(quick: "0")); // the environment decides where it is set
        Assert.Same(LessonSettings.Full, workshop.Current);
        Assert.True(workshop.EnvironmentDecides);

        next.Use(quick: false, forLaterLessons: true);
        Assert.Same(LessonSettings.Full, new LessonMode(Env()).Current);
        next.Forget();
        Assert.Null(new LessonMode(Env()).Remembered());
    }

    [Fact]
    public void AnUnreadableRememberedChoiceIsANamedError()
    {
        var mode = new LessonMode(Env());
        File.WriteAllText(mode.RememberedFile, "fast please");
        var ex = Assert.Throws<NotebookSetupException>(() => mode.Current);
        Assert.Contains(LessonMode.FileName, ex.Message);
        Assert.Contains("'fast please'", ex.Message);
        Assert.Contains("expected quick or full", ex.Message);
    }

    [Fact]
    public void TheKernelsModeIsWhatTheLessonsRead()
    {
        Assert.Same(LessonMode.Default.Current, LessonSettings.Current);
        Assert.Same(LessonSettings.Current, Session.Lesson);
    }
}
