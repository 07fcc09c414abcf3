using System.CommandLine;
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
        var command = new Command("table", "Print the transition table: every row with its guard, actions, next state and RFC section; with --spec, compile a table file and report its diagnostics.")
        {
            spec, cells, format,
        };
        command.SetAction(parse => parse.GetValue(format) == "sarif"
            ? RunSarif(parse.GetValue(spec), stdout)
            : Run(parse.GetValue(spec), parse.GetValue(cells), stdout, stderr));
        return command;
    }

    private static int Run(FileInfo? spec, bool cells, TextWriter stdout, TextWriter stderr)
    {
        if (spec is null)
        {
            stdout.WriteLine($"Compiled table: {TcpMachine.SpecFile} ({TcpMachine.StateNames.Count} states, {TcpMachine.EventNames.Count} events, {TcpMachine.GuardNames.Count} guards, {TcpMachine.ActionNames.Count} actions, {TcpMachine.RowCount} rows)");
            PrintRows(stdout, TcpMachine.Rows);
            if (cells) PrintCells(stdout, TcpMachine.StateNames, TcpMachine.EventNames, i => TcpMachine.CellRows[i]);
            return Cli.Ok;
        }

        var engine = SpecFileLoader.Load(spec, stderr, "", out var diagnostics);
        if (engine is null) return Cli.Finding;
        var shown = Relative(spec.FullName);
        int warnings = diagnostics.Count(d => d.Severity == SpecSeverity.Warning);
        var m = engine.Model;
        stdout.WriteLine($"Table: {shown} ({m.States.Count} states, {m.Events.Count} events, {m.Guards.Count} guards, {m.Actions.Count} actions, {m.Rows.Count} rows; {warnings} warning(s))");
        PrintRows(stdout, engine.Rows);
        if (cells) PrintCells(stdout, engine.StateNames, m.Events.Select(e => e.Name).ToArray(), i => m.Cells[i].Rows.ToArray());
        return Cli.Ok;
    }

    /// <summary>The diagnostics as SARIF on stdout (none for the compiled table, which the build already proved); exit 1 when there are errors.</summary>
    private static int RunSarif(FileInfo? spec, TextWriter stdout)
    {
        IReadOnlyList<SpecDiagnostic> diagnostics = [];
        bool compiles = spec is null || SpecFileLoader.Load(spec, TextWriter.Null, "", out diagnostics) is not null;
        stdout.WriteLine(Output.Sarif.Write(diagnostics));
        return compiles ? Cli.Ok : Cli.Finding;
    }

    private static void PrintRows(TextWriter o, IReadOnlyList<TcpMachine.Row> rows)
    {
        string section = "";
        foreach (var r in rows)
        {
            if (r.Section != section)
            {
                section = r.Section;
                o.WriteLine();
                o.WriteLine($"## {section}");
            }
            o.WriteLine($"{"R" + r.Id,-5} line {r.Line,-4} {r.Description}");
            o.WriteLine($"{"",-15}{r.Rfc}");
        }
    }

    private static void PrintCells(TextWriter o, IReadOnlyList<string> states, IReadOnlyList<string> events, Func<int, int[]> cell)
    {
        o.WriteLine();
        o.WriteLine("## Cells (rows tried in order)");
        for (int s = 0; s < states.Count; s++)
        {
            for (int e = 0; e < events.Count; e++)
            {
                var rows = cell(s * events.Count + e);
                o.WriteLine($"{states[s],-13} × {events[e],-19} {(rows.Length == 0 ? "UNDECIDED" : string.Join(" ", rows.Select(r => "R" + r)))}");
            }
        }
    }

    /// <summary>Paths relative to the working directory, as a build prints them.</summary>
    internal static string Relative(string path)
    {
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
