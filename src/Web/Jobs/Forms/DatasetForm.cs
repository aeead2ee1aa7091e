using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs.Forms;

/// <summary>The dataset part of the form: a file, and either one dataset pair per split or fractions of the train pair.</summary>
public sealed class DatasetForm
{
    public const string Pairs = "pairs";
    public const string Fractions = "fractions";

    public string File { get; set; } = "";
    public string SplitMode { get; set; } = Pairs;
    public string TrainImages { get; set; } = "";
    public string TrainLabels { get; set; } = "";
    public bool UseValidation { get; set; } = true;
    public string ValidationImages { get; set; } = "";
    public string ValidationLabels { get; set; } = "";
    public bool UseTest { get; set; } = true;
    public string TestImages { get; set; } = "";
    public string TestLabels { get; set; } = "";
    public double TrainFraction { get; set; } = 0.7;
    public double ValidationFraction { get; set; } = 0.2;
    public double TestFraction { get; set; } = 0.1;
    public int SplitSeed { get; set; } = 42;

    public bool UsesPairs => SplitMode != Fractions;

    public static DatasetForm From(DatasetSpec spec) => new()
    {
        File = spec.File,
        SplitMode = spec.SplitFractions is null ? Pairs : Fractions,
        TrainImages = spec.Train.Images,
        TrainLabels = spec.Train.Labels,
        UseValidation = spec.Validation is not null,
        ValidationImages = spec.Validation?.Images ?? "",
        ValidationLabels = spec.Validation?.Labels ?? "",
        UseTest = spec.Test is not null,
        TestImages = spec.Test?.Images ?? "",
        TestLabels = spec.Test?.Labels ?? "",
        TrainFraction = spec.SplitFractions?.Train ?? 0.7,
        ValidationFraction = spec.SplitFractions?.Validation ?? 0.2,
        TestFraction = spec.SplitFractions?.Test ?? 0.1,
        SplitSeed = spec.SplitFractions?.Seed ?? 42,
    };

    public DatasetSpec ToSpec() => new()
    {
        File = File,
        Train = new SplitSpec { Images = TrainImages, Labels = TrainLabels },
        Validation = UsesPairs && UseValidation ? new SplitSpec { Images = ValidationImages, Labels = ValidationLabels } : null,
        Test = UsesPairs && UseTest ? new SplitSpec { Images = TestImages, Labels = TestLabels } : null,
        SplitFractions = UsesPairs ? null : new SplitFractions { Train = TrainFraction, Validation = ValidationFraction, Test = TestFraction, Seed = SplitSeed },
    };

    /// <summary>The splits as named pairs, for the dataset panel.</summary>
    public IReadOnlyList<KeyValuePair<string, SplitSpec>> Splits()
    {
        var spec = ToSpec();
        var splits = new List<KeyValuePair<string, SplitSpec>> { new("train", spec.Train) };
        if (spec.Validation is not null)
        {
            splits.Add(new("validation", spec.Validation));
        }
        if (spec.Test is not null)
        {
            splits.Add(new("test", spec.Test));
        }
        return splits;
    }
}
