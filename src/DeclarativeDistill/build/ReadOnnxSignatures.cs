// Compiled by MSBuild's RoslynCodeTaskFactory from DeclarativeDistill.targets: keep it to C# 7.3 and
// netstandard2.0 APIs.
//
// Why it exists: a teacher declared [Teacher(Onnx = "digits.onnx")] takes its input shape and its number of
// classes from the file, and the generator must know them to check students at compile time. A source
// generator reads additional files only as text, and an .onnx file is a binary protobuf message. So the build
// reads the few fields that say what the model takes and gives (the graph's first input that is not an
// initializer, and its first output) and writes them as a small text file that the generator reads instead.
// Protobuf's wire format is decoded by hand here because an inline task cannot reference a protobuf library;
// only varints and length-delimited fields are needed, and everything else is skipped.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#nullable disable

namespace DeclarativeDistill.Build
{
    /// <summary>
    /// For each ONNX model, writes a <c>.onnx.signature</c> file: a line <c>path relative/path.onnx</c> (where the build
    /// copies the model in the output, the model item's <c>TargetPath</c>), then its first input and output, one per line,
    /// as <c>input|output name element-type dim,dim,...</c> (element types by their ONNX names: float, int64, ...; a
    /// symbolic dimension is <c>?</c>), then <c>vocabulary N</c> when the first input is looked up in an embedding table of
    /// N rows (a text model's token ids) and <c>inputs name,name,...</c> (every input), or a line <c>error message</c> when
    /// the file cannot be read as an ONNX model.
    /// </summary>
    public sealed class ReadOnnxSignatures : Task
    {
        [Required]
        public ITaskItem[] Models { get; set; }

        [Required]
        public string OutputDirectory { get; set; }

        [Output]
        public ITaskItem[] Signatures { get; set; }

        public override bool Execute()
        {
            Directory.CreateDirectory(OutputDirectory);
            var written = new List<ITaskItem>();
            foreach (var model in Models)
            {
                string path = model.GetMetadata("FullPath");
                string targetPath = model.GetMetadata("TargetPath");
                if (string.IsNullOrEmpty(targetPath))
                {
                    targetPath = Path.GetFileName(path);
                }
                targetPath = targetPath.Replace('\\', '/');
                string text = "path " + targetPath + "\n";
                try
                {
                    text += Describe(File.ReadAllBytes(path));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    text += "error " + e.Message.Replace('\n', ' ');
                }
                // One signature per model, named after where it goes: two models of one name in two folders stay apart.
                string target = Path.Combine(OutputDirectory, targetPath.Replace('/', '_').Replace(':', '_') + ".signature");
                if (!File.Exists(target) || File.ReadAllText(target) != text)
                {
                    File.WriteAllText(target, text); // unchanged files keep their time: the compiler sees no change
                }
                written.Add(new TaskItem(target));
            }
            Signatures = written.ToArray();
            return true;
        }

        private static string Describe(byte[] model)
        {
            byte[] graph = null;
            foreach (var field in Fields(model, 0, model.Length))
            {
                if (field.Number == 7 && field.Length >= 0)
                {
                    graph = Slice(model, field);
                }
            }
            if (graph == null)
            {
                throw new InvalidDataException("no graph: not an ONNX model");
            }
            var initializers = new HashSet<string>();
            var firstDimensions = new Dictionary<string, long>(); // an initializer's first dimension, by name
            var gathers = new List<string[]>();                   // the inputs of each Gather node
            var inputs = new List<byte[]>();
            var outputs = new List<byte[]>();
            foreach (var field in Fields(graph, 0, graph.Length))
            {
                if (field.Number == 5 && field.Length >= 0)
                {
                    byte[] initializer = Slice(graph, field);
                    string initializerName = StringField(initializer, 8);
                    initializers.Add(initializerName);
                    long first = FirstDimension(initializer);
                    if (first > 0)
                    {
                        firstDimensions[initializerName] = first;
                    }
                }
                else if (field.Number == 1 && field.Length >= 0)
                {
                    byte[] node = Slice(graph, field);
                    if (StringField(node, 4) == "Gather")
                    {
                        gathers.Add(StringFields(node, 1).ToArray());
                    }
                }
                else if (field.Number == 11 && field.Length >= 0)
                {
                    inputs.Add(Slice(graph, field));
                }
                else if (field.Number == 12 && field.Length >= 0)
                {
                    outputs.Add(Slice(graph, field));
                }
            }
            byte[] input = inputs.Find(i => !initializers.Contains(StringField(i, 1)));
            if (input == null || outputs.Count == 0)
            {
                throw new InvalidDataException("the graph has no input or no output");
            }
            string text = "input " + Value(input) + "\noutput " + Value(outputs[0]) + "\n";
            // A text model's token ids are looked up in an embedding table (a Gather of an initializer by the ids): its
            // rows are the vocabulary, which students must share.
            string inputName = StringField(input, 1);
            foreach (var gather in gathers)
            {
                long rows;
                if (gather.Length >= 2 && gather[1] == inputName && firstDimensions.TryGetValue(gather[0], out rows))
                {
                    text += "vocabulary " + rows.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";
                    break;
                }
            }
            var inputNames = new List<string>();
            foreach (var each in inputs)
            {
                string name = StringField(each, 1);
                if (!initializers.Contains(name))
                {
                    inputNames.Add(name.Replace(' ', '_'));
                }
            }
            return text + "inputs " + string.Join(",", inputNames) + "\n";
        }

        /// <summary>The first of a TensorProto's dims (field 1, packed or not); 0 when it has none.</summary>
        private static long FirstDimension(byte[] tensor)
        {
            foreach (var field in Fields(tensor, 0, tensor.Length))
            {
                if (field.Number != 1)
                {
                    continue;
                }
                if (field.Length < 0)
                {
                    return field.Value;
                }
                int position = field.Start;
                return Varint(tensor, ref position, field.Start + field.Length);
            }
            return 0;
        }

        private static List<string> StringFields(byte[] message, int number)
        {
            var values = new List<string>();
            foreach (var field in Fields(message, 0, message.Length))
            {
                if (field.Number == number && field.Length >= 0)
                {
                    values.Add(Encoding.UTF8.GetString(message, field.Start, field.Length));
                }
            }
            return values;
        }

        /// <summary><c>name type dims</c> of a ValueInfoProto (name 1, type 2 → tensor_type 1 → elem_type 1, shape 2 → dim 1 → value 1 | param 2).</summary>
        private static string Value(byte[] info)
        {
            string name = StringField(info, 1);
            byte[] type = MessageField(info, 2);
            byte[] tensor = type == null ? null : MessageField(type, 1);
            if (tensor == null)
            {
                throw new InvalidDataException("'" + name + "' is not a tensor");
            }
            long elementType = 0;
            byte[] shape = null;
            foreach (var field in Fields(tensor, 0, tensor.Length))
            {
                if (field.Number == 1 && field.Length < 0)
                {
                    elementType = field.Value;
                }
                else if (field.Number == 2 && field.Length >= 0)
                {
                    shape = Slice(tensor, field);
                }
            }
            var dims = new List<string>();
            if (shape != null)
            {
                foreach (var field in Fields(shape, 0, shape.Length))
                {
                    if (field.Number != 1 || field.Length < 0)
                    {
                        continue;
                    }
                    string dim = "?";
                    byte[] dimension = Slice(shape, field);
                    foreach (var part in Fields(dimension, 0, dimension.Length))
                    {
                        if (part.Number == 1 && part.Length < 0)
                        {
                            dim = part.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                    dims.Add(dim);
                }
            }
            return name.Replace(' ', '_') + " " + ElementTypeName(elementType) + " " + string.Join(",", dims);
        }

        /// <summary>TensorProto.DataType's names, as the ONNX specification spells them.</summary>
        private static string ElementTypeName(long type)
        {
            switch (type)
            {
                case 1: return "float";
                case 2: return "uint8";
                case 3: return "int8";
                case 4: return "uint16";
                case 5: return "int16";
                case 6: return "int32";
                case 7: return "int64";
                case 8: return "string";
                case 9: return "bool";
                case 10: return "float16";
                case 11: return "double";
                case 12: return "uint32";
                case 13: return "uint64";
                case 14: return "complex64";
                case 15: return "complex128";
                case 16: return "bfloat16";
                case 17: return "float8e4m3fn";
                case 18: return "float8e4m3fnuz";
                case 19: return "float8e5m2";
                case 20: return "float8e5m2fnuz";
                case 21: return "uint4";
                case 22: return "int4";
                case 23: return "float4e2m1";
                default: return "type" + type.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        private struct Field
        {
            public int Number;
            public long Value;   // a varint's value
            public int Start;    // a length-delimited field's payload
            public int Length;   // -1 for a varint
        }

        private static IEnumerable<Field> Fields(byte[] data, int start, int end)
        {
            int position = start;
            while (position < end)
            {
                long key = Varint(data, ref position, end);
                int number = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0:
                        yield return new Field { Number = number, Value = Varint(data, ref position, end), Length = -1 };
                        break;
                    case 1:
                        position += 8;
                        break;
                    case 2:
                        long length = Varint(data, ref position, end);
                        if (length < 0 || position + length > end)
                        {
                            throw new InvalidDataException("a field runs past the end: not an ONNX model, or a truncated one");
                        }
                        yield return new Field { Number = number, Start = position, Length = (int)length };
                        position += (int)length;
                        break;
                    case 5:
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException("an unknown protobuf wire type: not an ONNX model");
                }
            }
        }

        private static long Varint(byte[] data, ref int position, int end)
        {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (position >= end)
                {
                    throw new InvalidDataException("a number runs past the end: not an ONNX model, or a truncated one");
                }
                byte b = data[position++];
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
            throw new InvalidDataException("a number longer than 10 bytes: not an ONNX model");
        }

        private static byte[] Slice(byte[] data, Field field)
        {
            var result = new byte[field.Length];
            Array.Copy(data, field.Start, result, 0, field.Length);
            return result;
        }

        private static byte[] MessageField(byte[] message, int number)
        {
            byte[] found = null;
            foreach (var field in Fields(message, 0, message.Length))
            {
                if (field.Number == number && field.Length >= 0)
                {
                    found = Slice(message, field);
                }
            }
            return found;
        }

        private static string StringField(byte[] message, int number)
        {
            byte[] bytes = MessageField(message, number);
            return bytes == null ? "" : Encoding.UTF8.GetString(bytes);
        }
    }
}
