using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs.Forms;

/// <summary>
/// The New job form's editable state: plain settable properties for Blazor's binding (the
/// contracts are immutable records). <see cref="ToSpec"/> builds the same <see cref="JobSpec"/> a
/// REST client would post, so the form and the API are checked by one validator and one submitter.
/// Public, with its parts, because the form's sections take them as Blazor component parameters.
/// </summary>
public sealed class JobForm
{
    public string Name { get; set; } = "";
    public DatasetForm Dataset { get; set; } = new();
    public ModelForm Model { get; set; } = new();
    public TrainingForm Training { get; set; } = new();
    public AugmentationForm Augmentation { get; set; } = new();

    public static JobForm FromSpec(JobSpec spec) => new()
    {
        Name = spec.Name,
        Dataset = DatasetForm.From(spec.Dataset),
        Model = ModelForm.From(spec.Model),
        Training = TrainingForm.From(spec.Training),
        Augmentation = AugmentationForm.From(spec.Augmentation),
    };

    /// <summary>The spec, and problems the validator cannot see because they stop a value from being parsed.</summary>
    internal (JobSpec Spec, IDictionary<string, string[]> Problems) ToSpec()
    {
        var problems = new Dictionary<string, string[]>();
        var spec = new JobSpec
        {
            Name = Name.Trim(),
            Dataset = Dataset.ToSpec(),
            Model = Model.ToSpec(),
            Training = Training.ToSpec(problems),
            Augmentation = Augmentation.ToSpec(),
        };
        return (spec, problems);
    }
}
