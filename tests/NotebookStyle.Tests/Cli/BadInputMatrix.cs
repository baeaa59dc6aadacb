using System.Text;

namespace NotebookStyle.Tests.Cli;

/// <summary>
/// The bad inputs the CLI is run over, grouped as the README lists them: image files, options and numbers, output
/// paths, weights files, signals. Sandbox names (see <see cref="MatrixSandbox"/>): content.jpg, style.jpg,
/// existing.png, folder/, sub/, notes.txt, fifo, fifo-in.jpg, devnull and devfull (device nodes), link-to-content.jpg,
/// hard-content.jpg, link.png, tmp/.
/// </summary>
public static class BadInputMatrix
{
    private static readonly string[] Quick = ["--size", "32", "-n", "1", "--network", "resnet18", "-q"];

    /// <summary>The three paths, then <paramref name="more"/>, then each of <see cref="Quick"/>'s settings that <paramref name="more"/> does not set.</summary>
    private static string[] Run(string content, string style, string output, params string[] more)
    {
        var args = new List<string> { "--content", content, "--style", style, "--output", output };
        args.AddRange(more);
        bool progress = more.Contains("--progress");
        args.Remove("--progress");
        for (int i = 0; i < Quick.Length; i++)
        {
            if (Quick[i] == "-q") { if (!progress) args.Add("-q"); continue; }
            string name = Quick[i], value = Quick[++i];
            if (!more.Contains(name) && !(name == "-n" && more.Contains("--iterations"))) args.AddRange([name, value]);
        }
        return [.. args];
    }

    private static string[] Ok(params string[] more) => Run("content.jpg", "style.jpg", "out.png", more);

    private static readonly MatrixCase[] Cases =
    [
        // ---- image files ----
        new("content-missing", 2, "not found", Run("missing.jpg", "style.jpg", "out.png")),
        new("style-missing", 2, "not found", Run("content.jpg", "nowhere/missing.png", "out.png")),
        new("content-is-folder", 2, "is a folder", Run("folder.jpg", "style.jpg", "out.png")),
        new("content-empty-file", 2, "empty", Run("empty.png", "style.jpg", "out.png")),
        new("content-not-image", 2, "not an image", Run("not-image.jpg", "style.jpg", "out.png")),
        new("content-truncated-jpeg", 2, "truncated", Run("truncated.jpg", "style.jpg", "out.png")),
        new("style-png-missing-rows", 2, "20 of the 48 rows", Run("content.jpg", "short.png", "out.png")),
        new("content-gif", 2, "only JPEG, PNG and WebP", Run("picture.gif", "style.jpg", "out.png")),
        new("content-declares-10-gigapixels", 2, "over the budget", Run("huge.png", "style.jpg", "out.png")),
        new("style-animated-webp", 2, "animated.webp", Run("content.jpg", "animated.webp", "out.png")),
        new("content-tiny-interlaced-png", 2, "interlaced PNG", Run("tiny-interlaced.png", "style.jpg", "out.png")),
        new("content-dev-zero", 2, "more than 104,857,600 bytes", Run("/dev/zero", "style.jpg", "out.png")),
        new("content-dev-null", 2, "empty", Run("/dev/null", "style.jpg", "out.png")),
        new("both-from-stdin", 2, "cannot both read standard input", Run("-", "-", "out.png")),
        new("stdin-empty", 2, "standard input is empty", Run("-", "style.jpg", "out.png")),
        new("stdin-not-image", 2, "not an image", Run("content.jpg", "-", "out.png")) { Stdin = Encoding.ASCII.GetBytes("hello, not a picture") },

        // ---- options and numbers ----
        new("style-weight-inf", 2, "--style-weight must be a finite number", Ok("--style-weight", "inf")),
        new("tv-weight-nan", 2, "--tv-weight must be a finite number", Ok("--tv-weight", "NaN")),
        new("content-weight-negative", 2, "≥ 0", Ok("--content-weight", "-1")),
        new("style-weight-negative", 2, "≥ 0", Ok("--style-weight", "-0.5")),
        new("tv-power-negative", 2, "--tv-power must be a finite number > 0", Ok("--tv-power", "-1")),
        new("max-evaluations-zero", 2, "--max-evaluations must be a positive integer", Ok("--max-evaluations", "0")),
        new("max-evaluations-negative", 2, "--max-evaluations must be a positive integer", Ok("--max-evaluations", "-1")),
        new("coarse-iterations-zero", 2, "--coarse-iterations must be a positive integer", Ok("--coarse-iterations", "0", "--scales", "2")),
        new("coarse-iterations-negative", 2, "--coarse-iterations must be a positive integer", Ok("--coarse-iterations", "-3")),
        new("iterations-word", 2, "--iterations must be a positive integer", Run("content.jpg", "style.jpg", "out.png", "--iterations", "zero")),
        new("size-too-large", 2, "--size must be an integer from 16 to 8192", Ok("--size", "100000")),
        new("threads-negative", 2, "--threads must be 0 or a positive integer", Ok("--threads", "-2")),
        new("jpeg-quality-over-100", 2, "--jpeg-quality must be an integer from 1 to 100", Ok("--jpeg-quality", "101")),
        new("learning-rate-zero", 2, "--lr must be a finite number > 0", Ok("--lr", "0")),
        new("seed-not-a-number", 2, "--seed must be a whole number", Ok("--seed", "1.5")),
        new("unknown-optimizer", 2, "sgd", Ok("--optimizer", "sgd")),
        new("unknown-option", 2, "--frobnicate", Ok("--frobnicate", "1")),
        new("output-missing", 2, "--output", ["--content", "content.jpg", "--style", "style.jpg"]),

        // ---- output paths ----
        new("output-is-folder", 2, "is a folder", Run("content.jpg", "style.jpg", "folder")),
        new("output-ends-in-slash", 2, "names a folder", Run("content.jpg", "style.jpg", "newdir/"))
        {
            Then = s => Directory.Exists(s.At("newdir")) ? "newdir/ was created" : null,
        },
        new("output-under-regular-file", 2, "notes.txt is a regular file, not a folder", Run("content.jpg", "style.jpg", "notes.txt/out.png")),
        new("output-is-fifo", 2, "named pipe (FIFO)", Run("content.jpg", "style.jpg", "fifo")),
        new("output-full-device", 2, "character device", Run("content.jpg", "style.jpg", "devfull")),
        new("output-null-device", 2, "character device", Run("content.jpg", "style.jpg", "devnull")),
        new("output-is-content", 2, "is the --content file", Run("content.jpg", "style.jpg", "content.jpg")),
        new("output-is-style", 2, "is the --style file", Run("content.jpg", "style.jpg", "style.jpg")),
        new("output-links-to-content", 2, "is the --content file", Run("content.jpg", "style.jpg", "link-to-content.jpg")),
        new("output-hard-link-of-content", 2, "is the --content file", Run("content.jpg", "style.jpg", "hard-content.jpg")),
        new("output-same-file-other-spelling", 2, "is the --content file", Run("content.jpg", "style.jpg", "folder/../content.jpg")),
        new("output-symlink-loop", 2, "too many symbolic links", Run("content.jpg", "style.jpg", "loop-a.png")),
        new("output-unknown-extension", 2, "unknown image extension '.bmp'", Run("content.jpg", "style.jpg", "out.bmp")),
        new("output-no-extension", 2, "has no extension", Run("content.jpg", "style.jpg", "out")),
        new("output-in-proc", 2, "cannot be written", Run("content.jpg", "style.jpg", "/proc/out.png")),
        new("metrics-is-folder", 2, "--metrics folder is a folder", Ok("--metrics", "folder")),
        new("metrics-full-device", 2, "--metrics devfull is a character device", Ok("--metrics", "devfull")),
        new("metrics-is-output", 2, "is the --output file", Ok("--metrics", "out.png")),
        new("metrics-is-output-via-link", 2, "is the --output file", Run("content.jpg", "style.jpg", "existing.png", "--metrics", "link.png")),
        new("metrics-is-content", 2, "is the --content file", Ok("--metrics", "content.jpg")),

        // ---- weights files ----
        new("weights-missing", 2, "not found", Ok("--network", "vgg19", "--weights", "missing.h5")),
        new("weights-folder", 2, "folder", Ok("--network", "vgg19", "--weights", "folder")),
        new("weights-h5-junk", 2, "not an HDF5 file", Ok("--network", "vgg19", "--weights", "junk.h5")),
        new("weights-pth-junk", 2, "not a file written by torch.save", Ok("--network", "vgg19", "--weights", "junk.pth", "--weights-preprocessing", "caffe")),
        new("weights-safetensors-junk", 2, "junk.safetensors", Ok("--network", "vgg19", "--weights", "junk.safetensors", "--weights-preprocessing", "torchvision")),
        new("weights-safetensors-truncated", 2, "truncated.safetensors", Ok("--network", "vgg19", "--weights", "truncated.safetensors", "--weights-preprocessing", "caffe")),
        new("weights-unknown-preprocessing", 2, "Cannot tell which preprocessing", Ok("--network", "vgg19", "--weights", "weights.bin")),

        // ---- runs that get as far as the network (slower) ----
        new("loss-overflows-to-infinity", 3, "The loss became", Ok("--style-weight", "1e308")) { Runs = true, Creates = ["out.png"] },
        new("threads-ten-thousand", 0, "using", Ok("--threads", "10000")) { Runs = true, Creates = ["out.png"] },
        new("output-jpeg-by-extension", 0, "", Run("content.jpg", "style.jpg", "out.jpg", "--jpeg-quality", "80"))
        {
            Runs = true, StderrLines = 0, Creates = ["out.jpg"],
            Then = s => File.ReadAllBytes(s.At("out.jpg")) is [0xFF, 0xD8, ..] ? null : "out.jpg is not JPEG bytes",
        },
        new("output-symlink-writes-target", 0, "", Run("content.jpg", "style.jpg", "link.png"))
        {
            Runs = true, StderrLines = 0, Changes = ["existing.png"],
            Then = s => new FileInfo(s.At("link.png")).LinkTarget != "existing.png" ? "link.png is no longer a link to existing.png"
                : new FileInfo(s.At("existing.png")).Length < 200 ? "existing.png was not replaced by the result" : null,
        },
        new("content-from-stdin", 0, "", Run("-", "style.jpg", "out.png"))
        {
            Runs = true, StderrLines = 0, Creates = ["out.png"], Stdin = File.ReadAllBytes(TestPaths.SharedImage("golden_gate.jpg")),
        },
        new("content-through-process-substitution", 0, "", [])
        {
            Runs = true, StderrLines = 0, Creates = ["out.png"],
            Bash = "$NSTYLE " + string.Join(' ', Run("<(cat content.jpg)", "style.jpg", "out.png")),
        },

        // ---- signals ----
        new("sigint-while-reading-input", 130, "cancelled by Ctrl+C (SIGINT) before the optimisation started", Run("fifo-in.jpg", "style.jpg", "out.png"))
        {
            Signal = 2, Moment = SignalMoment.WhileReadingInput,
        },
        new("sigterm-while-reading-input", 143, "cancelled by SIGTERM before the optimisation started", Run("fifo-in.jpg", "style.jpg", "out.png"))
        {
            Signal = 15, Moment = SignalMoment.WhileReadingInput,
        },
        new("sigterm-during-run", 143, "cancelled by SIGTERM after", Run("content.jpg", "style.jpg", "out.png", "--size", "64", "-n", "2000", "--progress"))
        {
            Runs = true, Signal = 15, Moment = SignalMoment.DuringOptimisation, Creates = ["out.png"],
        },
        new("sigint-during-run", 130, "cancelled by Ctrl+C (SIGINT) after", Run("content.jpg", "style.jpg", "out.png", "--size", "64", "-n", "2000", "--progress"))
        {
            Runs = true, Signal = 2, Moment = SignalMoment.DuringOptimisation, Creates = ["out.png"],
        },
        new("output-folder-gone-at-the-end", 4, "instead, because writing sub/out.png failed",
            Run("content.jpg", "style.jpg", "sub/out.png", "--size", "64", "-n", "2000", "--progress", "--metrics", "sub/m.json"))
        {
            Runs = true, Signal = 15, Moment = SignalMoment.DuringOptimisation, Creates = ["sub", "tmp/nstyle-"],
            // The folder becomes a regular file after the checks: the image must land in TMPDIR, named in the message.
            BeforeSignal = s =>
            {
                Directory.Delete(s.At("sub"), recursive: true);
                File.WriteAllText(s.At("sub"), "now a file");
            },
            Then = s => Directory.GetFiles(s.At("tmp"), "nstyle-*out.png").Length == 1 ? null : "no kept image in tmp/",
        },
    ];

    /// <summary>Every case by name.</summary>
    public static IReadOnlyDictionary<string, MatrixCase> ByName { get; } = Cases.ToDictionary(c => c.Name);

    /// <summary>Cases that fail before any network is loaded.</summary>
    public static TheoryData<string> Fast { get; } = new(Cases.Where(c => !c.Runs).Select(c => c.Name));

    /// <summary>Cases that load the network (a few seconds each).</summary>
    public static TheoryData<string> Running { get; } = new(Cases.Where(c => c.Runs).Select(c => c.Name));
}
