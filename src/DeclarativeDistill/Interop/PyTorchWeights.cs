using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>
/// Weights trained in PyTorch, loaded into a network of the same architecture: a <c>torch.save(model.state_dict())</c>
/// file or a <c>.safetensors</c> file, read with TorchSharp.PyBridge.
/// <para>
/// Keys are matched by name. A generated network's keys follow the README's scheme (<c>conv1.weight</c>,
/// <c>bn1.running_mean</c>, <c>hidden1.bias</c>, <c>output.weight</c>, <c>res1.downsample.0.weight</c>, ...), which is
/// what a PyTorch module with attributes of those names has; a rename function maps other names (a
/// torchvision model's <c>fc</c> to <c>output</c>, a <c>module.</c> prefix left by DataParallel, ...).
/// </para>
/// </summary>
public static class PyTorchWeights
{
    /// <summary>
    /// Reads <paramref name="path"/> and copies every tensor into <paramref name="model"/>'s parameters and buffers.
    /// Nothing is copied unless everything fits.
    /// </summary>
    /// <param name="model">The network to fill.</param>
    /// <param name="path">A PyTorch state_dict file (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>) or a <c>.safetensors</c> file.</param>
    /// <param name="rename">Maps a key of the file to the model's key; null drops the tensor. Default: keys as they are.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">
    /// The file cannot be read, or does not fit the model: the message names every missing, unexpected and mis-shaped tensor.
    /// </exception>
    public static void Load(Model model, string path, Func<string, string?>? rename = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No weights file at {Path.GetFullPath(path)}.", path);
        }
        var file = Read(path);
        try
        {
            var loaded = new Dictionary<string, Tensor>();
            foreach (var (key, tensor) in file)
            {
                if ((rename is null ? key : rename(key)) is { } target)
                {
                    loaded[target] = tensor;
                }
            }
            // The network's input normalisation and class names are its own, not PyTorch's weights: kept as they are.
            var expected = model.state_dict().Where(p => !Modules.DataParts.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
            var problems = new List<string>();
            problems.AddRange(expected.Keys.Where(k => !loaded.ContainsKey(k)).Select(k => $"missing {k} {Shape(expected[k])}"));
            problems.AddRange(loaded.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"unexpected {k} {Shape(loaded[k])}"));
            problems.AddRange(expected.Keys.Where(loaded.ContainsKey)
                .Where(k => !expected[k].shape.AsSpan().SequenceEqual(loaded[k].shape))
                .Select(k => $"{k} is {Shape(loaded[k])} in the file but {Shape(expected[k])} in {model.GetName()}"));
            problems.AddRange(expected.Keys.Where(loaded.ContainsKey)
                .Where(k => expected[k].is_floating_point() != loaded[k].is_floating_point())
                .Select(k => $"{k} is {loaded[k].dtype} in the file but {expected[k].dtype} in {model.GetName()}"));
            if (problems.Count > 0)
            {
                throw new InvalidDataException(
                    $"{Path.GetFileName(path)} does not fit {model.GetName()} ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  "
                    + string.Join("\n  ", problems));
            }
            using var _ = no_grad();
            foreach (var (key, target) in expected)
            {
                target.copy_(loaded[key].to_type(target.dtype).to(target.device));
            }
        }
        finally
        {
            foreach (var tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>The tensors of a safetensors file or a PyTorch state_dict file, by key.</summary>
    private static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (IsSafetensors(path))
            {
                return Safetensors.LoadStateDict(path);
            }
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            var result = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is string key && entry.Value is Tensor tensor)
                {
                    result[key] = tensor;
                }
            }
            return result;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or FileNotFoundException))
        {
            throw new InvalidDataException(
                $"{path} is neither a PyTorch state_dict file (torch.save(model.state_dict())) nor a safetensors file: {e.Message}", e);
        }
    }

    /// <summary>A safetensors file starts with the length of its JSON header (8 bytes, little-endian), then '{'.</summary>
    private static bool IsSafetensors(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[9];
        return stream.Read(start) == 9 && start[8] == (byte)'{' && BitConverter.ToUInt64(start[..8]) < (ulong)stream.Length;
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
