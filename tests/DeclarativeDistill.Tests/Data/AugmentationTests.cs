using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace DeclarativeDistill.Tests.Data;

public class AugmentationTests
{
    [Fact]
    public void Random_shift_moves_each_image_without_changing_a_centred_digit()
    {
        // A 6×6 image with a 2×2 blob in the middle: any shift of up to 1 pixel keeps the whole blob.
        var image = zeros(6, 6);
        image[2, 2] = image[2, 3] = image[3, 2] = image[3, 3] = tensor(1f);
        using var batch = image.reshape(1, 36).repeat(64, 1);
        manual_seed(5);

        using var shifted = Augmentations.RandomShift(6, 6, 1)(batch);

        Assert.Equal(new long[] { 64, 36 }, shifted.shape);
        Assert.True(shifted.sum(1).eq(4).all().item<bool>(), "every shifted image keeps the blob's mass");
        float[] pixels = shifted.data<float>().ToArray();
        int unique = Enumerable.Range(0, 64).Select(i => string.Join(",", pixels.Skip(36 * i).Take(36))).Distinct().Count();
        Assert.True(unique > 1, "images get different offsets");
        Assert.True(unique <= 9, "at most the 3 × 3 offsets of a 1-pixel shift");
    }

    [Fact]
    public void Zero_shift_is_the_identity()
    {
        using var batch = rand(4, 9);
        using var same = Augmentations.RandomShift(3, 3, 0)(batch);
        Assert.True(SyntheticData.Same(same, batch));
    }
}
