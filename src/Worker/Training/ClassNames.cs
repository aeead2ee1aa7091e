using PureHDF;
using WebTrainer.Worker.Data;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The names of a dataset's classes from the <c>class_names</c> attribute (on the train labels,
/// else on the file), as our sample files and Keras-style exports carry it; "0".."K-1" otherwise.
/// </summary>
internal static class ClassNames
{
    private const string Attribute = "class_names";

    public static IReadOnlyList<string> Of(TrainingData data)
    {
        var labels = data.Train.Labels;
        try
        {
            using var file = H5File.OpenRead(labels.File);
            var names = Read(file.Dataset(labels.Path)) ?? Read(file);
            if (names is not null && names.Length == data.ClassCount && names.All(n => !string.IsNullOrWhiteSpace(n)))
            {
                return names;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Names are a nicety: a file whose attribute cannot be read still trains, with numbered classes.
        }
        return Enumerable.Range(0, data.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private static string[]? Read(IH5Object owner) =>
        owner.AttributeExists(Attribute) ? owner.Attribute(Attribute).Read<string[]>() : null;
}
