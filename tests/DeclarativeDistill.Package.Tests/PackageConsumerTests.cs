using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace DeclarativeDistill.Package.Tests;

/// <summary>
/// The package, as a new user meets it: `dotnet pack`, then a fresh console app outside the repository that
/// adds it from a local folder feed (plus the TorchSharp-cpu backend), declares networks, builds and trains.
/// One fixture packs once; each test makes its own app.
/// </summary>
public sealed class PackageConsumerTests(PackageFixture package, ITestOutputHelper output) : IClassFixture<PackageFixture>
{
    private static string Declarations(int studentClasses) => $$"""
        [Teacher(Layers = "784,128,10")] public partial class Teacher { }
        [Student(Layers = "784,16,{{studentClasses}}")] [Distill(Temperature = 4)] public partial class Student { }
        """;

    [Fact]
    public void The_package_holds_the_library_the_analyzers_and_the_build_fix()
    {
        using var archive = ZipFile.OpenRead(package.Path);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net8.0/DeclarativeDistill.dll", entries);
        Assert.Contains("lib/net8.0/DeclarativeDistill.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/DeclarativeDistill.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/DeclarativeDistill.CodeFixes.dll", entries);
        Assert.Contains("buildTransitive/DeclarativeDistill.targets", entries);
        Assert.Contains("buildTransitive/MarkGlibcxxRequirementWeak.cs", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);

        using var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string metadata = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", metadata);
        Assert.Contains("<dependency id=\"TorchSharp\" version=\"0.107.0\"", metadata);
    }

    [Fact]
    public void A_mismatched_declaration_fails_the_build_with_a_DD_error()
    {
        string app = package.CreateApp("Mismatch", "System.Console.WriteLine(Student.OutputSize);\n" + Declarations(9));

        var build = Dotnet.Run(app, output, "build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error DD0040: Student 'Student' has 9 outputs but teacher 'Teacher' has 10", build.Output);
        Assert.Contains("Program.cs(4,33)", build.Output); // line 4 is the student; column 33 is [Distill]
    }

    [Fact]
    public void A_correct_declaration_builds_and_trains()
    {
        string program = """
            using DeclarativeDistill;
            var (train, test) = Datasets.MnistSample();
            using (train) using (test)
            {
                TorchSharp.torch.manual_seed(1);
                var teacher = new Teacher();
                teacher.Fit(train, new TrainingOptions { Epochs = 2 });
                var student = new Student();
                student.Distill(teacher, train, new TrainingOptions { Epochs = 2 });
                System.Console.WriteLine($"student accuracy {student.Evaluate(test).Accuracy:F3}");
            }

            """ + Declarations(10);
        string app = package.CreateApp("Trains", program);

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(Directory.EnumerateFiles(Path.Combine(app, "obj"), "Student.Distill.g.cs", SearchOption.AllDirectories).Any(),
            "generated files are written with EmitCompilerGeneratedFiles");

        var run = Dotnet.Run(app, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        double accuracy = double.Parse(run.Output.Split("student accuracy ")[1].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.8, 1.0);
    }

    [Fact]
    public void A_residual_teacher_and_an_mlp_student_build_and_train()
    {
        string program = """
            using System.Linq;
            var (train, test) = Datasets.MnistSample();
            using (train) using (test)
            {
                TorchSharp.torch.manual_seed(1);
                var teacher = new ConvTeacher();
                teacher.Fit(train, new TrainingOptions { Epochs = 2 });
                var student = new FlatStudent();
                student.Distill(teacher, train, new TrainingOptions { Epochs = 2 });
                System.Console.WriteLine($"teacher accuracy {teacher.Evaluate(test).Accuracy:F3}");
                System.Console.WriteLine($"student accuracy {student.Evaluate(test).Accuracy:F3}");
                long parameters = teacher.parameters().Sum(p => p.numel());
                System.Console.WriteLine($"parameters {parameters} declared {ConvTeacher.ParameterCount}");
            }

            [Teacher(Layers = "1x28x28, conv(8, 3, pad: 1), bn, res(8, stride: 2), res(16, stride: 2), 10")] public partial class ConvTeacher { }
            [Student(Layers = "784, 32, 10")] [Distill(Temperature = 4)] public partial class FlatStudent { }
            """;
        string app = package.CreateApp("ConvTrains", program);

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(app, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);

        Assert.InRange(Value(run.Output, "teacher accuracy "), 0.9, 1.0);
        Assert.InRange(Value(run.Output, "student accuracy "), 0.8, 1.0);
        Assert.Equal(Value(run.Output, "declared "), Value(run.Output, "parameters "));
    }

    private const string HintedNetworks = """
        [Teacher(Layers = "1x28x28, conv(16, 3, pad: 1), bn, res(16), res(32, stride: 2), res(64, stride: 2), gap, 10")] public partial class ResTeacher { }
        [Student(Layers = "1x28x28, conv(8, 3, pad: 1), maxpool(2), conv(16, 3, pad: 1), bn, gap, 10")]
        [Distill(Temperature = 4)]
        [Hint(TeacherLayer = "res2", StudentLayer = "conv1")]
        [Hint(TeacherLayer = "res3", StudentLayer = "bn1", Weight = 0.5)]
        public partial class ThinConv { }
        """;

    [Fact]
    public void Hints_between_a_residual_teacher_and_a_thinner_conv_student_build_and_train()
    {
        string app = package.CreateApp("Hints", """
            var (train, test) = Datasets.MnistSample();
            using (train) using (test)
            {
                TorchSharp.torch.manual_seed(1);
                var teacher = new ResTeacher();
                teacher.Fit(train, new TrainingOptions { Epochs = 2 });
                var student = new ThinConv();
                var report = student.Distill(teacher, train, new TrainingOptions { Epochs = 3, HintEpochs = 1 });
                System.Console.WriteLine($"hint stage epochs {report.HintStage!.Epochs.Count}");
                System.Console.WriteLine($"hint terms {report.HintStage.Epochs[0].HintTerms!.Count}");
                System.Console.WriteLine($"first loss {report.Epochs[0].Loss:F4}");
                System.Console.WriteLine($"last loss {report.FinalLoss:F4}");
                System.Console.WriteLine($"student accuracy {student.Evaluate(test).Accuracy:F3}");
                foreach (var hint in ThinConv.Objective.Hints)
                {
                    System.Console.WriteLine($"regressor {hint.StudentLayer} -> {hint.TeacherLayer}: {hint.Regressor}");
                }
            }

            """ + HintedNetworks);

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(app, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);

        Assert.Equal(1, Value(run.Output, "hint stage epochs "));
        Assert.Equal(2, Value(run.Output, "hint terms "));
        Assert.True(Value(run.Output, "last loss ") < Value(run.Output, "first loss "), run.Output);
        // A small net (16 channels, then gap) after 1 + 3 epochs: well above chance (0.1), far from its teacher.
        Assert.InRange(Value(run.Output, "student accuracy "), 0.3, 1.0);
        // 8x28x28 → 32x14x14 and 16x14x14 → 64x7x7: FitNets' kernels, 15x15 and 8x8.
        Assert.Contains("regressor conv1 -> res2: 15x15 convolution 8 → 32 channels, then ReLU", run.Output);
        Assert.Contains("regressor bn1 -> res3: 8x8 convolution 16 → 64 channels, then ReLU", run.Output);
    }

    [Fact]
    public void A_hint_whose_student_map_is_too_small_fails_the_build_on_the_layer_name()
    {
        string app = package.CreateApp("HintMistake", "System.Console.WriteLine(ThinConv.Objective);\n"
            + HintedNetworks.Replace("TeacherLayer = \"res2\", StudentLayer = \"conv1\"", "TeacherLayer = \"res1\", StudentLayer = \"bn1\""));

        var build = Dotnet.Run(app, output, "build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error DD0064: Student layer 'bn1' gives 16x14x14 but teacher layer 'res1' gives 16x28x28", build.Output);
        // Line 6: the using, the Console line, the teacher, [Student], [Distill], then this [Hint]; the column of "bn1".
        Assert.Contains("Program.cs(6,45)", build.Output);
    }

    [Fact]
    public void A_window_that_no_longer_fits_fails_the_build_on_its_item()
    {
        string app = package.CreateApp("ShapeMistake", """
            System.Console.WriteLine(Bad.InputSize);
            [DeclarativeDistill.Teacher(Layers = "1x28x28, conv(64, 3, stride: 2), maxpool(4), maxpool(3), maxpool(2), 10")] public partial class Bad { }
            """);

        var build = Dotnet.Run(app, output, "build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error DD0050: Layers at position 58: maxpool(2) needs at least 2x2 but the input here is 64x1x1", build.Output);
        Assert.Contains("Program.cs(3,96)", build.Output); // line 3 (after the using and the Console line), the column of maxpool(2)
    }

    [Fact]
    public void An_app_without_a_libtorch_backend_fails_the_build_with_what_to_add()
    {
        string app = package.CreateApp("NoBackend", """
            System.Console.WriteLine(Net.InputSize);
            [Teacher(Layers = "4, 2")] public partial class Net { }
            """, backend: false);

        var build = Dotnet.Run(app, output, "build");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error DD9001: NoBackend uses TorchSharp through DeclarativeDistill but references no libtorch backend", build.Output);
        Assert.Contains("dotnet add package TorchSharp-cpu --version 0.107.0", build.Output);
    }

    [Fact]
    public void An_onnx_teacher_takes_its_shapes_from_the_file_at_build_time_and_teaches()
    {
        const string Declarations = """
            [Teacher(Onnx = "small-conv-teacher.onnx")] public partial class Digits { }
            """;
        string items = $"""
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
            <AdditionalFiles Include="{Fixture("small-conv-teacher.onnx")}" />
            """;
        string good = package.CreateApp("OnnxTeacher", """
            System.Console.WriteLine($"shape {Digits.InputShape} classes {Digits.OutputSize}");
            var (train, test) = Datasets.MnistSample();
            using var teacher = new Digits();                      // the build copied the model beside the app
            var student = new Pupil();
            student.Distill(teacher, train.Slice(0, 500), new TrainingOptions { Epochs = 1 });
            System.Console.WriteLine($"agreement {student.MeasureFidelity(teacher, test).Agreement:F3}");
            [Student(Layers = "784, 32, 10")] [Distill] public partial class Pupil { }
            """ + Declarations, extraItems: items);

        var build = Dotnet.Run(good, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(good, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("shape 784 classes 10", run.Output);
        Assert.InRange(Value(run.Output, "agreement "), 0.0, 1.0);

        string bad = package.CreateApp("OnnxMismatch", """
            System.Console.WriteLine(Pupil.OutputSize);
            [Student(Layers = "784, 32, 9")] [Distill] public partial class Pupil { }
            """ + Declarations, extraItems: items);
        var failed = Dotnet.Run(bad, output, "build");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("error DD0040: Student 'Pupil' has 9 outputs but teacher 'Digits' has 10", failed.Output);
    }

    [Fact]
    public void A_text_teacher_exported_by_pytorch_is_read_at_build_time_and_a_student_of_another_vocabulary_fails_the_build()
    {
        const string Declarations = """
            [Teacher(Onnx = "text-teacher.onnx")] public partial class Keywords { }
            """;
        string items = $"""
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
            <AdditionalFiles Include="{System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Fixture("x"))!, "..", "text", "text-teacher.onnx")}" />
            """;
        string good = package.CreateApp("TextOnnxTeacher", """
            System.Console.WriteLine($"shape {Keywords.InputShape} classes {Keywords.OutputSize}");
            var random = new System.Random(1);
            var ids = new float[200 * 12];
            var labels = new long[200];
            for (int i = 0; i < 200; i++)
            {
                for (int t = 0; t < 8; t++) ids[i * 12 + t] = random.Next(4, 40);
                labels[i] = random.Next(3);
                ids[i * 12 + random.Next(8)] = labels[i] + 1;
            }
            using var data = new LabeledDataset(TorchSharp.torch.tensor(ids, new long[] { 200, 12 }), TorchSharp.torch.tensor(labels), 3);
            using var teacher = new Keywords();
            var student = new Pupil();
            student.Distill(teacher, data, new TrainingOptions { Epochs = 2 });
            System.Console.WriteLine($"agreement {student.MeasureFidelity(teacher, data).Agreement:F3}");
            [Student(Layers = "tokens(40, 12), embed(8), gap, 3")] [Distill] public partial class Pupil { }
            """ + Declarations, extraItems: items);

        var build = Dotnet.Run(good, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(good, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("shape tokens(40, 12) classes 3", run.Output);
        Assert.InRange(Value(run.Output, "agreement "), 0.0, 1.0);

        string bad = package.CreateApp("TextOnnxMismatch", """
            System.Console.WriteLine(Pupil.InputShape);
            [Student(Layers = "tokens(50, 12), embed(8), gap, 3")] [Distill] public partial class Pupil { }
            """ + Declarations, extraItems: items);
        var failed = Dotnet.Run(bad, output, "build");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("error DD0041", failed.Output);
        Assert.Contains("tokens(50, 12) (12 token ids)", failed.Output);
        Assert.Contains("tokens(40, 12) (12 token ids)", failed.Output);
    }

    /// <summary>The program of both ONNX-in-a-folder tests: the teacher's shapes, then a short distillation.</summary>
    private const string OnnxInFolderProgram = """
        System.Console.WriteLine($"shape {Digits.InputShape} classes {Digits.OutputSize}");
        var (train, test) = Datasets.MnistSample();
        using var teacher = new Digits();
        var student = new Pupil();
        student.Distill(teacher, train.Slice(0, 200), new TrainingOptions { Epochs = 1 });
        System.Console.WriteLine($"agreement {student.MeasureFidelity(teacher, test.Slice(0, 200)).Agreement:F3}");
        [Teacher(Onnx = "models/teacher.onnx")] public partial class Digits { }
        [Student(Layers = "784, 16, 10")] [Distill] public partial class Pupil { }
        """;

    [Fact]
    public void An_onnx_teacher_in_a_folder_is_found_from_any_working_directory_and_after_publish()
    {
        string app = package.CreateApp("OnnxInFolder", OnnxInFolderProgram, extraItems: """
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
            <AdditionalFiles Include="models/teacher.onnx" />
            """);
        Directory.CreateDirectory(System.IO.Path.Combine(app, "models"));
        File.Copy(Fixture("small-conv-teacher.onnx"), System.IO.Path.Combine(app, "models", "teacher.onnx"));
        string elsewhere = Directory.CreateDirectory(System.IO.Path.Combine(package.Root, "elsewhere-" + Guid.NewGuid().ToString("N"))).FullName;

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(File.Exists(System.IO.Path.Combine(app, "bin", "Debug", "net10.0", "models", "teacher.onnx")), "the model keeps its folder in the output");
        var run = Dotnet.Run(elsewhere, output, System.IO.Path.Combine(app, "bin", "Debug", "net10.0", "OnnxInFolder.dll"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("shape 784 classes 10", run.Output);

        string published = System.IO.Path.Combine(package.Root, "published-" + Guid.NewGuid().ToString("N"));
        var publish = Dotnet.Run(app, output, "publish", "-o", published);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.True(File.Exists(System.IO.Path.Combine(published, "models", "teacher.onnx")), "publish copies the model with its folder");
        var deployed = Dotnet.Run(elsewhere, output, System.IO.Path.Combine(published, "OnnxInFolder.dll"));
        Assert.True(deployed.ExitCode == 0, deployed.Output);
        Assert.InRange(Value(deployed.Output, "agreement "), 0.0, 1.0);
    }

    [Fact]
    public void Project_references_with_the_imported_build_files_read_onnx_teachers_and_without_them_say_what_to_import()
    {
        string root = RepositoryRoot();
        string references = $"""
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
            <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="1.31.1" />
            <ProjectReference Include="{root}/src/DeclarativeDistill/DeclarativeDistill.csproj" />
            <ProjectReference Include="{root}/generators/DeclarativeDistill.Generators/DeclarativeDistill.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
            <AdditionalFiles Include="models/teacher.onnx" />
            """;
        string app = package.CreateProjectReferenceApp("OnnxByReference", OnnxInFolderProgram, references, importBuildFiles: true);
        Directory.CreateDirectory(System.IO.Path.Combine(app, "models"));
        File.Copy(Fixture("small-conv-teacher.onnx"), System.IO.Path.Combine(app, "models", "teacher.onnx"));

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        string elsewhere = Directory.CreateDirectory(System.IO.Path.Combine(package.Root, "elsewhere-" + Guid.NewGuid().ToString("N"))).FullName;
        var run = Dotnet.Run(elsewhere, output, System.IO.Path.Combine(app, "bin", "Debug", "net10.0", "OnnxByReference.dll"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("shape 784 classes 10", run.Output);

        string bare = package.CreateProjectReferenceApp("OnnxByReferenceWithoutImport", OnnxInFolderProgram, references, importBuildFiles: false);
        Directory.CreateDirectory(System.IO.Path.Combine(bare, "models"));
        File.Copy(Fixture("small-conv-teacher.onnx"), System.IO.Path.Combine(bare, "models", "teacher.onnx"));
        var failed = Dotnet.Run(bare, output, "build");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("error DD0056", failed.Output);
        Assert.Contains("build/DeclarativeDistill.targets", failed.Output);
    }

    [Fact]
    public void An_app_with_a_runtime_identifier_trains_and_copies_only_its_own_platforms_libtorch()
    {
        // The README's way to keep bin/ at one platform's libtorch (about 0.5 GB on Linux instead of 1.1 GB).
        string rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        string app = package.CreateApp("OnePlatform", """
            var (train, test) = Datasets.MnistSample();
            var teacher = new Teacher();
            teacher.Fit(train, new TrainingOptions { Epochs = 1 });
            System.Console.WriteLine($"teacher accuracy {teacher.Evaluate(test).Accuracy:F3}");
            """ + Declarations(10), extraProperties: $"<RuntimeIdentifier>{rid}</RuntimeIdentifier>");

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(app, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.InRange(Value(run.Output, "teacher accuracy "), 0.5, 1.0);

        // libtorch and TorchSharp's native library, by platform: only the running one's may be in bin/, once.
        string[] natives = ["libtorch_cpu.so", "libLibTorchSharp.so", "libtorch_cpu.dylib", "libLibTorchSharp.dylib", "torch_cpu.dll", "LibTorchSharp.dll"];
        string[] own = OperatingSystem.IsWindows() ? ["torch_cpu.dll", "LibTorchSharp.dll"]
            : OperatingSystem.IsMacOS() ? ["libtorch_cpu.dylib", "libLibTorchSharp.dylib"]
            : ["libtorch_cpu.so", "libLibTorchSharp.so"];
        var files = Directory.EnumerateFiles(System.IO.Path.Combine(app, "bin"), "*", SearchOption.AllDirectories).ToList();
        var copied = files.Select(System.IO.Path.GetFileName).Where(f => natives.Contains(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(own.Order(StringComparer.Ordinal), copied);
        Assert.DoesNotContain(files, f => f.Replace('\\', '/').Contains("/runtimes/", StringComparison.Ordinal));
    }

    private static string RepositoryRoot() =>
        typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static string Fixture(string name) =>
        System.IO.Path.Combine(typeof(PackageConsumerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!, "tools", "pytorch-reference", "weights", name);

    [Fact]
    public void An_app_trains_and_distils_from_csv_parquet_numpy_and_an_image_folder_as_from_the_same_tensors()
    {
        // 600 digits sorted by label (an image folder is read class by class), written in every format, then one
        // teacher and one distilled student trained from each with one seed: the errors must be those of the tensors.
        string program = """
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using System.IO;
            using System.Linq;
            using Parquet;
            using Parquet.Schema;
            using SkiaSharp;
            using static TorchSharp.torch;

            var (all, test) = Datasets.MnistSample();
            using var sorted = all.Slice(0, 600);
            var order = sorted.Labels.data<long>().ToArray().Select((label, i) => (label, i)).OrderBy(p => p.label).ThenBy(p => p.i).Select(p => (long)p.i).ToArray();
            using var tensors = new LabeledDataset(sorted.Features.index_select(0, tensor(order)), sorted.Labels.index_select(0, tensor(order)));
            float[] x = tensors.Features.data<float>().ToArray();
            long[] y = tensors.Labels.data<long>().ToArray();
            string dir = Directory.CreateTempSubdirectory("dd-app-data-").FullName;

            var lines = new List<string> { string.Join(",", Enumerable.Range(0, 784).Select(i => $"p{i}").Append("label")) };
            for (int i = 0; i < y.Length; i++)
                lines.Add(string.Join(",", x.Skip(i * 784).Take(784).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Append($"{y[i]}")));
            File.WriteAllLines(Path.Combine(dir, "digits.csv"), lines);

            void Npy(string path, string descr, string shape, byte[] data)
            {
                string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
                header = header.PadRight(118 - 1) + "\n";
                using var file = File.Create(path);
                file.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 });
                file.Write(System.Text.Encoding.ASCII.GetBytes(header));
                file.Write(data);
            }
            Npy(Path.Combine(dir, "x.npy"), "<f4", $"({y.Length}, 28, 28)", System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
            Npy(Path.Combine(dir, "y.npy"), "<i8", $"({y.Length},)", System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan()).ToArray());

            for (int i = 0; i < y.Length; i++)
            {
                string folder = Directory.CreateDirectory(Path.Combine(dir, "images", $"{y[i]}")).FullName;
                using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
                var pixels = bitmap.GetPixelSpan();
                for (int p = 0; p < 784; p++) pixels[p] = (byte)System.Math.Round(x[i * 784 + p] * 255);
                using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(folder, $"{i:D4}.png"), png.ToArray());
            }

            var fields = Enumerable.Range(0, 784).Select(i => new DataField<float>($"p{i}")).ToArray();
            var labelField = new DataField<long>("label");
            System.Threading.Tasks.Task.Run(async () =>
            {
                await using var stream = File.Create(Path.Combine(dir, "digits.parquet"));
                await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.Cast<Field>().Append(labelField)), stream);
                using var group = writer.CreateRowGroup();
                for (int f = 0; f < 784; f++)
                    await group.WriteAsync<float>(fields[f], Enumerable.Range(0, y.Length).Select(i => x[i * 784 + f]).ToArray().AsMemory());
                await group.WriteAsync<long>(labelField, y.AsMemory());
            }).GetAwaiter().GetResult();

            void Report(string name, DataSource data)
            {
                manual_seed(1);
                using var teacher = new Teacher();
                teacher.Fit(data, new TrainingOptions { Epochs = 2, Seed = 3 });
                using var student = new Student();
                student.Distill(teacher, data, new TrainingOptions { Epochs = 2, Seed = 3 });
                System.Console.WriteLine($"{name} errors {teacher.Evaluate(test).Errors}/{student.Evaluate(test).Errors}");
            }
            Report("tensors", tensors);
            using (var csv = Datasets.FromCsv(Path.Combine(dir, "digits.csv"), new CsvOptions { Label = "label" })) Report("csv", csv);
            using (var parquet = Datasets.FromParquet(Path.Combine(dir, "digits.parquet"), new TableOptions { Label = "label" })) Report("parquet", parquet);
            using (var npy = Datasets.FromNumPy(Path.Combine(dir, "x.npy"), Path.Combine(dir, "y.npy"))) Report("npy", npy);
            using (var mapped = Datasets.OpenNumPy(Path.Combine(dir, "x.npy"), Path.Combine(dir, "y.npy"))) Report("mapped", mapped);
            using (var images = Datasets.OpenImageFolder(Path.Combine(dir, "images"), "1x28x28")) Report("images", images);
            Directory.Delete(dir, recursive: true);

            """ + Declarations(10);
        string app = package.CreateApp("ReadsFiles", program);

        var build = Dotnet.Run(app, output, "build");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = Dotnet.Run(app, output, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);

        string expected = Errors(run.Output, "tensors");
        Assert.All(new[] { "csv", "parquet", "npy", "mapped", "images" }, name => Assert.Equal(expected, Errors(run.Output, name)));
    }

    private static string Errors(string output, string name) => output.Split($"{name} errors ")[1].Split('\n')[0].Trim();

    private static double Value(string output, string label) =>
        double.Parse(output.Split(label)[1].Split(' ', '\n')[0], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Packs the repository's DeclarativeDistill project once, with a version no NuGet cache has seen.</summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Root = Directory.CreateTempSubdirectory("dd-package-").FullName;
        Feed = Directory.CreateDirectory(System.IO.Path.Combine(Root, "feed")).FullName;
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var pack = Dotnet.Run(RepositoryRoot(), null, "pack", "src/DeclarativeDistill/DeclarativeDistill.csproj",
            "-c", "Release", "-o", Feed, $"-p:Version={Version}");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
        }
        Path = System.IO.Path.Combine(Feed, $"DeclarativeDistill.{Version}.nupkg");
    }

    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public string Path { get; }

    /// <summary>A console app in its own folder outside the repository, referencing the package and (unless not wanted) TorchSharp-cpu.</summary>
    public string CreateApp(string name, string program, bool backend = true, string extraItems = "", string extraProperties = "")
    {
        string app = Directory.CreateDirectory(System.IO.Path.Combine(Root, name)).FullName;
        File.WriteAllText(System.IO.Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(System.IO.Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <NoWarn>NU1603</NoWarn>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DeclarativeDistill" Version="{Version}" />
                {(backend ? "<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />" : "")}
                {extraItems}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(System.IO.Path.Combine(app, "Program.cs"), "using DeclarativeDistill;\n" + program);
        return app;
    }

    /// <summary>
    /// A console app in its own folder outside the repository that references the repository's projects (the README's
    /// other route) with <paramref name="references"/>, importing the build files as the README says unless not wanted.
    /// </summary>
    public string CreateProjectReferenceApp(string name, string program, string references, bool importBuildFiles)
    {
        string app = Directory.CreateDirectory(System.IO.Path.Combine(Root, name)).FullName;
        string import = importBuildFiles
            ? $"""<Import Project="{RepositoryRoot()}/src/DeclarativeDistill/build/DeclarativeDistill.targets" />"""
            : "";
        File.WriteAllText(System.IO.Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
              {import}
            </Project>
            """);
        File.WriteAllText(System.IO.Path.Combine(app, "Program.cs"), "using DeclarativeDistill;\n" + program);
        return app;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Recorded by the build (Directory.Build.props): [CallerFilePath] is path-mapped in CI builds.</summary>
    private static string RepositoryRoot() =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
}

internal static class Dotnet
{
    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs the dotnet CLI with a clean MSBuild environment (the test host's must not leak into it).</summary>
    public static Result Run(string directory, ITestOutputHelper? log, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // No MSBuild node may outlive the test and hold files of the temporary app.
        foreach (string argument in arguments[0] is "build" or "pack" ? arguments.Append("-nodeReuse:false") : arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string key in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)))
        {
            start.Environment.Remove(key);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd() + error.Result;
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            text += "\n(timed out after 10 minutes)";
        }
        log?.WriteLine($"$ dotnet {string.Join(' ', start.ArgumentList)}\n{text}");
        return new Result(process.ExitCode, text);
    }
}
