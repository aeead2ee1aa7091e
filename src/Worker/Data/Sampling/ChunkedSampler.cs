namespace WebTrainer.Worker.Data.Sampling;

/// <summary>
/// Shuffles in two levels so that reads stay large: the split's rows are grouped into blocks of
/// <c>blockRows</c> consecutive file rows (chunk-aligned), the blocks are shuffled, and samples are
/// shuffled inside windows of <c>windowBlocks</c> blocks. Every sample is still visited once per
/// epoch; a batch draws from a window's few blocks, so it costs a few whole-chunk reads instead of
/// one read (and one chunk decode) per sample.
/// </summary>
internal sealed class ChunkedSampler : ISampler
{
    private readonly ulong _seed;
    private readonly int _windowBlocks;
    private readonly int[] _blockStarts;

    /// <param name="rows">The split's file rows, ascending (positions index into this array).</param>
    public ChunkedSampler(IReadOnlyList<long> rows, long blockRows, int windowBlocks, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows.Count, nameof(rows));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowBlocks);
        Count = rows.Count;
        BlockRows = blockRows;
        _seed = seed;
        _windowBlocks = windowBlocks;
        var starts = new List<int> { 0 };
        for (int i = 1; i < rows.Count; i++)
        {
            if (rows[i] < rows[i - 1])
            {
                throw new ArgumentException("rows must be ascending", nameof(rows));
            }
            if (rows[i] / blockRows != rows[i - 1] / blockRows)
            {
                starts.Add(i);
            }
        }
        _blockStarts = [.. starts];
    }

    public int Count { get; }
    public long BlockRows { get; }
    public int BlockCount => _blockStarts.Length;

    public long[] EpochOrder(int epoch)
    {
        var random = new SplitMix64(SplitMix64.Mix(_seed, (ulong)epoch, 0xB10C));
        var blocks = Permutation.Of(_blockStarts.Length, random);
        var order = new long[Count];
        int written = 0;
        for (int w = 0; w < blocks.Length; w += _windowBlocks)
        {
            int windowStart = written;
            for (int b = w; b < Math.Min(blocks.Length, w + _windowBlocks); b++)
            {
                int block = (int)blocks[b];
                int end = block + 1 < _blockStarts.Length ? _blockStarts[block + 1] : Count;
                for (int position = _blockStarts[block]; position < end; position++)
                {
                    order[written++] = position;
                }
            }
            // A window's own stream, so a window's order does not depend on the windows before it.
            var inWindow = new SplitMix64(SplitMix64.Mix(_seed, (ulong)epoch, (ulong)w));
            var window = order.AsSpan(windowStart, written - windowStart);
            for (int i = window.Length - 1; i > 0; i--)
            {
                int j = inWindow.NextInt(i + 1);
                (window[i], window[j]) = (window[j], window[i]);
            }
        }
        return order;
    }
}
