using System.Text.Json;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;

namespace WebTrainer.Web.Helpers;

/// <summary>
/// What the Web asks of its helper processes, one method per operation. Paths are full paths the
/// caller resolved inside the data roots; names are what people see in messages. A refusal throws
/// <see cref="HelperRejectedException"/>, a helper's failure <see cref="HelperFailedException"/>.
/// </summary>
internal sealed class HelperClient(HelperPool pool, IOptions<HelperOptions> options)
{
    public async Task<DatasetFileSummary> InspectAsync(string path, string name, CancellationToken cancellationToken) =>
        Read<DatasetFileSummary>(await pool.RunAsync(HelperProtocol.Inspect, new FileRequest(path), $"inspecting {name}",
            options.Value.RequestTimeout, cancellationToken));

    /// <summary>Null when <paramref name="path"/> opens as HDF5, else why not.</summary>
    public async Task<string?> CheckHdf5Async(string path, string name, CancellationToken cancellationToken) =>
        Read<Hdf5Check>(await pool.RunAsync(HelperProtocol.CheckHdf5, new FileRequest(path), $"checking the upload {name}",
            options.Value.RequestTimeout, cancellationToken)).Problem;

    public async Task<DatasetValidation> ValidateAsync(string path, JobSpec spec, CancellationToken cancellationToken) =>
        Read<DatasetValidation>(await pool.RunAsync(HelperProtocol.Validate, new ValidateRequest(path, spec),
            $"validating {spec.Dataset.File} for the job spec", options.Value.RequestTimeout, cancellationToken));

    public async Task<SamplesAnswer> SamplesAsync(SamplesRequest request, string name, CancellationToken cancellationToken) =>
        Read<SamplesAnswer>(await pool.RunAsync(HelperProtocol.Samples, request, $"rendering previews of {name}, dataset '{request.Images}'",
            options.Value.PreviewTimeout, cancellationToken));

    public async Task<IReadOnlyList<Prediction>> PredictAsync(long jobId, string modelFolder, byte[] image, CancellationToken cancellationToken) =>
        Read<List<Prediction>>(await pool.RunAsync(HelperProtocol.Predict, new PredictRequest(modelFolder, image),
            $"predicting with job {jobId}'s model", options.Value.RequestTimeout, cancellationToken));

    private static T Read<T>(JsonElement body) =>
        body.Deserialize<T>(ContractJson.Options) ?? throw new JsonException($"a helper answered null for {typeof(T).Name}");
}
