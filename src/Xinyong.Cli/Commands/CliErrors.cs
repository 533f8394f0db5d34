using System.Text.Encodings.Web;
using System.Text.Json;

namespace Xinyong.Cli.Commands;

/// <summary>How every command reports a refusal: both languages on stderr, or one JSON error object with --json.</summary>
internal static class CliErrors
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Prints the error and returns <paramref name="code"/> as the process exit code.</summary>
    public static int Fail(bool json, int code, string zh, string en)
    {
        if (json) Console.WriteLine(JsonSerializer.Serialize(new { status = "error", error = new { zh, en } }, Json));
        else
        {
            Console.Error.WriteLine(zh);
            Console.Error.WriteLine(en);
        }
        return code;
    }
}
