using System.Net.Http.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using Xunit;

namespace WebTrainer.Testing;

/// <summary>
/// One running WebTrainer for a test: its own database on the shared server, a data root with a
/// synthetic dataset, a Web process and any number of Worker processes.
/// </summary>
public sealed class WebTrainerSystem : IAsyncDisposable
{
    private readonly List<ManagedProcess> _workers = [];
    private readonly Dictionary<string, string?> _environment;

    private WebTrainerSystem(string connectionString, TempDirectory folder, Dictionary<string, string?> environment)
    {
        ConnectionString = connectionString;
        Folder = folder;
        _environment = environment;
    }

    public const string AdminEmail = "admin@webtrainer.test";
    public const string AdminPassword = "admin-password-1";

    public string ConnectionString { get; }

    /// <summary>The bootstrap admin's API key; <see cref="Http"/> sends it.</summary>
    public string AdminApiKey { get; } = "wt_test_" + Guid.NewGuid().ToString("N");
    public TempDirectory Folder { get; }
    public string DataRoot => Path.Combine(Folder.Path, "data");
    public ManagedProcess? Web { get; private set; }
    public Uri? WebAddress { get; private set; }
    public HttpClient Http { get; } = new();
    public IReadOnlyList<ManagedProcess> Workers => _workers;

    /// <summary>A database and data root; nothing started yet. <paramref name="settings"/> become environment variables.</summary>
    public static async Task<WebTrainerSystem> CreateAsync(PostgresServer server, IDictionary<string, string?>? settings = null)
    {
        var folder = new TempDirectory("webtrainer-it");
        Directory.CreateDirectory(Path.Combine(folder.Path, "data"));
        var environment = new Dictionary<string, string?>
        {
            ["Database__ConnectionString"] = await server.CreateDatabaseAsync(),
            ["DataRoots__0"] = Path.Combine(folder.Path, "data"),
            ["Artifacts__Root"] = Path.Combine(folder.Path, "artifacts"),
            ["Worker__Threads"] = "1",
            ["Worker__Readers"] = "1",
            ["JobQueue__QueuePollInterval"] = "00:00:01",
            ["OMP_NUM_THREADS"] = "1",
            ["DOTNET_gcServer"] = "0",
            // The Web's helper processes (HDF5 inspection, previews, prediction) are this build's Worker.
            ["Helpers__WorkerPath"] = RepoPaths.WorkerDll,
            ["Logging__LogLevel__Default"] = "Information",
            // The tests wait for Hangfire's "all the dispatchers started" line.
            ["Logging__LogLevel__Hangfire"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var system = new WebTrainerSystem(environment["Database__ConnectionString"]!, folder, environment);
        environment["Auth__BootstrapAdmin__Email"] = AdminEmail;
        environment["Auth__BootstrapAdmin__Password"] = AdminPassword;
        environment["Auth__BootstrapAdmin__ApiKey"] = system.AdminApiKey;
        system.Http.DefaultRequestHeaders.Add("X-Api-Key", system.AdminApiKey);
        return system;
    }

    /// <summary>Writes the synthetic sample dataset into the data root under <paramref name="name"/>.</summary>
    public async Task<string> AddSyntheticDatasetAsync(string name = "stripes.h5", int count = 600, int size = 16, int classes = 4)
    {
        var path = Path.Combine(DataRoot, name);
        var code = await Worker.Samples.DatasetCommand.RunAsync(
            ["synth", "--out", path, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--classes", classes.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
        Assert.Equal(0, code);
        return name;
    }

    /// <summary>Starts the Web; after <see cref="StopWebAsync"/>, on the address it had before, as a restart would.</summary>
    public async Task StartWebAsync()
    {
        WebAddress ??= new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var environment = new Dictionary<string, string?>(_environment) { ["ASPNETCORE_URLS"] = WebAddress.ToString() };
        Web = ManagedProcess.StartDotnet("web", RepoPaths.WebDll, environment, "--contentRoot", RepoPaths.WebContentRoot);
        Http.BaseAddress ??= WebAddress;
        await Web.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
    }

    /// <summary>Stops the Web gracefully, as a deployment would; Workers and the database keep running.</summary>
    public async Task StopWebAsync()
    {
        if (Web is not null)
        {
            await Web.StopAsync(TimeSpan.FromSeconds(20));
            await Web.DisposeAsync();
            Web = null;
        }
    }

    public async Task<ManagedProcess> StartWorkerAsync(string name, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>(_environment) { ["Worker__Name"] = name };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }
        var worker = ManagedProcess.StartDotnet(name, RepoPaths.WorkerDll, environment);
        _workers.Add(worker);
        await worker.WaitForLineAsync(l => l.Contains("all the dispatchers started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        return worker;
    }

    public async Task<HttpResponseMessage> SubmitAsync(JobSpec spec) =>
        await Http.PostAsync("/api/jobs", JsonContent.Create(spec, options: ContractJson.Options));

    /// <summary>An HTTP client with no identity at all.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = WebAddress };

    /// <summary>Creates a member (as the admin) and returns a client signed in with a fresh API key of theirs.</summary>
    public async Task<HttpClient> MemberAsync(string email)
    {
        using (var created = await Http.PostAsJsonAsync("/api/users",
            new Shared.Accounts.CreateUserRequest(email, "member-password-1", Shared.Accounts.Roles.Member), ContractJson.Options))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        var client = Anonymous();
        var login = await SignInForKeyAsync(email, "member-password-1");
        client.DefaultRequestHeaders.Add("X-Api-Key", login);
        return client;
    }

    /// <summary>Signs in with the password (cookie) and asks for an API key, as a person would.</summary>
    private async Task<string> SignInForKeyAsync(string email, string password)
    {
        using var handler = new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = WebAddress };
        var form = await browser.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var posted = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.True(posted.StatusCode == System.Net.HttpStatusCode.Redirect, $"sign-in failed: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        // A cookie-signed-in POST needs the antiforgery token, as the dashboard's own requests do.
        using (var antiforgery = System.Text.Json.JsonDocument.Parse(await browser.GetStringAsync("/api/auth/antiforgery")))
        {
            browser.DefaultRequestHeaders.Add(antiforgery.RootElement.GetProperty("headerName").GetString()!, antiforgery.RootElement.GetProperty("token").GetString());
        }
        using var key = await browser.PostAsJsonAsync("/api/me/api-keys", new Shared.Accounts.CreateApiKeyRequest("tests"), ContractJson.Options);
        var body = await key.Content.ReadAsStringAsync();
        Assert.True(key.IsSuccessStatusCode, body);
        return ContractJson.Deserialize<Shared.Accounts.ApiKeyCreated>(body).Key;
    }

    public async Task<long> SubmitOkAsync(JobSpec spec)
    {
        using var response = await SubmitAsync(spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"submit failed {(int)response.StatusCode}: {body}");
        return ContractJson.Deserialize<JobCreated>(body).Id;
    }

    public async Task<JobDetail> GetJobAsync(long id) =>
        ContractJson.Deserialize<JobDetail>(await Http.GetStringAsync($"/api/jobs/{id}"));

    /// <summary>Polls the job until <paramref name="until"/> holds; fails with the processes' output on timeout.</summary>
    public async Task<JobDetail> WaitForJobAsync(long id, Func<JobDetail, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JobDetail? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await GetJobAsync(id);
            }
            catch (HttpRequestException)
            {
                // The Web answers 500 while a fault test has the database down; keep polling.
                await Task.Delay(500);
                continue;
            }
            if (until(last))
            {
                return last;
            }
            await Task.Delay(250);
        }
        var workers = string.Join("\n---\n", _workers.Select(w => w.Tail(40)));
        throw new TimeoutException($"job {id} did not reach the expected state in {timeout}; last: {last?.Summary}\nworkers:\n{workers}\nweb:\n{Web?.Tail(20)}");
    }

    public static JobSpec SmallSpec(string file, int epochs = 1, int batchSize = 32) => new()
    {
        Name = "it",
        Dataset = new DatasetSpec
        {
            File = file,
            Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" },
            Test = new SplitSpec { Images = "test_img", Labels = "test_labels" },
        },
        Training = new TrainingSpec { Epochs = epochs, BatchSize = batchSize, LearningRate = 0.003, Device = "cpu" },
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
        if (Web is not null)
        {
            await Web.DisposeAsync();
        }
        Folder.Dispose();
    }
}
