using System.Buffers.Binary;
using K4os.Compression.LZ4;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>The filter decoders on hand-made and damaged inputs: exact values, and corrupt data only ever an <see cref="InvalidDataException"/>.</summary>
public sealed class ChunkDecoderTests
{
    /// <summary>Checksums libhdf5 1.10 (h5py, fletcher32=True) stored for chunks holding exactly these bytes.</summary>
    [Theory]
    [InlineData("abcde", 0x4ff029c7u)]
    [InlineData("abcdef", 0x50562a2du)]
    public void Fletcher32_MatchesLibhdf5_OnOddAndEvenLengths(string text, uint expected)
    {
        Assert.Equal(expected, Fletcher32.Compute(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Fletcher32_MatchesLibhdf5_AcrossItsFoldingBlocks()
    {
        var counting = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        var ones = Enumerable.Repeat((byte)0xff, 1001).ToArray();

        Assert.Equal(0x151600ffu, Fletcher32.Compute(counting));
        Assert.Equal(0xff00ff00u, Fletcher32.Compute(ones));
    }

    [Fact]
    public void Fletcher32_AcceptsTheHalfSwappedSumOfOldLibhdf5_AndNoOther()
    {
        var data = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        uint sum = Fletcher32.Compute(data);
        var stored = new byte[data.Length + 4];
        data.CopyTo(stored, 0);

        bool With(uint checksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(stored.AsSpan(data.Length), checksum);
            return Fletcher32.Verify(stored);
        }

        Assert.True(With(sum));
        Assert.True(With(((sum & 0x00ff00ffu) << 8) | ((sum >> 8) & 0x00ff00ffu)));
        Assert.False(With(sum ^ 1));
        Assert.False(With(BinaryPrimitives.ReverseEndianness(sum)));
        Assert.False(Fletcher32.Verify([1, 2, 3]));
    }

    [Fact]
    public void Lzf_DecodesLiteralsAndOverlappingBackReferences()
    {
        // "abc" as a literal run; 6 bytes from 3 back (overlapping what it writes); 20 bytes from 3 back (length byte extended).
        byte[] input = [0x02, (byte)'a', (byte)'b', (byte)'c', 0x80, 0x02, 0xe0, 11, 0x02];
        var output = new byte[29];

        int written = LzfDecoder.Decode(input, output);

        Assert.Equal(29, written);
        Assert.Equal(string.Concat(Enumerable.Repeat("abc", 10))[..29], System.Text.Encoding.ASCII.GetString(output));
    }

    [Theory]
    [InlineData(new byte[] { 0x05, 1, 2 }, "runs past the end of the input")]
    [InlineData(new byte[] { 0x00, 1, 0x20, 0x01 }, "before the start")]
    [InlineData(new byte[] { 0x00, 1, 0xe0 }, "cut off")]
    [InlineData(new byte[] { 0x00, 1, 0xe0, 200, 0x00 }, "decodes to more than 16 bytes")]
    [InlineData(new byte[] { 0x1f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "decodes to more than 16 bytes")]
    public void Lzf_CorruptInput_IsInvalidData(byte[] input, string expected)
    {
        var problem = Assert.Throws<InvalidDataException>(() => LzfDecoder.Decode(input, new byte[16]));

        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lzf_RandomInput_NeverFailsOtherwiseThanInvalidData()
    {
        var random = new Random(32000);
        var output = new byte[256];
        for (int trial = 0; trial < 20_000; trial++)
        {
            var input = new byte[random.Next(1, 80)];
            random.NextBytes(input);
            try
            {
                Assert.InRange(LzfDecoder.Decode(input, output), 0, output.Length);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void Lz4_DecodesMultiBlockFraming_WithRawAndCompressedBlocks()
    {
        var random = new Random(4);
        var plain = new byte[1000];
        random.NextBytes(plain.AsSpan(300, 300)); // block 2 (256..511) and 3 do not compress
        var stored = Lz4Frame(plain, 256);

        var output = new byte[plain.Length];
        Lz4Frames.Decode(stored, output);

        Assert.Equal(plain, output);
    }

    [Fact]
    public void Lz4_DamagedFraming_NeverFailsOtherwiseThanInvalidData()
    {
        var plain = Enumerable.Range(0, 1000).Select(i => (byte)(i / 10)).ToArray();
        var valid = Lz4Frame(plain, 256);
        var random = new Random(32004);
        var output = new byte[plain.Length];
        for (int trial = 0; trial < 20_000; trial++)
        {
            var stored = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                stored[random.Next(stored.Length)] = (byte)random.Next(256);
            }
            try
            {
                Lz4Frames.Decode(stored.AsSpan(0, random.Next(stored.Length / 2, stored.Length + 1)), output);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    /// <summary>The LZ4 filter's framing as H5Zlz4.c writes it (blocks that do not shrink stored raw).</summary>
    private static byte[] Lz4Frame(byte[] plain, int blockSize)
    {
        var frame = new List<byte>();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(header, (ulong)plain.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)blockSize);
        frame.AddRange(header);
        for (int start = 0; start < plain.Length; start += blockSize)
        {
            var block = plain.AsSpan(start, Math.Min(blockSize, plain.Length - start));
            var compressed = new byte[LZ4Codec.MaximumOutputSize(block.Length)];
            int length = LZ4Codec.Encode(block, compressed);
            var body = length >= block.Length ? block.ToArray() : compressed[..length];
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(size, (uint)body.Length);
            frame.AddRange(size);
            frame.AddRange(body);
        }
        return [.. frame];
    }
}
