using WebTrainer.Shared.Storage;
using WebTrainer.Web;
using WebTrainer.Web.Auth;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebTrainer();

var app = builder.Build();
await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.Services.GetRequiredService<BootstrapAdmin>().EnsureAsync(app.Lifetime.ApplicationStopping);
app.MapWebTrainer();
await app.RunAsync();
