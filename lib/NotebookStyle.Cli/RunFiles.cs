namespace NotebookStyle.Cli;

/// <summary>A file a run reads: the option that named it and the path as given (<c>-</c>: standard input).</summary>
internal sealed record RunInput(string Option, string Path);

/// <summary>
/// The one place that knows every file a stylise run reads (--content, --style, each --add-style, --region-map,
/// --weights) and every file it writes (--output, --metrics), and checks them against each other before anything is
/// read or loaded: no written file may be a read one (same path, another spelling, a symbolic or hard link: the same
/// file), no two written files the same, at most one input from standard input.
/// </summary>
internal static class RunFiles
{
    /// <summary>Every input of <paramref name="request"/>, in the order they are read.</summary>
    public static IReadOnlyList<RunInput> Inputs(StylizeRequest request)
    {
        var inputs = new List<RunInput> { new("--content", request.Content), new("--style", request.Style) };
        inputs.AddRange(request.Control.ExtraStyles.Select(path => new RunInput("--add-style", path)));
        if (request.Control.RegionMap is { } map) inputs.Add(new RunInput("--region-map", map));
        if (request.NetworkOptions.WeightsPath is { } weights) inputs.Add(new RunInput("--weights", weights));
        return inputs;
    }

    /// <summary>Refuses any written file that is a read one or another written one, and a second reader of standard input.</summary>
    /// <exception cref="NotebookStyleException">The message names both options and the file.</exception>
    public static void Check(IReadOnlyList<RunInput> inputs, IReadOnlyList<OutputTarget> outputs)
    {
        var fromStdin = inputs.Where(i => i.Path == InputImage.StandardInput).ToList();
        if (fromStdin.Count > 1)
            throw new NotebookStyleException($"{fromStdin[0].Option} and {fromStdin[1].Option} cannot both read standard input (-); it can be read once.");
        if (fromStdin.FirstOrDefault(i => i.Option == "--weights") is not null)
            throw new NotebookStyleException("--weights cannot read standard input (-); give the weights file.");
        foreach (var output in outputs)
            foreach (var input in inputs)
                if (input.Path != InputImage.StandardInput && output.Replaces(input.Path))
                    throw new NotebookStyleException($"{output.Option} {output.Requested} is the {input.Option} file; refusing to overwrite an input.");
        for (int i = 0; i < outputs.Count; i++)
            for (int j = i + 1; j < outputs.Count; j++)
                if (outputs[j].SameFileAs(outputs[i]))
                    throw new NotebookStyleException($"{outputs[j].Option} {outputs[j].Requested} is the {outputs[i].Option} file; give each its own file.");
    }
}
