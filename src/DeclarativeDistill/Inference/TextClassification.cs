using System;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill;

/// <summary>What a text network (<c>tokens(V, L)</c>) adds for an application: its tokenizer, and classifying a string.</summary>
public static class TextClassification
{
    /// <summary>The tokenizer the network keeps (from its training data, or <see cref="UseTokenizer"/>), or null.</summary>
    public static TextTokenizer? Tokenizer(this IGeneratedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network is Model model ? Modules.TokenizerModule.Of(model)?.Tokenizer : null;
    }

    /// <summary>Gives the network <paramref name="tokenizer"/>, saved with its weights from then on.</summary>
    /// <exception cref="ArgumentException">The network does not read token ids, or its vocabulary is smaller than the tokenizer's.</exception>
    public static void UseTokenizer(this IGeneratedNetwork network, TextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var model = network as Model ?? throw new ArgumentException($"{network.GetType().Name} is not a TorchSharp module.", nameof(network));
        var input = network.Description.Input;
        if (!input.IsTokens)
        {
            throw new ArgumentException($"{model.GetName()} reads {input.Describe()}, not token ids: a tokenizer is for text networks (tokens(V, L)).", nameof(network));
        }
        if (tokenizer.VocabularySize > input.Vocabulary)
        {
            throw new ArgumentException(
                $"The tokenizer gives ids up to {tokenizer.VocabularySize - 1} but {model.GetName()} reads a vocabulary of {input.Vocabulary} ({input}): declare tokens({tokenizer.VocabularySize}, {input.Size}) or more.",
                nameof(tokenizer));
        }
        Modules.TokenizerModule.Attach(model, tokenizer);
    }

    /// <summary>The class of <paramref name="text"/>, encoded by the network's tokenizer as its training data was.</summary>
    /// <exception cref="InvalidOperationException">The network has no tokenizer (it was not trained on encoded texts): give it one with <see cref="UseTokenizer"/>.</exception>
    public static Prediction Classify(this IGeneratedNetwork network, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokenizer = network.Tokenizer()
            ?? throw new InvalidOperationException($"{network.GetType().Name} has no tokenizer to encode text with: train it on TextRecords.Encode(...) data, or call UseTokenizer.");
        return network.Classify(tokenizer.Encode(text, network.Description.Input.Size));
    }
}
