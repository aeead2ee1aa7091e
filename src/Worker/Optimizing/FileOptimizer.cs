using System.Diagnostics;
using System.IO.Compression;
using PureHDF;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// Rewrites an HDF5 file with its image datasets contiguous or one image per chunk, streaming rows in
/// blocks of about <paramref name="blockBytes"/> (whole input chunks along the first axis where they
/// fit, so each is decoded once). Every step is a heartbeat and a progress report, and the place to
/// stop on cancel. Every layout is resumable: PureHDF writes the whole file's metadata first, with
/// each image dataset's space reserved (contiguous, or chunks at fixed places: the implicit index)
/// or, deflated, an empty chunk index (<see cref="OutputSkeleton"/>); rows then go straight to their
/// offsets, or as compressed chunks to the file's end, and a journal records them after each flush.
/// </summary>
internal sealed class FileOptimizer(long blockBytes, IProgressSink sink, RunPosition position)
{
    /// <summary>Largest input chunk-row read in one step, so that its chunks are decoded once.</summary>
    public const long MaxChunkRowBytes = 1L << 30;

    private static readonly H5WriteOptions WriteOptions = new(PreferCompactDatasetLayout: false);

    public void Run(long jobId, string input, string output, string layout, int? deflateLevel, CancellationToken cancellationToken)
    {
        var journalPath = OptimizeFiles.Journal(output);
        if (File.Exists(output))
        {
            if (OptimizeJournal.Load(journalPath) is { Complete: true } finished && finished.JobId == jobId)
            {
                // An earlier attempt renamed the file and died before it could say so.
                File.Delete(OptimizeFiles.ChunkLog(output));
                File.Delete(journalPath);
                return;
            }
            throw new InvalidOperationException($"{Path.GetFileName(output)} already exists; it is not overwritten");
        }
        if (OptimizeJournal.Load(journalPath) is { } other && other.JobId != jobId)
        {
            throw new InvalidOperationException($"optimise job {other.JobId} is writing {Path.GetFileName(output)}; its partial file is left alone");
        }
        var tree = OutputTree.Build(input, layout, deflateLevel);
        foreach (var note in tree.Notes)
        {
            sink.Event("warning", note);
        }
        position.BeginEpoch(1);
        if (deflateLevel is not null)
        {
            // PureHDF records the level in the file's filter pipeline; its own deflate knows only 0, 1 and 9.
            LevelledDeflateFilter.Register();
        }
        WriteResumable(jobId, tree, input, output, layout, deflateLevel, cancellationToken);
        Verify(OptimizeFiles.Partial(output), tree);
        File.Move(OptimizeFiles.Partial(output), output, overwrite: false);
        File.Delete(OptimizeFiles.ChunkLog(output));
        File.Delete(journalPath);
    }

    private void WriteResumable(long jobId, OutputTree tree, string input, string output, string layout, int? deflateLevel,
        CancellationToken cancellationToken)
    {
        var partial = OptimizeFiles.Partial(output);
        var journalPath = OptimizeFiles.Journal(output);
        var fingerprint = OptimizeJournal.FingerprintOf(input, layout, deflateLevel);
        var journal = OptimizeJournal.Load(journalPath);
        if (journal is not null && journal.JobId == jobId && journal.Fingerprint == fingerprint && File.Exists(partial)
            && (deflateLevel is null || File.Exists(OptimizeFiles.ChunkLog(output))))
        {
            sink.Event("info", FormattableString.Invariant(
                $"Resuming: {journal.RowsDone.Values.Sum()} of {tree.TotalRows} rows were written by an earlier attempt"));
        }
        else
        {
            OptimizeFiles.Discard(output, jobId);
            OutputSkeleton.Write(tree, partial, WriteOptions);
            journal = new OptimizeJournal
            {
                JobId = jobId, Fingerprint = fingerprint, RowsDone = tree.Images.ToDictionary(i => i.Path, _ => 0L),
                End = new FileInfo(partial).Length,
            };
            journal.Save(journalPath);
        }
        using var stream = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (deflateLevel is { } level)
        {
            WriteDeflated(tree, output, level, journal, stream, cancellationToken);
        }
        else
        {
            WriteInPlace(tree, output, journal, stream, cancellationToken);
        }
        journal.Complete = true;
        journal.Save(journalPath);
    }

    /// <summary>Uncompressed rows go straight to their place in the reserved space.</summary>
    private void WriteInPlace(OutputTree tree, string output, OptimizeJournal journal, FileStream stream, CancellationToken cancellationToken)
    {
        var offsets = OutputSkeleton.DataOffsets(stream.Name, tree);
        long done = journal.RowsDone.Values.Sum();
        foreach (var image in tree.Images)
        {
            long offset = offsets[image.Path];
            long rowBytes = image.Source.RowBytes;
            done = CopyRows(image, journal.RowsDone.GetValueOrDefault(image.Path), done, tree.TotalRows, journal, (first, bytes) =>
            {
                RandomAccess.Write(stream.SafeFileHandle, bytes, offset + first * rowBytes);
                stream.Flush(flushToDisk: true);
                journal.RowsDone[image.Path] = first + bytes.Length / rowBytes;
                journal.Save(OptimizeFiles.Journal(output));
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Each row is deflated into a chunk appended at the file's end; the chunk log says where, and the
    /// chunk index is filled in once all are written. A resumed run cuts the file back to the last
    /// chunk the journal counts.
    /// </summary>
    private void WriteDeflated(OutputTree tree, string output, int level, OptimizeJournal journal, FileStream stream,
        CancellationToken cancellationToken)
    {
        long done = journal.RowsDone.Values.Sum();
        stream.SetLength(journal.End);
        using var log = ChunkLog.Open(OptimizeFiles.ChunkLog(output), tree.Images.Select(i => i.Source.Count).ToList(), done);
        var compressed = new MemoryStream();
        for (int ordinal = 0; ordinal < tree.Images.Count; ordinal++)
        {
            var image = tree.Images[ordinal];
            int rowBytes = (int)image.Source.RowBytes;
            int index = ordinal;
            done = CopyRows(image, journal.RowsDone.GetValueOrDefault(image.Path), done, tree.TotalRows, journal, (first, bytes) =>
            {
                compressed.SetLength(0);
                int rows = bytes.Length / rowBytes;
                for (int r = 0; r < rows; r++)
                {
                    long start = compressed.Length;
                    using (var zlib = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
                    {
                        zlib.Write(bytes.Slice(r * rowBytes, rowBytes));
                    }
                    log.Add(index, first + r, journal.End + start, (int)(compressed.Length - start));
                }
                RandomAccess.Write(stream.SafeFileHandle, compressed.GetBuffer().AsSpan(0, (int)compressed.Length), journal.End);
                stream.Flush(flushToDisk: true);
                log.Flush();
                journal.End += compressed.Length;
                journal.RowsDone[image.Path] = first + rows;
                journal.Save(OptimizeFiles.Journal(output));
            }, cancellationToken);
        }
        OutputSkeleton.WriteChunkIndex(stream.Name, tree, log, journal.End);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Copies rows from <paramref name="from"/> on, a block per step; returns the rows done over all datasets.</summary>
    private long CopyRows(ImageCopy image, long from, long done, long total, OptimizeJournal journal,
        Action<long, ReadOnlySpan<byte>> write, CancellationToken cancellationToken)
    {
        var source = image.Source;
        long blockRows = BlockRows(source);
        var buffer = new byte[blockRows * source.RowBytes];
        var rows = new long[blockRows];
        using var reader = source.OpenReader();
        var clock = Stopwatch.StartNew();
        long written = 0;
        for (long first = from; first < source.Count; first += blockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            position.Mark(RunPosition.OptimizePass, (int)journal.Steps);
            int count = (int)Math.Min(blockRows, source.Count - first);
            for (int i = 0; i < count; i++)
            {
                rows[i] = first + i;
            }
            var bytes = buffer.AsSpan(0, (int)(count * source.RowBytes));
            source.ReadRows(reader, rows.AsSpan(0, count), bytes);
            write(first, bytes);
            journal.Steps++;
            done += count;
            written += count;
            double rate = written / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            sink.Batch(new BatchProgress(1, (int)done, (int)total, 0, 0, rate, DateTimeOffset.UtcNow));
        }
        return done;
    }

    /// <summary>
    /// Rows per step: as many as fit the block, in whole input chunks along the first axis. Where one
    /// chunk-row is larger than the block (h5py's guess for [70700,299,299,3] spans 2210 rows, 592 MB),
    /// the step is that chunk-row, up to <see cref="MaxChunkRowBytes"/>: each of its chunks (1440 there)
    /// is then decoded once instead of once per block.
    /// </summary>
    private long BlockRows(ImageDataset source)
    {
        long fit = Math.Max(1, blockBytes / source.RowBytes);
        if (source.RowsPerChunk is { } perChunk && perChunk > 1)
        {
            if (perChunk <= fit)
            {
                fit = fit / perChunk * perChunk;
            }
            else if (perChunk * source.RowBytes <= MaxChunkRowBytes)
            {
                fit = perChunk;
            }
            else
            {
                sink.Event("warning", FormattableString.Invariant(
                    $"{source.Path}: an input chunk spans {perChunk} rows ({perChunk * source.RowBytes / (1024 * 1024)} MB a chunk-row), more than one step holds; its chunks are decoded once per step of {fit} rows"));
            }
        }
        return Math.Min(fit, source.Count);
    }

    /// <summary>The new file opens and each image dataset has the reader it was written for, before it takes the final name.</summary>
    private static void Verify(string partial, OutputTree tree)
    {
        foreach (var image in tree.Images)
        {
            var written = ImageDataset.Open(partial, image.Path);
            if (written.Count != image.Source.Count || written.RowBytes != image.Source.RowBytes)
            {
                throw new InvalidOperationException($"the new file's {image.Path} has another shape than the input's");
            }
        }
    }
}
