using System.Text.Json.Nodes;
using NotebookStyle.NotebookRunner;

namespace NotebookStyle.Tests.Notebooks;

/// <summary>
/// One source, two editions: the transformation on a small notebook (stubs in, solutions and answers out for the
/// student; markers out, solutions kept for the teacher; outputs cleared, metadata kept), malformed markers as named
/// errors, and the lessons' exercises well formed (the kernel test runs them: <c>ExerciseKernelTests</c>).
/// </summary>
public class EditionsTests
{
    private const string Exercise = """
        using static TorchSharp.torch;

        Tensor Twice(Tensor x)
        {
            // BEGIN SOLUTION
            // STUB: return x; // your code here
            var y = x * 2;
            return y;
            // END SOLUTION
        }
        """;

    private static string Notebook() => new JsonObject
    {
        ["cells"] = new JsonArray(
            new JsonObject { ["cell_type"] = "markdown", ["id"] = "a", ["metadata"] = new JsonObject(),
                ["source"] = new JsonArray("Why?\n", "\n", "<details><summary>Answer</summary>\n", "\n", "Because.\n", "\n", "</details>\n", "\n", "Next.") },
            new JsonObject { ["cell_type"] = "code", ["id"] = "b", ["execution_count"] = 3,
                ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
                ["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["text"] = "old" }), ["source"] = Exercise },
            new JsonObject { ["cell_type"] = "code", ["id"] = "c", ["execution_count"] = null, ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(), ["source"] = new JsonArray("Check.Twice(Twice)") }),
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    [Fact]
    public void TheStudentGetsTheStubAndNoAnswers()
    {
        var nb = NotebookDocument.Parse(Editions.Notebook(Notebook(), "t.ipynb", student: true), "t.ipynb");
        Assert.Equal("Why?\n\nNext.", nb.Cells[0].Source);
        Assert.Equal("""
            using static TorchSharp.torch;

            Tensor Twice(Tensor x)
            {
                return x; // your code here
            }
            """, nb.Cells[1].Source);
        Assert.Empty(nb.Cells[1].Outputs);
        Assert.Null(nb.Cells[1].ExecutionCount);
        Assert.Equal("Check.Twice(Twice)", nb.Cells[2].Source);
    }

    [Fact]
    public void TheTeacherGetsTheSolutionWithoutMarkersAndTheAnswers()
    {
        string json = Editions.Notebook(Notebook(), "t.ipynb", student: false);
        var nb = NotebookDocument.Parse(json, "t.ipynb");
        Assert.Contains("<details><summary>Answer</summary>", nb.Cells[0].Source);
        Assert.Equal("""
            using static TorchSharp.torch;

            Tensor Twice(Tensor x)
            {
                var y = x * 2;
                return y;
            }
            """, nb.Cells[1].Source);
        Assert.Empty(nb.Cells[1].Outputs);
        // Metadata, ids and the notebook's own metadata stay; sources are stored as lines, as Jupyter writes them.
        var root = JsonNode.Parse(json)!;
        Assert.Equal("csharp", (string?)root["cells"]![1]!["metadata"]!["dotnet_interactive"]!["language"]);
        Assert.Equal("b", (string?)root["cells"]![1]!["id"]);
        Assert.Equal(".net-csharp", (string?)root["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal("    var y = x * 2;\n", (string?)root["cells"]![1]!["source"]![4]);
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nx;\n// END SOLUTION", "has no // STUB: line")]
    [InlineData("// BEGIN SOLUTION\n// STUB: y;\nx;", "is not closed")]
    [InlineData("x;\n// END SOLUTION", "line 2: // END SOLUTION without // BEGIN SOLUTION")]
    [InlineData("// STUB: y;", "outside a solution block")]
    [InlineData("// BEGIN SOLUTION\n// STUB: y;\n// BEGIN SOLUTION\n// END SOLUTION", "line 3: // BEGIN SOLUTION inside the solution opened on line 1")]
    public void MalformedMarkersAreNamedErrors(string source, string message)
    {
        Assert.Contains(message, Editions.Problem(source));
        var ex = Assert.Throws<InvalidDataException>(() => Editions.Code(source, student: true, "x.ipynb cell 4"));
        Assert.StartsWith("x.ipynb cell 4: ", ex.Message);
        // notebooks/check.sh reports it too (line numbers count from the cell's first line, here the library's import).
        string notebook = new JsonObject { ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "code", ["source"] = "#!import NotebookStyle.dib\n" + source, ["outputs"] = new JsonArray(),
        }) }.ToJsonString();
        Assert.Contains(NotebookLint.Check(notebook, "x"), f => f.Problem.StartsWith("solution markers: ", StringComparison.Ordinal));
    }

    [Fact]
    public void WriteMakesBothEditionsOfEveryNotebook()
    {
        string dir = Directory.CreateTempSubdirectory("notebookstyle-editions-").FullName;
        try
        {
            string source = Path.Combine(dir, "09-test.ipynb");
            File.WriteAllText(source, Notebook());
            var files = Editions.Write([source], Path.Combine(dir, "out"));
            Assert.Equal([Path.Combine(dir, "out", "student", "09-test.ipynb"), Path.Combine(dir, "out", "teacher", "09-test.ipynb")], files);
            Assert.Contains("return x; // your code here", File.ReadAllText(files[0]));
            Assert.DoesNotContain("STUB", File.ReadAllText(files[1]));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Each lesson's exercises: (lesson, the exercise cell, the check cell after it).</summary>
    public static IEnumerable<(string Lesson, NotebookCell Exercise, NotebookCell Check)> LessonExercises()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            var nb = NotebookDocument.Load(path);
            var code = nb.Cells.Where(c => c.Kind == "code").ToList();
            for (int i = 0; i < code.Count; i++)
                if (Editions.IsExercise(code[i].Source))
                    yield return (nb.Name, code[i], i + 1 < code.Count ? code[i + 1] : throw new InvalidDataException($"{nb.Name}: an exercise with no check cell after it."));
        }
    }

    [Fact]
    public void EveryLessonFrom02HasOneToThreeExercisesEachFollowedByItsCheck()
    {
        var exercises = LessonExercises().ToList();
        foreach (var lesson in new[] { "02-feature-maps", "03-losses", "04-style-transfer", "05-experiments", "06-control" })
            Assert.InRange(exercises.Count(e => e.Lesson == lesson + ".ipynb"), 1, 3);
        foreach (var (lesson, exercise, check) in exercises)
        {
            Assert.True(check.Index == exercise.Index + 1, $"{lesson} cell {exercise.Index}: the check cell must come right after the exercise.");
            Assert.StartsWith("Check.", check.Source.Trim());
            Assert.False(Editions.IsExercise(check.Source), $"{lesson} cell {check.Index}: a check cell holds no solution.");
            string student = Editions.Code(exercise.Source, student: true), teacher = Editions.Code(exercise.Source, student: false);
            Assert.NotEqual(student, teacher);
            Assert.DoesNotContain("SOLUTION", student + teacher);
            Assert.DoesNotContain("STUB", student + teacher);
            Assert.Contains("// your code here", student);
        }
    }
}
