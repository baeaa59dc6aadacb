namespace NotebookStyle.Notebooks;

/// <summary>What an exercise's check found: passed or not, and the one line that says so ("✔ …" or "✘ …").</summary>
/// <param name="Passed">Whether the answer is right.</param>
/// <param name="Message">The line the learner reads.</param>
public sealed record CheckOutcome(bool Passed, string Message)
{
    /// <summary>A passed check; the message gets its "✔ ".</summary>
    public static CheckOutcome Pass(string message) => new(true, "✔ " + message);

    /// <summary>A failed check; the message gets its "✘ ".</summary>
    public static CheckOutcome Fail(string message) => new(false, "✘ " + message);

    /// <summary>The message when passed; otherwise throws it, so that the check cell fails.</summary>
    /// <exception cref="ExerciseCheckException">The check failed.</exception>
    public string Require() => Passed ? Message : throw new ExerciseCheckException(Message);

    /// <inheritdoc />
    public override string ToString() => Message;
}
