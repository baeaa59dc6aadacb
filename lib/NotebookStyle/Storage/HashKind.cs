namespace NotebookStyle.Storage;

/// <summary>The digest a download is verified with.</summary>
public enum HashKind
{
    /// <summary>MD5, as Keras applications' <c>file_hash</c> for the VGG19 file.</summary>
    Md5,

    /// <summary>SHA-256, in full or as the leading hex digits that torch.hub file names carry.</summary>
    Sha256,
}
