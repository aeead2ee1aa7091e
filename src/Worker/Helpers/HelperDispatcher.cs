using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Json;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Helpers;

/// <summary>
/// Runs one request by its operation's name and turns what it threw into an answer: the file's own
/// problem, a row out of range, a full managed heap, or a failure named by its exception.
/// </summary>
internal sealed partial class HelperDispatcher(PredictorCache predictors, bool faultInjection, ILogger logger)
{
    public HelperAnswer Run(HelperRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (faultInjection)
            {
                HelperFaults.Strike(request.Body);
            }
            object body = request.Op switch
            {
                HelperProtocol.Inspect => InspectOperation.Run(Read<FileRequest>(request), cancellationToken),
                HelperProtocol.CheckHdf5 => CheckHdf5Operation.Run(Read<FileRequest>(request)),
                HelperProtocol.Validate => ValidateOperation.Run(Read<ValidateRequest>(request), cancellationToken),
                HelperProtocol.Samples => SamplesOperation.Run(Read<SamplesRequest>(request), cancellationToken),
                HelperProtocol.Predict => predictors.Predict(Read<PredictRequest>(request)),
                _ => throw new NotSupportedException($"unknown helper operation '{request.Op}'"),
            };
            LogDone(logger, request.Op, request.Id, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new HelperAnswer(request.Id, HelperAnswer.Ok, Body: JsonSerializer.SerializeToElement(body, body.GetType(), ContractJson.Options));
        }
        catch (DatasetProblemException ex)
        {
            return new HelperAnswer(request.Id, HelperAnswer.Rejected, ex.Message);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return new HelperAnswer(request.Id, HelperAnswer.OutOfRange, ex.Message);
        }
        catch (ArgumentException ex)
        {
            return new HelperAnswer(request.Id, HelperAnswer.Rejected, ex.Message);
        }
        catch (OutOfMemoryException)
        {
            // The heap hard limit the Web set was reached; what was allocated is garbage once this returns.
            LogOutOfMemory(logger, request.Op, request.Id);
            return new HelperAnswer(request.Id, HelperAnswer.OutOfMemory, "the managed heap reached its limit");
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, request.Op, request.Id);
            return new HelperAnswer(request.Id, HelperAnswer.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static T Read<T>(HelperRequest request) =>
        request.Body.Deserialize<T>(ContractJson.Options) ?? throw new ArgumentException($"the {request.Op} request has no body");

    [LoggerMessage(Level = LogLevel.Information, Message = "Helper {Op} #{Id} answered in {ElapsedMs:F0} ms")]
    private static partial void LogDone(ILogger logger, string op, long id, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Helper {Op} #{Id} ran out of managed memory")]
    private static partial void LogOutOfMemory(ILogger logger, string op, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Helper {Op} #{Id} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string op, long id);
}
