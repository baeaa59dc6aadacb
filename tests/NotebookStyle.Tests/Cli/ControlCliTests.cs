using NotebookStyle.Cli;
using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Cli;

/// <summary>The CLI's control options: blends, the style loss, region maps.</summary>
public class ControlCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"nstyle-ctl-{Guid.NewGuid():N}-{name}");

    private static string[] Common(string output) =>
        ["--content", TestPaths.SharedImage("golden_gate.jpg"), "--style", TestPaths.SharedImage("starry_night.jpg"), "--output", output,
         "--size", "40", "--iterations", "3", "--random-weights", "3", "--device", "cpu", "--quiet"];

    [Theory]
    [InlineData("--style-loss", "sinkhorn")]
    [InlineData("--region-blur", "0.5")]
    public void BadValuesExitTwo(string option, string value)
    {
        var (code, _, err) = Run("--content", "c.jpg", "--style", "s.jpg", "--output", "o.png", option, value);
        Assert.Equal(2, code);
        Assert.True(err.Contains(option) || err.Contains(value), err);
    }

    [Fact]
    public void BlendWeightsMustBeOnePerStyle()
    {
        string output = Temp("o.png");
        var (code, _, err) = Run([.. Common(output), "--add-style", TestPaths.SharedImage("the_scream.jpg"), "--style-blend-weights", "1,2,3"]);
        Assert.Equal(2, code);
        Assert.Contains("3 weights for 2 styles", err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void BlendsRegionsAndTheWassersteinLossRunEndToEnd()
    {
        string output = Temp("o.png"), mapFile = Temp("map.png");
        try
        {
            // Top half red (style 1), bottom half green (the photo), at another size than the content.
            using (var map = zeros(1, 3, 10, 14))
            {
                map[0, 0, ..5] = tensor(1f);
                map[0, 1, 5..] = tensor(1f);
                ImageTensor.SavePng(map, mapFile);
            }
            var blend = Run([.. Common(output), "--add-style", TestPaths.SharedImage("the_scream.jpg"), "--style-blend-weights", "0.3,0.7", "--style-loss", "wasserstein"]);
            Assert.True(blend.Code == 0, blend.Err);
            Assert.True(File.Exists(output));
            File.Delete(output);
            var regions = Run([.. Common(output), "--add-style", TestPaths.SharedImage("the_scream.jpg"), "--region-map", mapFile, "--region-styles", "ff0000=1,00ff00=none"]);
            Assert.True(regions.Code == 0, regions.Err);
            Assert.True(File.Exists(output));
            var missing = Run([.. Common(output), "--region-map", mapFile, "--region-styles", "0000ff=0"]);
            Assert.Equal(2, missing.Code);
            Assert.Contains("no colour 0000ff", missing.Err);
            var badIndex = Run([.. Common(output), "--region-map", mapFile, "--region-styles", "ff0000=4"]);
            Assert.Equal(2, badIndex.Code);
        }
        finally
        {
            File.Delete(output);
            File.Delete(mapFile);
        }
    }

    [Fact]
    public void ScaleStylesRunEndToEndAndBadLayersExitTwo()
    {
        string output = Temp("o.png");
        try
        {
            var ok = Run([.. Common(output), "--add-style", TestPaths.SharedImage("the_scream.jpg"), "--scale-styles", "0:relu1_1+relu2_1,1:relu3_1+relu4_1+relu5_1"]);
            Assert.True(ok.Code == 0, ok.Err);
            Assert.True(File.Exists(output));
            var bad = Run([.. Common(output), "--scale-styles", "0:relu9_9"]);
            Assert.Equal(2, bad.Code);
            var malformed = Run([.. Common(output), "--scale-styles", "x"]);
            Assert.Equal(2, malformed.Code);
            Assert.Contains("INDEX:LAYER", malformed.Err);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
