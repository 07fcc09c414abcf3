using System.Text.Encodings.Web;
using System.Text.Json;

namespace TcpSpec.Cli.Output;

/// <summary>The one way every command prints <c>--json</c>: indented, with non-ASCII text (→, §) as itself.</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter stdout, object doc) => stdout.WriteLine(JsonSerializer.Serialize(doc, Options));
}
