using NotebookStyle.Storage;

namespace NotebookStyle.Provisioning;

/// <summary>The words the manifest, the log and the report use for kinds and statuses, and the store's outcomes as statuses.</summary>
public static class WorkshopWords
{
    /// <summary><c>weights</c>, <c>painting</c> or <c>package</c>.</summary>
    public static string Word(this WorkshopItemKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary><c>verified</c>, <c>downloaded</c>, <c>replaced</c> or <c>copied</c>.</summary>
    public static string Word(this WorkshopStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The status for what a fetch did (<see cref="FetchOutcome"/>): the same three cases.</summary>
    public static WorkshopStatus Status(this FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Verified => WorkshopStatus.Verified,
        FetchOutcome.Downloaded => WorkshopStatus.Downloaded,
        FetchOutcome.Replaced => WorkshopStatus.Replaced,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
