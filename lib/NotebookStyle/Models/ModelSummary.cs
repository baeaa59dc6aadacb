using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace NotebookStyle.Models;

/// <summary>One row of a computed summary.</summary>
/// <param name="Name">Layer name.</param>
/// <param name="Type">Layer type.</param>
/// <param name="OutputShape">Output shape in Keras' channels-last notation, e.g. (None, 224, 224, 64).</param>
/// <param name="Parameters">Parameter count.</param>
public sealed record SummaryRow(string Name, string Type, string OutputShape, long Parameters);

/// <summary>A Keras-style model summary: Layer (type), Output Shape, Param #, and the totals.</summary>
/// <param name="Rows">One row per layer.</param>
/// <param name="TotalParameters">All parameters.</param>
/// <param name="TrainableParameters">Parameters with gradients on (zero for a frozen feature extractor).</param>
public sealed record ModelSummary(IReadOnlyList<SummaryRow> Rows, long TotalParameters, long TrainableParameters)
{
    /// <summary>Computes the summary by running a zero image of <paramref name="height"/>×<paramref name="width"/> through the network.</summary>
    public static ModelSummary Create(FeatureExtractor network, int height = 224, int width = 224)
    {
        var layers = network.SummaryLayers().ToList();
        var taps = layers.Where(l => l.Stage is not null).Select(l => l.Stage!).Distinct().ToList();
        var rows = new List<SummaryRow>();
        using (no_grad())
        using (NewDisposeScope())
        {
            var input = zeros(1, 3, height, width, device: network.Device);
            var outputs = network.Extract(input, taps);
            foreach (var l in layers)
            {
                long[] s = l.Stage is null ? input.shape : outputs[l.Stage].shape;
                rows.Add(new(l.Name, l.Type, $"(None, {s[2]}, {s[3]}, {s[1]})", l.Parameters));
            }
        }
        var all = network.parameters().ToList();
        return new(rows, all.Sum(p => p.numel()), all.Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    /// <summary>The table as Keras prints it.</summary>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string rule = new('_', 65), thick = new('=', 65);
        sb.AppendLine(rule);
        sb.AppendLine($"{"Layer (type)",-29}{"Output Shape",-26}{"Param #",-10}".TrimEnd());
        sb.AppendLine(thick);
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            sb.AppendLine($"{$"{r.Name} ({r.Type})",-29}{r.OutputShape,-26}{r.Parameters.ToString(ci),-10}".TrimEnd());
            sb.AppendLine(i == Rows.Count - 1 ? thick : rule);
        }
        sb.AppendLine($"Total params: {TotalParameters.ToString("N0", ci)}");
        sb.AppendLine($"Trainable params: {TrainableParameters.ToString("N0", ci)}");
        sb.AppendLine($"Non-trainable params: {(TotalParameters - TrainableParameters).ToString("N0", ci)}");
        sb.Append(rule);
        return sb.ToString();
    }
}
