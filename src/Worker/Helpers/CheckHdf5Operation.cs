using WebTrainer.Shared.Helpers;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Helpers;

/// <summary>Whether an upload opens as HDF5, before the Web moves it into place.</summary>
internal static class CheckHdf5Operation
{
    public static Hdf5Check Run(FileRequest request)
    {
        try
        {
            using (Hdf5Files.Open(request.File))
            {
            }
            return new Hdf5Check(null);
        }
        catch (DatasetProblemException ex)
        {
            return new Hdf5Check(ex.Problem);
        }
    }
}
