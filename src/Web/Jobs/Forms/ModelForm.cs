using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs.Forms;

public sealed class ModelForm
{
    public string Architecture { get; set; } = Architectures.SmallCnn;
    public string PretrainedWeights { get; set; } = "";
    public int FreezeBackboneEpochs { get; set; }
    public double BackboneLearningRateFactor { get; set; } = 1.0;

    public static ModelForm From(ModelSpec spec) => new()
    {
        Architecture = spec.Architecture,
        PretrainedWeights = spec.PretrainedWeights ?? "",
        FreezeBackboneEpochs = spec.FreezeBackboneEpochs,
        BackboneLearningRateFactor = spec.BackboneLearningRateFactor,
    };

    public ModelSpec ToSpec() => new()
    {
        Architecture = Architecture,
        PretrainedWeights = string.IsNullOrWhiteSpace(PretrainedWeights) ? null : PretrainedWeights.Trim(),
        FreezeBackboneEpochs = FreezeBackboneEpochs,
        BackboneLearningRateFactor = BackboneLearningRateFactor,
    };
}
