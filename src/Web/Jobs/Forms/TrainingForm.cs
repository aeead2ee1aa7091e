using System.Globalization;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs.Forms;

public sealed class TrainingForm
{
    public int Epochs { get; set; } = 5;
    public int BatchSize { get; set; } = 64;
    public string Optimizer { get; set; } = Optimizers.Adam;
    public double LearningRate { get; set; } = 0.001;
    public double Momentum { get; set; } = 0.9;
    public bool Nesterov { get; set; }
    public double WeightDecay { get; set; }
    public int Seed { get; set; } = 42;
    public string Sampling { get; set; } = SamplingModes.Auto;
    public int ShuffleWindowBlocks { get; set; } = 8;
    public string Device { get; set; } = Devices.Auto;
    public double LabelSmoothing { get; set; }
    public string ClassWeights { get; set; } = "";
    public int CheckpointEveryBatches { get; set; } = 200;
    public int MaxSamplesPerSplit { get; set; }

    /// <summary>0: no clipping.</summary>
    public double GradientClipNorm { get; set; }
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>What <see cref="WarmupLength"/> counts: <c>epochs</c> or <c>steps</c>.</summary>
    public string WarmupUnit { get; set; } = WarmupEpochsUnit;
    public int WarmupLength { get; set; }
    public double WarmupStartFactor { get; set; } = 0.1;

    public const string WarmupEpochsUnit = "epochs";
    public const string WarmupStepsUnit = "steps";

    /// <summary>Empty: a constant learning rate.</summary>
    public string ScheduleKind { get; set; } = "";
    public int StepEpochs { get; set; } = 10;
    public double Gamma { get; set; } = 0.1;
    public double MinLearningRate { get; set; }
    public int SchedulePatience { get; set; } = 3;

    public bool UseEarlyStopping { get; set; }
    public string Monitor { get; set; } = Monitors.ValidationLoss;
    public int Patience { get; set; } = 3;
    public double MinDelta { get; set; }
    public bool RestoreBest { get; set; } = true;

    public static TrainingForm From(TrainingSpec spec) => new()
    {
        Epochs = spec.Epochs,
        BatchSize = spec.BatchSize,
        Optimizer = spec.Optimizer,
        LearningRate = spec.LearningRate,
        Momentum = spec.Momentum,
        Nesterov = spec.Nesterov,
        WeightDecay = spec.WeightDecay,
        Seed = spec.Seed,
        Sampling = spec.Sampling,
        ShuffleWindowBlocks = spec.ShuffleWindowBlocks,
        Device = spec.Device,
        LabelSmoothing = spec.LabelSmoothing,
        ClassWeights = spec.ClassWeights is { } weights ? string.Join(", ", weights.Select(w => w.ToString(CultureInfo.InvariantCulture))) : "",
        CheckpointEveryBatches = spec.CheckpointEveryBatches,
        MaxSamplesPerSplit = spec.MaxSamplesPerSplit,
        GradientClipNorm = spec.GradientClipNorm ?? 0,
        GradientAccumulationSteps = spec.GradientAccumulationSteps,
        WarmupUnit = spec.WarmupSteps > 0 ? WarmupStepsUnit : WarmupEpochsUnit,
        WarmupLength = spec.WarmupSteps > 0 ? spec.WarmupSteps : spec.WarmupEpochs,
        WarmupStartFactor = spec.WarmupStartFactor,
        ScheduleKind = spec.Schedule?.Kind ?? "",
        StepEpochs = spec.Schedule?.StepEpochs ?? 10,
        Gamma = spec.Schedule?.Gamma ?? 0.1,
        MinLearningRate = spec.Schedule?.MinLearningRate ?? 0,
        SchedulePatience = spec.Schedule?.Patience ?? 3,
        UseEarlyStopping = spec.EarlyStopping is not null,
        Monitor = spec.EarlyStopping?.Monitor ?? Monitors.ValidationLoss,
        Patience = spec.EarlyStopping?.Patience ?? 3,
        MinDelta = spec.EarlyStopping?.MinDelta ?? 0,
        RestoreBest = spec.EarlyStopping?.RestoreBest ?? true,
    };

    internal TrainingSpec ToSpec(IDictionary<string, string[]> problems) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Momentum = Momentum,
        Nesterov = Nesterov,
        WeightDecay = WeightDecay,
        Seed = Seed,
        Sampling = Sampling,
        ShuffleWindowBlocks = ShuffleWindowBlocks,
        Device = Device,
        LabelSmoothing = LabelSmoothing,
        ClassWeights = ParseClassWeights(problems),
        CheckpointEveryBatches = CheckpointEveryBatches,
        MaxSamplesPerSplit = MaxSamplesPerSplit,
        GradientClipNorm = GradientClipNorm == 0 ? null : GradientClipNorm,
        GradientAccumulationSteps = GradientAccumulationSteps,
        WarmupEpochs = WarmupUnit == WarmupStepsUnit ? 0 : WarmupLength,
        WarmupSteps = WarmupUnit == WarmupStepsUnit ? WarmupLength : 0,
        WarmupStartFactor = WarmupStartFactor,
        Schedule = ScheduleKind == "" ? null : new LearningRateSchedule
        {
            Kind = ScheduleKind,
            StepEpochs = StepEpochs,
            Gamma = Gamma,
            MinLearningRate = MinLearningRate,
            Patience = SchedulePatience,
        },
        EarlyStopping = UseEarlyStopping
            ? new EarlyStoppingSpec { Monitor = Monitor, Patience = Patience, MinDelta = MinDelta, RestoreBest = RestoreBest }
            : null,
    };

    private List<double>? ParseClassWeights(IDictionary<string, string[]> problems)
    {
        if (string.IsNullOrWhiteSpace(ClassWeights))
        {
            return null;
        }
        var weights = new List<double>();
        foreach (var part in ClassWeights.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                problems["training.classWeights"] = [$"'{part}' is not a number; write class weights as numbers separated by commas, e.g. 1, 2.5, 1"];
                return null;
            }
            weights.Add(weight);
        }
        return weights;
    }
}
