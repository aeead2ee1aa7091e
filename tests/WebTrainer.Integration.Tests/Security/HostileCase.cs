using System.Diagnostics;
using System.Net;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>
/// One hostile request: what it sends, the status it must get (a 4xx; one exact code where the code
/// itself is the contract) and a phrase the answer must contain so the sender learns what was wrong.
/// </summary>
internal sealed record HostileCase(string Name, Func<Task<HttpResponseMessage>> Send, string? Mentions, HttpStatusCode? Status = null)
{
    /// <summary>
    /// A report rather than an action (inspection): it succeeds and names the problem among the file's
    /// problems, because the rest of the file may still be usable; acting on the bad part is a 4xx.
    /// </summary>
    public bool IsReport { get; init; }

    /// <summary>A case must be answered within this, whatever it sends.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>Sends the request; null when the answer is what it must be, else what was wrong.</summary>
    public async Task<(string? Failure, TimeSpan Took, int Code)> CheckAsync()
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(Deadline + TimeSpan.FromSeconds(25));
        HttpResponseMessage response;
        string body;
        try
        {
            response = await Send().WaitAsync(timeout.Token);
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException)
        {
            return ($"{Name}: no answer ({ex.GetType().Name}: {ex.Message}) after {clock.Elapsed.TotalSeconds:F1} s", clock.Elapsed, 0);
        }
        var took = clock.Elapsed;
        using (response)
        {
            int code = (int)response.StatusCode;
            string? failure = null;
            if (IsReport)
            {
                int problems = Mentions is null ? -1 : body.IndexOf(Mentions, StringComparison.OrdinalIgnoreCase);
                failure = code != 200 ? $"expected a 200 report, got {code}"
                    : Mentions is not null && problems < 0 ? $"the report does not mention \"{Mentions}\""
                    : took > Deadline ? $"answered after {took.TotalSeconds:F1} s (limit {Deadline.TotalSeconds:F0} s)" : null;
                return (failure is null ? null : $"{Name}: {failure}: {Shorten(body)}", took, code);
            }
            if (Status is { } exact && response.StatusCode != exact)
            {
                failure = $"expected {(int)exact}, got {code}";
            }
            else if (code is < 400 or >= 500)
            {
                failure = $"expected a 4xx, got {code}";
            }
            else if (Mentions is not null && !body.Contains(Mentions, StringComparison.OrdinalIgnoreCase))
            {
                failure = $"the answer does not mention \"{Mentions}\"";
            }
            else if (took > Deadline)
            {
                failure = $"answered after {took.TotalSeconds:F1} s (limit {Deadline.TotalSeconds:F0} s)";
            }
            return (failure is null ? null : $"{Name}: {failure}: {Shorten(body)}", took, code);
        }
    }

    private static string Shorten(string body) => body.Length <= 400 ? body : body[..400] + "…";
}
