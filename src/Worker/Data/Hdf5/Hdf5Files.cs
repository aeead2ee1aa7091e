using PureHDF;
using PureHDF.VOL.Native;

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
        try
        {
            return H5File.OpenRead(file);
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, null, $"not a readable HDF5 file ({ex.Message})", ex);
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
            if (!h5.LinkExists(path))
            {
                throw new DatasetProblemException(file, path, "no such dataset in the file");
            }
            return h5.Dataset(path);
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, path, $"cannot be read ({ex.Message})", ex);
        }
    }
}
