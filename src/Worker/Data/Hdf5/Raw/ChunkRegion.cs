namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Copies the part of one decoded chunk that falls inside the requested rows into the destination
/// rows (both row-major). Trailing axes that chunk and dataset cover whole are merged, so a chunk of
/// whole images is one copy per chunk and a chunk split inside images one copy per contiguous run.
/// </summary>
internal sealed class ChunkRegion(ulong[] shape, ulong[] chunkDims, int elementSize)
{
    private readonly long[] _chunkStrides = Strides(chunkDims);
    private readonly long[] _rowStrides = Strides(shape);

    /// <summary>Copies a region of one decoded chunk (null: fill with zeros) into the destination rows.</summary>
    public void Copy(byte[]? chunk, long chunkRow, ReadOnlySpan<long> origin, ReadOnlySpan<long> extent, long firstRow,
        Span<byte> destination)
    {
        int rank = extent.Length;
        // Axes after 'merge' are covered whole by both chunk and dataset, so each step of the
        // odometer below copies one contiguous run spanning 'merge' and everything after it.
        int merge = rank - 1;
        while (merge > 0 && extent[merge] == (long)chunkDims[merge] && chunkDims[merge] == shape[merge])
        {
            merge--;
        }
        int runBytes = (int)(extent[merge] * _chunkStrides[merge] * elementSize);
        Span<long> sourceStart = stackalloc long[rank];
        Span<long> targetStart = stackalloc long[rank];
        for (int d = 0; d < rank; d++)
        {
            sourceStart[d] = d == 0 ? chunkRow : 0;
            targetStart[d] = d == 0 ? origin[0] - firstRow : origin[d];
        }
        Span<long> index = stackalloc long[rank];
        index.Clear();
        while (true)
        {
            long source = 0, target = 0;
            for (int d = 0; d <= merge; d++)
            {
                source += (sourceStart[d] + index[d]) * _chunkStrides[d];
                target += (targetStart[d] + index[d]) * _rowStrides[d];
            }
            var to = destination.Slice((int)(target * elementSize), runBytes);
            if (chunk is null)
            {
                to.Clear();
            }
            else
            {
                chunk.AsSpan((int)(source * elementSize), runBytes).CopyTo(to);
            }
            int axis = merge - 1;
            while (axis >= 0 && ++index[axis] == extent[axis])
            {
                index[axis] = 0;
                axis--;
            }
            if (axis < 0)
            {
                return;
            }
        }
    }

    private static long[] Strides(ulong[] dims)
    {
        var strides = new long[dims.Length];
        long stride = 1;
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= (long)dims[d];
        }
        return strides;
    }
}
