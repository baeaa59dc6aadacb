namespace NotebookStyle.Notebooks;

/// <summary>
/// An exercise's answer did not pass its check: the message says precisely what is wrong (a shape, a factor, a missing
/// clamp, a gradient that does not flow). A check cell that throws it fails the cell, as an nbgrader assert does, and
/// shows one line (see <see cref="NotebookStyleException.ToString"/>).
/// </summary>
public sealed class ExerciseCheckException : NotebookStyleException
{
    /// <summary>Creates the error with the check's message.</summary>
    public ExerciseCheckException(string message) : base(message) { }
}
