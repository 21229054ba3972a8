using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DeclarativeDistill.Generators.Tests;

/// <summary>
/// The pipeline's models must hold plain data. An ISymbol, SyntaxNode, Compilation or Location inside
/// one keeps a whole compilation alive and, having no value equality, defeats the incremental cache.
/// </summary>
public class ModelTypeTests
{
    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SyntaxTree), typeof(SemanticModel) };

    /// <summary>What the pipeline carries between its steps: the declarations, the analysed specs and their parts.</summary>
    private static readonly string[] ModelNamespaces =
    {
        "DeclarativeDistill.Generators.Model",
        "DeclarativeDistill.Generators.Layers",
        "DeclarativeDistill.Generators.Operations",
    };

    [Fact]
    public void No_model_reaches_a_symbol_syntax_node_compilation_or_location()
    {
        var assembly = typeof(DistillationGenerator).Assembly;
        var models = assembly.GetTypes()
            .Where(t => ModelNamespaces.Contains(t.Namespace) && !t.IsEnum && !IsDescriptor(t)
                && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
            .ToList();
        Assert.Contains(models, t => t.Name == "DistillationSpec");
        Assert.Contains(models, t => t.Name == "NetworkDeclaration");
        Assert.Contains(models, t => t.Name == "ConvSpec");
        Assert.Contains(models, t => t.Name == "ResidualOperation");

        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var model in models)
        {
            Walk(model, model.Name, seen, problems);
        }
        Assert.Empty(problems);
        // An abstract field type (LayerSpec, Operation) is walked through every type that derives from it.
        Assert.Contains(assembly.GetTypes().Single(t => t.Name == "Conv2dOperation"), seen);
        Assert.Contains(assembly.GetTypes().Single(t => t.Name == "DenseSpec"), seen);
    }

    [Fact]
    public void The_walk_finds_a_location_behind_an_abstract_field()
    {
        var problems = new List<string>();
        Walk(typeof(HoldsAbstract), nameof(HoldsAbstract), new HashSet<Type>(), problems);
        var problem = Assert.Single(problems);
        Assert.Contains("(LeaksLocation)", problem);
        Assert.EndsWith("is a Location", problem);
    }

    private abstract record AbstractItem;

    private sealed record LeaksLocation(Location Where) : AbstractItem;

    private sealed record HoldsAbstract(AbstractItem Item);

    /// <summary>The layer kinds are static descriptors (code, not data): the specs they read and make are walked instead.</summary>
    private static bool IsDescriptor(Type type) => type.Namespace == "DeclarativeDistill.Generators.Layers" && !IsRecord(type) && !type.IsValueType;

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (Forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            problems.Add($"{path} is a {type.Name}");
            return;
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DiagnosticDescriptor) || !seen.Add(type))
        {
            return; // DiagnosticDescriptor is immutable, equatable and static: STJ keeps it in its models too
        }
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
        {
            Walk(argument, $"{path}<{argument.Name}>", seen, problems);
        }
        if (type.IsArray)
        {
            Walk(type.GetElementType()!, path + "[]", seen, problems);
        }
        if (type.IsAbstract && !type.IsArray)
        {
            foreach (var derived in type.Assembly.GetTypes().Where(t => t != type && type.IsAssignableFrom(t)))
            {
                Walk(derived, $"{path}({derived.Name})", seen, problems);
            }
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.FieldType, $"{path}.{field.Name}", seen, problems);
        }
    }
}
