namespace NotebookStyle.Models;

/// <summary>One row of a Keras-style model summary.</summary>
/// <param name="Name">The layer's name, e.g. <c>block1_conv1</c>.</param>
/// <param name="Type">Its Keras-style type, e.g. <c>Conv2D</c>.</param>
/// <param name="Stage">The stage whose output shape the row shows (null: the input).</param>
/// <param name="Parameters">Number of parameters in the layer.</param>
public sealed record SummaryLayer(string Name, string Type, string? Stage, long Parameters);
