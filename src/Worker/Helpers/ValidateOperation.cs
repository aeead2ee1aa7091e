using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Helpers;

/// <summary>
/// A submission's dataset check, as the Worker will see the file: shapes, dtypes, label range,
/// matching lengths, NaN in a sample of float images — and the train images' read cost under the
/// sampling the run will use, when it is far above the images' own bytes.
/// </summary>
internal static class ValidateOperation
{
    public static DatasetValidation Run(ValidateRequest request, CancellationToken cancellationToken)
    {
        try
        {
            DatasetValidator.Validate(request.File, request.Spec.Dataset, cancellationToken);
        }
        catch (DatasetProblemException ex)
        {
            return new DatasetValidation(ex.Message, []);
        }
        return new DatasetValidation(null, ReadWarnings(request.File, request.Spec));
    }

    private static IReadOnlyList<string> ReadWarnings(string file, JobSpec spec)
    {
        var images = spec.Dataset.Train.Images;
        ReadCosts costs;
        try
        {
            costs = ReadCostModel.Estimate(file, images, spec.Training.BatchSize);
        }
        catch (Exception ex) when (ex is DatasetProblemException or InvalidDataException or ArgumentException)
        {
            return []; // advice only: the file passed validation, so a cost that cannot be estimated stops nothing
        }
        var mode = ReadCostModel.Resolve(spec.Training.Sampling, costs);
        if (costs.Of(mode).Ratio <= ReadCostModel.WarnRatio)
        {
            return [];
        }
        var fix = costs.Warning(images) is { } warning && mode == costs.Auto
            ? warning
            : $"{images}: {mode} sampling reads {costs.Of(mode).Ratio:0.#}× each image's bytes, {costs.Auto} {costs.Of(costs.Auto).Ratio:0.#}×; " +
              "sampling \"auto\" picks the cheaper mode";
        return [$"training.sampling: {fix}"];
    }
}
