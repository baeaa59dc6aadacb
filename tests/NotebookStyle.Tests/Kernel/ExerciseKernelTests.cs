using NotebookStyle.NotebookRunner;
using NotebookStyle.Tests.Notebooks;
using Xunit.Abstractions;

namespace NotebookStyle.Tests.Kernel;

/// <summary>
/// Every exercise of the lessons, as a learner runs it, in a real notebook kernel (quick mode, the offline network):
/// the student edition's stub, then the check cell, which must fail with its "✘" line — a check that passes on an
/// empty answer is a defect — then the teacher edition's solution and the same check, which must answer "✔".
/// Each lesson contributes its first cells (the library, the session) and, where its checks need the lesson's network
/// and images, the cell that loads them (the first that calls <c>Session.LoadNetwork()</c>); the exercises are
/// written to need nothing else.
/// </summary>
public class ExerciseKernelTests(ITestOutputHelper output)
{
    private const string Import = "#!import NotebookStyle.dib";
    private const string Start = "using NotebookStyle.Notebooks;\nawait Session.StartAsync();";

    [Fact]
    public void EveryStudentCheckFailsOnItsStubAndPassesOnTheSolution()
    {
        var cells = new List<string> { Import, Start };
        var expected = new List<(int Cell, string What, bool Pass)>();
        foreach (var lesson in EditionsTests.LessonExercises().GroupBy(e => e.Lesson))
        {
            var nb = NotebookDocument.Load(Path.Combine(TestPaths.RepoRoot, "notebooks", lesson.Key));
            if (nb.Cells.FirstOrDefault(c => c.Kind == "code" && c.Source.Contains("Session.LoadNetwork()", StringComparison.Ordinal)) is { } context
                && lesson.Any(e => e.Check.Source.Contains("net,", StringComparison.Ordinal)))
                cells.Add(context.Source);
            foreach (var (_, exercise, check) in lesson)
            {
                string what = $"{lesson.Key} cell {check.Index} ({check.Source.Trim()})";
                cells.Add(Editions.Code(exercise.Source, student: true));
                cells.Add(check.Source);
                expected.Add((cells.Count - 1, what + " on the stub", false));
                cells.Add(Editions.Code(exercise.Source, student: false));
                cells.Add(check.Source);
                expected.Add((cells.Count - 1, what + " on the solution", true));
            }
        }
        // The paintings as notebooks/run.sh gives them (offline every painting falls back to one picture, and lesson 06's
        // check says so instead of measuring).
        var environment = new Dictionary<string, string> { ["NOTEBOOKSTYLE_NETWORK"] = "resnet18" };
        if (Directory.Exists(TestPaths.SharedImages)) environment["NOTEBOOKSTYLE_IMAGES"] = TestPaths.SharedImages;
        var run = KernelHarness.Run(cells, environment, timeout: TimeSpan.FromMinutes(8));
        Assert.True(run.ExitCode is not null, "the kernel timed out: " + run);
        var checkCells = expected.Select(e => e.Cell).ToHashSet();
        // Nothing but a failing check may fail: every exercise compiles, stub and solution alike.
        Assert.True(!run.Errors.Any(e => !checkCells.Contains(e.Cell)), run.ToString());
        foreach (var (cell, what, pass) in expected)
        {
            string text = run.TextOf(cell);
            output.WriteLine($"{what}:\n    {text.Replace("\n", "\n    ")}");
            var error = run.Errors.FirstOrDefault(e => e.Cell == cell);
            if (pass)
            {
                Assert.True(error is null, $"{what} failed: {error?.Text}\n{run}");
                Assert.StartsWith("✔ ", text.Trim());
            }
            else
            {
                Assert.True(error is not null, $"{what} did not fail: {text}");
                Assert.Contains("ExerciseCheckException: ✘ ", error.Text);
            }
        }
    }
}
