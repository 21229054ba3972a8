using System;
using System.Globalization;
using DeclarativeDistill.Tests.Declarations;

namespace DeclarativeDistill.Tests;

/// <summary>
/// The test assembly run as a program, for tests that need separate processes (the test runner does not call this):
/// <c>dotnet DeclarativeDistill.Tests.dll write-shard WEIGHTS DIRECTORY SHARD SHARDS EXAMPLES SEED</c> writes one shard
/// of a teacher-output store for ClusterTeacher's weights over SyntheticData.Create(EXAMPLES, SEED), as one task of a
/// job array would.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 7 && args[0] == "write-shard")
        {
            using var teacher = ClusterTeacher.Load(args[1]);
            using var data = SyntheticData.Create(Int(args[5]), Int(args[6]));
            TeacherOutputStore.WriteShard(args[2], data, new[] { teacher }, Int(args[3]), Int(args[4]), batchSize: 7);
            return 0;
        }
        Console.Error.WriteLine("usage: write-shard WEIGHTS DIRECTORY SHARD SHARDS EXAMPLES SEED");
        return 2;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
