using static TorchSharp.torch;

namespace NotebookStyle.Notebooks;

/// <summary>Typed access to what <see cref="NotebookSession.StartAsync"/> set up (use after the setup cell).</summary>
public static class Session
{
    /// <summary>The session's device (CPU unless the CUDA backend was loaded).</summary>
    public static Device Device => NotebookSession.DeviceObject as Device ?? CPU;

    /// <summary>The lesson sizes and budgets (quick mode or full).</summary>
    public static LessonSettings Lesson => LessonSettings.Current;
}
