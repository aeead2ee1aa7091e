using PureHDF;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// The resumable output's frame: PureHDF writes the file's metadata with each image dataset's space
/// reserved (contiguous data, or the implicit chunk index of unfiltered one-image chunks, whose
/// chunks lie at fixed places), and this finds where each dataset's rows start.
/// </summary>
internal static class OutputSkeleton
{
    /// <summary>Writes every group, attribute and small dataset, with the image datasets' space reserved but not written.</summary>
    public static void Write(OutputTree tree, string partial, H5WriteOptions options)
    {
        using (tree.File.BeginWrite(partial, options))
        {
        }
        using var handle = File.OpenHandle(partial, FileMode.Open, FileAccess.ReadWrite);
        var superblock = Superblock.Read(handle, partial);
        long end = (long)(superblock.BaseAddress + superblock.EndOfFileAddress);
        if (RandomAccess.GetLength(handle) < end)
        {
            // The reserved data space ends the file; make it exist (sparse) so the file has the length its header says.
            RandomAccess.SetLength(handle, end);
        }
    }

    /// <summary>Where each image dataset's rows start in the partial file: contiguous data, or the first chunk of an implicit index.</summary>
    public static Dictionary<string, long> DataOffsets(string partial, OutputTree tree)
    {
        var offsets = new Dictionary<string, long>();
        using var handle = File.OpenHandle(partial, FileMode.Open, FileAccess.Read);
        var superblock = Superblock.Read(handle, partial);
        long length = RandomAccess.GetLength(handle);
        using var h5 = Hdf5Files.Open(partial);
        foreach (var image in tree.Images)
        {
            var layout = PureHdfInternals.Layout(Hdf5Files.Dataset(h5, partial, image.Path));
            bool placed = layout is { Class: StorageLayout.Contiguous } or { Class: StorageLayout.Chunked, Index: ChunkIndexKind.Implicit };
            if (!placed || FileBytes.IsUndefined(layout!.Address, superblock.OffsetSize))
            {
                throw new InvalidOperationException($"the new file's {image.Path} got no reserved space ({layout?.Class} {layout?.Index}); this PureHDF version is not the one the optimiser knows");
            }
            long offset = (long)(superblock.BaseAddress + layout.Address);
            if (offset + image.Source.Count * image.Source.RowBytes > length)
            {
                throw new InvalidOperationException($"the new file's {image.Path} reserves space beyond the file's end");
            }
            offsets[image.Path] = offset;
        }
        return offsets;
    }
}
