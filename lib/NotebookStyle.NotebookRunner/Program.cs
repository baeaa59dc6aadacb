// Runs the lesson notebooks headless, or checks the committed ones.
//   run:   NotebookStyle.NotebookRunner [--timeout SECONDS] [--out DIR] [NOTEBOOK...]
//   check: NotebookStyle.NotebookRunner --check [NOTEBOOK...]   (lint, and docs/lessons: each page's code cells are its notebook's)
//   render: NotebookStyle.NotebookRunner --render DIR [--out RUN]   (Markdown + PNGs of the executed lessons in RUN)
//   editions: NotebookStyle.NotebookRunner --editions DIR [NOTEBOOK...]   (DIR/student: stubs, no answers; DIR/teacher: solutions)
// Default notebooks: notebooks/*.ipynb under the repository root (the folder holding NotebookStyle.sln).
// Each notebook runs with dotnet-repl (repository tool manifest) from its own folder, under a timeout; the executed
// notebook goes to OUT/notebooks/, its pictures to OUT/images/NAME/. Prints "N passed, N failed"; exit 1 on any failure.
using NotebookStyle.NotebookRunner;

var options = RunnerOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: NotebookStyle.NotebookRunner [--check | --render DIR | --editions DIR] [--timeout SECONDS] [--out DIR] [NOTEBOOK...]");
    return 2;
}
string root = RunnerOptions.FindRepositoryRoot(Directory.GetCurrentDirectory());
if (options.Render is { } renderTo)
{
    string runDir = Path.GetFullPath(options.Out ?? Path.Combine(root, "out"));
    try
    {
        var files = LessonRenderer.RenderAll(runDir, Path.GetFullPath(renderTo));
        Console.WriteLine($"rendered {files.Count(f => f.EndsWith(".md", StringComparison.Ordinal))} pages and {files.Count(f => f.EndsWith(".png", StringComparison.Ordinal))} pictures from {runDir} into {Path.GetFullPath(renderTo)}");
        return 0;
    }
    catch (DirectoryNotFoundException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}
var notebooks = options.Notebooks.Count > 0
    ? options.Notebooks.Select(Path.GetFullPath).ToList()
    : Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal).ToList();
if (notebooks.Count == 0)
{
    Console.Error.WriteLine($"No notebooks found under {Path.Combine(root, "notebooks")}.");
    return 2;
}

if (options.Editions is { } editionsTo)
{
    try
    {
        var written = Editions.Write(notebooks, Path.GetFullPath(editionsTo));
        int exercises = notebooks.Sum(nb => NotebookDocument.Load(nb).Cells.Count(c => c.Kind == "code" && Editions.IsExercise(c.Source)));
        Console.WriteLine($"wrote {written.Count / 2} notebooks ({exercises} exercises) into {Path.Combine(Path.GetFullPath(editionsTo), "student")} " +
                          $"and {Path.Combine(Path.GetFullPath(editionsTo), "teacher")}");
        return 0;
    }
    catch (InvalidDataException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 1;
    }
}

int passed = 0, failed = 0;
if (options.Check)
{
    foreach (var nb in notebooks)
    {
        var findings = NotebookLint.Check(File.ReadAllText(nb), Path.GetFileName(nb));
        foreach (var f in findings) Console.WriteLine($"FAIL {f}");
        if (findings.Count == 0) { passed++; Console.WriteLine($"ok   {Path.GetFileName(nb)}"); }
        else failed++;
    }
    // The rendered pages (docs/lessons) must be the notebooks' render: the same code cells, and a link from each notebook.
    var pageFindings = RenderedPages.Check(notebooks, Path.Combine(root, RenderedPages.Folder), all: options.Notebooks.Count == 0);
    foreach (var f in pageFindings) Console.WriteLine($"FAIL {f}");
    if (pageFindings.Count == 0) { passed++; Console.WriteLine($"ok   {RenderedPages.Folder}: every page's code cells are its notebook's"); }
    else failed++;
}
else
{
    string outDir = Path.GetFullPath(options.Out ?? Path.Combine(root, "out"));
    var lessons = new List<LessonRun>();
    foreach (var nb in notebooks)
    {
        var result = NotebookExecution.Run(nb, outDir, options.Timeout, root);
        Console.WriteLine(result.Summary());
        if (result.Passed) passed++; else failed++;
        lessons.Add(new LessonRun(result.Name, result.Passed, result.Elapsed.TotalSeconds, result.Pictures));
    }
    RunRecord.FromEnvironment(lessons).Save(outDir);
    Console.WriteLine($"executed notebooks: {Path.Combine(outDir, "notebooks")}; pictures: {Path.Combine(outDir, "images")}");
}
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
