using System.Net.Http.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>
/// Hostile HDF5 files (written at test time into the data root, as if a member had put them there) and
/// hostile images: every way the Web reads a user's file or image must refuse them with a 4xx that names
/// the file or the problem, and none may take the Web down.
/// </summary>
internal static class HostileFiles
{
    /// <summary>The files, by the phrase an answer about each must contain (its name, which every refusal quotes).</summary>
    public static IReadOnlyList<string> WriteAll(string root) =>
    [
        Path.GetFileName(HostileHdf5Files.GroupCycle(root)),
        Path.GetFileName(HostileHdf5Files.BillionsOfChunks(root)),
        Path.GetFileName(HostileHdf5Files.HugeImages(root)),
        Path.GetFileName(HostileHdf5Files.HugeLabelCount(root)),
        Path.GetFileName(HostileHdf5Files.TruncatedMetadata(root)),
        // Bit 3 lies in the signature, bit 67 in the superblock's version byte.
        Path.GetFileName(HostileHdf5Files.BitFlipped(root, 3)),
        Path.GetFileName(HostileHdf5Files.BitFlipped(root, 67)),
        Path.GetFileName(HostileHdf5Files.GarbageAfterSignature(root, seed: 1)),
        Path.GetFileName(HostileHdf5Files.GarbageAfterSignature(root, length: 1 << 20, seed: 2)),
        Path.GetFileName(HostileHdf5Files.ChunkAddressPastEnd(root)),
        Path.GetFileName(HostileHdf5Files.DeflateBombChunk(root)),
    ];

    public static IEnumerable<HostileCase> All(HostileContext c, IReadOnlyList<string> files)
    {
        var http = c.System.Http;
        foreach (var file in files)
        {
            // Inspection reports: damage that stops the file opening is a 4xx, damage inside it a listed problem.
            yield return ReportedAs(file) is { } report
                ? new($"inspect {file}", () => http.GetAsync($"/api/datasets/inspect?file={file}"), report.Length == 0 ? null : report) { IsReport = true }
                : new($"inspect {file}", () => http.GetAsync($"/api/datasets/inspect?file={file}"), Hint(file));
            yield return new($"train on {file}", () => http.PostAsync("/api/jobs",
                JsonContent.Create(Spec(file), options: ContractJson.Options)), Hint(file));
        }
        foreach (var file in files.Where(f => f.StartsWith("huge_images", StringComparison.Ordinal) || f.StartsWith("billions", StringComparison.Ordinal)
            || f.StartsWith("chunk_address", StringComparison.Ordinal) || f.StartsWith("deflate_bomb", StringComparison.Ordinal)))
        {
            yield return new($"preview {file}", () => http.GetAsync($"/api/datasets/preview?file={file}&dataset=images&index=1"), null);
            yield return new($"augmented preview {file}", () => http.PostAsync("/api/datasets/preview",
                JsonContent.Create(new { file, dataset = "images", index = 1, augmentation = new { horizontalFlip = true, rotationRange = 30.0 } })), null);
        }
        foreach (var file in files.Where(f => f.StartsWith("garbage", StringComparison.Ordinal) || f.StartsWith("truncated", StringComparison.Ordinal)
            || f == "bit_flipped_3.h5"))
        {
            var bytes = File.ReadAllBytes(Path.Combine(c.System.DataRoot, file));
            yield return new($"member uploads {file}", () => c.Member.PostAsync($"/api/datasets/upload?name=up-{file}", new ByteArrayContent(bytes)), "nothing was kept");
        }

        Task<HttpResponseMessage> Predict(byte[] image) => http.PostAsync($"/api/jobs/{c.TrainedJob}/predict", new ByteArrayContent(image));
        yield return new("predict a PNG declaring 40000x40000", () => Predict(HostileImages.PngBomb()), "40000");
        yield return new("predict a PNG declaring 100000x100000", () => Predict(HostileImages.PngBomb(100_000, 100_000, rows: 1)), "100000");
        yield return new("predict a PNG declaring 1x2000000000", () => Predict(HostileImages.PngBomb(1, 2_000_000_000, rows: 1)), "decode");
        yield return new("predict a PNG cut after its header", () => Predict(HostileContext.SmallPng()[..40]), null);
        yield return new("predict text", () => Predict("definitely not an image"u8.ToArray()), null);
        yield return new("predict nothing", () => Predict([]), "PNG or JPEG");
        yield return new("predict with a model that does not exist", () => http.PostAsync("/api/jobs/424242/predict", new ByteArrayContent(HostileContext.SmallPng())), null);
    }

    private static string Hint(string file) => file;

    /// <summary>
    /// What inspecting a file whose metadata still opens reports (null: it does not open, a 4xx). Pixel damage
    /// (a chunk past the end, a bomb) is not seen by inspection, which reads no pixels: "" asks for a report only.
    /// </summary>
    private static string? ReportedAs(string file) => file switch
    {
        "group_cycle.h5" => "(a cycle)",
        "billions_of_chunks.h5" => "MaxDeclaredChunks",
        "huge_images.h5" => "MaxImageSide",
        "huge_label_count.h5" => "MaxLabelCount",
        "chunk_address_past_end.h5" or "deflate_bomb_chunk.h5" => "",
        _ => null,
    };

    private static JobSpec Spec(string file) => WebTrainerSystem.SmallSpec(file) with
    {
        Name = "hostile " + file,
        Dataset = new DatasetSpec { File = file, Train = new SplitSpec { Images = "images", Labels = "labels" } },
    };
}
