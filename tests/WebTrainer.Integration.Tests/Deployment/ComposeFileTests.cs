using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Deployment;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task DockerCompose_AcceptsTheComposeFile_WithAllThreeServices()
    {
        // Debian's docker-compose validates the file without a Docker engine (test.sh installs it).
        await using var config = ManagedProcess.Start("docker-compose", "docker-compose", ["-f", "docker-compose.yml", "config", "--services"],
            new Dictionary<string, string?>());

        Assert.Equal(0, await config.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(["postgres", "web", "worker"], config.Lines.Where(l => !string.IsNullOrWhiteSpace(l)).Order(StringComparer.Ordinal));
    }
}
