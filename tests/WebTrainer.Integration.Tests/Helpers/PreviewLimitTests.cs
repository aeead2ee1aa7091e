using System.Net;
using PureHDF;
using PureHDF.Selections;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Helpers;

/// <summary>A file can declare 40000x40000x3 images in a few KB: the preview refuses them by size instead of allocating them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PreviewLimitTests(PostgresServer server) : WebOnlyTest(server)
{
    [Fact]
    public async Task Preview_OfADeclaredHugeImage_Is400NamingItsSize_AndTheHelperServesTheNextPreview()
    {
        var images = new H5Dataset<byte[]>(fileDims: [2, 40000, 40000, 3], chunks: [1, 64, 64, 3]);
        using (var writer = new H5File { ["train_img"] = images }.BeginWrite(Path.Combine(Web.DataRoot, "huge.h5")))
        {
            writer.Write(images, new byte[1], fileSelection: new HyperslabSelection(4, [0, 0, 0, 0], [1, 1, 1, 1]));
        }

        using var huge = await Web.Http.GetAsync("/api/datasets/preview?file=huge.h5&dataset=train_img&index=0");
        using var plain = await Web.Http.GetAsync($"/api/datasets/preview?file={Dataset}&dataset=train_img&index=0");

        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        var detail = await huge.Content.ReadAsStringAsync();
        // Refused by the reader's declared-size limit (Hdf5:Limits:MaxImageSide) before the preview's own pixel limit.
        Assert.Contains("40000x40000", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("image/png", plain.Content.Headers.ContentType?.MediaType);
    }
}
