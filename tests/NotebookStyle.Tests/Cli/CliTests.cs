using System.Text.Json;
using NotebookStyle.Cli;

namespace NotebookStyle.Tests.Cli;

public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"nstyle-cli-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void MissingContentFileExitsTwoWithOneLine()
    {
        var (code, _, err) = Run("--content", "/nonexistent/c.jpg", "--style", TestPaths.SharedImage("starry_night.jpg"), "--output", Temp("o.png"));
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("not found", err);
        Assert.Contains("/nonexistent/c.jpg", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void UnreadableImageExitsTwoWithOneLine()
    {
        string bogus = Temp("bogus.jpg");
        File.WriteAllText(bogus, "this is not a JPEG");
        try
        {
            var (code, _, err) = Run("--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", bogus, "--output", Temp("o.png"));
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains("not an image", err);
        }
        finally { File.Delete(bogus); }
    }

    [Theory]
    [InlineData("--optimizer", "sgd")]
    [InlineData("--size", "-5")]
    [InlineData("--iterations", "zero")]
    [InlineData("--device", "tpu")]
    [InlineData("--preset", "wild")]
    [InlineData("--color", "sepia")]
    [InlineData("--histogram-strength", "1.5")]
    [InlineData("--style-scale", "0")]
    [InlineData("--no-such-option", "1")]
    public void BadOptionExitsTwoWithOneLine(string option, string value)
    {
        var (code, _, err) = Run("--content", "c.jpg", "--style", "s.jpg", "--output", "o.png", option, value);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public void MissingRequiredOptionExitsTwo()
    {
        var (code, _, err) = Run("--content", "c.jpg");
        Assert.Equal(2, code);
        Assert.Contains("--style", err);
    }

    [Fact]
    public void StylisesAndWritesMetrics()
    {
        string output = Temp("out.png"), metrics = Temp("m.json");
        try
        {
            var (code, stdout, err) = Run("--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", TestPaths.SharedImage("starry_night.jpg"),
                "--output", output, "--size", "48", "--iterations", "8", "--random-weights", "3", "--device", "cpu", "--metrics", metrics);
            Assert.True(code == 0, err);
            Assert.True(File.Exists(output));
            using var doc = JsonDocument.Parse(File.ReadAllText(metrics));
            var root = doc.RootElement;
            Assert.Equal(48, root.GetProperty("width").GetInt32());
            Assert.Equal(36, root.GetProperty("height").GetInt32());
            Assert.Equal("vgg19", root.GetProperty("network").GetString());
            Assert.Equal("cpu", root.GetProperty("device").GetString());
            Assert.True(root.GetProperty("evaluations").GetInt32() >= 8);
            double initial = root.GetProperty("initial").GetProperty("total").GetDouble();
            double final = root.GetProperty("final").GetProperty("total").GetDouble();
            Assert.True(final <= 0.5 * initial, $"total loss {initial} → {final}");
            // The loss curve: one entry per iteration, in order, evaluations and time growing, the loss finite and below the start.
            var history = root.GetProperty("history").EnumerateArray().ToList();
            Assert.Equal(root.GetProperty("iterations").GetInt32(), history.Count);
            for (int i = 0; i < history.Count; i++)
            {
                Assert.Equal(i + 1, history[i].GetProperty("iteration").GetInt32());
                double total = history[i].GetProperty("loss").GetProperty("total").GetDouble();
                Assert.True(double.IsFinite(total) && total < initial, $"iteration {i + 1}: loss {total} (start {initial})");
                if (i > 0)
                {
                    Assert.True(history[i].GetProperty("evaluations").GetInt32() > history[i - 1].GetProperty("evaluations").GetInt32());
                    Assert.True(history[i].GetProperty("seconds").GetDouble() >= history[i - 1].GetProperty("seconds").GetDouble());
                }
            }
            Assert.Equal(root.GetProperty("evaluations").GetInt32(), history[^1].GetProperty("evaluations").GetInt32());
            Assert.Contains("wrote", stdout);
        }
        finally
        {
            File.Delete(output);
            File.Delete(metrics);
        }
    }

    [Fact]
    public void StrongPresetTakesTheStyleAtItsScale()
    {
        string output = Temp("strong.png"), metrics = Temp("strong.json");
        try
        {
            var (code, _, err) = Run("--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", TestPaths.SharedImage("starry_night.jpg"),
                "--output", output, "--size", "48", "--iterations", "2", "--network", "resnet18", "--preset", "strong", "--metrics", metrics, "--quiet");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(File.ReadAllText(metrics));
            var root = doc.RootElement;
            Assert.Equal("strong", root.GetProperty("preset").GetString());
            Assert.Equal(1.5, root.GetProperty("styleScale").GetDouble());
        }
        finally
        {
            File.Delete(output);
            File.Delete(metrics);
        }
    }

    [Fact]
    public void TheOfflineResNetDefaultCutsTheStyleLoss()
    {
        string output = Temp("resnet.png"), metrics = Temp("resnet.json");
        try
        {
            var (code, _, err) = Run("--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", TestPaths.SharedImage("starry_night.jpg"),
                "--output", output, "--size", "96", "--iterations", "20", "--network", "resnet18", "--metrics", metrics, "--quiet");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(File.ReadAllText(metrics));
            var root = doc.RootElement;
            Assert.Equal("resnet18", root.GetProperty("network").GetString());
            Assert.Equal("default", root.GetProperty("preset").GetString());
            Assert.Equal("histogram", root.GetProperty("color").GetString());
            double initial = root.GetProperty("initial").GetProperty("style").GetDouble();
            double final = root.GetProperty("final").GetProperty("style").GetDouble();
            // Measured 87% at 96 px in 20 iterations (91% at 256 px in 150).
            Assert.True(final <= 0.2 * initial, $"style loss {initial} → {final}");
        }
        finally
        {
            File.Delete(output);
            File.Delete(metrics);
        }
    }
}
