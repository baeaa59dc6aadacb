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

        // ==== round 2 (issue 27): control, poster, workshop and weights options ====
        // ---- 1. nothing the run reads is overwritten: every read path against every written one ----
        new("add-style-is-output", 2, "--output wave.jpg is the --add-style file", Run("content.jpg", "style.jpg", "wave.jpg", "--add-style", "wave.jpg")),
        new("add-style-is-metrics", 2, "--metrics wave.jpg is the --add-style file", Ok("--add-style", "wave.jpg", "--metrics", "wave.jpg")),
        new("add-style-other-spelling-is-output", 2, "is the --add-style file", Run("content.jpg", "style.jpg", "wave.jpg", "--add-style", "folder/../wave.jpg")),
        new("output-links-to-add-style", 2, "is the --add-style file", Run("content.jpg", "style.jpg", "link-to-wave.jpg", "--add-style", "wave.jpg")),
        new("region-map-is-output", 2, "--output map.png is the --region-map file", Run("content.jpg", "style.jpg", "map.png", "--region-map", "map.png", "--region-styles", "ff0000=0")),
        new("region-map-is-metrics", 2, "--metrics map.png is the --region-map file", Ok("--region-map", "map.png", "--region-styles", "ff0000=0", "--metrics", "map.png")),
        new("output-hard-link-of-region-map", 2, "is the --region-map file", Run("content.jpg", "style.jpg", "hard-map.png", "--region-map", "map.png", "--region-styles", "ff0000=0")),
        new("weights-is-output", 2, "--output junk.safetensors is the --weights file", Run("content.jpg", "style.jpg", "junk.safetensors", "--network", "vgg19", "--weights", "junk.safetensors")),
        new("weights-is-metrics", 2, "--metrics junk.h5 is the --weights file", Ok("--network", "vgg19", "--weights", "junk.h5", "--metrics", "junk.h5")),

        // ---- 2. memory follows the work asked for, not a number's magnitude or an auxiliary input's size ----
        new("blend-weights-1e308-and-1", 0, "", Ok("--add-style", "wave.jpg", "--style-blend-weights", "1e308,1")) { Runs = true, StderrLines = 0, Creates = ["out.png"] },
        new("blend-weights-1e307-and-1", 0, "", Ok("--add-style", "wave.jpg", "--style-blend-weights", "1e307,1")) { Runs = true, StderrLines = 0, Creates = ["out.png"] },
        new("blend-weights-both-1e308", 0, "", Ok("--add-style", "wave.jpg", "--style-blend-weights", "1e308,1e308")) { Runs = true, StderrLines = 0, Creates = ["out.png"] },
        new("blend-weights-1-and-1e307", 0, "", Ok("--add-style", "wave.jpg", "--style-blend-weights", "1,1e307")) { Runs = true, StderrLines = 0, Creates = ["out.png"] },
        new("region-map-3000px-32-colours", 0, "", Ok("--size", "64", "--add-style", "wave.jpg", "--region-map", "big-map.png", "--region-styles", "ff0000=0,00ff00=1"))
        {
            // The map is reduced to 64 px as it is decoded: its 32 full-size masks (1.1 GB as floats) are never made.
            Runs = true, StderrLines = 0, Creates = ["out.png"], MaxRssMb = 1024,
            Setup = s => File.WriteAllBytes(s.At("big-map.png"), MatrixFixtures.LargeMap),
        },
        new("memory-budget-too-small-at-512", 2, "--memory-budget 0.25 GB is too small for a 512", Ok("--size", "512", "--memory-budget", "0.25")) { Runs = true },
        new("tile-too-small-for-the-network", 2, "--tile 16 is too small for resnet18", Ok("--size", "256", "--tile", "16")) { Runs = true },

        // ---- 3. every bad value ends in one plain line with exit 2 (no type name, no trace, no native frames) ----
        new("region-blur-word", 2, "--region-blur must be a finite number in [0, 0.25], got 'abc'", Ok("--region-blur", "abc")),
        new("add-style-empty", 2, "--add-style is empty", Ok("--add-style", "")),
        new("weights-empty", 2, "--weights is empty", Ok("--network", "vgg19", "--weights", "")),
        new("region-map-empty", 2, "--region-map is empty", Ok("--region-map", "", "--region-styles", "ff0000=0")),
        new("tile-word", 2, "--tile must be an integer from 16 to 65536", Ok("--tile", "abc")),
        new("tile-over-int", 2, "--tile must be an integer from 16 to 65536", Ok("--tile", "2147483648")),
        new("memory-budget-word", 2, "--memory-budget must be a finite number of GB", Ok("--memory-budget", "abc")),
        new("memory-budget-infinity", 2, "--memory-budget must be a finite number of GB", Ok("--memory-budget", "Infinity")),
        new("workshop-empty-folder", 2, "DIR is empty; give a folder", ["workshop", "", "--no-packages"]),
        new("blend-weights-word", 2, "'a' is not a finite number", Ok("--add-style", "wave.jpg", "--style-blend-weights", "a,1")),
        new("blend-weights-nan", 2, "'NaN' is not a finite number", Ok("--add-style", "wave.jpg", "--style-blend-weights", "NaN,1")),
        new("blend-weights-overflow-to-infinity", 2, "'1e309' is not a finite number", Ok("--add-style", "wave.jpg", "--style-blend-weights", "1,1e309")),
        new("blend-weights-negative", 2, "-1 is negative", Ok("--add-style", "wave.jpg", "--style-blend-weights", "-1,2")),
        new("blend-weights-all-zero", 2, "are all 0", Ok("--add-style", "wave.jpg", "--style-blend-weights", "0,0")),
        new("weights-legacy-claims-2e31-floats", 2, "claims 2,147,483,648 elements", Ok("--network", "vgg19", "--weights", "claims.pth", "--weights-preprocessing", "caffe"))
        {
            Setup = s => File.WriteAllBytes(s.At("claims.pth"), MatrixFixtures.LegacyTorchClaiming(1L << 31)),
        },
        new("weights-legacy-claims-2e62-floats", 2, "claims 4,611,686,018,427,387,904 elements", Ok("--network", "vgg19", "--weights", "claims.pth", "--weights-preprocessing", "caffe"))
        {
            Setup = s => File.WriteAllBytes(s.At("claims.pth"), MatrixFixtures.LegacyTorchClaiming(1L << 62)),
        },
        new("weights-zip-pth-claims-a-terabyte", 2, "claims shape [1048576, 1048576]", Ok("--network", "vgg19", "--weights", "claims.pth", "--weights-preprocessing", "caffe"))
        {
            Setup = s => File.WriteAllBytes(s.At("claims.pth"), MatrixFixtures.ZipPthClaiming([1048576, 1048576])),
        },
        new("weights-safetensors-claims-2e80-floats", 2, "[1099511627776, 1099511627776] but its data_offsets span 4 bytes",
            Ok("--network", "vgg19", "--weights", "claims.safetensors", "--weights-preprocessing", "caffe"))
        {
            Setup = s => File.WriteAllBytes(s.At("claims.safetensors"), MatrixFixtures.SafetensorsClaiming([1L << 40, 1L << 40])),
        },

        // ---- 4. an option that would be ignored is refused with a reason ----
        new("blend-weights-with-region-map", 2, "with --region-map each region takes one style",
            Ok("--add-style", "wave.jpg", "--style-blend-weights", "1,3", "--region-map", "map.png", "--region-styles", "ff0000=0")),
        new("blend-weights-with-scale-styles", 2, "with --scale-styles each group of layers takes one style",
            Ok("--add-style", "wave.jpg", "--style-blend-weights", "1,3", "--scale-styles", "0:relu1_1,1:relu3_1")),
        new("region-styles-colour-twice", 2, "gives ff0000 twice (=0 and =1)", Ok("--add-style", "wave.jpg", "--region-map", "map.png", "--region-styles", "ff0000=0,ff0000=1")),
        new("region-styles-same-colour-same-style", 2, "gives ff0000 twice (=0 and =0)", Ok("--region-map", "map.png", "--region-styles", "ff0000=0,FF0000=0")),
        new("region-blur-without-map", 2, "--region-blur softens the borders of a --region-map", Ok("--region-blur", "0.1")),
        new("content-webp-canvas-16384-around-128x96", 2, "declares a 16384×16384 canvas around a 128×96 image", Run("canvas.webp", "style.jpg", "out.png"))
        {
            Setup = s => File.WriteAllBytes(s.At("canvas.webp"), MatrixFixtures.WebpWithHugeCanvas()),
        },
        new("region-styles-not-a-colour", 2, "'red' is not a colour as rrggbb", Ok("--region-map", "map.png", "--region-styles", "red=0")),
        new("region-styles-index-out-of-range", 2, "'3' is not a style index (0 to 0)", Ok("--region-map", "map.png", "--region-styles", "ff0000=3")),

        // ---- 5. the paths users expect ----
        new("add-style-from-stdin", 0, "", Ok("--add-style", "-", "--style-blend-weights", "1,1"))
        {
            Runs = true, StderrLines = 0, Creates = ["out.png"], Stdin = File.ReadAllBytes(TestPaths.SharedImage("great_wave.jpg")),
        },
        new("style-and-add-style-both-stdin", 2, "--style and --add-style cannot both read standard input", Run("content.jpg", "-", "out.png", "--add-style", "-")),
        new("weights-from-stdin", 2, "--weights cannot read standard input", Ok("--network", "vgg19", "--weights", "-")),
        new("weights-a-folder", 2, "is a folder; give the weights file inside it", Ok("--network", "vgg19", "--weights", "folder")),
        new("region-map-missing", 2, "not found", Ok("--network", "vgg19", "--region-map", "missing.png", "--region-styles", "ff0000=0")),
        new("region-map-not-an-image", 2, "not an image", Ok("--region-map", "not-image.jpg", "--region-styles", "ff0000=0")),
        new("region-map-colour-missing", 2, "no colour 0000ff", Ok("--region-map", "map.png", "--region-styles", "0000ff=0")) { Runs = true },
        new("workshop-on-a-file", 2, "is a file; give a folder", ["workshop", "notes.txt", "--no-packages"]),
        new("workshop-catalog-missing", 2, "--catalog", ["workshop", "ws", "--no-packages", "--catalog", "missing.json"])
        {
            Then = s => Directory.Exists(s.At("ws")) ? "ws/ was created before the catalogue was checked" : null,
        },

        // ---- 6. weights with NaN are refused at load, naming the layer ----
        new("weights-safetensors-nan-in-block1-conv1", 2, "layer block1_conv1", Ok("--network", "vgg19", "--weights", "nan.safetensors", "--weights-preprocessing", "caffe"))
        {
            Setup = s => File.WriteAllBytes(s.At("nan.safetensors"), MatrixFixtures.Vgg19SafetensorsWithNan()),
        },

        // ---- 7. SIGHUP like SIGINT and SIGTERM; stale temporaries of the output cleaned; the workshop says something ----
        new("sighup-while-reading-input", 129, "cancelled by SIGHUP (the terminal closed) before the optimisation started", Run("fifo-in.jpg", "style.jpg", "out.png"))
        {
            Signal = 1, Moment = SignalMoment.WhileReadingInput,
        },
        new("sighup-during-run", 129, "cancelled by SIGHUP (the terminal closed) after", Run("content.jpg", "style.jpg", "out.png", "--size", "64", "-n", "2000", "--progress"))
        {
            Runs = true, Signal = 1, Moment = SignalMoment.DuringOptimisation, Creates = ["out.png"],
        },
        new("stale-temporaries-of-the-output-removed", 0, "", Ok())
        {
            Runs = true, StderrLines = 0, Creates = ["out.png"],
            Changes = [".out.png.999999999-0123456789abcdef0123456789abcdef.tmp", ".out.png.0123456789abcdef0123456789abcdef.tmp"],
            // A killed writer's temporary (its process gone) and an old one of the earlier naming; a live writer's (pid 1) stays.
            Setup = s =>
            {
                File.WriteAllText(s.At(".out.png.999999999-0123456789abcdef0123456789abcdef.tmp"), "left by a SIGKILL");
                File.WriteAllText(s.At(".out.png.0123456789abcdef0123456789abcdef.tmp"), "left by an older build");
                File.SetLastWriteTimeUtc(s.At(".out.png.0123456789abcdef0123456789abcdef.tmp"), DateTime.UtcNow.AddHours(-1));
                File.WriteAllText(s.At(".out.png.1-fedcba9876543210fedcba9876543210.tmp"), "a live writer's");
            },
            Then = s => Directory.GetFiles(s.Root, ".out.png.*.tmp").Select(Path.GetFileName).ToArray() is [".out.png.1-fedcba9876543210fedcba9876543210.tmp"]
                ? null : $"temporaries left: {string.Join(", ", Directory.GetFiles(s.Root, ".out.png.*.tmp").Select(Path.GetFileName))}",
        },
        new("workshop-sigterm-while-reading-catalog", 143, "cancelled by SIGTERM during the workshop", ["workshop", "ws", "--no-packages", "--catalog", "fifo-in.jpg"])
        {
            Signal = 15, Moment = SignalMoment.WhileReadingInput,
        },
    ];

    /// <summary>Every case by name.</summary>
    public static IReadOnlyDictionary<string, MatrixCase> ByName { get; } = Cases.ToDictionary(c => c.Name);

    /// <summary>Cases that fail before any network is loaded.</summary>
    public static TheoryData<string> Fast { get; } = new(Cases.Where(c => !c.Runs).Select(c => c.Name));

    /// <summary>Cases that load the network (a few seconds each).</summary>
    public static TheoryData<string> Running { get; } = new(Cases.Where(c => c.Runs).Select(c => c.Name));
}
