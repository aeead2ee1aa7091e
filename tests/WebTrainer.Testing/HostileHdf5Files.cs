using System.Buffers.Binary;
using System.IO.Compression;
using PureHDF;
using PureHDF.VOL.Native;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Testing;

/// <summary>
/// Hostile HDF5 files written at test time: PureHDF writes a small valid file, then the bytes that make
/// it hostile are patched in (a declared dimension, a link address, a chunk's stored bytes). Each method
/// returns the path of a new file in <c>folder</c>; each file also holds labels named "labels" where the
/// hostile dataset is images, so a spec can name a pair.
/// </summary>
public static class HostileHdf5Files
{
    /// <summary>Root group "/" holds group "g" whose link "up" leads back to "/" (h5py: <c>f.create_group("g")["up"] = f["/"]</c>).</summary>
    public static string GroupCycle(string folder)
    {
        var path = System.IO.Path.Combine(folder, "group_cycle.h5");
        new H5File
        {
            ["g"] = new H5Group { ["up"] = new H5Group(), ["images"] = Hdf5Fixtures.Images(4) },
            ["labels"] = Hdf5Fixtures.IntegerLabels(4, 2),
        }.Write(path);
        ulong root, up;
        using (var h5 = H5File.OpenRead(path))
        {
            root = AddressOf(h5);
            up = AddressOf(h5.Group("/g/up"));
        }
        PatchUInt64(path, up, root, expected: 1);
        return path;
    }

    /// <summary>Image dataset "images" [1.6e9,8,8] uint8 in chunks [1,8,8]: 1.6 billion chunks declared by a few-KB file.</summary>
    public static string BillionsOfChunks(string folder) =>
        PatchedDims(folder, "billions_of_chunks.h5", [1009, 8, 8], [1_600_000_000, 8, 8], chunks: [1, 8, 8]);

    /// <summary>Image dataset "images" declaring [2,40000,40000,3] uint8 (9.6 GB) in a file of ~100 KB.</summary>
    public static string HugeImages(string folder) =>
        PatchedDims(folder, "huge_images.h5", [2, 97, 101, 3], [2, 40_000, 40_000, 3], chunks: null);

    /// <summary>Label dataset "labels" declaring 10 billion uint16 labels in a file of ~140 KB.</summary>
    public static string HugeLabelCount(string folder)
    {
        var path = System.IO.Path.Combine(folder, "huge_label_count.h5");
        // More than 64 KB, so that PureHDF stores it contiguous rather than compact (whose size field would then disagree).
        new H5File { ["images"] = Hdf5Fixtures.Images(4), ["labels"] = new H5Dataset(new ushort[70_001], fileDims: [70_001]) }.Write(path);
        PatchDims(path, [70_001], [10_000_000_000]);
        return path;
    }

    /// <summary>A small valid file with images (chunked, deflate) and labels, the base of the damaged ones.</summary>
    public static string Small(string folder, string name = "small.h5")
    {
        var path = System.IO.Path.Combine(folder, name);
        var pixels = Enumerable.Range(0, 8 * 16 * 16).Select(i => (byte)(i * 37 % 251)).ToArray();
        new H5File
        {
            ["images"] = new H5Dataset(pixels, fileDims: [8, 16, 16], chunks: [2, 16, 16],
                datasetCreation: new H5DatasetCreation { Filters = [new PureHDF.Filters.H5Filter(1, null!)] }),
            ["labels"] = Hdf5Fixtures.IntegerLabels(8, 2),
        }.Write(path);
        return path;
    }

    /// <summary>The small file cut inside its metadata: its first <paramref name="keepBytes"/> bytes.</summary>
    public static string TruncatedMetadata(string folder, int keepBytes = 400)
    {
        var path = Small(folder, "truncated_metadata.h5");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(Math.Min(keepBytes, stream.Length));
        return path;
    }

    /// <summary>The small file with bit <paramref name="bit"/> (counted from the file's first byte) flipped.</summary>
    public static string BitFlipped(string folder, long bit)
    {
        var path = Small(folder, $"bit_flipped_{bit}.h5");
        var bytes = File.ReadAllBytes(path);
        bytes[bit / 8 % bytes.Length] ^= (byte)(1 << (int)(bit % 8));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The HDF5 signature followed by <paramref name="length"/> bytes of seeded noise.</summary>
    public static string GarbageAfterSignature(string folder, int length = 4096, int seed = 1)
    {
        var path = System.IO.Path.Combine(folder, $"garbage_after_signature_{seed}.h5");
        var bytes = new byte[8 + length];
        new Random(seed).NextBytes(bytes);
        new byte[] { 0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a }.CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The small file with the address of the last chunk of "images" moved far past the end of the file.</summary>
    public static string ChunkAddressPastEnd(string folder)
    {
        var path = Small(folder, "chunk_address_past_end.h5");
        var (offset, _) = StoredChunk(path, "images", 3);
        PatchUInt64(path, (ulong)offset, (ulong)offset + (1UL << 40), expected: 1);
        return path;
    }

    /// <summary>
    /// Images [4,128,128] uint8 of noise in deflated chunks of one image, with chunk 1's stored bytes replaced
    /// by a zlib stream that inflates to 8 MB of zeros: 512 times the chunk's declared 16 KB.
    /// </summary>
    public static string DeflateBombChunk(string folder)
    {
        var path = System.IO.Path.Combine(folder, "deflate_bomb_chunk.h5");
        var pixels = new byte[4 * 128 * 128];
        new Random(7).NextBytes(pixels); // noise: its chunks stay ~16 KB deflated, room for the bomb
        new H5File
        {
            ["images"] = new H5Dataset(pixels, fileDims: [4, 128, 128], chunks: [1, 128, 128],
                datasetCreation: new H5DatasetCreation { Filters = [new PureHDF.Filters.H5Filter(1, null!)] }),
            ["labels"] = Hdf5Fixtures.IntegerLabels(4, 2),
        }.Write(path);
        var (offset, size) = StoredChunk(path, "images", 1);
        var bomb = new MemoryStream();
        using (var zlib = new ZLibStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++)
            {
                zlib.Write(zeros);
            }
        }
        var bytes = File.ReadAllBytes(path);
        if (bomb.Length > size)
        {
            throw new InvalidOperationException($"the bomb ({bomb.Length} bytes) does not fit the chunk's {size} stored bytes");
        }
        bomb.ToArray().CopyTo(bytes, offset);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string PatchedDims(string folder, string name, ulong[] written, ulong[] declared, uint[]? chunks)
    {
        var path = System.IO.Path.Combine(folder, name);
        var pixels = new byte[written.Aggregate(1UL, (a, b) => a * b)];
        var images = chunks is null ? new H5Dataset(pixels, fileDims: written) : new H5Dataset(pixels, fileDims: written, chunks: chunks);
        new H5File { ["images"] = images, ["labels"] = Hdf5Fixtures.IntegerLabels(4, 2) }.Write(path);
        PatchDims(path, written, declared);
        return path;
    }

    /// <summary>Rewrites a dataspace's dimensions (and maximum dimensions, stored the same way) from one shape to another.</summary>
    private static void PatchDims(string path, ulong[] from, ulong[] to)
    {
        var bytes = File.ReadAllBytes(path);
        var pattern = Encode(from);
        var replacement = Encode(to);
        int found = 0;
        for (int at = bytes.AsSpan().IndexOf(pattern); at >= 0; at = Next(bytes, pattern, at + pattern.Length))
        {
            replacement.CopyTo(bytes, at);
            found++;
        }
        if (found == 0)
        {
            throw new InvalidOperationException($"the shape [{string.Join(",", from)}] was not found in {path}");
        }
        File.WriteAllBytes(path, bytes);
    }

    private static int Next(byte[] bytes, byte[] pattern, int from)
    {
        int at = bytes.AsSpan(from).IndexOf(pattern);
        return at < 0 ? -1 : from + at;
    }

    private static byte[] Encode(ulong[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        }
        return bytes;
    }

    private static void PatchUInt64(string path, ulong from, ulong to, int expected)
    {
        var bytes = File.ReadAllBytes(path);
        var pattern = Encode([from]);
        var at = new List<int>();
        for (int i = bytes.AsSpan().IndexOf(pattern); i >= 0; i = Next(bytes, pattern, i + 1))
        {
            at.Add(i);
        }
        if (at.Count != expected)
        {
            throw new InvalidOperationException($"{path}: address {from} occurs {at.Count} times, expected {expected}");
        }
        foreach (var i in at)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i), to);
        }
        File.WriteAllBytes(path, bytes);
    }

    private static ulong AddressOf(IH5Object target) =>
        PureHdfInternals.Identity(target, new object())?.Address ?? throw new InvalidOperationException("PureHDF's object address is not at hand");

    private static (long Offset, long Size) StoredChunk(string file, string dataset, long chunk)
    {
        using var h5 = (NativeFile)H5File.OpenRead(file);
        var d = h5.Dataset(dataset);
        var storage = PureHdfInternals.Layout(d)!;
        using var handle = File.OpenHandle(file);
        var table = ChunkIndexReader.Read(handle, file, Superblock.Read(handle, file), storage, d.Space.Dimensions, d.Space.MaxDimensions, 1)!;
        return (table.Offset(chunk), table.StoredSize(chunk));
    }
}
