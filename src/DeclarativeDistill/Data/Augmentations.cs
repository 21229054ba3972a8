using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace DeclarativeDistill;

/// <summary>
/// Batch transforms for <see cref="TrainingOptions.Augment"/>. Each takes a batch in the dataset's layout
/// (rows <c>[B, C·H·W]</c> or images <c>[B, C, H, W]</c>) and returns one of the same shape. They draw from
/// TorchSharp's global generator, which training seeds from <see cref="TrainingOptions.Seed"/>.
/// </summary>
public static class Augmentations
{
    /// <summary>
    /// Shifts every image of a batch by its own random offset of up to <paramref name="maxShift"/> pixels in
    /// each direction, filling with zeros: the "jitter" with which Hinton et al. trained their MNIST teacher.
    /// Rows of the batch are single-channel images of <paramref name="height"/> × <paramref name="width"/>
    /// pixels stored row by row.
    /// </summary>
    public static Func<Tensor, Tensor> RandomShift(int width, int height, int maxShift)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive; got {width} × {height}.");
        }
        return RandomShift(new FeatureShape(1, height, width), maxShift);
    }

    /// <summary>
    /// Shifts every image of a batch by its own random offset of up to <paramref name="maxShift"/> pixels in
    /// each direction (all channels alike), filling with zeros. <paramref name="image"/> is the shape of one
    /// example, e.g. <c>FeatureShape.Parse("3x32x32")</c>; the batch may be rows or images of that shape.
    /// </summary>
    public static Func<Tensor, Tensor> RandomShift(FeatureShape image, int maxShift)
    {
        RequireImage(image, nameof(RandomShift));
        if (maxShift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxShift), $"The shift must be non-negative; got {maxShift}.");
        }
        if (maxShift == 0)
        {
            return batch => batch;
        }

        int channels = image.Channels, height = image.Height, width = image.Width;
        int paddedWidth = width + 2 * maxShift;
        int paddedHeight = height + 2 * maxShift;
        return batch =>
        {
            long count = CheckBatch(batch, image, nameof(RandomShift));

            // Pad each image by maxShift on every side, then read a height × width window from it at a
            // per-image offset: one gather over the whole batch instead of a loop over images.
            using var scope = NewDisposeScope();
            var padded = nn.functional.pad(batch.reshape(count, channels, height, width), new long[] { maxShift, maxShift, maxShift, maxShift })
                .reshape(count, channels, paddedWidth * paddedHeight);
            var dx = randint(0, 2 * maxShift + 1, new long[] { count, 1 }, dtype: ScalarType.Int64, device: batch.device);
            var dy = randint(0, 2 * maxShift + 1, new long[] { count, 1 }, dtype: ScalarType.Int64, device: batch.device);
            var rows = arange(height, dtype: ScalarType.Int64, device: batch.device).repeat_interleave(width).unsqueeze(0);
            var columns = arange(width, dtype: ScalarType.Int64, device: batch.device).repeat(height).unsqueeze(0);
            var source = ((rows + dy) * paddedWidth + columns + dx).unsqueeze(1).expand(count, channels, height * width);
            return padded.gather(2, source).reshape(batch.shape).MoveToOuterDisposeScope();
        };
    }

    /// <summary>
    /// torchvision's <c>RandomCrop(size, padding)</c> at the image's own size: pad every side by
    /// <paramref name="padding"/> zeros and cut the original size back out at a random position, the usual
    /// augmentation for CIFAR. It is the same transform as <see cref="RandomShift(FeatureShape, int)"/> with
    /// <c>maxShift = padding</c>, under the name CIFAR recipes use.
    /// </summary>
    public static Func<Tensor, Tensor> RandomCrop(FeatureShape image, int padding) => RandomShift(image, padding);

    /// <summary>
    /// Mirrors each image left to right with probability <paramref name="probability"/> (default one half), as
    /// torchvision's <c>RandomHorizontalFlip</c>. Not for digits or text, whose mirror images are other symbols.
    /// </summary>
    public static Func<Tensor, Tensor> HorizontalFlip(FeatureShape image, double probability = 0.5)
    {
        RequireImage(image, nameof(HorizontalFlip));
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), $"The probability must be in [0, 1]; got {probability}.");
        }
        int channels = image.Channels, height = image.Height, width = image.Width;
        return batch =>
        {
            long count = CheckBatch(batch, image, nameof(HorizontalFlip));
            using var scope = NewDisposeScope();
            var images = batch.reshape(count, channels, height, width);
            var flip = rand(new long[] { count, 1, 1, 1 }, device: batch.device).lt(probability);
            return where(flip, images.flip(3), images).reshape(batch.shape).MoveToOuterDisposeScope();
        };
    }

    /// <summary>Applies <paramref name="transforms"/> in order, e.g. a random crop and then a flip.</summary>
    public static Func<Tensor, Tensor> Compose(params Func<Tensor, Tensor>[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Any(t => t is null))
        {
            throw new ArgumentException("No transform may be null.", nameof(transforms));
        }
        return batch =>
        {
            var current = batch;
            foreach (var transform in transforms)
            {
                var next = transform(current);
                if (!ReferenceEquals(current, batch) && !ReferenceEquals(next, current))
                {
                    current.Dispose();
                }
                current = next;
            }
            return current;
        };
    }

    private static void RequireImage(FeatureShape image, string transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!image.IsImage)
        {
            throw new ArgumentException($"{transform} moves pixels of images; {image} is a vector shape (give e.g. 1x28x28).", nameof(image));
        }
    }

    /// <summary>The batch size, after checking that every example has the image's number of values.</summary>
    private static long CheckBatch(Tensor batch, FeatureShape image, string transform)
    {
        long count = batch.shape[0];
        long perExample = batch.shape.Skip(1).Aggregate(1L, (p, size) => p * size);
        if (perExample != image.Size)
        {
            throw new ArgumentException(
                $"{transform} expects examples of {image} = {image.Size} values; got [{string.Join(", ", batch.shape.Skip(1))}] = {perExample}.");
        }
        return count;
    }
}
