namespace NotebookStyle.Notebooks;

/// <summary>What the session set up, shown as a table by each lesson's setup cell.</summary>
/// <param name="Library">The NotebookStyle package: version and where the kernel loaded it from.</param>
/// <param name="DotNet">The .NET runtime.</param>
/// <param name="OperatingSystem">The operating system.</param>
/// <param name="Backend">cpu or cuda, and why.</param>
/// <param name="Packages">The package references sent into the kernel.</param>
/// <param name="Natives">Which libtorch natives were loaded.</param>
/// <param name="Device">Where tensors live.</param>
/// <param name="Threads">CPU threads torch uses.</param>
/// <param name="Network">The network the lessons load (<see cref="LessonNetwork"/>).</param>
/// <param name="QuickMode">Whether quick mode is on.</param>
/// <param name="Images">Where images are looked up, in order.</param>
/// <param name="Cache">The cache folder (downloaded weights and images).</param>
/// <param name="Charts">How charts are drawn.</param>
/// <param name="Notices">What went differently from the choice (a CUDA fallback), or empty.</param>
public sealed record SessionInfo(string Library, string DotNet, string OperatingSystem, string Backend, string Packages, string Natives,
    string Device, int Threads, string Network, bool QuickMode, string Images, string Cache, string Charts, IReadOnlyList<string> Notices);
