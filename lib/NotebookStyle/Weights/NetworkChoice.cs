namespace NotebookStyle.Weights;

/// <summary>Which pretrained network extracts features.</summary>
public enum NetworkChoice
{
    /// <summary>VGG19 when its weights are available, otherwise the offline ResNet default (with a notice saying why).</summary>
    Auto,
    /// <summary>VGG19 (the network of the paper and of the Keras example).</summary>
    Vgg19,
    /// <summary>The ImageNet-pretrained ResNet18 shipped in a NuGet package: works offline.</summary>
    ResNet18,
}
