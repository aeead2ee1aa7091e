using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// Turns raw rows into a training batch, one of two ways. CPU batches: decode to float32 C×H×W,
/// rescale, augment, normalise, written straight into the batch tensor's memory (pooled), channels last
/// (<see cref="ChannelsLast"/>), so the model takes the batch as it is. Stored batches (uint8 datasets without CPU augmentation): the reader
/// writes the rows as stored straight into a uint8 batch tensor and nothing else happens here; the
/// conversion to float runs on the training device (<see cref="Batch.ToModelInput"/>), which moves a
/// quarter of the bytes and spares the reader threads a pass over every pixel. Both give the model the
/// same numbers. Stored batches of the train split may carry a <see cref="DeviceAugmenter"/>, which
/// augments them there instead of here. When the training device is a GPU the batch tensors are in
/// pinned (page-locked) host memory, so their copy to the device is a DMA the step need not wait for.
/// The only stage that creates tensors.
/// </summary>
internal sealed class Collator
{
    private readonly ImageGeometryInfo _geometry;
    private readonly ImagePreparer _preparer;
    private readonly DeviceAugmenter? _deviceAugmenter;
    private readonly PipelineStats _stats;

    /// <param name="storedBatches">Hand over uint8 pixels as stored, converted on the device; only for uint8 data without CPU augmentation.</param>
    /// <param name="deviceAugmenter">Augments stored batches on the training device; needs <paramref name="storedBatches"/>.</param>
    /// <param name="pinMemory">Batch tensors in pinned host memory, for a CUDA device; needs libtorch with CUDA.</param>
    public Collator(ImageGeometryInfo geometry, float rescale, float[]? mean, float[]? std, ImageAugmenter? augmenter, PipelineStats stats,
        bool storedBatches = false, DeviceAugmenter? deviceAugmenter = null, bool pinMemory = false)
    {
        _geometry = geometry;
        Normalizer = new PixelNormalizer(geometry.Layout, rescale, mean, std);
        _preparer = new ImagePreparer(geometry, Normalizer, augmenter);
        if (storedBatches && geometry.PixelType != PixelType.UInt8)
        {
            throw new ArgumentException($"stored batches are uint8; these pixels are {geometry.PixelType}", nameof(storedBatches));
        }
        if (storedBatches && augmenter is { Enabled: true })
        {
            throw new ArgumentException("stored batches skip the CPU, so they cannot be augmented; use CPU batches", nameof(storedBatches));
        }
        if (deviceAugmenter is not null && !storedBatches)
        {
            throw new ArgumentException("device augmentation works on stored uint8 batches; pass storedBatches", nameof(deviceAugmenter));
        }
        StoredBatches = storedBatches;
        _deviceAugmenter = deviceAugmenter;
        PinMemory = pinMemory;
        _stats = stats;
        FloatsPerImage = (long)geometry.Channels * geometry.Height * geometry.Width;
    }

    public long FloatsPerImage { get; }

    /// <summary>Whether batches hold the stored uint8 pixels, read straight into them (<see cref="CollateStored"/>).</summary>
    public bool StoredBatches { get; }

    /// <summary>Whether batches are augmented on the training device (<see cref="Batch.AugmentedOnDevice"/>).</summary>
    public bool AugmentsOnDevice => _deviceAugmenter is not null;

    /// <summary>Whether batch tensors live in pinned host memory (a CUDA device); the pool of <see cref="TensorPool"/> follows it.</summary>
    public bool PinMemory { get; }

    /// <summary>Rescale and normalisation of every batch this collator makes, for whoever turns stored pixels into model input.</summary>
    public PixelNormalizer Normalizer { get; }

    /// <summary>Bytes one batch of <paramref name="batchSize"/> holds while it waits: its tensors.</summary>
    public long BatchBytes(int batchSize) =>
        batchSize * ((StoredBatches ? _geometry.RowBytes : FloatsPerImage * sizeof(float)) + sizeof(long));

    /// <summary>
    /// The shape of a full batch's image tensor, for a <see cref="TensorPool"/>: as stored for stored batches, and
    /// N,H,W,C for CPU batches (the batch hands the model an N,C,H,W view of it, <see cref="Collate"/>).
    /// </summary>
    public long[] BatchShape(int batchSize) => !StoredBatches || _geometry.Layout == ImageLayout.Nhwc
        ? [batchSize, _geometry.Height, _geometry.Width, _geometry.Channels]
        : [batchSize, _geometry.Channels, _geometry.Height, _geometry.Width];

    /// <summary>The element type of the batch's image tensor, for a <see cref="TensorPool"/>.</summary>
    public torch.ScalarType BatchType => StoredBatches ? torch.ScalarType.Byte : torch.ScalarType.Float32;

    /// <summary>
    /// Makes a stored batch: rents its uint8 tensor from <paramref name="pool"/> and lets
    /// <paramref name="read"/> write the rows, as stored, straight into the tensor's memory (no
    /// intermediate buffer, no copy). The tensor goes back to the pool when the batch is disposed,
    /// after which <paramref name="onDispose"/> runs.
    /// </summary>
    public Batch CollateStored(int epoch, int index, long[] rows, int[] labels, TensorPool pool, PixelSource read, Action? onDispose = null)
    {
        if (!StoredBatches)
        {
            throw new InvalidOperationException("this collator makes CPU batches; call Collate");
        }
        var images = pool.Rent(rows.Length);
        try
        {
            read(images.bytes);
        }
        catch
        {
            pool.Return(images);
            throw;
        }
        var targets = Labels(labels);
        // Stored batches are not augmented or decoded here: their samples count, with no augment time.
        _stats.AddAugment(0, rows.Length);
        return new Batch(epoch, index, rows, images, targets, Normalizer, pool.Return, onDispose, _deviceAugmenter);
    }

    /// <summary>
    /// Makes the batch; its image tensor (N,H,W,C) comes from <paramref name="pool"/> (or is new) and goes back
    /// there when the batch is disposed, after which <paramref name="onDispose"/> runs. The batch's
    /// <see cref="Batch.Images"/> is an N,C,H,W view of it, channels last in memory.
    /// </summary>
    public Batch Collate(int epoch, int index, long[] rows, int[] labels, ReadOnlySpan<byte> raw, TensorPool? pool = null,
        Action? onDispose = null)
    {
        if (StoredBatches)
        {
            throw new InvalidOperationException("this collator makes stored batches; call CollateStored");
        }
        var start = Stopwatch.GetTimestamp();
        int c = _geometry.Channels, h = _geometry.Height, w = _geometry.Width, n = (int)FloatsPerImage;
        var images = pool?.Rent(rows.Length) ?? TensorPool.Empty([rows.Length, h, w, c], torch.ScalarType.Float32, PinMemory);
        float[]? scratch = _preparer.ScratchFloats > 0 ? ArrayPool<float>.Shared.Rent(_preparer.ScratchFloats) : null;
        try
        {
            // The tensor's own CPU memory: written once here, never copied again on this side.
            var pixels = MemoryMarshal.Cast<byte, float>(images.bytes);
            for (int i = 0; i < rows.Length; i++)
            {
                var row = raw.Slice((int)(i * _geometry.RowBytes), (int)_geometry.RowBytes);
                _preparer.Prepare(epoch, rows[i], row, pixels.Slice(i * n, n), scratch);
            }
        }
        catch
        {
            if (pool is null)
            {
                images.Dispose();
            }
            else
            {
                pool.Return(images);
            }
            throw;
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }
        _stats.AddAugment(Stopwatch.GetElapsedTime(start).Ticks, rows.Length);
        var targets = Labels(labels);
        // The view holds the tensor's memory too; the batch disposes it and then hands the tensor itself back.
        var view = images.permute(0, 3, 1, 2);
        return new Batch(epoch, index, rows, view, targets, null, returned =>
        {
            returned.Dispose();
            if (pool is null)
            {
                images.Dispose();
            }
            else
            {
                pool.Return(images);
            }
        }, onDispose);
    }

    private torch.Tensor Labels(int[] labels)
    {
        var targets = torch.tensor(Array.ConvertAll(labels, l => (long)l), [labels.Length]);
        if (!PinMemory)
        {
            return targets;
        }
        var pinned = targets.pin_memory();
        targets.Dispose();
        return pinned;
    }
}

/// <summary>Writes a batch's rows, as stored, into <paramref name="destination"/>.</summary>
internal delegate void PixelSource(Span<byte> destination);

/// <summary>What the collator needs to know of the image dataset.</summary>
internal sealed record ImageGeometryInfo(int Channels, int Height, int Width, ImageLayout Layout, PixelType PixelType, long RowBytes)
{
    public static ImageGeometryInfo Of(ImageDataset images) =>
        new(images.Channels, images.Height, images.Width, images.Layout, images.PixelType, images.RowBytes);
}
