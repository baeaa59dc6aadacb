using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace NotebookStyle.Benchmarks;

/// <summary>
/// An experiment, not the library's loss: the style term scale·Σ(F·Fᵀ − A)² as one autograd function whose backward
/// is the closed form ∂/∂F = 4·scale·(G − A)·F (G − A is symmetric), one N×N by N×M product. Autograd through
/// <c>GramMatrix.Compute</c> instead runs two such products (one per operand of F·Fᵀ) and adds them.
/// Vars: the feature map [1, N, H, W], the style Gram A [N, N], the scale (double).
/// </summary>
internal sealed class FusedStyleLoss : SingleTensorFunction<FusedStyleLoss>
{
    public override string Name => "FusedStyleLoss";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var features = (Tensor)vars[0];
        var target = (Tensor)vars[1];
        double scale = (double)vars[2];
        long n = features.shape[1], m = features.shape[2] * features.shape[3];
        using var scope = NewDisposeScope();
        var f = features.reshape(n, m);
        var diff = f.mm(f.t()).sub_(target);
        var loss = diff.square().sum().mul_(scale);
        // Saved after forward returns: diff must outlive this scope (the caller's scope releases its handle later).
        ctx.save_for_backward([features, diff.MoveToOuterDisposeScope()]);
        ctx.save_data("scale", scale);
        return loss.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var features = saved[0];
        var diff = saved[1];
        double scale = (double)ctx.get_data("scale");
        long n = features.shape[1], m = features.shape[2] * features.shape[3];
        var grad = diff.mul(grad_output.mul(4 * scale)).mm(features.reshape(n, m)).view(features.shape);
        return [grad.MoveToOuterDisposeScope(), null!, null!];
    }
}
