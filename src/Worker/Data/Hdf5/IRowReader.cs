namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads whole rows (images) of a dataset's first axis. One instance serves one thread at a time:
/// it owns its file handle and buffers, so parallel readers never share state.
/// </summary>
internal interface IRowReader : IDisposable
{
    /// <summary>Reads rows <paramref name="firstRow"/> .. firstRow+count-1 into <paramref name="destination"/>.</summary>
    void ReadRun(long firstRow, int count, Span<byte> destination);

    /// <summary>
    /// Tells the OS that rows <paramref name="firstRow"/> .. firstRow+count-1 will be read soon, so it
    /// can fetch them in the background; a hint only, which readers without a file of their own ignore.
    /// </summary>
    void WillRead(long firstRow, int count)
    {
    }

    /// <summary>
    /// Reads the given rows, sorted ascending, into <paramref name="destination"/> in that order,
    /// <paramref name="rowBytes"/> each. Consecutive rows go in one <see cref="ReadRun"/>; a reader that
    /// can serve several runs from one read (chunks holding many rows) overrides this.
    /// </summary>
    void ReadRows(ReadOnlySpan<long> sortedRows, Span<byte> destination, long rowBytes)
    {
        for (int i = 0, run; i < sortedRows.Length; i += run)
        {
            run = RowRuns.Length(sortedRows, i);
            ReadRun(sortedRows[i], run, destination.Slice((int)(i * rowBytes), (int)(run * rowBytes)));
        }
    }
}

/// <summary>Runs of consecutive rows in a sorted row list.</summary>
internal static class RowRuns
{
    /// <summary>How many rows from <paramref name="start"/> on are consecutive.</summary>
    public static int Length(ReadOnlySpan<long> sortedRows, int start)
    {
        int run = 1;
        while (start + run < sortedRows.Length && sortedRows[start + run] == sortedRows[start] + run)
        {
            run++;
        }
        return run;
    }
}
