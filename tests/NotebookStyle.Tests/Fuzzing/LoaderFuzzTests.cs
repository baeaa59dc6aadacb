using NotebookStyle.Imaging;

namespace NotebookStyle.Tests.Fuzzing;

/// <summary>
/// The image loader against seeded mutations of valid images (byte-level and structure-aware): every input must end
/// as loaded or refused with one of the loader's named exceptions — no other exception, no hang. The longer run is
/// <c>NotebookStyle.Benchmarks fuzz</c> (tests/benchmarks/README.md).
/// </summary>
public class LoaderFuzzTests
{
    [Fact]
    public void MutatedImagesAreLoadedOrRefusedByName()
    {
        var fuzzer = new LoaderFuzzer(seed: 20261129, perInputLimit: TimeSpan.FromSeconds(10));
        // A fixed number of inputs (the same ones every run); the time budget only guards a very slow machine.
        fuzzer.Run(count: 15_000, budget: TimeSpan.FromSeconds(50));

        Assert.True(fuzzer.Unexpected.Count == 0, string.Join("\n", fuzzer.Unexpected));
        Assert.True(fuzzer.Inputs >= 2000, $"only {fuzzer.Inputs} inputs in the budget");
        // The mutations reach both ends: some inputs still load, most are refused, by more than one named exception.
        Assert.True(fuzzer.Outcomes.GetValueOrDefault("loaded") > 0, string.Join(", ", fuzzer.Outcomes));
        Assert.True(fuzzer.Outcomes.GetValueOrDefault("UnreadableImageException") > 0, string.Join(", ", fuzzer.Outcomes));
        Assert.Equal(ImageMutator.Kinds.Count, fuzzer.Kinds.Count);
    }

    [Fact]
    public void TheSameSeedGivesTheSameInputs()
    {
        var corpus = FuzzCorpus.Create();
        var a = new ImageMutator(7);
        var b = new ImageMutator(7);
        for (int i = 0; i < 200; i++)
            Assert.Equal(a.Mutate(corpus[i % corpus.Count], corpus).Bytes, b.Mutate(corpus[i % corpus.Count], corpus).Bytes);
    }

    [Theory]
    [InlineData("interlaced-hang-seed1-input6974.png")]
    [InlineData("interlaced-hang-seed1-input19054.png")]
    [InlineData("interlaced-hang-seed1-input49994.png")]
    public async Task InterlacedPngsWhosePixelDataBreaksOffAreRefusedNotHung(string name)
    {
        // Found by the 100,000-input run (seed 1): an Adam7 PNG whose IDAT stops inflating part-way (one flipped bit)
        // made ImageSharp 2.1.13 loop forever. Without the check this test fails by timing out.
        byte[] bytes = File.ReadAllBytes(Imaging.ImagingFiles.Fixture(Path.Combine("fuzz", name)));
        var load = Task.Run(() => Assert.Throws<UnreadableImageException>(() => ImageLoader.Load(bytes, name)));
        var error = await load.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("stops inflating", error.Message);
    }
}
