using System.Diagnostics;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace WebTrainer.Bench;

/// <summary>
/// Writes a Food-101-shaped file (<c>train_img</c> N×S×S×3 uint8, one-hot <c>train_labels</c> N×K)
/// block by block through PureHDF's streaming writer, so a file far larger than memory can be made.
/// Pixels are smooth colour gradients with noise: compressible like photos, not like zeros.
/// </summary>
internal static class GenerateCommand
{
    private const long BlockBytes = 64L * 1024 * 1024;

    public static int Run(BenchArgs args)
    {
        var path = args.Text("out");
        long count = args.Number("count", 1000);
        int size = (int)args.Number("size", 299);
        int classes = (int)args.Number("classes", 101);
        var filter = args.Has("deflate") ? "deflate" : args.Text("filter", "");
        bool chunked = args.Has("chunked") || filter.Length > 0 || args.Has("chunks");
        ulong[] dims = [(ulong)count, (ulong)size, (ulong)size, 3];
        // --chunks guess: what h5py picks when a script compresses without chunks=; --chunks A,B,C,D: exactly those.
        uint[] chunkDims = args.Has("chunks")
            ? args.Text("chunks") == "guess"
                ? [.. WebTrainer.Worker.Data.Hdf5.H5pyChunkGuess.For(dims, 1).Select(c => (uint)c)]
                : [.. args.Text("chunks").Split(',').Select(uint.Parse)]
            : [(uint)args.Number("chunk-rows", 1), (uint)size, (uint)size, 3];
        if (chunkDims.Length != 4 || chunkDims.Any(c => c == 0))
        {
            throw new ArgumentException($"--chunks needs 4 positive extents or 'guess', not {args.Text("chunks")}");
        }
        uint chunkRows = chunkDims[0];
        bool wholeImageChunks = chunkDims[1] == size && chunkDims[2] == size && chunkDims[3] == 3;
        long rowBytes = (long)size * size * 3;
        var creation = filter.Length > 0 ? new H5DatasetCreation { Filters = GenerateFilters.Pipeline(filter) } : default;
        var images = new H5Dataset<byte[]>(fileDims: dims, chunks: chunked ? chunkDims : null, datasetCreation: creation);
        var labels = new H5Dataset<byte[]>(fileDims: [(ulong)count, (ulong)classes]);
        var file = new H5File { ["train_img"] = images, ["train_labels"] = labels };

        var watch = Stopwatch.StartNew();
        var temp = path + ".partial";
        // Raw filling needs rows to lie back to back in the file: contiguous, or unfiltered whole-image chunks.
        bool rawFill = filter.Length == 0 && (!chunked || wholeImageChunks);
        long rowsPerBlock = Math.Max(chunkRows, BlockBytes / rowBytes / chunkRows * chunkRows);
        var block = new byte[rowsPerBlock * rowBytes];
        using (var writer = file.BeginWrite(temp))
        {
            var oneHot = new byte[rowsPerBlock * classes];
            for (long first = 0; first < count; first += rowsPerBlock)
            {
                long rows = Math.Min(rowsPerBlock, count - first);
                Array.Clear(oneHot);
                for (long i = 0; i < rows; i++)
                {
                    oneHot[i * classes + (first + i) % classes] = 1;
                }
                writer.Write(labels, rows == rowsPerBlock ? oneHot : oneHot[..(int)(rows * classes)],
                    fileSelection: new HyperslabSelection(2, [(ulong)first, 0], [(ulong)rows, (ulong)classes]));
                if (!rawFill)
                {
                    // Blocks hold whole chunks, so every chunk is compressed once, complete.
                    Fill(block, first, rows, rowBytes, size);
                    var data = rows == rowsPerBlock ? block : block[..(int)(rows * rowBytes)];
                    writer.Write(images, data, fileSelection: Rows(first, rows, size));
                    Progress(first + rows, count, rowBytes, watch);
                }
            }
            if (rawFill)
            {
                // PureHDF walks a 4-D selection in runs of the last axis (3 bytes): far too slow for
                // 20 GB. Write one row through it so the data space is allocated, then fill raw.
                writer.Write(images, new byte[rowBytes], fileSelection: Rows(count - 1, 1, size));
            }
        }
        if (rawFill)
        {
            RawFill(temp, block, rowsPerBlock, count, rowBytes, size, watch);
        }
        File.Move(temp, path, overwrite: true);
        var bytes = new FileInfo(path).Length;
        Console.Error.WriteLine();
        Console.WriteLine($"wrote {path}: {count} images {size}x{size}x3, {(chunked ? $"chunks ({string.Join(",", chunkDims)})" : "contiguous")}" +
            $"{(filter.Length > 0 ? ", " + filter : "")}, {bytes / 1e9:F2} GB in {watch.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    private static HyperslabSelection Rows(long first, long rows, int size) =>
        new(4, [(ulong)first, 0, 0, 0], [(ulong)rows, (ulong)size, (ulong)size, 3]);

    /// <summary>
    /// Writes the pixels straight to the data's file offset: for a contiguous dataset and for an
    /// unfiltered chunked one with whole-row chunks (implicit index: chunks back to back in row order)
    /// row r lies at address + r × row bytes either way.
    /// </summary>
    private static void RawFill(string path, byte[] block, long rowsPerBlock, long count, long rowBytes, int size, Stopwatch watch)
    {
        long offset;
        using (var h5 = H5File.OpenRead(path))
        {
            var layout = WebTrainer.Worker.Data.Hdf5.PureHdfInternals.Layout(h5.Dataset("train_img"))
                ?? throw new InvalidOperationException("cannot find the image data in the written file");
            if (layout.Index is not (WebTrainer.Worker.Data.Hdf5.Raw.ChunkIndexKind.None or WebTrainer.Worker.Data.Hdf5.Raw.ChunkIndexKind.Implicit or WebTrainer.Worker.Data.Hdf5.Raw.ChunkIndexKind.SingleChunk))
            {
                throw new InvalidOperationException($"raw fill needs contiguous or implicitly indexed chunks, not {layout.Index}");
            }
            offset = (long)layout.Address;
        }
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        if (RandomAccess.GetLength(handle) < offset + count * rowBytes)
        {
            throw new InvalidOperationException("PureHDF did not allocate the image data");
        }
        for (long first = 0; first < count; first += rowsPerBlock)
        {
            long rows = Math.Min(rowsPerBlock, count - first);
            Fill(block, first, rows, rowBytes, size);
            RandomAccess.Write(handle, block.AsSpan(0, (int)(rows * rowBytes)), offset + first * rowBytes);
            Progress(first + rows, count, rowBytes, watch);
        }
    }

    private static void Fill(byte[] block, long first, long rows, long rowBytes, int size) =>
        Parallel.For(0, rows, i => Fill(block.AsSpan((int)(i * rowBytes), (int)rowBytes), first + i, size));

    private static void Progress(long done, long count, long rowBytes, Stopwatch watch) =>
        Console.Error.Write($"\r{done}/{count} images, {done * rowBytes / 1e9:F1} GB, {watch.Elapsed.TotalSeconds:F0} s ");

    private static void Fill(Span<byte> image, long index, int size)
    {
        uint state = (uint)(index * 2654435761L) | 1;
        int r0 = (int)(state % 200), g0 = (int)(state / 200 % 200), b0 = (int)(state / 40000 % 200);
        for (int y = 0, p = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                int noise = (int)(state & 15);
                image[p++] = (byte)(r0 + x * 50 / size + noise);
                image[p++] = (byte)(g0 + y * 50 / size + noise);
                image[p++] = (byte)(b0 + (x + y) * 25 / size + noise);
            }
        }
    }
}
