using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Accounts;
using WebTrainer.Testing;
using WebTrainer.Web.Auth;

namespace WebTrainer.Integration.Tests.Auth;

/// <summary>Guessing passwords is slow and says nothing about which emails exist.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LoginTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;

    public async Task InitializeAsync() => _system = await AccessSystem.StartAsync(server);

    [Fact]
    public async Task WrongPasswords_LockTheAccount_EvenAgainstTheRightOne()
    {
        await _system.AddMemberAsync("lou@webtrainer.test");
        using var browser = CookieBrowser.At(_system.WebAddress!);
        for (var i = 0; i < AccessSystem.MaxFailures; i++)
        {
            using var wrong = await browser.PostLoginAsync("lou@webtrainer.test", "guess-" + i);
            Assert.Equal(i < AccessSystem.MaxFailures - 1 ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests, wrong.StatusCode);
        }

        using var right = await browser.PostLoginAsync("lou@webtrainer.test", AccessSystem.MemberPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to try again");
        Assert.Contains("Too many sign-in attempts", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AttemptsPerEmail_AreLimited_ForUnknownEmailsToo()
    {
        using var browser = CookieBrowser.At(_system.WebAddress!);
        for (var i = 0; i < AccessSystem.AttemptsPerEmail; i++)
        {
            using var attempt = await browser.PostLoginAsync("nobody@webtrainer.test", "guess-" + i);
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }

        using var over = await browser.PostLoginAsync("nobody@webtrainer.test", "one-more");

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
    }

    [Fact]
    public async Task UnknownEmail_IsCheckedAgainstAHash_AsAKnownOneIs()
    {
        var hasher = new CountingHasher();
        await using var database = NpgsqlDataSource.Create(_system.ConnectionString);
        var users = new UserStore(database, hasher, Options.Create(new AuthOptions()));
        await users.CreateAsync("kim@webtrainer.test", AccessSystem.MemberPassword, Roles.Member, CancellationToken.None);

        hasher.Verified = 0;
        var unknown = await users.CheckPasswordAsync("nobody@webtrainer.test", "a-guess-1", CancellationToken.None);
        var unknownWork = hasher.Verified;
        hasher.Verified = 0;
        var known = await users.CheckPasswordAsync("kim@webtrainer.test", "a-guess-1", CancellationToken.None);

        Assert.Null(unknown.User);
        Assert.Null(known.User);
        Assert.Equal(1, unknownWork);
        Assert.Equal(hasher.Verified, unknownWork);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();

    private sealed class CountingHasher : IPasswordHasher<string>
    {
        private readonly PasswordHasher<string> _inner = new();

        public int Verified { get; set; }

        public string HashPassword(string user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(string user, string hashedPassword, string providedPassword)
        {
            Verified++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
