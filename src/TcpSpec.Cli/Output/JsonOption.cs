using System.CommandLine;

namespace TcpSpec.Cli.Output;

/// <summary>The <c>--json</c> option every command that reports takes: one JSON document on stdout (docs/json-schema.md), the same exit code.</summary>
public static class JsonOption
{
    public const string Name = "--json";

    public static Option<bool> Create(string command) =>
        new(Name) { Description = $"Print one JSON document on stdout instead of the text report (docs/json-schema.md, \"{command}\"); errors are JSON too, the exit code is the same." };
}
