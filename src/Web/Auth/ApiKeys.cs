using System.Security.Cryptography;
using System.Text;

namespace WebTrainer.Web.Auth;

/// <summary>API keys: <c>wt_</c> and 32 random bytes; only their SHA-256 is stored.</summary>
internal static class ApiKeys
{
    public const int MinimumLength = 24;

    public static string New() => "wt_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string Prefix(string key) => key.Length <= 8 ? key : key[..8];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
