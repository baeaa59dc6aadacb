namespace NotebookStyle.Losses;

/// <summary>How much one tapped layer counts in the style and in the content loss (a namedtuple in the Keras example).</summary>
/// <param name="Layer">A layer name or alias of the network, e.g. <c>block5_conv2</c> or <c>relu4_2</c>.</param>
/// <param name="StyleWeight">Weight of this layer's Gram-matrix term (0: not a style layer).</param>
/// <param name="ContentWeight">Weight of this layer's content term (0: not a content layer).</param>
public sealed record LayerWeights(string Layer, double StyleWeight, double ContentWeight);
