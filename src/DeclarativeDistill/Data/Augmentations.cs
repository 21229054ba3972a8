using System;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Batch transforms for <see cref="TrainingOptions.Augment"/>. They draw from TorchSharp's global
/// generator, which training seeds from <see cref="TrainingOptions.Seed"/>.
/// </summary>
public static class Augmentations
{
    /// <summary>
    /// Shifts every image of a batch by its own random offset of up to <paramref name="maxShift"/>
    /// pixels in each direction, filling with zeros: the "jitter" with which Hinton et al. trained
    /// their MNIST teacher. Rows of the batch are images of <paramref name="height"/> × <paramref name="width"/>
    /// pixels stored row by row.
    /// </summary>
    public static Func<Tensor, Tensor> RandomShift(int width, int height, int maxShift)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive; got {width} × {height}.");
        }
        if (maxShift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxShift), $"The shift must be non-negative; got {maxShift}.");
        }
        if (maxShift == 0)
        {
            return batch => batch;
        }

        int paddedWidth = width + 2 * maxShift;
        int paddedHeight = height + 2 * maxShift;
        return batch =>
        {
            long count = batch.shape[0];
            if (batch.shape[1] != width * height)
            {
                throw new ArgumentException($"RandomShift expects rows of {width} × {height} = {width * height} pixels; got {batch.shape[1]}.");
            }

            // Pad each image by maxShift on every side, then read a width × height window from it at a
            // per-image offset: one gather over the whole batch instead of a loop over images.
            using var scope = NewDisposeScope();
            var padded = nn.functional.pad(batch.view(count, 1, height, width), new long[] { maxShift, maxShift, maxShift, maxShift })
                .view(count, paddedWidth * paddedHeight);
            var dx = randint(0, 2 * maxShift + 1, new long[] { count, 1 }, dtype: ScalarType.Int64, device: batch.device);
            var dy = randint(0, 2 * maxShift + 1, new long[] { count, 1 }, dtype: ScalarType.Int64, device: batch.device);
            var rows = arange(height, dtype: ScalarType.Int64, device: batch.device).repeat_interleave(width).unsqueeze(0);
            var columns = arange(width, dtype: ScalarType.Int64, device: batch.device).repeat(height).unsqueeze(0);
            var source = (rows + dy) * paddedWidth + columns + dx;
            return padded.gather(1, source).MoveToOuterDisposeScope();
        };
    }
}
