using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Datasets;

/// <summary>
/// Uploaded files belong to their uploader, through the real Web and database: a second data root, a quota
/// of one and a half sample files per member, and stale partial uploads left in the data root before start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TeamDataTests(PostgresServer server) : IAsyncLifetime
{
    private readonly TempDirectory _samples = new("webtrainer-teamdata");
    private WebTrainerSystem _system = null!;
    private byte[] _sample = [];
    private long _quota;
    private string _otherRoot = "";

    public async Task InitializeAsync()
    {
        var samplePath = _samples.File("sample.h5");
        Assert.Equal(0, await Worker.Samples.DatasetCommand.RunAsync(["synth", "--out", samplePath, "--count", "40"], CancellationToken.None));
        _sample = await File.ReadAllBytesAsync(samplePath);
        _quota = _sample.Length + _sample.Length / 2;
        _otherRoot = Directory.CreateDirectory(_samples.File("other-root")).FullName;
        _system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["DataRoots__1"] = _otherRoot,
            ["Uploads__QuotaBytesPerUser"] = _quota.ToString(CultureInfo.InvariantCulture),
        });
        await _system.AddSyntheticDatasetAsync("admins.h5", count: 40);
    }

    [Fact]
    public async Task Member_CannotOverwriteOrDeleteTheAdminsDataset_TheAdminCan()
    {
        await _system.StartWebAsync();
        using var member = await _system.MemberAsync("mia@webtrainer.test");
        var before = await File.ReadAllBytesAsync(Path.Combine(_system.DataRoot, "admins.h5"));

        using var overwrite = await UploadAsync(member, "admins.h5", overwrite: true);
        using var delete = await member.DeleteAsync("/api/datasets?file=admins.h5");

        await AssertProblemAsync(overwrite, HttpStatusCode.Forbidden, "'admins.h5' is the admins'");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "only its owner or an admin may delete it");
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(_system.DataRoot, "admins.h5")));
        Assert.Equal("admins", await OwnerInListAsync(member, "admins.h5"));
        using var byAdmin = await UploadAsync(_system.Http, "admins.h5", overwrite: true);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(_sample, await File.ReadAllBytesAsync(Path.Combine(_system.DataRoot, "admins.h5")));
    }

    [Fact]
    public async Task Member_CannotOverwriteOrDeleteAnothersUpload_TheOwnerAndAnAdminCan()
    {
        await _system.StartWebAsync();
        using var mia = await _system.MemberAsync("mia@webtrainer.test");
        using var bob = await _system.MemberAsync("bob@webtrainer.test");
        using (var created = await UploadAsync(mia, "mias.h5"))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        Assert.Equal("mia@webtrainer.test", await OwnerInListAsync(bob, "mias.h5"));

        using var overwrite = await UploadAsync(bob, "mias.h5", overwrite: true);
        using var delete = await bob.DeleteAsync("/api/datasets?file=mias.h5");

        await AssertProblemAsync(overwrite, HttpStatusCode.Forbidden, "'mias.h5' is owned by mia@webtrainer.test; only its owner or an admin may overwrite it");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "'mias.h5' is owned by mia@webtrainer.test");
        Assert.True(File.Exists(Path.Combine(_system.DataRoot, "mias.h5")));
        using (var again = await UploadAsync(mia, "mias.h5", overwrite: true))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await mia.DeleteAsync("/api/datasets?file=mias.h5")).StatusCode);
        Assert.False(File.Exists(Path.Combine(_system.DataRoot, "mias.h5")));
        using (var bobs = await UploadAsync(bob, "bobs.h5"))
        {
            Assert.Equal(HttpStatusCode.Created, bobs.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await _system.Http.DeleteAsync("/api/datasets?file=bobs.h5")).StatusCode);
        Assert.False(File.Exists(Path.Combine(_system.DataRoot, "bobs.h5")));
    }

    [Fact]
    public async Task Upload_WhoseNameExistsInAnotherDataRoot_Is409NamingBoth_AndKeepsNothing()
    {
        await _system.StartWebAsync();
        await File.WriteAllBytesAsync(Path.Combine(_otherRoot, "shared.h5"), _sample);
        using var member = await _system.MemberAsync("mia@webtrainer.test");

        using var response = await UploadAsync(member, "shared.h5");
        using var byAdmin = await UploadAsync(_system.Http, "shared.h5", overwrite: true);

        var detail = await AssertProblemAsync(response, HttpStatusCode.Conflict, "'shared.h5' already exists in data root 1");
        Assert.Contains(Path.Combine(_otherRoot, "shared.h5"), detail, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_system.DataRoot, "shared.h5"), detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, byAdmin.StatusCode);
        Assert.False(File.Exists(Path.Combine(_system.DataRoot, "shared.h5")));
    }

    [Fact]
    public async Task Upload_BeyondTheMembersQuota_Is413NamingUsedAndLimit_ByLengthAndWhileStreaming()
    {
        await _system.StartWebAsync();
        using var member = await _system.MemberAsync("mia@webtrainer.test");
        using (var first = await UploadAsync(member, "q1.h5"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var declared = await UploadAsync(member, "q2.h5");
        // A multipart body's length is not the file's, so this one is counted while it streams.
        using var multipart = new MultipartFormDataContent { { new ByteArrayContent(_sample), "file", "q3.h5" } };
        using var streamed = await member.PostAsync("/api/datasets/upload", multipart);

        var used = $"you keep {_sample.Length} bytes of uploaded files, the limit is {_quota} bytes";
        await AssertProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge, used);
        var counted = System.Text.RegularExpressions.Regex.Match(
            await AssertProblemAsync(streamed, HttpStatusCode.RequestEntityTooLarge, used), @"this upload has at least (\d+) bytes");
        Assert.True(counted.Success);
        Assert.InRange(long.Parse(counted.Groups[1].Value, CultureInfo.InvariantCulture), _quota - _sample.Length + 1, _sample.Length);
        Assert.Equal(["admins.h5", "q1.h5"], Directory.GetFiles(_system.DataRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var replace = await UploadAsync(member, "q1.h5", overwrite: true))
        {
            Assert.Equal(HttpStatusCode.Created, replace.StatusCode); // replacing one's own file frees its bytes
        }
        using var byAdmin = await UploadAsync(_system.Http, "q4.h5");
        using var byAdminToo = await UploadAsync(_system.Http, "q5.h5");
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byAdminToo.StatusCode); // admins are exempt by default
    }

    [Fact]
    public async Task StalePartialUploads_AreDeletedWhenTheWebStarts_FreshOnesAndOthersKept()
    {
        var stale = Path.Combine(_system.DataRoot, $"big.h5.upload-{Guid.NewGuid():N}.partial");
        var fresh = Path.Combine(_system.DataRoot, $"new.h5.upload-{Guid.NewGuid():N}.partial");
        var optimiseOutput = Path.Combine(_system.DataRoot, "food.optimized.h5.partial");
        foreach (var path in new[] { stale, fresh, optimiseOutput })
        {
            await File.WriteAllBytesAsync(path, [1, 2, 3]);
        }
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(optimiseOutput, DateTime.UtcNow.AddHours(-2));

        await _system.StartWebAsync();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (File.Exists(stale) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.False(File.Exists(stale), _system.Web!.Tail(20));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(optimiseOutput)); // an optimise job's output in progress is the Worker's, not an upload
    }

    private Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, bool overwrite = false)
    {
        var content = new ByteArrayContent(_sample);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync($"/api/datasets/upload?name={name}{(overwrite ? "&overwrite=true" : "")}", content);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailPart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(detailPart, detail, StringComparison.Ordinal);
        return detail;
    }

    private static async Task<string?> OwnerInListAsync(HttpClient client, string file)
    {
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/datasets"));
        return list.RootElement.EnumerateArray().Single(f => f.GetProperty("file").GetString() == file).GetProperty("owner").GetString();
    }

    public async Task DisposeAsync()
    {
        await _system.DisposeAsync();
        _samples.Dispose();
    }
}
