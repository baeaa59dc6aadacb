namespace NotebookStyle.Weights;

/// <summary>The file formats the weight readers understand.</summary>
public enum WeightFormat
{
    /// <summary>Keras' legacy HDF5 weights (<c>save_weights</c>): <c>layer_names</c> / <c>weight_names</c> attributes, HWIO kernels.</summary>
    KerasHdf5,

    /// <summary>A PyTorch state dict written by <c>torch.save</c> (zip format, the legacy format of torchvision's 2017 files, or torch 0.1.x's tar).</summary>
    PyTorch,

    /// <summary>safetensors: 8-byte header length, JSON header, raw little-endian tensor data.</summary>
    Safetensors,
}
