namespace NotebookStyle.Notebooks;

/// <summary>
/// A lesson's demonstration did not show what its text says (<see cref="Demonstration"/>): the figure moved the wrong
/// way or too little. The cell fails with one line naming the claim, the figures and what was expected, so a regression
/// in the method or a default shows as a failing lesson rather than a silently wrong page.
/// </summary>
public sealed class DemonstrationFailedException : NotebookStyleException
{
    /// <summary>Creates the error with its one-line message.</summary>
    public DemonstrationFailedException(string message) : base(message) { }
}
