using System.Collections;
using System.IO.Compression;
using System.Reflection;
using Razorvine.Pickle;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>
/// Reads a state dict that PyTorch's <c>torch.save</c> wrote (a zip with <c>data.pkl</c> and one
/// entry per storage) through PyBridge's unpickler. PyBridge is asked for tensor descriptors
/// only (<c>skipTensorRead</c>), so every declared shape is checked against the bytes its storage
/// entry really holds before anything is allocated; then each tensor is read from its storage.
/// </summary>
internal static class PyTorchFile
{
    public static List<(string Name, Tensor Tensor)> Read(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        CheckArchive(archive);
        stream.Position = 0;
        var table = Unpickle(stream);
        var descriptors = new List<(string Name, TensorDescriptor Descriptor)>();
        var entries = new List<(string, Tensor)>();
        try
        {
            var items = table.Cast<DictionaryEntry>().ToList();
            // A dict among the values is the telling sign of a checkpoint, whatever else sits beside it.
            foreach (var item in items.Where(i => i.Value is IDictionary).Concat(items))
            {
                descriptors.Add(Describe(item));
            }
            foreach (var (name, descriptor) in descriptors.OrderBy(d => d.Descriptor.ArchiveIndex))
            {
                entries.Add((name, descriptor.Read(name, archive.Entries[descriptor.ArchiveIndex].Length)));
            }
            return entries;
        }
        catch
        {
            entries.ForEach(e => e.Item2.Dispose());
            throw;
        }
        finally
        {
            descriptors.ForEach(d => d.Descriptor.Data.Dispose());
        }
    }

    private static void CheckArchive(ZipArchive archive)
    {
        if (archive.Entries.Count > StateDictLimits.MaxTensors + 16)
        {
            throw new InvalidDataException($"it holds {archive.Entries.Count} entries (at most {StateDictLimits.MaxTensors} tensors)");
        }
        long declared = archive.Entries.Sum(e => e.Length);
        if (declared > StateDictLimits.MaxTotalBytes)
        {
            throw new InvalidDataException($"its entries declare {declared} bytes (at most {StateDictLimits.MaxTotalBytes >> 30} GiB)");
        }
        var pickle = archive.Entries.FirstOrDefault(e => e.Name == "data.pkl")
            ?? throw new InvalidDataException("it is a zip file without the data.pkl of torch.save");
        if (pickle.Length > StateDictLimits.MaxPickleBytes)
        {
            throw new InvalidDataException($"its data.pkl has {pickle.Length} bytes, more than a state dict's names and shapes need");
        }
    }

    private static Hashtable Unpickle(Stream stream)
    {
        try
        {
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true, skipTensorRead: true);
        }
        catch (Exception ex) when (IsWholeModel(ex))
        {
            throw new WeightsFileException("this is a pickled model (torch.save(model)); save model.state_dict() instead: torch.save(model.state_dict(), path)");
        }
        catch (InvalidCastException)
        {
            throw new WeightsFileException("it holds a pickled Python object, not a state dict (a pickled model?); save model.state_dict() instead: torch.save(model.state_dict(), path)");
        }
        catch (Exception ex) when (ex is PickleException or InvalidDataException or NotImplementedException or InvalidOperationException
            or EndOfStreamException or IndexOutOfRangeException or ArgumentException or KeyNotFoundException)
        {
            throw new InvalidDataException($"its pickle cannot be read as a state dict: {ex.Message}", ex);
        }
    }

    /// <summary>PyBridge refuses <c>torch._utils._rebuild_parameter</c>, which only a pickled module contains.</summary>
    private static bool IsWholeModel(Exception ex) =>
        ex.Message.Contains("entire model", StringComparison.Ordinal) || (ex.InnerException is { } inner && IsWholeModel(inner));

    private static (string, TensorDescriptor) Describe(DictionaryEntry item)
    {
        if (item.Key is not string name)
        {
            throw new WeightsFileException($"it is not a state dict: a key is {item.Key?.GetType().Name ?? "null"}, not a name");
        }
        if (item.Value is null || item.Value.GetType().Name != "TensorConstructorArgs")
        {
            throw new WeightsFileException(item.Value is IDictionary
                ? $"it is not a state dict: '{name}' holds a dict (a training checkpoint?); save the model's state_dict() on its own"
                : $"it is not a state dict: '{name}' holds a {item.Value?.GetType().Name ?? "None"}, not a tensor");
        }
        return (name, TensorDescriptor.Of(item.Value));
    }

    /// <summary>
    /// What PyBridge 1.4.4 knows of a tensor before reading it (its internal <c>TensorConstructorArgs</c>,
    /// reached by reflection because the public API either reads every tensor at once or not at all).
    /// </summary>
    private sealed record TensorDescriptor(int ArchiveIndex, Stream Data, ScalarType DType, long Offset, long[] Shape, long[] Stride)
    {
        public static TensorDescriptor Of(object args)
        {
            var type = args.GetType();
            T Get<T>(string property) => (T)(type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(args)
                ?? throw new InvalidOperationException($"PyBridge's {type.Name} has no {property}; the reader needs updating for this PyBridge version"));
            return new(Get<int>("ArchiveIndex"), Get<Stream>("Data"), Get<ScalarType>("DType"), Get<int>("StorageOffset"),
                Get<long[]>("Shape"), Get<long[]>("Stride"));
        }

        /// <summary>The tensor, after checking that its view lies inside the storage entry of <paramref name="storageBytes"/> bytes.</summary>
        public Tensor Read(string name, long storageBytes)
        {
            int elementSize = StateDictLimits.ElementSize(DType) ?? throw new InvalidDataException($"tensor '{name}' has unsupported dtype {DType}");
            long elements = StateDictLimits.Elements(Shape, name);
            if (Stride.Length != Shape.Length || Offset < 0 || Stride.Any(s => s < 0))
            {
                throw new InvalidDataException($"tensor '{name}' has a broken layout (stride [{string.Join(",", Stride)}], offset {Offset})");
            }
            long storageElements = storageBytes / elementSize;
            long last = checked(Offset + Shape.Zip(Stride).Sum(p => checked((p.First - 1) * p.Second)));
            if (elements > 0 && last >= storageElements)
            {
                throw new InvalidDataException(
                    $"tensor '{name}' [{string.Join(",", Shape)}] needs {last + 1} elements but its storage holds {storageElements}");
            }
            var buffer = new byte[storageElements * elementSize];
            Data.ReadExactly(buffer);
            using var storage = empty([storageElements], DType);
            storage.bytes = buffer;
            using var view = storage.as_strided(Shape, Stride, Offset);
            return view.contiguous();
        }
    }
}
