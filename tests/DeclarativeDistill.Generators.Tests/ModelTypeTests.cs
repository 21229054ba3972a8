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

    [Fact]
    public void The_generators_mirrors_of_runtime_types_agree_with_them()
    {
        // The generator cannot reference the runtime, so it keeps copies: they must say the same.
        var attribute = new DistillAttribute();
        Assert.Equal(Model.DistillationDefaults.Temperature, attribute.Temperature);
        Assert.Equal(Model.DistillationDefaults.Alpha, attribute.Alpha);
        Assert.Equal(
            Enum.GetValues<Activation>().Select(a => (a.ToString(), (int)a)),
            Enum.GetValues<Model.ActivationKind>().Select(a => (a.ToString(), (int)a)));
        Assert.Equal(new[] { "Activation", "Dropout", "Layers" },
            typeof(NetworkAttribute).GetProperties().Select(p => p.Name).Where(n => n != "TypeId").OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void No_model_reaches_a_symbol_syntax_node_compilation_or_location()
    {
        var models = typeof(DistillationGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "DeclarativeDistill.Generators.Model" && !t.IsAbstract && !t.IsEnum && t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null)
            .ToList();
        Assert.Contains(models, t => t.Name == "DistillationSpec");

        var problems = new List<string>();
        foreach (var model in models)
        {
            Walk(model, model.Name, new HashSet<Type>(), problems);
        }
        Assert.Empty(problems);
    }

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
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.FieldType, $"{path}.{field.Name}", seen, problems);
        }
    }
}
