using System;

namespace DeclarativeDistill;

public static partial class Datasets
{
    /// <summary>
    /// Loads a NumPy array of features (a <c>.npy</c> file from <c>np.save</c>) and optionally one of labels into memory.
    /// Features <c>[N, D]</c> are vectors of D, <c>[N, H, W]</c> one-channel images <c>1xHxW</c>, <c>[N, C, H, W]</c>
    /// images; labels a 1-D integer array of N class indices (a float array of whole numbers is accepted too).
    /// <para>
    /// Features of any float (16, 32, 64 bits) or integer (8 to 64 bits, signed or unsigned) type become float32 with
    /// their values as they are: nothing is scaled, so uint8 pixels come in as 0..255. Scale or normalise them yourself
    /// (divide by 255 before saving, or train with normalisation) as the network expects. Big-endian arrays are
    /// byte-swapped; arrays in Fortran order, of Python objects or of records are refused.
    /// </para>
    /// </summary>
    /// <param name="featuresPath">The features' .npy file.</param>
    /// <param name="labelsPath">The labels' .npy file, or null for a transfer set without labels.</param>
    /// <param name="classCount">The number of classes; default: the largest label + 1 (0 without labels).</param>
    /// <exception cref="System.IO.FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="System.IO.InvalidDataException">
    /// A file is not a .npy array of a supported type and shape, is truncated, holds a NaN or infinite feature, or a label
    /// that is not a class index; the message names the file (and the example).
    /// </exception>
    public static LabeledDataset FromNumPy(string featuresPath, string? labelsPath = null, int? classCount = null)
    {
        using var source = OpenNumPy(featuresPath, labelsPath, classCount);
        return source.ToMemory();
    }

    /// <summary>
    /// Loads features and labels from an <c>.npz</c> archive (<c>np.savez</c> or <c>np.savez_compressed</c>) into
    /// memory, by the names they were saved under: <c>np.savez(path, x=features, y=labels)</c> is read with the
    /// defaults. Arrays are read as <see cref="FromNumPy"/> reads them: values as they are, no scaling.
    /// </summary>
    /// <param name="path">The .npz file.</param>
    /// <param name="features">The name of the features array.</param>
    /// <param name="labels">The name of the labels array, or null for a transfer set without labels.</param>
    /// <param name="classCount">The number of classes; default: the largest label + 1 (0 without labels).</param>
    /// <exception cref="System.IO.FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The archive has no array of that name; the message lists the arrays it has.</exception>
    /// <exception cref="System.IO.InvalidDataException">
    /// Not a zip archive, or a member is not a .npy array of a supported type and shape, is truncated or corrupt, holds a
    /// NaN or infinite feature, or a label that is not a class index; the message names the file and the member.
    /// </exception>
    public static LabeledDataset FromNumPyArchive(string path, string features = "x", string? labels = "y", int? classCount = null)
    {
        using var archive = NumPyArchive.Open(path);
        var featureArray = archive.Read(features, nameof(features));
        NumPyArray? labelArray;
        try
        {
            labelArray = labels is null ? null : archive.Read(labels, nameof(labels));
        }
        catch
        {
            featureArray.Dispose();
            throw;
        }
        using (labelArray)
        using (var source = NumPySource.Create(featureArray, labelArray, classCount))
        {
            return source.ToMemory();
        }
    }

    /// <summary>
    /// Opens a <c>.npy</c> array of features (and optionally one of labels) on disk, memory-mapped: each batch is read
    /// from the mapped file when training needs it, so the array may be larger than memory. Shapes, types and labels as
    /// <see cref="FromNumPy"/>; the labels are read and checked now (8 bytes an example), the features as batches are
    /// read, and a NaN or infinite feature is an error naming the file and the example when its batch is read. Only
    /// uncompressed .npy files can be mapped: load an .npz with <see cref="FromNumPyArchive"/>. Dispose the source to
    /// unmap the file.
    /// </summary>
    /// <inheritdoc cref="FromNumPy" path="/param"/>
    /// <exception cref="System.IO.FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="System.IO.InvalidDataException">
    /// A file is not a .npy array of a supported type and shape, is truncated, or holds a label that is not a class index;
    /// the message names the file (and the example).
    /// </exception>
    public static DataSource OpenNumPy(string featuresPath, string? labelsPath = null, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(featuresPath);
        var features = MappedNumPyArray.Open(featuresPath);
        MappedNumPyArray? labels;
        try
        {
            labels = labelsPath is null ? null : MappedNumPyArray.Open(labelsPath);
        }
        catch
        {
            features.Dispose();
            throw;
        }
        using (labels)
        {
            return NumPySource.Create(features, labels, classCount);
        }
    }
}
