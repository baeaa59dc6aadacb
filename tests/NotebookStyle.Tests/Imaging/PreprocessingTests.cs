using NotebookStyle.Imaging;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Imaging;

public class PreprocessingTests
{
    public static TheoryData<string> Names => new() { "caffe", "torchvision", "cntk" };

    [Theory]
    [MemberData(nameof(Names))]
    public void InvertUndoesApply(string name)
    {
        Torch.Ready();
        var pre = Preprocessing.Parse(name);
        using var g = new TorchSharp.torch.Generator(42);
        using var rgb = rand([2, 3, 5, 7], generator: g);
        using var x = pre.Apply(rgb);
        Assert.Equal(rgb.shape, x.shape);
        using var back = pre.Invert(x);
        // float32: 255 × 2^-24 ≈ 1.5e-5 absolute on the 0..255 scale, divided by 255 again on the way back.
        Assert.True(back.sub(rgb).abs().max().item<float>() < 1e-6f);
        using var y = pre.Apply(back);
        Assert.True(y.sub(x).abs().max().item<float>() < 1e-4f);

        using var rgb64 = rgb.to_type(ScalarType.Float64);
        using var x64 = pre.Apply(rgb64);
        Assert.Equal(ScalarType.Float64, x64.dtype);
        using var back64 = pre.Invert(x64);
        Assert.True(back64.sub(rgb64).abs().max().item<double>() < 1e-12);
    }

    private static float[] RedPixel(Preprocessing pre)
    {
        using var red = tensor(new float[] { 1, 0, 0 }, [1, 3, 1, 1]);
        using var x = pre.Apply(red);
        return x.data<float>().ToArray();
    }

    [Fact]
    public void CaffeIsBgrInZeroTo255MinusMean()
    {
        Torch.Ready();
        var v = RedPixel(Preprocessing.Caffe);
        Assert.Equal(-103.939f, v[0], 1e-4f);       // B
        Assert.Equal(-116.779f, v[1], 1e-4f);       // G
        Assert.Equal(255f - 123.68f, v[2], 1e-4f);  // R
    }

    [Fact]
    public void TorchvisionIsRgbInZeroToOneStandardised()
    {
        Torch.Ready();
        var v = RedPixel(Preprocessing.Torchvision);
        Assert.Equal((1 - 0.485f) / 0.229f, v[0], 1e-5f);
        Assert.Equal(-0.456f / 0.224f, v[1], 1e-5f);
        Assert.Equal(-0.406f / 0.225f, v[2], 1e-5f);
    }

    [Fact]
    public void CntkIsBgrInZeroTo255MinusItsChannelMeans()
    {
        Torch.Ready();
        var v = RedPixel(Preprocessing.Cntk);
        Assert.Equal(-103.0626f, v[0], 1e-4f);
        Assert.Equal(-115.9029f, v[1], 1e-4f);
        Assert.Equal(255f - 123.1516f, v[2], 1e-4f);
    }

    [Fact]
    public void ParseKnowsTheThreeAndNamesTheRest()
    {
        Assert.Same(Preprocessing.Caffe, Preprocessing.Parse("Caffe"));
        Assert.Same(Preprocessing.Torchvision, Preprocessing.Parse("torchvision"));
        Assert.Same(Preprocessing.Cntk, Preprocessing.Parse(" CNTK "));
        var ex = Assert.Throws<NotebookStyleException>(() => Preprocessing.Parse("keras"));
        Assert.Contains("caffe, torchvision or cntk", ex.Message);
        Assert.Equal("caffe", Preprocessing.Caffe.ToString());
    }

    [Fact]
    public void SettingsAreValidatedCopiedAndComparedByValue()
    {
        double[] mean = [103.939, 116.779, 123.68];
        var mine = new Preprocessing("caffe", true, 255.0, mean, [1, 1, 1]);
        Assert.Equal(Preprocessing.Caffe, mine);
        Assert.Equal(Preprocessing.Caffe.GetHashCode(), mine.GetHashCode());
        mean[0] = 0; // the caller's array is copied, not kept
        Assert.Equal(103.939, mine.Mean[0]);
        Assert.NotEqual(Preprocessing.Caffe, Preprocessing.Cntk);

        Assert.Throws<NotebookStyleException>(() => new Preprocessing("x", false, 1, [1, 2], [1, 1, 1]));
        Assert.Throws<NotebookStyleException>(() => new Preprocessing("x", false, 1, [0, 0, 0], [1, 0, 1]));
        Assert.Throws<NotebookStyleException>(() => new Preprocessing("x", false, 0, [0, 0, 0], [1, 1, 1]));
        Assert.Throws<NotebookStyleException>(() => Preprocessing.Caffe with { Std = [1, 1, double.NaN] });
    }

    [Fact]
    public void WrongTensorShapesAreRefused()
    {
        Torch.Ready();
        using var chw = rand(3, 4, 4);
        Assert.Contains("[N, 3, H, W]", Assert.Throws<NotebookStyleException>(() => Preprocessing.Caffe.Apply(chw)).Message);
        using var grey = rand(1, 1, 4, 4);
        Assert.Throws<NotebookStyleException>(() => Preprocessing.Torchvision.Invert(grey));
        using var bytes = zeros([1, 3, 2, 2], ScalarType.Byte);
        Assert.Throws<NotebookStyleException>(() => Preprocessing.Caffe.Apply(bytes));
    }
}
