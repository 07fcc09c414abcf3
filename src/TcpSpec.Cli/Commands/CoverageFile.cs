using System.Text.Json;
using TcpSpec.Cli.Docs;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// Reads the coverage.json a <c>check</c> wrote, for <c>docs</c>. What is wrong with a file that cannot
/// be used is said in the user's words — where the JSON breaks off, which field is missing or of
/// the wrong form, which table it measured — never as the JSON reader's own message.
/// </summary>
internal static class CoverageFile
{
    /// <summary>A coverage file that is not of the form a check writes: <see cref="Exception.Message"/> says where.</summary>
    private sealed class FormException(string message) : Exception(message);

    /// <summary>Reads <paramref name="path"/>; null (with a message naming the file and <paramref name="consequence"/>) if it is unreadable or for another table.</summary>
    public static CoverageData? Read(string path, TextWriter stderr, string consequence)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"tcpspec: {path}: cannot be read ({ex.Message.TrimEnd('.')}); {consequence}");
            return null;
        }
        try
        {
            using var doc = Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormException($"holds a JSON {Kind(root.ValueKind)}, not the object a check writes");
            var rowItems = Field(root, "rows", JsonValueKind.Array).EnumerateArray().ToList();
            if (rowItems.Count != TcpMachine.RowCount)
            {
                stderr.WriteLine($"tcpspec: {path}: coverage of a table with {rowItems.Count} rows, not the compiled one ({TcpMachine.RowCount}); {consequence}");
                return null;
            }
            // A coverage file names the table it measured (TableHash): another table's coverage with
            // as many rows would draw the wrong rows as reached.
            string compiled = TcpSpec.Checker.Output.TableHash.Of(TcpSpec.Engines.GeneratedEngine.Instance);
            if (root.TryGetProperty("tableHash", out var hash) && hash.ValueKind == JsonValueKind.String && hash.GetString() is { } h && h != compiled)
            {
                string spec = root.TryGetProperty("spec", out var sp) && sp.ValueKind == JsonValueKind.String ? sp.GetString()! : "?";
                stderr.WriteLine($"tcpspec: {path}: coverage of another table ({spec}, {h}), not the compiled one ({compiled}); {consequence}");
                return null;
            }
            var rows = new bool[TcpMachine.RowCount + 1];
            for (int i = 0; i < rowItems.Count; i++)
            {
                string where = $"rows[{i}]";
                int id = Number(Field(rowItems[i], "id", JsonValueKind.Number, where), $"{where}.id");
                if (id < 1 || id > TcpMachine.RowCount) throw new FormException($"{where}.id is {id}, not a row of the compiled table (1 to {TcpMachine.RowCount})");
                rows[id] = Flag(rowItems[i], "covered", where);
            }
            var cellItems = Field(root, "cells", JsonValueKind.Array).EnumerateArray().ToList();
            if (cellItems.Count != TcpMachine.StateNames.Count * TcpMachine.EventNames.Count)
            {
                stderr.WriteLine($"tcpspec: {path}: coverage cells do not match the compiled table ({cellItems.Count}, not {TcpMachine.StateNames.Count * TcpMachine.EventNames.Count}); {consequence}");
                return null;
            }
            var cells = cellItems.Select((c, i) => Flag(c, "covered", $"cells[{i}]")).ToArray();
            var scenarios = Field(root, "scenarios", JsonValueKind.Array).EnumerateArray()
                .Select((s, i) => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw new FormException($"scenarios[{i}] is a {Kind(s.ValueKind)}, not a scenario's name")).ToList();
            return new CoverageData(scenarios, rows, cells);
        }
        catch (FormException ex)
        {
            stderr.WriteLine($"tcpspec: {path}: not a coverage file: {ex.Message}; {consequence}");
            return null;
        }
    }

    /// <summary>The document, or where its JSON breaks off: "line 3, byte 7", and whether that is the end of the file (a file cut short).</summary>
    private static JsonDocument Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1, b = (ex.BytePositionInLine ?? 0) + 1;
            bool atEnd = text.TrimEnd().Length == 0 || IsAtEnd(text, line, b);
            throw new FormException(atEnd
                ? $"its JSON ends too soon (line {line}, byte {b}: the file is empty or cut short)"
                : $"not valid JSON at line {line}, byte {b}");
        }
    }

    /// <summary>True when line <paramref name="line"/>, byte <paramref name="b"/> (from 1) is past the last character that is not white space.</summary>
    private static bool IsAtEnd(string text, long line, long b)
    {
        var lines = text.TrimEnd().Split('\n');
        if (line > lines.Length) return true;
        return line == lines.Length && b > System.Text.Encoding.UTF8.GetByteCount(lines[^1].TrimEnd('\r'));
    }

    /// <summary>The member <paramref name="name"/> of the object <paramref name="e"/> (at <paramref name="where"/>), or what is wrong instead.</summary>
    private static JsonElement Member(JsonElement e, string name, string? where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormException($"{where ?? "the file"} is a {Kind(e.ValueKind)}, not an object");
        return e.TryGetProperty(name, out var value) ? value : throw new FormException($"it has no \"{(where is null ? name : $"{where}.{name}")}\"");
    }

    private static JsonElement Field(JsonElement e, string name, JsonValueKind kind, string? where = null)
    {
        var value = Member(e, name, where);
        if (value.ValueKind != kind) throw new FormException($"\"{(where is null ? name : $"{where}.{name}")}\" is a {Kind(value.ValueKind)}, not a{(kind == JsonValueKind.Array ? "n" : "")} {Kind(kind)}");
        return value;
    }

    private static int Number(JsonElement e, string path) =>
        e.TryGetInt32(out int n) ? n : throw new FormException($"\"{path}\" is {e.GetRawText()}, not a row number");

    private static bool Flag(JsonElement e, string name, string where) => Member(e, name, where).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        var other => throw new FormException($"\"{where}.{name}\" is a {Kind(other)}, not true or false"),
    };

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
