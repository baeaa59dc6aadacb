namespace NotebookStyle.Storage;

/// <summary>What a fetch did to have a verified file: nothing, a download, or a download in place of a damaged copy.</summary>
public enum FetchOutcome
{
    /// <summary>A verified copy was already there; nothing was downloaded.</summary>
    Verified,
    /// <summary>There was no copy (or only an interrupted <c>.part</c>); it was downloaded and verified.</summary>
    Downloaded,
    /// <summary>A copy whose hash did not match was removed (with a notice) and the file downloaded again and verified.</summary>
    Replaced,
}
