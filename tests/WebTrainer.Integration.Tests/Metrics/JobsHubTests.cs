using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Metrics;

/// <summary>What a non-Blazor client gets from <c>/hubs/jobs</c> when a Worker writes metrics.</summary>
[Collection(PostgresCollection.Name)]
public sealed class JobsHubTests(PostgresServer server) : WebOnlyTest(server)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task JobFollowers_GetEverything_AllJobsFollowers_GetStatusAndEpochs()
    {
        var followed = await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec(Dataset));
        var other = await Web.SubmitOkAsync(WebTrainerSystem.SmallSpec(Dataset));
        await using var oneJob = await ConnectAsync();
        await using var allJobs = await ConnectAsync();
        await oneJob.Connection.InvokeAsync("Follow", followed);
        await allJobs.Connection.InvokeAsync("FollowAll");

        var metrics = new MetricsRepository(Database);
        await metrics.SaveBatchAsync(followed, new BatchProgress(1, 3, 10, 0.9, 0.5, 800, DateTimeOffset.UtcNow), CancellationToken.None);
        await metrics.SaveEpochAsync(followed, new EpochMetrics { Epoch = 1, TrainLoss = 0.9 }, CancellationToken.None);
        await metrics.AddEventAsync(followed, DateTimeOffset.UtcNow, "info", "hello", CancellationToken.None);
        using (await Web.Http.PostAsync($"/api/jobs/{other}/cancel", null))
        {
        }

        Assert.Equal((followed, JobUpdateKind.Batch), await oneJob.NextAsync());
        Assert.Equal((followed, JobUpdateKind.Epoch), await oneJob.NextAsync());
        Assert.Equal((followed, JobUpdateKind.Event), await oneJob.NextAsync());
        Assert.Equal((followed, JobUpdateKind.Epoch), await allJobs.NextAsync());
        Assert.Equal((other, JobUpdateKind.Status), await allJobs.NextAsync());

        await oneJob.Connection.InvokeAsync("Unfollow", followed);
        await allJobs.Connection.InvokeAsync("UnfollowAll");
        // Both now follow only the other job: updates arrive in the order they were made, so when the other
        // job's epoch arrives first, the unfollowed job's earlier epoch was not sent.
        await oneJob.Connection.InvokeAsync("Follow", other);
        await allJobs.Connection.InvokeAsync("Follow", other);
        await metrics.SaveEpochAsync(followed, new EpochMetrics { Epoch = 2 }, CancellationToken.None);
        await metrics.SaveEpochAsync(other, new EpochMetrics { Epoch = 1 }, CancellationToken.None);
        Assert.Equal((other, JobUpdateKind.Epoch), await oneJob.NextAsync());
        Assert.Equal((other, JobUpdateKind.Epoch), await allJobs.NextAsync());
    }

    private async Task<Client> ConnectAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Web.WebAddress!, "/hubs/jobs"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Web.AdminApiKey))
            .AddJsonProtocol(o => ContractJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var updates = Channel.CreateUnbounded<JobUpdate>();
        connection.On<JobUpdate>("update", u => updates.Writer.TryWrite(u));
        await connection.StartAsync();
        return new Client(connection, updates.Reader);
    }

    private sealed record Client(HubConnection Connection, ChannelReader<JobUpdate> Updates) : IAsyncDisposable
    {
        public async Task<(long, JobUpdateKind)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Wait);
            var update = await Updates.ReadAsync(timeout.Token);
            return (update.JobId, update.Kind);
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
