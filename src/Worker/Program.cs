using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Jobs;
using WebTrainer.Worker.Jobs.Runs;
using WebTrainer.Worker.Samples;

if (args.Length > 0 && args[0] == "dataset")
{
    return await DatasetCommand.RunAsync(args[1..], CancellationToken.None);
}
if (args.Length > 0 && args[0] == WebTrainer.Shared.Helpers.HelperProtocol.Command)
{
    return await WebTrainer.Worker.Helpers.HelperCommand.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == RunProtocol.Command)
{
    return await RunCommand.RunAsync(args[1..]);
}

// appsettings.json sits beside the program, wherever it is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddWebTrainerDatabase();
builder.Services.AddDataRoots();
builder.Services.AddTrainingWorker();

using var host = builder.Build();
await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
await host.RunAsync();
return 0;
