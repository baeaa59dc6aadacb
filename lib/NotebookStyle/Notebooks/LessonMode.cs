namespace NotebookStyle.Notebooks;

/// <summary>
/// Quick or full lessons for one kernel, and the switch a learner runs in a cell. A kernel reads its environment once
/// when it starts, and a front end such as VS Code offers no obvious place to set <see cref="NotebookEnvironment.Quick"/>,
/// so <see cref="Use"/> switches the mode for the cells that follow and, when asked, remembers the choice in the cache
/// folder (<see cref="FileName"/>) for the lessons opened later. Which mode applies, first match wins: a switch made in
/// this kernel; <see cref="NotebookEnvironment.Quick"/> when set (a workshop's or CI's choice); the remembered choice; full.
/// </summary>
public sealed class LessonMode
{
    /// <summary>The file in the cache folder that remembers a learner's choice: <c>quick</c> or <c>full</c>.</summary>
    public const string FileName = "lesson-mode.txt";

    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private readonly object _gate = new();
    private LessonSettings? _chosen;
    private (LessonSettings Settings, string Source)? _initial;

    /// <summary>A mode over the process environment, or over <paramref name="environment"/> (tests).</summary>
    public LessonMode(IReadOnlyDictionary<string, string?>? environment = null) => _environment = environment;

    /// <summary>The kernel's mode, behind <see cref="Session.Lesson"/> and <see cref="Session.UseQuickMode"/>.</summary>
    public static LessonMode Default { get; } = new();

    /// <summary>The settings the next cell gets.</summary>
    /// <exception cref="NotebookSetupException">The remembered choice is unreadable; the message names the file.</exception>
    public LessonSettings Current
    {
        get { lock (_gate) return _chosen ?? Initial().Settings; }
    }

    /// <summary>Where <see cref="Current"/> comes from, in words (for the session table and notices).</summary>
    public string Source
    {
        get { lock (_gate) return _chosen is not null ? "switched in this kernel" : Initial().Source; }
    }

    /// <summary>The file that remembers a learner's choice for later lessons.</summary>
    public string RememberedFile => Path.Combine(NotebookEnvironment.CacheFolder(_environment), FileName);

    /// <summary>
    /// Switches quick mode on or off for the cells that run after this one. With <paramref name="forLaterLessons"/>, also
    /// remembers the choice for the lessons opened later (unless <see cref="NotebookEnvironment.Quick"/> is set for them).
    /// </summary>
    /// <returns>The settings now in force.</returns>
    public LessonSettings Use(bool quick, bool forLaterLessons = false)
    {
        var settings = quick ? LessonSettings.QuickMode : LessonSettings.Full;
        if (forLaterLessons)
        {
            string file = RememberedFile;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, (quick ? "quick" : "full") + "\n");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new NotebookSetupException($"Could not remember the lesson mode in {file}: {ex.Message}");
            }
        }
        lock (_gate) _chosen = settings;
        return settings;
    }

    /// <summary>Forgets the remembered choice (later lessons start from the environment, else full).</summary>
    public void Forget()
    {
        if (File.Exists(RememberedFile)) File.Delete(RememberedFile);
    }

    /// <summary>The remembered choice: true quick, false full, null none.</summary>
    /// <exception cref="NotebookSetupException">The file holds something else; the message names it.</exception>
    public bool? Remembered()
    {
        string file = RememberedFile;
        if (!File.Exists(file)) return null;
        string text = File.ReadAllText(file).Trim();
        return text.ToLowerInvariant() switch
        {
            "quick" => true,
            "full" => false,
            _ => throw new NotebookSetupException($"{file} holds '{(text.Length > 40 ? text[..40] + "…" : text)}', expected quick or full: " +
                                                  "delete it, or run Session.UseQuickMode(true or false, forLaterLessons: true)."),
        };
    }

    /// <summary>Whether <see cref="NotebookEnvironment.Quick"/> is set for this kernel (it then wins over a remembered choice).</summary>
    public bool EnvironmentDecides => NotebookEnvironment.Get(NotebookEnvironment.Quick, _environment) is not null;

    private (LessonSettings Settings, string Source) Initial() => _initial ??= Read();

    private (LessonSettings, string) Read()
    {
        if (NotebookEnvironment.Get(NotebookEnvironment.Quick, _environment) is { } value)
            return (LessonSettings.FromEnvironment(_environment), $"{NotebookEnvironment.Quick}={value}");
        return Remembered() switch
        {
            true => (LessonSettings.QuickMode, $"remembered in {RememberedFile}"),
            false => (LessonSettings.Full, $"remembered in {RememberedFile}"),
            null => (LessonSettings.Full, "default (full)"),
        };
    }
}
