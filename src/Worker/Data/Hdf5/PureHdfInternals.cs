using System.Collections;
using System.Reflection;
using PureHDF;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads the storage layout and filter pipeline PureHDF has already parsed but does not make
/// public (<c>NativeDataset.InternalDataLayout</c>, <c>InternalFilterPipeline</c>). Pinned to
/// PureHDF 2.2.0; tests compare every raw read with PureHDF's own reads, so a changed internal
/// shows up as a failed test, not as wrong pixels. Returns null when the shape is not recognised,
/// which sends readers to PureHDF's own path.
/// </summary>
internal static class PureHdfInternals
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static StorageLayout? Layout(IH5Dataset dataset)
    {
        try
        {
            return Describe(dataset);
        }
        catch (Exception ex) when (ex is TargetInvocationException or InvalidCastException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>Whether the element type is stored big-endian; null when its byte order cannot be told.</summary>
    public static bool? IsBigEndian(IH5Dataset dataset)
    {
        try
        {
            var type = Get(dataset, "InternalDataType");
            var bitField = type is null ? null : Get(type, "BitField");
            return (bitField is null ? null : Get(bitField, "ByteOrder"))?.ToString() switch
            {
                "LittleEndian" => false,
                "BigEndian" => true,
                _ => null,
            };
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The object's header address and whether it lies in <paramref name="file"/> (an external link resolves
    /// into another file); null when PureHDF's internals are not as expected.
    /// </summary>
    public static (ulong Address, bool InFile)? Identity(IH5Object target, object file)
    {
        try
        {
            var reference = Get(target, "Reference");
            if (reference is null || Get(reference, "Value") is not ulong address)
            {
                return null;
            }
            var owner = Get(reference, "File");
            return (address, owner is null || ReferenceEquals(owner, file));
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static StorageLayout? Describe(IH5Dataset dataset)
    {
        var layout = Get(dataset, "InternalDataLayout");
        if (layout is null)
        {
            return null;
        }
        var filters = Filters(dataset);
        int version = Convert.ToInt32(Get(layout, "Version") ?? 0, System.Globalization.CultureInfo.InvariantCulture);
        var properties = Get(layout, "Properties");
        if (properties is null)
        {
            // Layout messages v1 and v2 (very old files): describe them, but leave reading to PureHDF.
            return new StorageLayout { Class = ClassName(dataset.Layout.Class), LayoutVersion = version, Filters = filters };
        }
        ulong address = Get(properties, "Address") is ulong a ? a : ulong.MaxValue;
        switch (properties.GetType().Name)
        {
            case "ContiguousStoragePropertyDescription":
                return new StorageLayout { Class = StorageLayout.Contiguous, LayoutVersion = version, Address = address, Filters = filters };
            case "CompactStoragePropertyDescription":
                return new StorageLayout { Class = StorageLayout.Compact, LayoutVersion = version, Filters = filters };
            case "ChunkedStoragePropertyDescription3":
                return new StorageLayout
                {
                    Class = StorageLayout.Chunked, LayoutVersion = version, Address = address, Filters = filters,
                    ChunkDims = WithoutElementAxis(Get(properties, "DimensionSizes")), Index = ChunkIndexKind.BTree1,
                };
            case "ChunkedStoragePropertyDescription4":
                var indexing = Get(properties, "IndexingInformation");
                var kind = indexing?.GetType().Name switch
                {
                    "SingleChunkIndexingInformation" => ChunkIndexKind.SingleChunk,
                    "ImplicitIndexingInformation" => ChunkIndexKind.Implicit,
                    "FixedArrayIndexingInformation" => ChunkIndexKind.FixedArray,
                    "ExtensibleArrayIndexingInformation" => ChunkIndexKind.ExtensibleArray,
                    "BTree2IndexingInformation" => ChunkIndexKind.BTree2,
                    _ => ChunkIndexKind.None,
                };
                return new StorageLayout
                {
                    Class = StorageLayout.Chunked, LayoutVersion = version, Address = address, Filters = filters,
                    ChunkDims = WithoutElementAxis(Get(properties, "DimensionSizes")), Index = kind,
                    ChunkFlags = Convert.ToInt32(Get(properties, "Flags") ?? 0, System.Globalization.CultureInfo.InvariantCulture),
                    SingleChunkStoredSize = indexing is null ? 0 : Get(indexing, "FilteredChunkSize") as ulong? ?? 0,
                    SingleChunkFilterMask = indexing is null ? 0 : Get(indexing, "ChunkFilters") as uint? ?? 0,
                };
            default:
                return new StorageLayout { Class = StorageLayout.Virtual, LayoutVersion = version, Filters = filters };
        }
    }

    private static List<FilterStep> Filters(IH5Dataset dataset)
    {
        var steps = new List<FilterStep>();
        if (Get(dataset, "InternalFilterPipeline") is { } pipeline && Get(pipeline, "FilterDescriptions") is IEnumerable descriptions)
        {
            foreach (var description in descriptions)
            {
                var id = Convert.ToUInt16(Get(description, "Identifier"), System.Globalization.CultureInfo.InvariantCulture);
                var name = Get(description, "Name") as string;
                var data = Get(description, "ClientData") as uint[] ?? [];
                // Known ids by their short names: the LZ4 plugin, for one, names itself with a sentence and a URL.
                steps.Add(new FilterStep(id, FilterName(id) ?? (string.IsNullOrEmpty(name) ? $"filter {id}" : name), data));
            }
        }
        return steps;
    }

    private static string? FilterName(ushort id) => id switch
    {
        1 => "deflate",
        2 => "shuffle",
        3 => "fletcher32",
        4 => "szip",
        5 => "nbit",
        6 => "scaleoffset",
        307 => "bzip2",
        32000 => "lzf",
        32001 => "blosc",
        32004 => "lz4",
        32008 => "bitshuffle",
        32013 => "zfp",
        32015 => "zstd",
        _ => null,
    };

    private static string ClassName(H5DataLayoutClass layoutClass) => layoutClass switch
    {
        H5DataLayoutClass.Compact => StorageLayout.Compact,
        H5DataLayoutClass.Contiguous => StorageLayout.Contiguous,
        H5DataLayoutClass.Chunked => StorageLayout.Chunked,
        _ => StorageLayout.Virtual,
    };

    /// <summary>Layout messages store one more chunk axis than the dataset has: the element size.</summary>
    private static ulong[]? WithoutElementAxis(object? sizes)
    {
        if (sizes is not IEnumerable values)
        {
            return null;
        }
        var all = values.Cast<object>().Select(v => Convert.ToUInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return all.Length < 2 ? null : all[..^1];
    }

    private static object? Get(object target, string name) =>
        target.GetType().GetProperty(name, Any)?.GetValue(target);
}
