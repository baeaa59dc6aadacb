namespace NotebookStyle.Models;

/// <summary>Which pooling VGG19 uses between blocks. The paper reports average pooling gives slightly more appealing results.</summary>
public enum Pooling
{
    /// <summary>Max pooling, as the network was trained.</summary>
    Max,
    /// <summary>Average pooling, as Gatys et al. suggest for synthesis.</summary>
    Average,
}
