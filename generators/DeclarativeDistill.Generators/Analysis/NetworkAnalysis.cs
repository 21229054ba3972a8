using DeclarativeDistill.Generators.Model;

namespace DeclarativeDistill.Generators.Analysis;

/// <summary>
/// The analysis step of the network pipelines: judges a <see cref="NetworkDeclaration"/> by its source's rules and
/// gives the network's spec, or what is wrong. A pure function of the declaration, so the pipeline caches it: an
/// edit that leaves a declaration unchanged does not analyse that network again.
/// </summary>
internal static class NetworkAnalysis
{
    public static NetworkResult Analyse(NetworkDeclaration declaration) => declaration switch
    {
        { Teacher: null, Student: null } => new NetworkResult(null, declaration.Diagnostics), // the transform failed (DD9999)
        { Source: NetworkSource.Onnx } => OnnxAnalysis.Analyse(declaration),
        { Source: NetworkSource.HandWritten } => HandWrittenAnalysis.Analyse(declaration),
        _ => GeneratedNetworkAnalysis.Analyse(declaration),
    };
}
