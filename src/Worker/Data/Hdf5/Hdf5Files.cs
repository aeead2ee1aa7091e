using PureHDF;
using PureHDF.VOL.Native;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Opens files and datasets with PureHDF, turning its exceptions into problems that name the file and dataset.</summary>
internal static class Hdf5Files
{
    public static NativeFile Open(string file)
    {
        if (!System.IO.File.Exists(file))
        {
            throw new DatasetProblemException(file, null, "file not found");
        }
        CheckLength(file);
        try
        {
            return H5File.OpenRead(file);
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, null, $"not a readable HDF5 file ({ex.Message})", ex);
        }
    }

    /// <summary>A file shorter than its superblock's end-of-file address was cut off in a copy or download.</summary>
    private static void CheckLength(string file)
    {
        try
        {
            using var handle = System.IO.File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            var superblock = Superblock.Read(handle, file);
            long length = RandomAccess.GetLength(handle);
            ulong end = superblock.BaseAddress + superblock.EndOfFileAddress;
            if (!FileBytes.IsUndefined(superblock.EndOfFileAddress, superblock.OffsetSize) && (ulong)length < end)
            {
                throw new DatasetProblemException(file, null, $"the file is truncated: it has {length} bytes but its header says {end}");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new DatasetProblemException(file, null, $"not an HDF5 file ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DatasetProblemException(file, null, $"cannot be opened ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Runs one PureHDF call on a dataset's metadata; whatever it throws on a damaged file (index out of range,
    /// null reference, overflow, end of stream, out of memory on a forged size) becomes a problem naming the dataset.
    /// </summary>
    public static T Guard<T>(string file, string? path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not (DatasetProblemException or OperationCanceledException))
        {
            throw new DatasetProblemException(file, path, $"its metadata cannot be read ({ex.Message})", ex);
        }
    }

    public static IH5Dataset Dataset(NativeFile h5, string file, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DatasetProblemException(file, path, "no dataset name given");
        }
        try
        {
            // PureHDF resolves nested names ("train/images") only as absolute paths.
            var absolute = path.StartsWith('/') ? path : "/" + path;
            if (!h5.LinkExists(absolute))
            {
                throw new DatasetProblemException(file, path, "no such dataset in the file");
            }
            return h5.Dataset(absolute);
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, path, $"cannot be read ({ex.Message})", ex);
        }
    }
}
