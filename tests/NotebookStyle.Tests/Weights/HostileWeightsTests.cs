using NotebookStyle.Models;
using NotebookStyle.Tests.Cli;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Weights;

/// <summary>
/// Weights files that claim more than they hold, or hold NaN: refused by the readers in one sentence before anything is
/// allocated (issue 27), in process and without the CLI.
/// </summary>
public sealed class HostileWeightsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ns-hostile-" + Guid.NewGuid().ToString("N"));

    public HostileWeightsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(1L << 31, "claims 2,147,483,648 elements")]
    [InlineData(1L << 62, "claims 4,611,686,018,427,387,904 elements")]
    public void ALegacyStorageClaimingMoreThanTheFileIsRefused(long numel, string says)
    {
        Torch.Ready();
        string path = Write("claims.pth", MatrixFixtures.LegacyTorchClaiming(numel));
        var ex = Assert.Throws<WeightsFormatException>(() => PyTorchReader.ReadStateDict(path));
        Assert.Contains(says, ex.Message);
    }

    [Fact]
    public void AZipTensorClaimingATerabyteIsRefusedBeforeTheZipReader()
    {
        Torch.Ready();
        string path = Write("claims.pth", MatrixFixtures.ZipPthClaiming([1048576, 1048576]));
        var ex = Assert.Throws<WeightsFormatException>(() => PyTorchReader.ReadStateDict(path));
        Assert.Contains("claims shape [1048576, 1048576]", ex.Message);
        Assert.DoesNotContain("frame #", ex.Message);
    }

    [Fact]
    public void ASafetensorsShapeWhoseProductOverflowsIsRefused()
    {
        string path = Write("claims.safetensors", MatrixFixtures.SafetensorsClaiming([1L << 40, 1L << 40]));
        var ex = Assert.Throws<WeightsFormatException>(() => SafetensorsReader.ReadHeader(path));
        Assert.Contains("data_offsets span 4 bytes", ex.Message);
    }

    [Fact]
    public void NaNWeightsAreRefusedAtLoadNamingTheLayer()
    {
        string path = Write("nan.safetensors", MatrixFixtures.Vgg19SafetensorsWithNan());
        Torch.Ready();
        using var model = new Vgg19(Pooling.Max);
        var ex = Assert.Throws<WeightsNonFiniteException>(() => Vgg19Weights.LoadInto(model, path, WeightFormat.Safetensors));
        Assert.Equal("block1_conv1", ex.Layer);
        Assert.Contains("1 NaN or infinite values", ex.Message);
    }
}
