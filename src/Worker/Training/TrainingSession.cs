using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training.Models;
using WebTrainer.Worker.Training.Schedules;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Everything one run trains with: the model on its device, the optimiser over head and backbone,
/// the loss, the schedule, early stopping and the backbone freezer. Built the same way for a fresh
/// and a resumed run (seed first, then the model), so a checkpoint fits it exactly.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private TrainingSession(JobSpec spec, int classes, Device device, ImageClassifier model, OptimizerHelper optimizer,
        LossFunction criterion, BackboneFreezer freezer)
    {
        Spec = spec;
        Classes = classes;
        Device = device;
        Model = model;
        Optimizer = optimizer;
        Criterion = criterion;
        Freezer = freezer;
        Monitor = MonitoredMetric.For(spec.Training.EarlyStopping?.Monitor);
        Scheduler = new LearningRateScheduler(spec.Training.Schedule, spec.Training.LearningRate, spec.Training.Epochs);
        EarlyStopping = new EarlyStopping(spec.Training.EarlyStopping, Monitor);
    }

    public JobSpec Spec { get; }
    public int Classes { get; }
    public Device Device { get; }
    public ImageClassifier Model { get; }
    public OptimizerHelper Optimizer { get; }
    public LossFunction Criterion { get; }
    public BackboneFreezer Freezer { get; }
    public MonitoredMetric Monitor { get; }
    public LearningRateScheduler Scheduler { get; }
    public EarlyStopping EarlyStopping { get; }

    /// <param name="pretrainedWeights">The spec's pretrained weights file, already resolved inside a data root.</param>
    public static TrainingSession Create(JobSpec spec, ModelInput input, int classes, Device device, string? pretrainedWeights,
        IProgressSink sink)
    {
        var training = spec.Training;
        if (training.ClassWeights is { } weights && weights.Count != classes)
        {
            throw new InvalidOperationException($"training.classWeights has {weights.Count} entries but the dataset has {classes} classes");
        }
        if (training.LabelSmoothing is < 0 or >= 1)
        {
            throw new InvalidOperationException($"training.labelSmoothing must be in [0, 1), not {training.LabelSmoothing}");
        }
        if (spec.Model.PretrainedWeights is not null && pretrainedWeights is null)
        {
            throw new InvalidOperationException("model.pretrainedWeights is set but the Worker passed no resolved file for it");
        }

        manual_seed(training.Seed);
        var model = ModelFactory.Create(spec.Model.Architecture, input, classes);
        try
        {
            if (pretrainedWeights is not null)
            {
                Report(sink, spec.Model.PretrainedWeights ?? Path.GetFileName(pretrainedWeights), PretrainedWeights.Load(model, pretrainedWeights));
            }
            model.to(device);
            // The optimiser keys its state by parameter handle: build it after the move to the device.
            var freezer = new BackboneFreezer(model);
            var optimizer = OptimizerFactory.Create(training, freezer.Head, freezer.Backbone, spec.Model.BackboneLearningRateFactor);
            var criterion = new LossFunction(training.LabelSmoothing, training.ClassWeights, device);
            return new TrainingSession(spec, classes, device, model, optimizer, criterion, freezer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Freezes or unfreezes the backbone and sets the epoch's learning rates.</summary>
    public void BeginEpoch(int epoch)
    {
        Freezer.SetFrozen(epoch <= Spec.Model.FreezeBackboneEpochs);
        OptimizerFactory.SetLearningRate(Optimizer, Scheduler.LearningRateFor(epoch), Spec.Model.BackboneLearningRateFactor);
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Criterion.Dispose();
        Model.Dispose();
    }

    private static void Report(IProgressSink sink, string name, PretrainedLoadReport report)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Pretrained weights {name}: loaded {report.Loaded} tensors");
        if (report.Skipped.Count > 0)
        {
            text += $"; skipped (shape differs, e.g. a head for another class count): {string.Join(", ", report.Skipped)}";
        }
        if (report.Unused.Count > 0)
        {
            text += $"; {report.Unused.Count} tensors in the file have no place in the model";
        }
        sink.Event("info", text);
        if (report.Missing.Count > 0)
        {
            sink.Event("warning", $"Pretrained weights {name} lack {report.Missing.Count} tensors, which keep their fresh initialisation: " +
                string.Join(", ", report.Missing.Take(20)) + (report.Missing.Count > 20 ? ", ..." : ""));
        }
    }
}
