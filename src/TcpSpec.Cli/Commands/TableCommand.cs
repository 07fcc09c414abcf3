using System.CommandLine;
using TcpSpec.Cli.Output;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Cli.Commands;

/// <summary><c>tcpspec table [--spec FILE]</c>: print the compiled table, or compile and print the given one with its diagnostics.</summary>
public static class TableCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "A table file to compile and print instead of the one built into tcpspec (e.g. an edited copy of spec/tcp.spec.md)." };
        var cells = new Option<bool>("--cells") { Description = "Also print, for every (state, event) cell, the rows tried in order." };
        var format = new Option<string>("--format") { Description = "text (default), or sarif: the table's diagnostics as a SARIF 2.1.0 log on stdout, for code scanning.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "sarif");
        var json = JsonOption.Create("table");
        var command = new Command("table", "Print the transition table: every row with its guard, actions, next state and RFC section; with --spec, compile a table file and report its diagnostics (a table with errors exits 2).")
        {
            spec, cells, format, json,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) == "sarif")
            {
                if (parse.GetValue(json)) throw new UsageException("--format sarif and --json are two formats: give one");
                return RunSarif(parse.GetValue(spec), stdout);
            }
            return Run(parse.GetValue(spec), parse.GetValue(cells), parse.GetValue(json), stdout, stderr);
        });
        return command;
    }

    private static int Run(FileInfo? spec, bool cells, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (spec is null)
        {
            var t = GeneratedEngine.Instance.Table;
            if (json)
            {
                TableJson.Write(stdout, BuiltIn, GeneratedEngine.Instance, [], cells);
                return Cli.Ok;
            }
            stdout.WriteLine($"Compiled table: {t.Path} ({Counts(t)})");
            Print(stdout, t, cells);
            return Cli.Ok;
        }

        var shown = Relative(spec.FullName);
        var engine = SpecFileLoader.Load(spec, stderr, "", out var diagnostics);
        if (json)
        {
            TableJson.Write(stdout, shown, engine, diagnostics, cells);
            return Cli.Ok;
        }
        int warnings = diagnostics.Count(d => d.Severity == SpecSeverity.Warning);
        stdout.WriteLine($"Table: {shown} ({Counts(engine.Table)}; {warnings} warning(s))");
        Print(stdout, engine.Table, cells);
        return Cli.Ok;
    }

    /// <summary>The diagnostics as SARIF on stdout (none for the compiled table, which the build already proved); a table with errors exits 2, as in every command.</summary>
    private static int RunSarif(FileInfo? spec, TextWriter stdout)
    {
        IReadOnlyList<SpecDiagnostic> diagnostics = [];
        bool compiles = spec is null || SpecFileLoader.TryLoad(spec, out diagnostics) is not null;
        stdout.WriteLine(Output.Sarif.Write(diagnostics));
        return compiles ? Cli.Ok : Cli.Usage;
    }

    private static string Counts(MachineModel m) =>
        $"{m.States.Count} states, {m.Events.Count} events, {m.Guards.Count} guards, {m.Actions.Count} actions, {m.Rows.Count} rows";

    private static void Print(TextWriter o, MachineModel m, bool cells)
    {
        string section = "";
        foreach (var r in m.Rows)
        {
            if (r.Section != section)
            {
                section = r.Section;
                o.WriteLine();
                o.WriteLine($"## {section}");
            }
            o.WriteLine($"{r.Key,-5} line {r.Line,-4} {m.Describe(r)}");
            o.WriteLine($"{"",-15}{r.Rfc}");
        }
        if (!cells) return;

        o.WriteLine();
        o.WriteLine("## Cells (rows tried in order)");
        foreach (var c in m.Cells)
        {
            o.WriteLine($"{m.States[c.State].Name,-13} × {m.Events[c.Event].Name,-19} {(c.Rows.Count == 0 ? "UNDECIDED" : string.Join(" ", c.Rows.Select(r => "R" + r)))}");
        }
    }

    /// <summary>How every command names the table it used, in text and JSON: "built in", or the --spec file relative to the working directory.</summary>
    internal static string Shown(string? specPath) => specPath is null ? BuiltIn : Relative(Path.GetFullPath(specPath));

    /// <summary>The name of the table compiled into tcpspec.</summary>
    internal const string BuiltIn = "built in";

    /// <summary>Paths relative to the working directory, as a build prints them.</summary>
    internal static string Relative(string path)
    {
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
