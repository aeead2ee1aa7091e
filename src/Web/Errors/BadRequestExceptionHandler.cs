using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace WebTrainer.Web.Errors;

/// <summary>
/// A request the framework could not bind — malformed JSON, a wrong type, a missing body — is
/// answered with a 400 ProblemDetails that says what was wrong and where, not a bare 400.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var body = httpContext.Request.Path.StartsWithSegments("/api/sweeps") ? "sweep request" : "job spec";
        var detail = bad.InnerException switch
        {
            JsonException json => $"The body is not a valid {body}: {json.Message}",
            { } inner => $"{bad.Message} {inner.Message}",
            null => bad.Message,
        };
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "The request cannot be read", Detail = detail },
        });
    }
}
