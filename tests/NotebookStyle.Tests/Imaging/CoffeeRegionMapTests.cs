using TorchSharp;
using System.Diagnostics;
using NotebookStyle.Imaging;
using NotebookStyle.Notebooks;
using NotebookStyle.Tests.Weights;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookStyle.Tests.Imaging;

/// <summary>
/// The shipped region map images/masks/coffee-regions.png: its recipe (images/masks/coffee-regions.py, Debian's python3
/// with Pillow) makes exactly the committed file, and the library reads the three colours images/README.md documents.
/// </summary>
public class CoffeeRegionMapTests
{
    private static readonly string Masks = Path.Combine(TestPaths.RepoRoot, "images", "masks");
    private static readonly string Committed = Path.Combine(Masks, "coffee-regions.png");
    private static readonly string Recipe = Path.Combine(Masks, "coffee-regions.py");

    /// <summary>The colours and what they mark, as images/README.md and the catalogue document them.</summary>
    private static readonly Dictionary<string, string> Documented = new() { ["0000ff"] = "table", ["ff0000"] = "cup and saucer", ["00ff00"] = "coffee" };

    private static byte[] Pixels(string path, out (int Width, int Height) size)
    {
        using var image = Image.Load<Rgb24>(path);
        size = (image.Width, image.Height);
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    [PillowFact]
    public void TheRecipeMakesTheCommittedMap()
    {
        string dir = Directory.CreateTempSubdirectory("nbstyle-coffee-map").FullName;
        try
        {
            string output = Path.Combine(dir, "coffee-regions.png");
            var info = new ProcessStartInfo(ReferenceFixtures.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Recipe);
            info.ArgumentList.Add(output);
            using var process = Process.Start(info)!;
            string stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "the recipe finished within a minute");
            Assert.True(process.ExitCode == 0, "the recipe failed: " + stderr);
            var made = Pixels(output, out var madeSize);
            var committed = Pixels(Committed, out var committedSize);
            Assert.Equal(committedSize, madeSize);
            // Pixels, not bytes: another zlib may compress the same pixels differently.
            Assert.True(made.AsSpan().SequenceEqual(committed), "the recipe's pixels equal the committed map's");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheMapHasThePhotosSizeAndTheThreeDocumentedColoursInTheRightPlaces()
    {
        var pixels = Pixels(Committed, out var size);
        var photo = ImageLoader.Identify(Path.Combine(TestPaths.RepoRoot, "images", "coffee.png"));
        Assert.Equal((photo.Width, photo.Height), size);
        string At(int x, int y)
        {
            int i = (y * size.Width + x) * 3;
            return $"{pixels[i]:x2}{pixels[i + 1]:x2}{pixels[i + 2]:x2}";
        }
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < pixels.Length; i += 3)
        {
            string c = $"{pixels[i]:x2}{pixels[i + 1]:x2}{pixels[i + 2]:x2}";
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        Assert.Equal(Documented.Keys.Order(), counts.Keys.Order());
        // The coffee's surface is the recipe's ellipse (83 × 50 semi-axes): π·83·50 ≈ 13,038 pixels.
        Assert.InRange(counts["00ff00"], 12_700, 13_400);
        Assert.InRange(counts["ff0000"] / (double)pixels.Length * 3, 0.35, 0.45);
        Assert.InRange(counts["0000ff"] / (double)pixels.Length * 3, 0.50, 0.60);
        Assert.Equal("00ff00", At(287, 143));   // the middle of the coffee
        Assert.Equal("ff0000", At(277, 340));   // the saucer in front of the cup
        Assert.Equal("ff0000", At(290, 40));    // the cup's rim behind the coffee
        Assert.Equal("0000ff", At(20, 20));     // the table, top left
        Assert.Equal("0000ff", At(560, 380));   // the table, bottom right
    }

    [Fact]
    public void RegionMapLoadReadsExactlyTheDocumentedColoursWithSensibleAreas()
    {
        Torch.Ready();
        var catalog = ImageCatalog.Load(Path.Combine(TestPaths.RepoRoot, "images", "catalog.json"));
        var found = catalog.GetRegionMap("coffee-regions");   // checks the committed file's SHA-256
        Assert.Equal(Path.GetFullPath(Committed), found.Path);
        Assert.Equal("coffee", found.Entry!.Photo);
        Assert.Equal(Documented, found.Names);
        Assert.True(File.Exists(Path.Combine(catalog.Folder, found.Entry.Recipe!)));

        // At a lesson's size (the photo at 96 px on its long side): soft masks that sum to 1, areas as drawn.
        using var map = RegionMap.Load(found.Path, 64, 96, names: found.Names);
        Assert.Equal(["0000ff", "00ff00", "ff0000"], map.Colours);
        var areas = map.Colours.ToDictionary(c => map.Names[c], c => { using var m = map.Mask(c); return m.mean().ToDouble(); });
        Assert.InRange(areas["coffee"], 0.045, 0.065);
        Assert.InRange(areas["cup and saucer"], 0.35, 0.45);
        Assert.InRange(areas["table"], 0.50, 0.60);
        Assert.Equal(1.0, areas.Values.Sum(), 1e-5);
        // Masks are found by name as well as by colour.
        using var byName = map.Mask("coffee");
        using var byColour = map.Mask("#00FF00");
        Assert.True(byName.allclose(byColour, 0, 0));
        Assert.Contains("no colour 123456", Assert.Throws<NotebookStyleException>(() => map.Mask("123456")).Message);
        var unknown = Assert.Throws<NotebookStyleException>(() => map.Mask("spoon")).Message;
        Assert.Contains("no region named 'spoon'", unknown);
        Assert.Contains("0000ff (table)", unknown);
    }

    [Fact]
    public void ImagesReadmeDocumentsTheColoursAndTheCommand()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "images", "README.md"));
        foreach (var (colour, name) in Documented)
            Assert.Contains($"`{colour}` | {name}", readme);
        Assert.Contains("/usr/bin/python3 images/masks/coffee-regions.py", readme);
    }
}

/// <summary>A fact that needs Debian's python3 with Pillow: skipped where it is missing, unless CI requires it (NOTEBOOKSTYLE_REQUIRE_REFERENCE=1).</summary>
public sealed class PillowFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(ReferenceFixtures.Python)) return $"{ReferenceFixtures.Python} not found";
        var info = new ProcessStartInfo(ReferenceFixtures.Python, "-c \"import PIL\"") { RedirectStandardError = true };
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : "python3-pil is not installed: " + error.Trim();
    });

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Pillow is unavailable and not required.</summary>
    public PillowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(ReferenceFixtures.RequireVariable) == "1") return;
        if (Missing.Value is { } why) Skip = why + $" (apt-get install python3-pil; {ReferenceFixtures.RequireVariable}=1 makes this a failure)";
    }
}
