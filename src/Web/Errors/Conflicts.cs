using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace WebTrainer.Web.Errors;

/// <summary>The 409 answers of the API: a ProblemDetails that says what stands in the way.</summary>
internal static class Conflicts
{
    public static Conflict<ProblemDetails> Of(string title, string detail) =>
        TypedResults.Conflict(new ProblemDetails { Title = title, Detail = detail, Status = StatusCodes.Status409Conflict });
}
