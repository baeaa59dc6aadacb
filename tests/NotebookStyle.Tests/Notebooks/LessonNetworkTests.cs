using NotebookStyle.Notebooks;
using NotebookStyle.Weights;

namespace NotebookStyle.Tests.Notebooks;

public class LessonNetworkTests
{
    private static Dictionary<string, string?> Env(string? network = null, string? weights = null, string? preprocessing = null) => new()
    {
        [NotebookEnvironment.Network] = network,
        [NotebookEnvironment.Weights] = weights,
        [NotebookEnvironment.WeightsPreprocessing] = preprocessing,
    };

    [Fact]
    public void NothingSetIsAutoWithTheKerasExampleWeights()
    {
        var settings = LessonNetwork.FromEnvironment(Env());
        Assert.Equal(NetworkChoice.Auto, settings.Choice);
        Assert.Null(settings.WeightsFile);
        Assert.Equal(WeightSource.Default, settings.Source);
    }

    [Fact]
    public void AWeightsFileMeansVgg19FromThatFile()
    {
        string file = Path.GetTempFileName();
        try
        {
            var settings = LessonNetwork.FromEnvironment(Env(weights: file, preprocessing: "torchvision"));
            Assert.Equal(NetworkChoice.Vgg19, settings.Choice);
            Assert.Equal(Path.GetFullPath(file), settings.WeightsFile);
            var options = settings.Options();
            Assert.Equal(file, options.WeightsPath);
            Assert.Equal(NotebookStyle.Imaging.Preprocessing.Torchvision, options.WeightsPreprocessing);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AKnownSourceNameSelectsThatSource()
    {
        var settings = LessonNetwork.FromEnvironment(Env(weights: "vgg19-torchvision"));
        Assert.Equal(NetworkChoice.Vgg19, settings.Choice);
        Assert.Null(settings.WeightsFile);
        Assert.Equal("vgg19-torchvision", settings.Source.Name);
        Assert.Equal(settings.Source, settings.Options().Source);
    }

    [Theory]
    [InlineData("alexnet", null, null, "NOTEBOOKSTYLE_NETWORK")]
    [InlineData(null, "/no/such/weights.h5", null, "NOTEBOOKSTYLE_WEIGHTS")]
    [InlineData(null, null, "imagenet", "NOTEBOOKSTYLE_WEIGHTS_PREPROCESSING")]
    [InlineData("resnet18", "vgg19-keras", null, "resnet18")]
    public void BadSettingsNameTheVariable(string? network, string? weights, string? preprocessing, string expected)
    {
        var ex = Assert.Throws<NotebookSetupException>(() => LessonNetwork.FromEnvironment(Env(network, weights, preprocessing)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void TheNetworkChoiceIsHonoured()
    {
        Assert.Equal(NetworkChoice.ResNet18, LessonNetwork.FromEnvironment(Env(network: "resnet18")).Choice);
        Assert.Equal(NetworkChoice.Vgg19, LessonNetwork.FromEnvironment(Env(network: "VGG19")).Choice);
    }
}
