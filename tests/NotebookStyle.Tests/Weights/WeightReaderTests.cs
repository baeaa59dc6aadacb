using NotebookStyle.Imaging;
using NotebookStyle.Models;
using NotebookStyle.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Weights;

/// <summary>Our readers on files from the reference writers: same features as torch, and a named error for each kind of bad file.</summary>
public class WeightReaderTests(ITestOutputHelper output)
{
    private static readonly string[] Taps = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1", "pool5"];

    [ReferenceTheory]
    [InlineData("keras.h5", WeightFormat.KerasHdf5)]
    [InlineData("torchvision.pth", WeightFormat.PyTorch)]
    [InlineData("torchvision_legacy.pth", WeightFormat.PyTorch)]
    [InlineData("torchvision_tar.pth", WeightFormat.PyTorch)]
    [InlineData("features.pth", WeightFormat.PyTorch)]
    [InlineData("vgg19.safetensors", WeightFormat.Safetensors)]
    public void FeaturesEqualTorchs(string file, WeightFormat format)
    {
        Torch.Ready();
        string path = ReferenceFixtures.PathOf(file);
        Assert.Equal(format, WeightFormatDetector.Detect(path));
        var reference = PyTorchReader.ReadStateDict(ReferenceFixtures.PathOf("reference.pth"));
        using var model = new Vgg19(seed: 99);
        Vgg19Weights.LoadInto(model, path);
        using var _ = no_grad();
        var ours = model.Extract(reference["input"], Taps);
        double worst = 0;
        foreach (var tap in Taps)
        {
            Assert.Equal(reference[tap].shape, ours[tap].shape);
            double diff = (ours[tap] - reference[tap]).abs().max().item<float>();
            double scale = reference[tap].abs().max().item<float>();
            output.WriteLine($"{file} {tap}: max |ours - torch| = {diff:E2} (max |torch| = {scale:F3})");
            Assert.True(scale > 1e-3, $"{tap} is all zeros: the test would prove nothing");
            worst = Math.Max(worst, diff);
        }
        output.WriteLine($"{file}: worst {worst:E2}");
        Assert.True(worst <= 1e-4, $"{file}: max abs difference {worst:E2} > 1e-4");
        foreach (var t in ours.Values.Distinct()) t.Dispose();
        foreach (var t in reference.Values) t.Dispose();
    }

    [ReferenceFact]
    public void CreatePairsWeightsWithTheirPreprocessing()
    {
        Torch.Ready();
        var source = WeightSource.FromFile(ReferenceFixtures.PathOf("keras.h5"));
        Assert.Same(Preprocessing.Caffe, source.Preprocessing);
        using var model = Vgg19Weights.Create(source);
        Assert.Same(Preprocessing.Caffe, model.Preprocessing);
        Assert.Equal(20_024_384, model.parameters().Sum(p => p.numel()));
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
    }

    [ReferenceFact]
    public void KerasReaderReadsNamesFromAttributes()
    {
        Torch.Ready();
        // A dataset named in weight_names is read, whatever its name: rename them and list the new names.
        string copy = TempCopy("keras.h5");
        RunPython($"import h5py\nf = h5py.File(r'{copy}', 'r+')\ng = f['block1_conv1']\n" +
                  "g.move('block1_conv1_W_1:0', 'k')\ng.move('block1_conv1_b_1:0', 'b')\ng.attrs['weight_names'] = [b'k', b'b']\nf.close()");
        using var renamed = new Vgg19();
        Vgg19Weights.LoadInto(renamed, copy);
        using var original = new Vgg19();
        Vgg19Weights.LoadInto(original, ReferenceFixtures.PathOf("keras.h5"));
        Assert.True(renamed.Convolutions().First().Conv.weight!.allclose(original.Convolutions().First().Conv.weight!, 0, 0));
        // And a name in weight_names that is not in the group is an error naming it.
        RunPython($"import h5py\nf = h5py.File(r'{copy}', 'r+')\nf['block1_conv1'].attrs['weight_names'] = [b'kernel:0', b'b']\nf.close()");
        var e = Assert.Throws<WeightsMismatchException>(() => Vgg19Weights.LoadInto(renamed, copy));
        Assert.Equal("block1_conv1/kernel:0", e.Name);
        File.Delete(copy);
    }

    [ReferenceTheory]
    [InlineData("keras.h5")]
    [InlineData("torchvision.pth")]
    [InlineData("torchvision_legacy.pth")]
    [InlineData("torchvision_tar.pth")]
    [InlineData("vgg19.safetensors")]
    public void TruncatedFilesAreNamedAsSuch(string file)
    {
        Torch.Ready();
        string cut = TempCopy(file, fraction: 0.6);
        using var model = new Vgg19();
        var before = model.Convolutions().First().Conv.weight!.clone();
        var e = Assert.Throws<WeightsTruncatedException>(() => Vgg19Weights.LoadInto(model, cut));
        output.WriteLine(e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.True(before.allclose(model.Convolutions().First().Conv.weight!, 0, 0), "a failed load must leave the model untouched");
        File.Delete(cut);
    }

    [ReferenceTheory]
    [InlineData("keras_wrong_shape.h5", "block3_conv1/block3_conv1_W_1:0", "[128, 128, 3, 3]")]
    [InlineData("torch_wrong_shape.pth", "features.10.weight", "[256, 128, 1, 1]")]
    public void WrongShapesNameTheTensor(string file, string name, string shape)
    {
        Torch.Ready();
        using var model = new Vgg19();
        var e = Assert.Throws<WeightsMismatchException>(() => Vgg19Weights.LoadInto(model, ReferenceFixtures.PathOf(file)));
        output.WriteLine(e.Message);
        Assert.Equal(name, e.Name);
        Assert.Contains(shape, e.Message);
        Assert.Contains("needs [256, 128, 3, 3]", e.Message);
    }

    [ReferenceTheory]
    [InlineData("keras_missing_layer.h5", "block4_conv3", "missing")]
    [InlineData("torch_missing_key.pth", "features.34.bias", "missing")]
    [InlineData("torch_wrong_prefix.pth", "model.classifier.0.bias", "no VGG19 features found")]
    [InlineData("torch_wrong_dtype.pth", "features.0.weight", "Int64")]
    public void MissingOrForeignTensorsNameTheFirst(string file, string name, string phrase)
    {
        Torch.Ready();
        using var model = new Vgg19();
        var e = Assert.Throws<WeightsMismatchException>(() => Vgg19Weights.LoadInto(model, ReferenceFixtures.PathOf(file)));
        output.WriteLine(e.Message);
        Assert.Equal(name, e.Name);
        Assert.Contains(phrase, e.Message);
    }

    [ReferenceFact]
    public void UnexpectedKeysAreRefusedNotSkipped()
    {
        Torch.Ready();
        // A VGG19-bn-like extra buffer in a features state dict: strict loading must refuse it.
        string path = ReferenceFixtures.Scratch("extra.pth");
        RunPython($"import torch\nsd = torch.load(r'{ReferenceFixtures.PathOf("torch_missing_key.pth")}')\n" +
                  "sd['features.34.bias'] = torch.zeros(512)\nsd['features.1.running_mean'] = torch.zeros(64)\n" +
                  $"torch.save(sd, r'{path}')");
        using var model = new Vgg19();
        var e = Assert.Throws<WeightsMismatchException>(() => Vgg19Weights.LoadInto(model, path));
        Assert.Equal("features.1.running_mean", e.Name);
        File.Delete(path);
    }

    private static string TempCopy(string file, double fraction = 1.0)
    {
        string source = ReferenceFixtures.PathOf(file);
        string target = ReferenceFixtures.Scratch(file);
        using var from = File.OpenRead(source);
        using var to = File.Create(target);
        long n = (long)(from.Length * fraction);
        var buffer = new byte[1 << 20];
        while (n > 0)
        {
            int read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, n));
            to.Write(buffer, 0, read);
            n -= read;
        }
        return target;
    }

    private static void RunPython(string code)
    {
        var info = new System.Diagnostics.ProcessStartInfo(ReferenceFixtures.Python) { RedirectStandardInput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(info)!;
        p.StandardInput.Write(code);
        p.StandardInput.Close();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
    }
}
