using Microsoft.Extensions.Options;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>Fails start with the setting that is out of range named, rather than a generic message.</summary>
internal sealed class Hdf5LimitsValidation : IValidateOptions<Hdf5Limits>
{
    public ValidateOptionsResult Validate(string? name, Hdf5Limits options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
