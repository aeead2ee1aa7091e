using System.Buffers.Binary;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// HDF5's fletcher32 filter (id 3): the stored chunk ends in a 4-byte little-endian checksum of the
/// bytes before it. The sum is libhdf5's <c>H5_checksum_fletcher32</c>: 16-bit words read big-endian,
/// sums starting at 0 and folded every 360 words, an odd last byte taken as the high byte of a word.
/// </summary>
internal static class Fletcher32
{
    public const int Length = 4;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2, i = 0;
        while (words > 0)
        {
            int block = Math.Min(words, 360);
            words -= block;
            for (int end = i + 2 * block; i < end; i += 2)
            {
                sum1 += (uint)((data[i] << 8) | data[i + 1]);
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        if ((data.Length & 1) != 0)
        {
            sum1 += (uint)(data[^1] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }

    /// <summary>
    /// Whether the last 4 bytes of <paramref name="stored"/> are the checksum of the rest. Like libhdf5,
    /// also accepts the checksum with the bytes of each half swapped, which libhdf5 before 1.6.3 wrote
    /// on little-endian machines.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> stored)
    {
        if (stored.Length < Length)
        {
            return false;
        }
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(stored[^Length..]);
        uint actual = Compute(stored[..^Length]);
        uint halvesSwapped = ((actual & 0x00ff00ffu) << 8) | ((actual >> 8) & 0x00ff00ffu);
        return expected == actual || expected == halvesSwapped;
    }
}
