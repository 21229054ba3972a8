using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Parquet;
using Parquet.Schema;

namespace DeclarativeDistill;

/// <summary>Reads one column of a Parquet row group as numbers or as label text, whatever its stored type.</summary>
internal static class ParquetColumns
{
    public static bool IsNumeric(DataField field) =>
        !field.IsArray && Type.GetTypeCode(field.ClrType) is TypeCode.Single or TypeCode.Double or TypeCode.Decimal or TypeCode.Boolean
            or TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    public static bool IsText(DataField field) => !field.IsArray && (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>));

    public static string Describe(DataField field) =>
        field.IsArray ? $"lists of {Name(field)}" : Name(field);

    private static string Name(DataField field) =>
        field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? "text" : field.ClrType.Name;

    /// <summary>The column's values as doubles; a null is an error at its row (<paramref name="where"/>).</summary>
    public static async Task<double[]> ReadNumbers(ParquetRowGroupReader rowGroup, DataField field, int count, Func<int, string> where) =>
        Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.Single => await Read<float>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Double => await Read<double>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Decimal => await Read<decimal>(rowGroup, field, count, where, v => (double)v).ConfigureAwait(false),
            TypeCode.Boolean => await Read<bool>(rowGroup, field, count, where, v => v ? 1 : 0).ConfigureAwait(false),
            TypeCode.SByte => await Read<sbyte>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Byte => await Read<byte>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Int16 => await Read<short>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.UInt16 => await Read<ushort>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Int32 => await Read<int>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.UInt32 => await Read<uint>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.Int64 => await Read<long>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            TypeCode.UInt64 => await Read<ulong>(rowGroup, field, count, where, v => v).ConfigureAwait(false),
            _ => throw new InvalidDataException($"{where(0)}: a column of {Describe(field)} is not numeric."),
        };

    /// <summary>The column's values as label text: strings as they are, numbers in invariant form.</summary>
    public static async Task<string[]> ReadLabels(ParquetRowGroupReader rowGroup, DataField field, int count, Func<int, string> where)
    {
        if (IsText(field))
        {
            var texts = new string?[count];
            await rowGroup.ReadAsync(field, texts.AsMemory()).ConfigureAwait(false);
            var labels = new string[count];
            for (int row = 0; row < count; row++)
            {
                labels[row] = texts[row] ?? throw new InvalidDataException($"{where(row)}: the label is missing (null).");
            }
            return labels;
        }
        if (!IsNumeric(field))
        {
            throw new InvalidDataException($"{where(0)}: a label column of {Describe(field)} is neither text nor numbers.");
        }
        var numbers = await ReadNumbers(rowGroup, field, count, where).ConfigureAwait(false);
        return Array.ConvertAll(numbers, n => n.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<double[]> Read<T>(ParquetRowGroupReader rowGroup, DataField field, int count, Func<int, string> where, Func<T, double> convert)
        where T : struct
    {
        var result = new double[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await rowGroup.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
            for (int row = 0; row < count; row++)
            {
                result[row] = values[row] is { } value ? convert(value) : throw new InvalidDataException($"{where(row)}: the value is missing (null).");
            }
        }
        else
        {
            var values = new T[count];
            await rowGroup.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
            for (int row = 0; row < count; row++)
            {
                result[row] = convert(values[row]);
            }
        }
        return result;
    }
}
