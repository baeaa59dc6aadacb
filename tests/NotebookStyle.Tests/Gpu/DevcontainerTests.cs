using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace NotebookStyle.Tests.Gpu;

/// <summary>
/// The devcontainer configurations checked without Docker: valid against the Development Containers spec's schema
/// (../shared/schemas/devContainer.base.schema.json), and consistent with the Dockerfile and scripts they name.
/// </summary>
public class DevcontainerTests
{
    private static readonly Lazy<(JsonSchema Schema, JsonDocumentOptions Options)> Spec = new(LoadSchema);

    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.EnumerateFiles(Repo(".devcontainer"), "devcontainer.json", SearchOption.AllDirectories).Order())
            data.Add(System.IO.Path.GetRelativePath(TestPaths.RepoRoot, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void ConfigIsValidAgainstTheSpecSchema(string config)
    {
        var errors = Validate(File.ReadAllText(Repo(config)));
        Assert.True(errors.Count == 0, $"{config}:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void TheValidatorRejectsWhatTheSpecForbids()
    {
        // A GPU requirement the schema does not know, and a property that is not in the spec.
        Assert.NotEmpty(Validate("""{ "image": "x", "hostRequirements": { "gpu": "sometimes" } }"""));
        Assert.NotEmpty(Validate("""{ "image": "x", "runArgs": "--gpus all" }"""));
        Assert.NotEmpty(Validate("""{ "image": "x", "postCreateComand": "typo" }"""));
        Assert.Empty(Validate("""
            // comments are allowed (JSONC)
            { "image": "x", "hostRequirements": { "gpu": "optional" } }
            """));
    }

    [Fact]
    public void DefaultConfigUsesAGpuWhereThereIsOneAndStillOpensWithout()
    {
        using var doc = Parse(Repo(".devcontainer", "devcontainer.json"));
        var root = doc.RootElement;
        // "optional": the devcontainer CLI (which VS Code uses) adds --gpus all when Docker has the NVIDIA runtime
        // and leaves it out otherwise. A literal --gpus in runArgs would make `docker run` fail on GPU-less hosts.
        Assert.Equal("optional", root.GetProperty("hostRequirements").GetProperty("gpu").GetString());
        if (root.TryGetProperty("runArgs", out var args))
            Assert.DoesNotContain(args.EnumerateArray(), a => a.GetString()!.StartsWith("--gpus", StringComparison.Ordinal));

        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        Assert.Contains("ms-dotnettools.csharp", extensions);
        Assert.Contains("ms-dotnettools.csdevkit", extensions);
    }

    [Fact]
    public void ForcedGpuConfigPassesGpusAll()
    {
        using var doc = Parse(Repo(".devcontainer", "gpus-all", "devcontainer.json"));
        var args = doc.RootElement.GetProperty("runArgs").EnumerateArray().Select(a => a.GetString()).ToList();
        int i = args.IndexOf("--gpus");
        Assert.True(i >= 0 && i + 1 < args.Count && args[i + 1] == "all", string.Join(" ", args));
        // No hostRequirements.gpu here: where the CLI detects a GPU it would add a second --gpus all.
        Assert.False(doc.RootElement.GetProperty("hostRequirements").TryGetProperty("gpu", out _));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void ConfigNamesFilesThatExist(string config)
    {
        string dir = System.IO.Path.GetDirectoryName(Repo(config))!;
        using var doc = Parse(Repo(config));
        var build = doc.RootElement.GetProperty("build");
        string context = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, build.TryGetProperty("context", out var c) ? c.GetString()! : "."));
        Assert.True(File.Exists(System.IO.Path.Combine(dir, build.GetProperty("dockerfile").GetString()!)), "dockerfile");
        Assert.True(Directory.Exists(context), "context");

        // postCreateCommand runs in the workspace folder (the repository root).
        string postCreate = doc.RootElement.GetProperty("postCreateCommand").GetString()!;
        var script = Regex.Match(postCreate, @"[\w./-]+\.sh");
        Assert.True(script.Success, postCreate);
        Assert.True(File.Exists(Repo(script.Value)), script.Value);
    }

    [Fact]
    public void DockerfileBaseHasTheLibStdCxxTorchSharpNeeds()
    {
        // libLibTorchSharp.so (TorchSharp 0.107) needs GLIBCXX_3.4.32 = GCC 13's libstdc++: Ubuntu 24.04 has it,
        // Ubuntu 22.04 and Debian 12 do not. The CUDA runtime base must match the libtorch build (CUDA 12.x).
        string dockerfile = File.ReadAllText(Repo(".devcontainer", "Dockerfile"));
        var from = Regex.Matches(dockerfile, @"^FROM (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, from.Count);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:10\.0-noble$", from[0]);
        Assert.Matches(@"^nvidia/cuda:12\.8\.\d+-(cudnn-)?runtime-ubuntu24\.04$", from[1]);
        Assert.Contains("COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet", dockerfile);
        Assert.Contains("GLIBCXX_3\\.4\\.32", dockerfile); // the build itself checks the libstdc++ version
    }

    private static string Repo(params string[] parts) => System.IO.Path.Combine([TestPaths.RepoRoot, .. parts]);

    private static List<string> Validate(string jsonc)
    {
        var (schema, options) = Spec.Value;
        using var doc = JsonDocument.Parse(jsonc, options);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no details)")
            .ToList();
    }

    private static JsonDocument Parse(string path) => JsonDocument.Parse(File.ReadAllText(path), Spec.Value.Options);

    private static (JsonSchema, JsonDocumentOptions) LoadSchema()
    {
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(TestPaths.SharedImages, "..", "schemas", "devContainer.base.schema.json"));
        if (!File.Exists(path))
            throw new FileNotFoundException($"The Development Containers spec's schema is missing: {path} (../shared must be beside the repository).", path);
        string text = File.ReadAllText(path);
        using var raw = JsonDocument.Parse(text);
        // devcontainer.json is JSONC: the schema itself says whether comments and trailing commas are allowed.
        bool comments = !raw.RootElement.TryGetProperty("allowComments", out var ac) || ac.GetBoolean();
        bool trailing = raw.RootElement.TryGetProperty("allowTrailingCommas", out var at) && at.GetBoolean();
        var options = new JsonDocumentOptions
        {
            CommentHandling = comments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            AllowTrailingCommas = trailing,
        };
        // The schema carries VS Code's editor keywords (deprecationMessage, markdownDescription, …); JSON Schema 2019-09
        // says unknown keywords are ignored, JsonSchema.Net 8 refuses them unless the dialect allows them.
        var dialectId = new Uri(raw.RootElement.GetProperty("$schema").GetString()!);
        Assert.Equal("https://json-schema.org/draft/2019-09/schema", dialectId.ToString());
        var dialect = Dialect.Draft201909.With([], id: dialectId, refIgnoresSiblingKeywords: null, allowUnknownKeywords: true);
        var dialects = new DialectRegistry();
        dialects.Register(dialect);
        var build = new BuildOptions { Dialect = dialect, DialectRegistry = dialects, SchemaRegistry = new SchemaRegistry() };
        return (JsonSchema.FromText(text, build), options);
    }
}
