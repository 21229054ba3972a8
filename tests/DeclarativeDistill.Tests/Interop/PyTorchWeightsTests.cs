using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DeclarativeDistill.Tests.Declarations.Vision;
using Xunit;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Tests.Interop;

/// <summary>
/// Weights trained by real PyTorch (tools/pytorch-reference/weights.py, Debian's python3-torch) loaded into the
/// generated networks of the same architecture, which must then compute PyTorch's logits.
/// </summary>
public class PyTorchWeightsTests
{
    [Theory]
    [InlineData("small-conv-teacher.pt")]
    [InlineData("small-conv-teacher.safetensors")]
    public void A_pytorch_state_dict_loads_into_the_generated_network_and_gives_pytorchs_logits(string file)
    {
        using var model = new SmallConvTeacher();
        model.LoadPyTorch(Fixture(file));
        AssertSameLogits(model, "small-conv-teacher.json");
    }

    [Theory]
    [InlineData("tiny-resnet.pt")]
    [InlineData("tiny-resnet.safetensors")]
    public void Residual_blocks_load_under_torchvisions_basic_block_keys(string file)
    {
        using var model = new TinyResNet();
        model.LoadPyTorch(Fixture(file));
        AssertSameLogits(model, "tiny-resnet.json");
    }

    [Theory]
    [InlineData("layernorm-conv-net.pt")]
    [InlineData("layernorm-conv-net.safetensors")]
    public void Layer_norm_over_an_image_normalizes_what_pytorchs_does(string file)
    {
        using var model = new LayerNormConvNet(); // nn.LayerNorm([4, 10, 10]) after the convolution, before the ReLU
        model.LoadPyTorch(Fixture(file));
        AssertSameLogits(model, "layernorm-conv-net.json");
    }

    [Fact]
    public void A_file_of_another_architecture_is_refused_naming_every_difference_and_nothing_is_copied()
    {
        using var model = new TinyResNetStudent(); // 3x8x8, conv(4, 3), bn, gap, 4: no res1, another conv1 shape
        using var before = model.get_parameter("output.weight")!.clone();

        var error = Assert.Throws<InvalidDataException>(() => model.LoadPyTorch(Fixture("tiny-resnet.pt")));

        Assert.Contains("tiny-resnet.pt does not fit TinyResNetStudent (19 problems)", error.Message); // 18 tensors of res1, one mis-shaped
        Assert.Contains("unexpected res1.conv1.weight [8, 4, 3, 3]", error.Message);
        Assert.Contains("output.weight is [4, 8] in the file but [4, 4] in TinyResNetStudent", error.Message);
        Assert.True(SyntheticData.Same(before, model.get_parameter("output.weight")!), "nothing copied");
    }

    [Fact]
    public void A_rename_maps_the_files_names_to_the_networks_and_null_drops_a_tensor()
    {
        // As if the PyTorch module had called its last layer "fc" and its block "layer1".
        static string Ours(string key) => key.StartsWith("fc.", StringComparison.Ordinal) ? "output." + key[3..]
            : key.StartsWith("layer1.", StringComparison.Ordinal) ? "res1." + key[7..] : key;
        static string Theirs(string key) => key.StartsWith("output.", StringComparison.Ordinal) ? "fc." + key[7..]
            : key.StartsWith("res1.", StringComparison.Ordinal) ? "layer1." + key[5..] : key;

        using var original = new TinyResNet();
        original.LoadPyTorch(Fixture("tiny-resnet.pt"));
        string renamed = Path.Combine(Path.GetTempPath(), $"dd-renamed-{Guid.NewGuid():N}.safetensors");
        try
        {
            TorchSharp.PyBridge.Safetensors.SaveStateDict(renamed, original.state_dict().ToDictionary(p => Theirs(p.Key), p => p.Value));
            using var model = new TinyResNet();
            model.LoadPyTorch(renamed, Ours);
            AssertSameLogits(model, "tiny-resnet.json");

            var dropped = Assert.Throws<InvalidDataException>(() => new TinyResNet().LoadPyTorch(renamed, key => key == "fc.bias" ? null : Ours(key)));
            Assert.Contains("missing output.bias [4]", dropped.Message);
        }
        finally
        {
            File.Delete(renamed);
        }
    }

    [Fact]
    public void A_missing_or_foreign_file_is_a_clear_error()
    {
        using var model = new TinyResNet();
        Assert.Throws<FileNotFoundException>(() => model.LoadPyTorch(Fixture("no-such.pt")));
        var foreign = Assert.Throws<InvalidDataException>(() => model.LoadPyTorch(Fixture("tiny-resnet.json")));
        Assert.Contains("neither a PyTorch state_dict file", foreign.Message);
    }

    private static void AssertSameLogits(Model model, string reference)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture(reference)));
        float[] input = json.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] expected = json.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        int rows = expected.Length / (int)model.get_parameter("output.bias")!.shape[0];
        using var features = tensor(input).reshape(rows, -1);
        model.eval();
        using var _ = no_grad();
        using var logits = model.call(features);
        float[] actual = logits.data<float>().ToArray();
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-4f, $"largest difference from PyTorch's logits: {worst}");
    }

    private static string Fixture(string name) => PyTorchReference.File(Path.Combine("weights", name));
}
