using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DeclarativeDistill.Operations;
using DeclarativeDistill.Tests.Declarations.Vision;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Networks;

/// <summary>Every generated network's description says what its module is: the same tensors, parameters, taps and weights.</summary>
public class DescriptionTests
{
    /// <summary>Every network of this assembly generated from Layers.</summary>
    public static TheoryData<Type> GeneratedNetworks()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(DescriptionTests).Assembly.GetTypes().Where(t => typeof(IGeneratedNetwork).IsAssignableFrom(t)).OrderBy(t => t.FullName))
        {
            data.Add(type);
        }
        return data;
    }

    [Fact]
    public void The_test_networks_include_every_kind_of_layer()
    {
        var kinds = typeof(DescriptionTests).Assembly.GetTypes().Where(t => typeof(IGeneratedNetwork).IsAssignableFrom(t))
            .SelectMany(t => Describe(t).Operations)
            .SelectMany(o => o is Residual r ? r.Main.Concat(r.Shortcut).Append(o) : new[] { o })
            .Select(o => o.GetType().Name)
            .ToHashSet();
        Assert.Superset(new HashSet<string> { "Linear", "Conv2d", "BatchNorm", "Activate", "Dropout", "MaxPool", "AveragePool", "Flatten", "GlobalAveragePool", "Residual", "Tap", "LayerNorm" }, kinds);
    }

    [Theory]
    [MemberData(nameof(GeneratedNetworks))]
    public void The_description_names_the_modules_tensors_with_their_shapes(Type type)
    {
        using var model = (Model)Activator.CreateInstance(type)!;
        var description = ((IGeneratedNetwork)model).Description;

        description.CheckAgainst(model);
        Assert.Equal(model.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal), description.State.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(model.named_parameters().Select(p => p.name).OrderBy(k => k, StringComparer.Ordinal),
            description.State.Where(t => t.Trainable).Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(model.parameters().Sum(p => p.numel()), description.ParameterCount);
        Assert.Equal(type.GetField("ParameterCount")!.GetValue(null), description.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(GeneratedNetworks))]
    public void Its_compressible_weights_are_the_modules_linear_and_convolution_weights(Type type)
    {
        using var model = (Model)Activator.CreateInstance(type)!;
        var byModuleType = model.named_modules()
            .Where(m => m.module is TorchSharp.Modules.Linear or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Conv1d)
            .Select(m => m.name + ".weight");

        // The same weights; the description lists them in forward order (TorchSharp's named_modules lists a module's own
        // children before their children's).
        Assert.Equal(byModuleType.Order(StringComparer.Ordinal), ((IGeneratedNetwork)model).Description.CompressibleWeights.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GeneratedNetworks))]
    public void Its_taps_are_the_feature_layers_with_the_shapes_Features_returns(Type type)
    {
        using var model = (Model)Activator.CreateInstance(type)!;
        var network = (IGeneratedNetwork)model;
        var description = network.Description;
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = description.Input.IsTokens
            ? randint(description.Input.Vocabulary, new long[] { 2, description.Input.Size }).to_type(ScalarType.Float32) // token ids
            : randn(2, description.Input.Size);
        var features = network.Features(input, description.FeatureLayers.ToArray());

        Assert.Equal(description.FeatureLayers, network.FeatureLayers);
        Assert.Equal(description.Taps.Select(t => "2x" + t.Shape), features.Select(f => string.Join("x", f.shape)));
        Assert.Equal(description.OutputSize, features[^1].shape[1]);
    }

    [Fact]
    public void A_description_of_another_network_is_refused_with_what_differs()
    {
        using var model = new TinyResNet();
        var other = new NetworkDescription("Other", "3x8x8", 4, new Operation[] { new Conv2d("conv1", 3, 5, 3), new Linear("head", 5, 4) });

        var error = Assert.Throws<ArgumentException>(() => other.CheckAgainst(model));
        Assert.Contains("conv1.weight is [4, 3, 3, 3], described as [5, 3, 3, 3]", error.Message);
        Assert.Contains("missing conv1.bias", error.Message);
        Assert.Contains("missing head.weight", error.Message);
        Assert.Contains("unexpected res1.conv1.weight", error.Message);
        Assert.Throws<ArgumentException>(() => OnnxExport.Build(model, other));
    }

    [Fact]
    public void Generic_code_reads_a_networks_constants_from_its_type()
    {
        Assert.Equal(($"{ResNet20.Architecture}", ResNet20.ParameterCount, ResNet20.MultiplyAdds, 3072, 10), Summary<ResNet20>());
        Assert.Equal((LeNet5.Architecture, LeNet5.ParameterCount, LeNet5.MultiplyAdds, 784, 10), Summary<LeNet5>());
        using var loaded = Roundtrip<TinyResNet>();
        Assert.IsType<TinyResNet>(loaded);
    }

    private static (string, long, long, int, int) Summary<T>()
        where T : Model, IGeneratedNetwork<T>, new() =>
        (T.Architecture, T.ParameterCount, T.MultiplyAdds, T.InputSize, T.OutputSize);

    private static T Roundtrip<T>()
        where T : Model, IGeneratedNetwork<T>, new()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dd-description-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            using var model = new T();
            model.Save(path);
            return T.Load(path);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static NetworkDescription Describe(Type type) =>
        (NetworkDescription)type.GetProperty("Description", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
}
