using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace WebTrainer.Web.Helpers;

/// <summary>
/// A helper's failure that no endpoint answered itself becomes its ProblemDetails (422 over the
/// memory limit or unreadable, 503 died, 504 timed out), never a 500; a refusal is a 422 with the helper's text.
/// </summary>
internal sealed class HelperFailureHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            HelperFailedException failed => (failed.Status, failed.Title),
            HelperRejectedException => (StatusCodes.Status422UnprocessableEntity, "The file cannot be used"),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = exception.Message },
        });
    }
}
