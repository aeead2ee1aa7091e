using FluentValidation;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs;

/// <summary>Field rules of a job spec, checked before the dataset file is opened.</summary>
internal sealed class JobSpecValidator : AbstractValidator<JobSpec>
{
    public const int MaxEpochs = 10_000;
    public const int MaxBatchSize = 65_536;
    public const int MaxAccumulationSteps = 4096;

    public JobSpecValidator()
    {
        RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
        RuleFor(s => s.Dataset).NotNull();
        RuleFor(s => s.Dataset.File).NotEmpty().OverridePropertyName("dataset.file");
        RuleFor(s => s.Dataset.Train.Images).NotEmpty().OverridePropertyName("dataset.train.images");
        RuleFor(s => s.Dataset.Train.Labels).NotEmpty().OverridePropertyName("dataset.train.labels");
        RuleFor(s => s.Dataset.Validation!.Images).NotEmpty().OverridePropertyName("dataset.validation.images").When(s => s.Dataset.Validation is not null);
        RuleFor(s => s.Dataset.Validation!.Labels).NotEmpty().OverridePropertyName("dataset.validation.labels").When(s => s.Dataset.Validation is not null);
        RuleFor(s => s.Dataset.Test!.Images).NotEmpty().OverridePropertyName("dataset.test.images").When(s => s.Dataset.Test is not null);
        RuleFor(s => s.Dataset.Test!.Labels).NotEmpty().OverridePropertyName("dataset.test.labels").When(s => s.Dataset.Test is not null);
        RuleFor(s => s.Dataset.SplitFractions).Must(f => f is null || f.IsValid)
            .OverridePropertyName("dataset.splitFractions").WithMessage(SplitFractions.Rule);
        RuleFor(s => s.Dataset).Must(d => d.SplitFractions is null || (d.Validation is null && d.Test is null))
            .OverridePropertyName("dataset").WithMessage("give either validation/test dataset pairs or splitFractions, not both");

        RuleFor(s => s.Model.Architecture).Must(a => Architectures.All.Contains(a)).OverridePropertyName("model.architecture")
            .WithMessage(s => $"unknown architecture '{s.Model.Architecture}'; choose one of: {string.Join(", ", Architectures.All)}");
        RuleFor(s => s.Model.FreezeBackboneEpochs).InclusiveBetween(0, MaxEpochs).OverridePropertyName("model.freezeBackboneEpochs");
        RuleFor(s => s.Model.BackboneLearningRateFactor).GreaterThan(0).LessThanOrEqualTo(100).OverridePropertyName("model.backboneLearningRateFactor");

        RuleFor(s => s.Training.Epochs).InclusiveBetween(1, MaxEpochs).OverridePropertyName("training.epochs");
        RuleFor(s => s.Training.BatchSize).InclusiveBetween(1, MaxBatchSize).OverridePropertyName("training.batchSize");
        RuleFor(s => s.Training.Optimizer).Must(o => Optimizers.All.Contains(o)).OverridePropertyName("training.optimizer")
            .WithMessage(s => $"unknown optimizer '{s.Training.Optimizer}'; choose one of: {string.Join(", ", Optimizers.All)}");
        RuleFor(s => s.Training.LearningRate).GreaterThan(0).LessThanOrEqualTo(10).OverridePropertyName("training.learningRate");
        RuleFor(s => s.Training.Momentum).InclusiveBetween(0, 1).OverridePropertyName("training.momentum");
        RuleFor(s => s.Training.WeightDecay).InclusiveBetween(0, 1).OverridePropertyName("training.weightDecay");
        RuleFor(s => s.Training.Sampling).Must(m => SamplingModes.All.Contains(m)).OverridePropertyName("training.sampling")
            .WithMessage(s => $"unknown sampling '{s.Training.Sampling}'; choose one of: {string.Join(", ", SamplingModes.All)}");
        RuleFor(s => s.Training.ShuffleWindowBlocks).InclusiveBetween(1, 1_000_000).OverridePropertyName("training.shuffleWindowBlocks");
        RuleFor(s => s.Training.Device).Must(d => Devices.All.Contains(d)).OverridePropertyName("training.device")
            .WithMessage($"device must be one of: {string.Join(", ", Devices.All)}");
        RuleFor(s => s.Training.LabelSmoothing).InclusiveBetween(0, 0.5).OverridePropertyName("training.labelSmoothing");
        RuleFor(s => s.Training.CheckpointEveryBatches).GreaterThanOrEqualTo(0).OverridePropertyName("training.checkpointEveryBatches");
        RuleFor(s => s.Training.GradientClipNorm).Must(v => v is >= 0 && double.IsFinite(v.Value)).OverridePropertyName("training.gradientClipNorm")
            .WithMessage(s => $"gradientClipNorm is the largest gradient norm a step may use: a positive number, or 0 or null for no clipping, not {s.Training.GradientClipNorm}")
            .When(s => s.Training.GradientClipNorm is not null);
        RuleFor(s => s.Training.GradientAccumulationSteps).InclusiveBetween(1, MaxAccumulationSteps).OverridePropertyName("training.gradientAccumulationSteps")
            .WithMessage(s => $"gradientAccumulationSteps must be from 1 (a step per batch) to {MaxAccumulationSteps}, not {s.Training.GradientAccumulationSteps}");
        RuleFor(s => s.Training.WarmupEpochs).InclusiveBetween(0, MaxEpochs).OverridePropertyName("training.warmupEpochs");
        RuleFor(s => s.Training.WarmupSteps).GreaterThanOrEqualTo(0).OverridePropertyName("training.warmupSteps");
        RuleFor(s => s.Training).Must(t => t.WarmupEpochs == 0 || t.WarmupSteps == 0).OverridePropertyName("training.warmupSteps")
            .WithMessage("give warmupEpochs or warmupSteps, not both");
        RuleFor(s => s.Training.WarmupStartFactor).GreaterThan(0).LessThanOrEqualTo(1).OverridePropertyName("training.warmupStartFactor")
            .WithMessage(s => $"warmupStartFactor is the first step's fraction of the learning rate and must be in (0, 1], not {s.Training.WarmupStartFactor}");
        RuleFor(s => s.Training.MaxSamplesPerSplit).GreaterThanOrEqualTo(0).OverridePropertyName("training.maxSamplesPerSplit");
        RuleForEach(s => s.Training.ClassWeights).GreaterThan(0).OverridePropertyName("training.classWeights");
        RuleFor(s => s.Training.Schedule!.Kind).Must(k => ScheduleKinds.All.Contains(k)).OverridePropertyName("training.schedule.kind")
            .WithMessage($"schedule kind must be one of: {string.Join(", ", ScheduleKinds.All)}").When(s => s.Training.Schedule is not null);
        RuleFor(s => s.Training.EarlyStopping!.Monitor).Must(m => Monitors.All.Contains(m)).OverridePropertyName("training.earlyStopping.monitor")
            .WithMessage($"monitor must be one of: {string.Join(", ", Monitors.All)}").When(s => s.Training.EarlyStopping is not null);
        RuleFor(s => s.Training.EarlyStopping!.Patience).GreaterThanOrEqualTo(1).OverridePropertyName("training.earlyStopping.patience")
            .When(s => s.Training.EarlyStopping is not null);

        RuleFor(s => s.Augmentation.RotationRange).InclusiveBetween(0, 180).OverridePropertyName("augmentation.rotationRange");
        RuleFor(s => s.Augmentation.ZoomRange).InclusiveBetween(0, 0.9).OverridePropertyName("augmentation.zoomRange");
        RuleFor(s => s.Augmentation.ShearRange).InclusiveBetween(0, 45).OverridePropertyName("augmentation.shearRange");
        RuleFor(s => s.Augmentation.WidthShiftRange).InclusiveBetween(0, 0.9).OverridePropertyName("augmentation.widthShiftRange");
        RuleFor(s => s.Augmentation.HeightShiftRange).InclusiveBetween(0, 0.9).OverridePropertyName("augmentation.heightShiftRange");
        RuleFor(s => s.Augmentation.BrightnessRange).InclusiveBetween(0, 1).OverridePropertyName("augmentation.brightnessRange");
        RuleFor(s => s.Augmentation.ContrastRange).InclusiveBetween(0, 1).OverridePropertyName("augmentation.contrastRange");
        RuleFor(s => s.Augmentation.RandomCropFraction).InclusiveBetween(0, 1).OverridePropertyName("augmentation.randomCropFraction");
        RuleFor(s => s.Augmentation.Rescale).GreaterThan(0).OverridePropertyName("augmentation.rescale").When(s => s.Augmentation.Rescale is not null);
        RuleFor(s => s.Augmentation.Device).Must(d => AugmentationDevices.All.Contains(d)).OverridePropertyName("augmentation.device")
            .WithMessage(s => $"unknown augmentation device '{s.Augmentation.Device}'; choose one of: {string.Join(", ", AugmentationDevices.All)}");
    }
}
