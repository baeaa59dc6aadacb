using System.Net;
using NotebookStyle.Models;
using NotebookStyle.Storage;
using NotebookStyle.Weights;
using static TorchSharp.torch;

namespace NotebookStyle.Tests.Weights;

public class NetworksTests
{
    private sealed class Offline : HttpMessageHandler
    {
        public int Calls;
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException("Name or service not known (test)", null, HttpStatusCode.ServiceUnavailable);
        }
    }

    private static string EmptyCache() => Directory.CreateTempSubdirectory("nstyle-cache-").FullName;

    [Fact]
    public void AutoFallsBackToTheOfflineResNetWithANoticeSayingWhy()
    {
        Torch.Ready();
        var handler = new Offline();
        using var store = new WeightStore(EmptyCache(), handler);
        var loaded = Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { Store = store });
        using var net = loaded.Network;
        Assert.Equal("resnet18", net.NetworkName);
        Assert.Equal(1, handler.Calls);
        var notice = Assert.Single(loaded.Notices);
        Assert.Contains("offline ResNet18 default", notice);
        Assert.Contains(store.PathFor(WeightSource.Default), notice);
        Assert.EndsWith("ResNet18.onnx", loaded.Weights);
        // Typed: the reason alone, and the notice recognised as the fallback's (the lessons show one line for it).
        Assert.NotNull(loaded.FallbackReason);
        Assert.Equal(LoadedNetwork.FallbackNotice(loaded.FallbackReason!), notice);
        Assert.True(loaded.IsFallbackNotice(notice));
        Assert.True(loaded.Trained);
    }

    [Fact]
    public void EitherNetworkCanBeBuiltWithSeededRandomWeightsAndSaysItIsUntrained()
    {
        Torch.Ready();
        foreach (var choice in new[] { NetworkChoice.Vgg19, NetworkChoice.ResNet18 })
        {
            var loaded = Networks.Load(choice, CPU, new NetworkOptions { RandomSeed = 3 });
            using var net = loaded.Network;
            Assert.Equal(choice == NetworkChoice.ResNet18 ? "resnet18" : "vgg19", net.NetworkName);
            Assert.False(loaded.Trained);
            Assert.Null(loaded.FallbackReason);
            Assert.Equal("random (seed 3)", loaded.Weights);
            Assert.False(loaded.IsFallbackNotice(Assert.Single(loaded.Notices)));
        }
        using var asked = Networks.Load(NetworkChoice.ResNet18, CPU).Network;
        using var random = Networks.Load(NetworkChoice.ResNet18, CPU, new NetworkOptions { RandomSeed = 3 }).Network;
        Assert.Equal(asked.LayerNames, random.LayerNames); // the same architecture
    }

    [Fact]
    public void AnUnusableCacheMakesAutoFallBackAndVgg19SayWhy()
    {
        Torch.Ready();
        string notAFolder = Path.Combine(EmptyCache(), "cache-is-a-file");
        File.WriteAllText(notAFolder, "x");
        var handler = new Offline();
        using var store = new WeightStore(notAFolder, handler);
        var loaded = Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { Store = store });
        using (loaded.Network)
        {
            Assert.Equal("resnet18", loaded.Network.NetworkName);
            var notice = Assert.Single(loaded.Notices);
            Assert.Contains("cache cannot be used", notice);
            Assert.Contains(notAFolder, notice);
        }
        var ex = Assert.Throws<CacheUnusableException>(() => Networks.Load(NetworkChoice.Vgg19, CPU, new NetworkOptions { Store = store }));
        Assert.Contains("regular file", ex.Message);
        Assert.Equal(0, handler.Calls);

        // A folder where the weights file goes: the same.
        string cache = EmptyCache();
        Directory.CreateDirectory(Path.Combine(cache, WeightSource.Default.FileName));
        using var blocked = new WeightStore(cache, handler);
        var fallback = Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { Store = blocked });
        fallback.Network.Dispose();
        Assert.Contains("cache cannot be used", Assert.Single(fallback.Notices));
    }

    [Fact]
    public void Vgg19WithoutWeightsSaysWhereToPutTheFile()
    {
        Torch.Ready();
        using var store = new WeightStore(EmptyCache(), new Offline());
        var ex = Assert.Throws<WeightsUnavailableException>(() => Networks.Load(NetworkChoice.Vgg19, CPU, new NetworkOptions { Store = store }));
        Assert.Contains(store.PathFor(WeightSource.Default), ex.Message);
        Assert.Contains("storage.googleapis.com", ex.Message);
    }

    [Fact]
    public void AutoWithDownloadsOffDoesNotTouchTheNetwork()
    {
        Torch.Ready();
        var handler = new Offline();
        using var store = new WeightStore(EmptyCache(), handler);
        var loaded = Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { Store = store, AllowDownload = false });
        loaded.Network.Dispose();
        Assert.Equal(0, handler.Calls);
        Assert.Contains("downloads are off", Assert.Single(loaded.Notices));
    }

    [Fact]
    public void WrongCombinationsAndFilesAreNamedErrors()
    {
        Torch.Ready();
        Assert.Throws<NotebookStyleException>(() => Networks.Load(NetworkChoice.ResNet18, CPU, new NetworkOptions { WeightsPath = "x.h5" }));
        Assert.Throws<WeightsUnavailableException>(() => Networks.Load(NetworkChoice.Vgg19, CPU, new NetworkOptions { WeightsPath = "/nonexistent/vgg.h5" }));
        string junk = Path.Combine(EmptyCache(), "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5");
        File.WriteAllText(junk, "not an HDF5 file");
        Assert.ThrowsAny<NotebookStyleException>(() => Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { WeightsPath = junk }));
        Assert.Throws<NotebookStyleException>(() => Networks.Parse("alexnet"));
        Assert.Equal(NetworkChoice.ResNet18, Networks.Parse("ResNet18"));
    }

    [Fact]
    public void RandomSeedGivesVgg19()
    {
        Torch.Ready();
        var loaded = Networks.Load(NetworkChoice.Auto, CPU, new NetworkOptions { RandomSeed = 4 });
        using var net = loaded.Network;
        Assert.Equal("vgg19", net.NetworkName);
        Assert.Equal("random (seed 4)", loaded.Weights);
    }
}
