using System;
using System.Globalization;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// A cheap look at the scale of the features a network without input normalisation is about to train on: networks train
/// far better on features near unit scale, and a set of raw pixels (0..255) or of tabular columns in the thousands trains
/// silently to a fraction of the accuracy the same set reaches standardised.
/// </summary>
internal static class DataScale
{
    /// <summary>Examples looked at: the first ones, read once.</summary>
    private const int Examples = 256;

    /// <summary>A feature whose root mean square exceeds this is far from unit scale.</summary>
    private const double Largest = 10;

    /// <summary>
    /// A warning naming the largest feature when it is far from unit scale; null when the scale is fine, the network
    /// normalises its inputs, or it reads token ids (which an embedding looks up, whatever their size).
    /// </summary>
    public static string? Check(Model model, DataSource data)
    {
        if (model is IGeneratedNetwork { InputNormalization: not null } or IGeneratedNetwork { Description.Input.IsTokens: true } || data.Count == 0)
        {
            return null;
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int count = Math.Min(Examples, data.Count);
        var (features, _) = data.ReadRange(0, count);
        var rms = features.reshape(count, -1).to_type(ScalarType.Float64).square().mean(new long[] { 0 }).sqrt();
        var (largest, index) = rms.max(0);
        double value = largest.item<double>();
        if (value <= Largest)
        {
            return null;
        }
        return string.Format(CultureInfo.InvariantCulture,
            "The features of {0} are far from unit scale: feature {1} has a root mean square of {2:G4} over the first {3} examples. "
            + "Networks train far better on standardised features: set the network's InputNormalization = Normalization.Fit(train) "
            + "(it is saved and exported with the network, which then takes raw values), or standardise the data with Normalization.Apply.",
            data.Origin, index.item<long>(), value, count);
    }
}
