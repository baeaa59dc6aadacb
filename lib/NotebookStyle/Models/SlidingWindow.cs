namespace NotebookStyle.Models;

/// <summary>One sliding-window operation along a network's widest path (a convolution or a pooling), per spatial axis.</summary>
/// <param name="Kernel">Window size.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Padding">Positions padded before the first input position.</param>
public readonly record struct SlidingWindow(int Kernel, int Stride, int Padding);
