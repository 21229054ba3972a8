using System.Linq;
using DeclarativeDistill.Generators.Analysis;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

using Activation = DeclarativeDistill.Generators.RuntimeContract.Activation;

/// <summary>Text networks: token ids, embeddings, 1-D convolutions, recurrent layers and readouts, with their shapes and counts.</summary>
public class SequenceLayerTests
{
    [Fact]
    public void Token_ids_are_the_input_item_and_keep_what_was_written()
    {
        var (items, _, syntax) = ArchitectureGrammar.Parse("tokens(20000, 128), embed(64), gap, 2");
        Assert.Null(syntax);
        Assert.Equal(TensorShape.Tokens(20000, 128), items!.Input.Shape);
        Assert.Equal("tokens(20000, 128),embed(64),gap,2", items.Normalized);
        Assert.Equal(128, items.Input.Shape.Size);
    }

    [Fact]
    public void Each_item_gives_its_shape_and_its_pytorch_parameter_count()
    {
        // Counts as PyTorch gives them for nn.Embedding(V, D), nn.Conv1d, nn.LSTM / nn.GRU (two bias vectors per gate
        // set) and nn.Linear: checked against real PyTorch in the runtime tests.
        var layers = Analyse("tokens(1000, 32), embed(16), conv1d(24, 3, pad: 1), bilstm(10), gru(8), gmp, 5");
        Assert.Equal(new[] { "32x16", "32x24", "32x20", "32x8", "8", "5" }, layers.Select(l => l.Output.ToString()));
        Assert.Equal(1000L * 16, layers[0].Parameters);
        Assert.Equal(24L * 16 * 3 + 24, layers[1].Parameters);
        Assert.Equal(2 * (4L * 10 * (24 + 10) + 2 * 4 * 10), layers[2].Parameters);
        Assert.Equal(3L * 8 * (20 + 8) + 2 * 3 * 8, layers[3].Parameters);
        Assert.Equal(0, layers[4].Parameters);
        Assert.Equal(8L * 5 + 5, layers[5].Parameters);
        Assert.Equal(24L * 16 * 3 * 32, layers[1].MultiplyAdds);
        Assert.Equal(2 * 4L * 10 * (24 + 10) * 32, layers[2].MultiplyAdds);
        Assert.Equal(new[] { "embed1", "conv1", "lstm1", "gru1", null, "output" }, layers.Select(l => l.Field));
    }

    [Fact]
    public void A_transformer_block_keeps_the_sequence_and_counts_what_pytorch_counts()
    {
        // nn.TransformerEncoderLayer(64, 4, 256): 4·64² + 4·64 attention, 2·64·256 + 256 + 64 feed-forward, 4·64 norms.
        var layers = Analyse("tokens(1000, 32), embed(64), positions, transformer(4, 256), first, 2");
        Assert.Equal(new[] { "32x64", "32x64", "32x64", "64", "2" }, layers.Select(l => l.Output.ToString()));
        Assert.Equal(32L * 64, layers[1].Parameters);
        Assert.Equal(4L * 64 * 64 + 4 * 64 + 2 * 64 * 256 + 256 + 64 + 4 * 64, layers[2].Parameters);
        Assert.Equal(4L * 32 * 64 * 64 + 2L * 32 * 32 * 64 + 2L * 32 * 64 * 256, layers[2].MultiplyAdds);
        Assert.Equal(new[] { "embed1", "pos1", "transformer1", null, "output" }, layers.Select(l => l.Field));
    }

    [Theory]
    [InlineData("tokens(100, 20), embed(8), conv1d(4, 5), gap, 2", "16x4")]
    [InlineData("tokens(100, 20), embed(8), conv1d(4, 4, stride: 2), first, 2", "9x4")]
    [InlineData("tokens(100, 20), embed(8), layernorm, dropout(0.1), lstm(6), first, 2", "20x6")]
    public void Convolutions_and_recurrent_layers_keep_or_shorten_the_steps(string layers, string sequence)
    {
        var analysed = Analyse(layers);
        Assert.Equal(sequence, analysed[analysed.Count - 3].Output.ToString());
    }

    [Theory]
    [InlineData("tokens(100, 20), 10", "DD0072", "10 cannot read token ids (20 per example, vocabulary 100): embed them first, e.g. tokens(100, 20), embed(64), ...")]
    [InlineData("tokens(100, 20), conv1d(8, 3), gap, 2", "DD0072", "conv1d(8, 3) cannot read token ids (20 per example, vocabulary 100): embed them first, e.g. tokens(100, 20), embed(64), ...")]
    [InlineData("tokens(100, 20), embed(8), 10", "DD0072", "10 cannot read a sequence of 20 steps of 8 features: read it out first with gap (the mean over the steps), gmp (the largest value) or first (the first step)")]
    [InlineData("tokens(100, 20), embed(8), bn, gap, 2", "DD0072", "bn cannot read a sequence of 20 steps of 8 features: read it out first with gap (the mean over the steps), gmp (the largest value) or first (the first step)")]
    [InlineData("tokens(100, 20), embed(8), conv(4, 3), gap, 2", "DD0072", "conv(4, 3) cannot read a sequence of 20 steps of 8 features: read it out first with gap (the mean over the steps), gmp (the largest value) or first (the first step)")]
    [InlineData("tokens(100, 20), embed(8), gap, lstm(4), 2", "DD0072", "lstm(4) needs a sequence (embed token ids first) but the input here is a vector of 8")]
    [InlineData("tokens(100, 20), embed(8), embed(4), gap, 2", "DD0072", "embed(4) cannot read a sequence of 20 steps of 8 features: read it out first with gap (the mean over the steps), gmp (the largest value) or first (the first step)")]
    [InlineData("784, embed(8), 2", "DD0072", "embed(8) reads token ids, the input tokens(V, L), but the input here is a vector of 784")]
    [InlineData("784, first, 2", "DD0072", "first needs a sequence (embed token ids first) but the input here is a vector of 784")]
    [InlineData("784, gmp, 2", "DD0051", "gmp needs an image or a sequence but the input here is a vector of 784")]
    [InlineData("tokens(100, 20), embed(10), transformer(4, 32), gap, 2", "DD0072", "transformer(4, 32) splits the 10 features of a sequence of 20 steps of 10 features into 4 heads: the features must be a multiple of the heads")]
    [InlineData("tokens(100, 20), positions, embed(8), gap, 2", "DD0072", "positions cannot read token ids (20 per example, vocabulary 100): embed them first, e.g. tokens(100, 20), embed(64), ...")]
    [InlineData("784, transformer(2, 8), 2", "DD0072", "transformer(2, 8) needs a sequence (embed token ids first) but the input here is a vector of 784")]
    [InlineData("tokens(100, 4), embed(8), conv1d(4, 5), gap, 2", "DD0050", "conv1d(4, 5) needs at least 5 steps but the input here is a sequence of 4 steps of 8 features")]
    [InlineData("tokens(100, 20), embed(8), bigru(4)", "DD0052", "the last item must be a fully connected layer whose width is the number of classes; found bigru(4) (the output here is a sequence of 20 steps of 8 features)")]
    public void Sequence_mistakes_name_the_shape_where_they_are(string layers, string id, string message)
    {
        var (items, _, syntax) = ArchitectureGrammar.Parse(layers);
        Assert.Null(syntax);
        var (_, problem) = ShapeInference.Analyse(items!, Activation.ReLU, 0);
        Assert.Equal(id, problem!.Descriptor.Id);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("tokens(1, 20), embed(8), gap, 2", "a vocabulary of 1 has no token besides the padding (id 0)")]
    [InlineData("tokens(100), embed(8), gap, 2", "'tokens(100)' has 1 argument: write tokens(V, L)")]
    [InlineData("tokens(100, 0), embed(8), gap, 2", "a token length of 0 has no units; it must be positive")]
    [InlineData("tokens(100, x), embed(8), gap, 2", "'x' is not a whole number: write tokens(V, L)")]
    [InlineData("784, tokens(100, 20), 2", "token ids such as tokens(100, 20) can only be the first item (the input)")]
    [InlineData("tokens(100, 20), embed(0), gap, 2", "embed's width must be at least 1; found 0")]
    [InlineData("tokens(100, 20), embed(8), lstm(x), gap, 2", "lstm's units must be a whole number; found 'x'")]
    public void Token_and_sequence_syntax_mistakes_say_what_to_write(string layers, string message)
    {
        var (_, _, syntax) = ArchitectureGrammar.Parse(layers);
        Assert.NotNull(syntax);
        Assert.Contains(message, syntax!.Message);
    }

    private static EquatableArray<Layer> Analyse(string layers)
    {
        var (items, _, syntax) = ArchitectureGrammar.Parse(layers);
        Assert.Null(syntax);
        var (analysed, problem) = ShapeInference.Analyse(items!, Activation.ReLU, 0);
        Assert.Null(problem?.Message);
        return analysed;
    }
}
