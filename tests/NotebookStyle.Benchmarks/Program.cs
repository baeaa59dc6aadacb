using System.Globalization;
using NotebookStyle.Backend;
using TorchSharp;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// The C# side of the benchmark against PyTorch (driven by tests/benchmarks/bench.py; see tests/benchmarks/README.md).
/// Commands: <c>machine</c> (where it runs: CPU, extensions, libtorch kernels), <c>prepare</c> (write the shared problems), <c>lbfgs</c>, <c>adam</c>, <c>multiscale</c>, <c>poster</c> (measure one problem
/// in this process and write a JSON report; <c>--device cuda</c> runs it on the GPU); <c>quality</c> (the quality report, driven by
/// tests/benchmarks/quality.sh); <c>control-cost</c> (time per evaluation of blends and regions against a single style,
/// tests/benchmarks/control-cost.sh); <c>layers</c> (each VGG19 convolution alone, forward and input gradient, in both memory
/// layouts: <c>--size 256 --repeats 5 --json F</c>); <c>colour-memory</c> (peak memory of the histogram colour match at poster size); <c>fuzz</c> (the image loader
/// against mutated images, 100,000 by default: tests/benchmarks/fuzz.sh).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: machine|prepare|lbfgs|adam|multiscale|breakdown|fused-style|fold|poster|layers|quality|control-cost|colour-memory|fuzz --name value ...");
            return 2;
        }
        var a = new Arguments(args[1..]);
        if (args[0] == "fuzz") return FuzzRun.Run(a); // no torch needed
        TorchBackend.EnsureLoaded();
        int threads = a.Int("threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        torch.manual_seed(0);

        switch (args[0])
        {
            case "machine":
                // Where this runs (CPU model, AVX2/AVX-512/AMX, threads, oneDNN/NNPACK): one line, or JSON with --json F.
                var machine = MachineReport.Read();
                Console.WriteLine(machine.Describe());
                if (a.Text("json", "") is { Length: > 0 } json) Report.Write(Report.Machine(machine), json);
                return 0;
            case "quality":
                return QualityReport.Run(a);
            case "colour-memory":
                return ColourMemory.Run(a);
            case "control-cost":
                return ControlCostRun.Run(a);
            case "layers":
                Report.Write(LayerTimes.Run(a.Int("size", 256), a.Int("repeats", 5)), a.Text("json"));
                return 0;
            case "prepare":
                foreach (var network in a.List("networks", "vgg19,resnet18"))
                    foreach (var path in Problem.Prepare(a.Text("out"), network, a.List("sizes", "256,512").Select(int.Parse), a.Text("content"), a.Text("style")))
                        Console.WriteLine(path);
                return 0;
            case "lbfgs":
            case "adam":
            case "multiscale":
            case "breakdown":
            case "fused-style":
            case "fold":
            case "poster":
                var device = TorchBackend.ResolveDevice(TorchBackend.ParseDevice(a.Text("device", "cpu")));
                // On a GPU: what the device holds before the problem is loaded (the CUDA context, other processes).
                if (device.type == DeviceType.CUDA) Report.GpuBaseline();
                using (var p = Problem.Load(a.Text("problem"), device))
                {
                    // --fold 0: the ResNet's batch norms layer by layer (for comparisons; the library folds them by default).
                    if (p.Network is NotebookStyle.Models.ResNet resnet) resnet.FoldBatchNorm = a.Int("fold", 1) != 0;
                    // --channels-last 0|1: NCHW or NHWC convolutions on the CPU (default: the network's own choice).
                    if (a.Int("channels-last", -1) is int layout and >= 0) p.Network.ChannelsLastOnCpu = layout != 0;
                    var report = args[0] switch
                    {
                        "lbfgs" => LbfgsRun.Run(p, a.Int("evals", 50)),
                        "adam" => AdamRun.Run(p, a.Int("evals", 50)),
                        "breakdown" => BreakdownRun.Run(p, a.Int("evals", 10)),
                        "fused-style" => FusedStyleLossRun.Run(p, a.Int("evals", 10)),
                        "fold" => FoldRun.Run(p, a.Int("evals", 20)),
                        "poster" => PosterRun.Run(p, a.Int("evals", 3), a.Int("tile", 0), double.Parse(a.Text("budget", "0"), CultureInfo.InvariantCulture)),
                        _ => MultiScaleRun.Run(p, a.Int("iterations", 100), a.List("scales", "2,3").Select(int.Parse).ToList(),
                            a.Int("coarse-iterations", 50)),
                    };
                    Report.Write(report, a.Text("json"));
                }
                return 0;
            default:
                Console.Error.WriteLine($"unknown command '{args[0]}'");
                return 2;
        }
    }
}
