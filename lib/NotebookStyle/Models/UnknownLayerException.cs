namespace NotebookStyle.Models;

/// <summary>A layer name that the network does not have; the message lists the names it does have.</summary>
public sealed class UnknownLayerException(string message) : NotebookStyleException(message);
