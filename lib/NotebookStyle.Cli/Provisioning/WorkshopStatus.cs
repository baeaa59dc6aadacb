namespace NotebookStyle.Provisioning;

/// <summary>What a workshop run did about an item; <see cref="WorkshopWords.Word(WorkshopStatus)"/> is how the log names it.</summary>
public enum WorkshopStatus
{
    /// <summary>A verified copy was already in the folder (<c>verified</c>).</summary>
    Verified,
    /// <summary>Downloaded into the folder and verified (<c>downloaded</c>).</summary>
    Downloaded,
    /// <summary>A damaged copy was removed and the file downloaded again (<c>replaced</c>).</summary>
    Replaced,
    /// <summary>A package copied in from the restore's global packages folder and verified (<c>copied</c>).</summary>
    Copied,
}
