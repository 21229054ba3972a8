using System;
using System.Linq;
using System.Text;
using static TorchSharp.torch;
using Model = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace DeclarativeDistill.Modules;

/// <summary>
/// A text network's tokenizer, as one uint8 buffer of UTF-8 JSON in its state_dict (<c>tokenizer.utf8</c>): saved and
/// loaded with the weights and kept in checkpoints, so that the network encodes a string as its training data was
/// encoded. Not a step of <c>forward</c>. Registered when a network is trained on data a tokenizer encoded, or by
/// <see cref="TextClassification.UseTokenizer"/>.
/// </summary>
public sealed class TokenizerModule : Model
{
    /// <summary>The name it is registered under: the prefix of its state_dict key.</summary>
    public const string Key = "tokenizer";

    private readonly Tensor utf8;

    private TokenizerModule(byte[] json, TextTokenizer tokenizer)
        : base(nameof(TokenizerModule))
    {
        utf8 = tensor(json, ScalarType.Byte);
        Tokenizer = tokenizer;
        RegisterComponents();
    }

    /// <summary>The tokenizer.</summary>
    public TextTokenizer Tokenizer { get; }

    /// <summary>Not a step of the network: returns its input.</summary>
    public override Tensor forward(Tensor input) => input;

    /// <summary>The tokenizer <paramref name="owner"/> holds, or null.</summary>
    internal static TokenizerModule? Of(Model owner) =>
        owner.named_children().FirstOrDefault(c => c.name == Key).module as TokenizerModule;

    /// <summary>Registers <paramref name="tokenizer"/> on <paramref name="owner"/>, replacing the one it held.</summary>
    internal static void Attach(Model owner, TextTokenizer tokenizer) =>
        owner.register_module(Key, new TokenizerModule(Encoding.UTF8.GetBytes(tokenizer.Serialize()), tokenizer));

    /// <summary>The tokenizer <paramref name="bytes"/> hold, for a network about to load a file that holds them.</summary>
    internal static void AttachSaved(Model owner, byte[] bytes) =>
        owner.register_module(Key, new TokenizerModule(bytes, TextTokenizer.Deserialize(Encoding.UTF8.GetString(bytes))));
}
