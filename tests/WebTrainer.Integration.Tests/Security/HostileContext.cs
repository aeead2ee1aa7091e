using SkiaSharp;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>What the hostile cases act on: the system, a member's client, the admin's queued job, the member's own job, the admin's trained model, a good file.</summary>
internal sealed record HostileContext(WebTrainerSystem System, HttpClient Member, long AdminsJob, long MembersJob, long TrainedJob, string GoodFile)
{
    /// <summary>A real 16x16 PNG, for the requests whose image is not what is wrong.</summary>
    public static byte[] SmallPng()
    {
        using var bitmap = new SKBitmap(16, 16, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(new SKColor(200, 30, 30));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
