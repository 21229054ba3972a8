using System;
using System.Linq;
using DeclarativeDistill.Generators.Analysis;
using DeclarativeDistill.Generators.Diagnostics;
using DeclarativeDistill.Generators.Grammar;
using DeclarativeDistill.Generators.Layers;
using DeclarativeDistill.Generators.Model;
using DeclarativeDistill.Generators.Operations;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

// The generator's copy of the runtime's enum (the runtime's own, in the enclosing namespace, would win otherwise).
using Activation = DeclarativeDistill.Generators.RuntimeContract.Activation;

/// <summary>The grammar, the layer kinds and shape inference, called directly rather than through a compilation.</summary>
public class LayerTests
{
    [Fact]
    public void The_grammar_reads_items_with_their_places_and_normal_forms()
    {
        const string text = "1x28x28,  conv(32, 3, pad: 1) , maxpool(2, stride: 2), bn, 128, dropout(0.25), 10";
        var (items, count, problem) = ArchitectureGrammar.Parse(text);

        Assert.Null(problem);
        Assert.Equal(7, count);
        Assert.Equal(TensorShape.Image(1, 28, 28), items!.Input.Shape);
        Assert.Equal((0, 7), (items.Input.Start, items.Input.Length));
        Assert.Equal(new[] { "conv(32, 3, pad: 1)", "maxpool(2)", "bn", "128", "dropout(0.25)", "10" }, items.Layers.Select(l => l.Text));
        var conv = Assert.IsType<ConvSpec>(items.Layers[0]);
        Assert.Equal(text.IndexOf("conv", StringComparison.Ordinal), conv.Start);
        Assert.Equal("conv(32, 3, pad: 1)".Length, conv.Length);
        Assert.Equal((32L, 3L, 1L, 1L, false), (conv.Channels, conv.Kernel, conv.Stride, conv.Pad, conv.Depthwise));
        Assert.Equal(new PoolSpec(PoolKind.Max, 2, 2, text.IndexOf("maxpool", StringComparison.Ordinal), "maxpool(2, stride: 2)".Length), items.Layers[1]);
        Assert.Equal("1x28x28,conv(32, 3, pad: 1),maxpool(2),bn,128,dropout(0.25),10", items.Normalized);
    }

    [Theory]
    [InlineData("784, conv(8", 9, 1, "'conv(8' has no closing parenthesis")]
    [InlineData("784,,10", 4, 0, "expected a layer width, found two commas with nothing between them")]
    [InlineData("conv(8, 3), 10", 0, 10, "the first item is the input, a width such as 784, an image shape such as 1x28x28 or token ids such as tokens(20000, 128); found 'conv(8, 3)'")]
    [InlineData("1x28x28, conv(8, stride: 2, 3)", 28, 1, "conv: positional arguments come before named ones; write conv(32, 3) or conv(64, 3, stride: 2, pad: 1)")]
    [InlineData("1x28x28, conv(8, 0), 10", 17, 1, "conv's kernel must be at least 1; found 0")]
    [InlineData("1x28x28, Conv(8, 3), 10", 9, 4, "'Conv' is not a layer; names are lower case: conv")]
    [InlineData("1x28x28, pool(2), 10", 9, 4, "'pool' is not a layer; a layer is a width such as 128, conv(C, K), dwconv(K), maxpool(K), avgpool(K), bn, res(C), gap, gmp, flatten, dropout(p), layernorm, embed(D), conv1d(C, K), first, lstm(H), bilstm(H), gru(H), bigru(H), positions or transformer(H, F)")]
    [InlineData("1x28x28, bn(2), 10", 9, 5, "bn takes no arguments; write bn")]
    [InlineData("784, layernorm(1e-5), 10", 5, 15, "layernorm takes no arguments; write layernorm")]
    [InlineData("784, dropout(1), 10", 13, 1, "dropout needs a probability in [0, 1), e.g. dropout(0.25); found '1'")]
    [InlineData("784, 1x28x28, 10", 5, 7, "an image shape such as 1x28x28 can only be the first item (the input)")]
    [InlineData("784, res(16, stride: 2, stride: 2), 10", 24, 9, "res gives 'stride' twice")]
    public void The_grammar_reports_the_first_problem_where_it_is(string text, int start, int length, string message)
    {
        var (items, _, problem) = ArchitectureGrammar.Parse(text);

        Assert.Null(items);
        Assert.Equal(new SyntaxProblem(start, length, message), problem);
    }

    [Fact]
    public void A_convolution_may_have_no_padding_but_not_a_zero_kernel_or_stride()
    {
        Assert.Null(ArchitectureGrammar.Parse("1x8x8, conv(4, 3, pad: 0), 2").Problem);
        Assert.Contains("stride must be at least 1", ArchitectureGrammar.Parse("1x8x8, conv(4, 3, stride: 0), 2").Problem!.Message);
        Assert.Contains("kernel must be at least 1", ArchitectureGrammar.Parse("1x8x8, maxpool(0), 2").Problem!.Message);
    }

    [Fact]
    public void Every_kind_of_the_assembly_is_registered_once_in_its_order()
    {
        var kinds = typeof(LayerKind).Assembly.GetTypes().Where(t => typeof(LayerKind).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.Equal(LayerKinds.All.Count, LayerKinds.All.Distinct().Count());
        Assert.Equal(kinds.OrderBy(t => t.Name), LayerKinds.All.Select(k => k.GetType()).Distinct().OrderBy(t => t.Name));
        Assert.Equal(4, LayerKinds.All.Count(k => k is Recurrent)); // lstm, gru, bilstm, bigru: one kind, four variants
        Assert.Equal(LayerKinds.All.Select(k => k.Order).Distinct().Count(), LayerKinds.All.Count);
        Assert.Same(Dense.Instance, LayerKinds.All[0]);
    }

    [Fact]
    public void Every_named_kind_is_found_by_its_name_and_listed_in_order()
    {
        var named = LayerKinds.All.Where(k => k.Name is not null).ToList();
        Assert.Equal(named.Count, named.Select(k => k.Name).Distinct().Count());
        Assert.All(named, kind => Assert.Same(kind, LayerKinds.Find(kind.Name!)));
        Assert.Null(LayerKinds.Find("Conv"));
        Assert.StartsWith("a width such as 128, conv(C, K), dwconv(K)", LayerKinds.KnownItems);
        Assert.Equal(named.Count + 3, LayerKinds.KnownItems.Split(',').Length); // conv(C, K), conv1d(C, K) and transformer(H, F) hold a comma each
        Assert.Contains(LayerKinds.KnownItemsDescription, DiagnosticDescriptors.MalformedLayers.Description.ToString());
    }

    [Theory]
    // out = ⌊(in + 2·pad − K) / stride⌋ + 1, as PyTorch's Conv2d and pooling compute it.
    [InlineData("1x28x28, conv(32, 3), 10", "32x26x26")]
    [InlineData("1x28x28, conv(32, 3, pad: 1), 10", "32x28x28")]
    [InlineData("3x32x32, conv(16, 3, stride: 2, pad: 1), 10", "16x16x16")]
    [InlineData("3x32x32, conv(16, 5, stride: 3), 10", "16x10x10")]
    [InlineData("3x7x9, dwconv(3, pad: 1), 10", "3x7x9")]
    [InlineData("8x7x7, maxpool(2), 10", "8x3x3")]
    [InlineData("8x7x7, avgpool(3, stride: 2), 10", "8x3x3")]
    [InlineData("8x7x7, res(16, stride: 2), 10", "16x4x4")]
    [InlineData("8x7x7, gap, 10", "8")]
    [InlineData("8x7x7, flatten, 10", "392")]
    [InlineData("8x7x7, layernorm, 10", "8x7x7")]
    [InlineData("784, layernorm, 10", "784")]
    public void Each_kind_gives_the_shape_PyTorch_gives(string layers, string shape)
    {
        var network = Analyse(layers);
        Assert.Equal(shape, network[0].Output.ToString());
    }

    [Fact]
    public void A_residual_block_has_the_parameters_of_torchvisions_BasicBlock()
    {
        // ResNet-18's layer1.0 (64 → 64) and layer2.0 (64 → 128, stride 2, with its 1×1 downsample): 73,984 and 230,144.
        Assert.Equal(73_984, Analyse("64x56x56, res(64), 10")[0].Parameters);
        Assert.Equal(230_144, Analyse("64x56x56, res(128, stride: 2), 10")[0].Parameters);
    }

    [Fact]
    public void A_normalization_takes_over_the_activation_and_dropout_of_the_layer_before_it()
    {
        var network = Analyse("1x8x8, conv(4, 3), bn, 16, bn, 12, 3", Activation.GELU, dropout: 0.5);

        Assert.Equal(new Operation[] { new Conv2dOperation("conv1", 1, 4, 3, 1, 0, Depthwise: false, Bias: false) }, network[0].Operations);
        Assert.Equal(new Operation[] { new BatchNormOperation("bn1", 4, OverImages: true), new ActivationOperation(Activation.GELU) }, network[1].Operations);
        Assert.Equal(new Operation[] { new FlattenOperation() }, network[2].Operations); // implicit, before the fully connected layer
        Assert.Equal(new Operation[] { new LinearOperation("hidden1", 144, 16) }, network[3].Operations);
        Assert.Equal(new Operation[] { new BatchNormOperation("bn2", 16, OverImages: false), new ActivationOperation(Activation.GELU), new ClassDropoutOperation(0.5) },
            network[4].Operations);
        Assert.Equal(new Operation[] { new LinearOperation("hidden2", 16, 12), new ActivationOperation(Activation.GELU), new ClassDropoutOperation(0.5) },
            network[5].Operations);
        Assert.Equal(new Operation[] { new LinearOperation("output", 12, 3) }, network[6].Operations);
        Assert.True(((FlattenSpec)network[2].Spec).Implicit);
    }

    [Fact]
    public void Layer_norm_has_a_scale_and_a_shift_per_value_and_takes_over_the_activation()
    {
        var network = Analyse("1x12x12, conv(4, 3), layernorm, maxpool(2), 64, layernorm, 10", dropout: 0.2);

        Assert.Equal(new Operation[] { new Conv2dOperation("conv1", 1, 4, 3, 1, 0, Depthwise: false, Bias: true) }, network[0].Operations);
        Assert.Equal(4 * 9 + 4, network[0].Parameters); // a layer norm does not make the convolution's bias redundant
        Assert.Equal(new Operation[] { new LayerNormOperation("ln1", TensorShape.Image(4, 10, 10)), new ActivationOperation(Activation.ReLU) }, network[1].Operations);
        Assert.Equal(2 * 400, network[1].Parameters);
        Assert.Equal(0, network[1].MultiplyAdds);
        Assert.Equal(new Operation[] { new LayerNormOperation("ln2", TensorShape.Vector(64)), new ActivationOperation(Activation.ReLU), new ClassDropoutOperation(0.2) },
            network[5].Operations);
    }

    [Fact]
    public void A_convolution_keeps_its_bias_unless_batch_norm_follows()
    {
        var network = Analyse("1x8x8, conv(4, 3), maxpool(2), conv(4, 3, pad: 1), bn, 2");
        Assert.True(((Conv2dOperation)network[0].Operations[0]).Bias);
        Assert.Equal(4 * 9 + 4, network[0].Parameters);
        Assert.False(((Conv2dOperation)network[2].Operations[0]).Bias);
        Assert.Equal(4 * 4 * 9, network[2].Parameters);
    }

    [Fact]
    public void Taps_say_which_activation_a_layers_output_has_been_through()
    {
        var spec = new NetworkSpec
        {
            Type = new TypeDeclaration("N", "T", default, default),
            Role = NetworkRole.Teacher,
            Source = NetworkSource.Generated,
            Input = TensorShape.Image(1, 8, 8),
            OutputSize = 2,
            Layers = Analyse("1x8x8, conv(4, 3), bn, res(4), bn, dropout(0.1), 2", Activation.Tanh),
        };

        Assert.Equal(
            new[] { ("conv1", (Activation?)null), ("bn1", Activation.Tanh), ("res1", Activation.Tanh), ("bn2", null), ("dropout1", null), ("output", null) },
            spec.Taps().Select(t => (t.Name, t.EndsWith)));
    }

    [Theory]
    [InlineData("784, maxpool(2), 10", "DD0051", "maxpool(2) needs an image (channels x height x width) but the input here is a vector of 784")]
    [InlineData("1x4x4, conv(8, 3), maxpool(2), maxpool(2), 10", "DD0050", "maxpool(2) needs at least 2x2 but the input here is 8x1x1")]
    [InlineData("64x1x1, maxpool(2), 10", "DD0050", "maxpool(2) needs at least 2x2 but the input here is 64x1x1")]
    [InlineData("1x4x4, conv(8, 5, pad: 0), 10", "DD0050", "conv(8, 5) needs at least 5x5 but the input here is 1x4x4")]
    [InlineData("1x8x8, conv(8, 3), gap", "DD0052", "the last item must be a fully connected layer whose width is the number of classes; found gap (the output here is a vector of 8)")]
    [InlineData("2147483647, 2147483647, 2147483647, 2147483647, 2147483647", "DD0003", "the network has more parameters or multiply-adds than a 64-bit count can hold")]
    public void Shape_problems_name_the_shape_where_they_are(string layers, string id, string message)
    {
        var (items, _, syntax) = ArchitectureGrammar.Parse(layers);
        Assert.Null(syntax);
        var (_, problem) = ShapeInference.Analyse(items!, Activation.ReLU, 0);

        Assert.Equal(id, problem!.Descriptor.Id);
        Assert.Equal(message, problem.Message);
    }

    private static EquatableArray<Layer> Analyse(string layers, Activation activation = Activation.ReLU, double dropout = 0)
    {
        var (items, _, syntax) = ArchitectureGrammar.Parse(layers);
        Assert.Null(syntax);
        var (analysed, problem) = ShapeInference.Analyse(items!, activation, dropout);
        Assert.Null(problem);
        return analysed;
    }
}
